// The shared scan on hand-made pages: where it looks (open shadow roots, nested) and where it never does.
import { beforeEach, describe, expect, it } from 'vitest';
import { deepQuery, deepQueryAll } from '../fields';
import { anyFieldIn, findPhonesIn, phonesAt, type ScanConfig } from '../scan';

const NONE: ScanConfig = { fields: [], badgeAfter: '' };
const find = (root: ParentNode = document, cfg: ScanConfig = NONE, country: 'US' | 'GB' = 'US') =>
  findPhonesIn(root, cfg, { defaultCountry: country }).map(h => h.phone);

beforeEach(() => { document.body.innerHTML = ''; });

describe('where phones are looked for', () => {
  it('finds each of the formats agents type', () => {
    document.body.innerHTML = `
      <p>(415) 555-0134</p><p>Desk 415.555.0003 ext. 12</p><p>UK office +44 20 7946 0958</p>`;
    expect(find()).toEqual(['+14155550134', '+14155550003', '+442079460958']);
  });

  it('reads national numbers in the location\'s country', () => {
    document.body.innerHTML = '<p>Office 020 7946 0958</p>';
    expect(find(document, NONE, 'GB')).toEqual(['+442079460958']);
    expect(find(document, NONE, 'US')).toEqual([]);
  });

  it('never looks inside scripts, styles, inputs, textareas, selects, buttons or editors', () => {
    document.body.innerHTML = `
      <script>var phone = "(415) 555-0134";</script>
      <style>.x::after { content: "(415) 555-0135"; }</style>
      <noscript>(415) 555-0136</noscript>
      <input value="(415) 555-0137"><textarea>(415) 555-0138</textarea>
      <select><option>(415) 555-0139</option></select>
      <button>Call (415) 555-0140</button>
      <div contenteditable="true"><p>(415) 555-0141</p></div>
      <div contenteditable=""><p>(415) 555-0142</p></div>
      <div contenteditable="plaintext-only">(415) 555-0143</div>
      <div role="textbox">(415) 555-0144</div>
      <div hidden>(415) 555-0145</div>
      <div aria-hidden="true">(415) 555-0146</div>
      <template><p>(415) 555-0147</p></template>
      <div contenteditable="false">(415) 555-0148</div>`;
    expect(find()).toEqual(['+14155550148']);
  });

  it('scanned row by row, skips what lies above the rows, and sees it change on the next run', async () => {
    document.body.innerHTML = `
      <div id="view" hidden><table><tbody id="rows">
        <tr><td><span class="truncate"><span>(415) 555-0134</span></span></td></tr>
        <tr><td><span class="truncate"><span>(212) 555-0188</span></span></td></tr>
      </tbody></table></div>`;
    const rows = [...document.querySelectorAll('#rows tr')];
    const cfg: ScanConfig = { fields: [], badgeAfter: '.truncate' };
    expect(rows.flatMap(r => find(r, cfg))).toEqual([]);
    // The page shows the view: what was remembered about the rows' ancestors held for one run only.
    document.getElementById('view')!.removeAttribute('hidden');
    await Promise.resolve();
    const hits = rows.flatMap(r => findPhonesIn(r, cfg, { defaultCountry: 'US' }));
    expect(hits.map(h => h.phone)).toEqual(['+14155550134', '+12125550188']);
    expect(hits.map(h => (h.anchor as Element).className)).toEqual(['truncate', 'truncate']);
    // A clipping wrapper above the rows is the outermost one: the badge goes after it.
    document.getElementById('view')!.classList.add('truncate');
    await Promise.resolve();
    expect(rows.map(r => findPhonesIn(r, cfg, { defaultCountry: 'US' })[0].anchor)).toEqual([document.getElementById('view'), document.getElementById('view')]);
  });

  it('finds tel: links and fields of several selectors in document order, each element once', () => {
    document.body.innerHTML = `
      <span itemprop="telephone">(312) 555-0142</span>
      <a href="tel:+14155550134">(415) 555-0134</a>
      <span data-phone>(212) 555-0188</span>
      <a href="tel:+16175550100" itemprop="telephone">(617) 555-0100</a>
      <span itemprop="telephone">(646) 555-0111</span>`;
    const cfg: ScanConfig = { fields: ['[data-phone]', '[itemprop="telephone"]'], badgeAfter: '' };
    const hits = findPhonesIn(document.body, cfg, { defaultCountry: 'US' });
    // tel: links first (a link that is also a field counts once), then fields, selector by selector.
    expect(hits.map(h => [h.kind, h.phone])).toEqual([
      ['tel', '+14155550134'], ['tel', '+16175550100'],
      ['field', '+12125550188'], ['field', '+13125550142'], ['field', '+16465550111'],
    ]);
  });

  it('a changed text alone: badged after its outermost clipping wrapper, never inside an editor or hidden view', () => {
    document.body.innerHTML = `
      <div class="truncate"><span class="truncate"><span id="t">(415) 555-0134</span></span></div>
      <div contenteditable="true"><p id="e">(212) 555-0188</p></div>
      <div hidden><p id="h">(312) 555-0142</p></div>`;
    const cfg: ScanConfig = { fields: [], badgeAfter: '.truncate' };
    const alone = (id: string) => findPhonesIn(document.getElementById(id)!.firstChild as unknown as ParentNode, cfg, { defaultCountry: 'US' });
    const [hit] = alone('t');
    expect(hit.phone).toBe('+14155550134');
    expect(hit.anchor).toBe(document.querySelector('div.truncate'));
    expect(alone('e')).toEqual([]);
    expect(alone('h')).toEqual([]);
  });

  it('a phone field inside a hidden view is not badged, and its badge goes after the outermost clipping wrapper', () => {
    document.body.innerHTML = `
      <div hidden><span data-phone>(415) 555-0134</span></div>
      <div class="clip"><span class="clip" data-phone id="f">(212) 555-0188</span></div>`;
    const cfg: ScanConfig = { fields: ['[data-phone]'], badgeAfter: '.clip' };
    const hits = findPhonesIn(document.body, cfg, { defaultCountry: 'US' });
    expect(hits.map(h => [h.kind, h.phone])).toEqual([['field', '+12125550188']]);
    expect(hits[0].anchor).toBe(document.querySelector('div.clip'));
    // Scanned from the field itself (a rescan of it): the same wrapper above it counts.
    const [again] = findPhonesIn(document.getElementById('f')!, cfg, { defaultCountry: 'US' });
    expect(again.anchor).toBe(document.querySelector('div.clip'));
  });

  it('does not rescan into an editor when a change inside it is reported', () => {
    document.body.innerHTML = '<div contenteditable="true"><p id="p">(415) 555-0141</p></div>';
    expect(find(document.getElementById('p')!)).toEqual([]);
  });

  it('walks open shadow roots, nested ones too, and reports each', () => {
    document.body.innerHTML = '<x-card id="card"></x-card>';
    const outer = document.getElementById('card')!.attachShadow({ mode: 'open' });
    outer.innerHTML = '<p>Main (415) 555-0134</p><x-phone id="inner"></x-phone>';
    const inner = (outer.getElementById('inner') as HTMLElement).attachShadow({ mode: 'open' });
    inner.innerHTML = '<a href="tel:+12125550188">(212) 555-0188</a><span>Alt 312-555-0142</span>';
    const roots: ShadowRoot[] = [];
    const hits = findPhonesIn(document, NONE, { defaultCountry: 'US', onShadowRoot: r => roots.push(r) });
    expect(hits.map(h => [h.kind, h.phone])).toEqual([['text', '+14155550134'], ['tel', '+12125550188'], ['text', '+13125550142']]);
    expect(roots).toEqual([outer, inner]);
  });

  it('walks texts only for a site that says it has no shadow roots', () => {
    document.body.innerHTML = '<p>(212) 555-0188</p><x-card id="card"></x-card>';
    document.getElementById('card')!.attachShadow({ mode: 'open' }).innerHTML = '<p>(415) 555-0134</p>';
    expect(find(document, { ...NONE, shadowRoots: false })).toEqual(['+12125550188']);
    expect(find(document, NONE)).toEqual(['+12125550188', '+14155550134']);
  });

  it('cannot see into closed shadow roots (nor should it)', () => {
    document.body.innerHTML = '<x-secret id="s"></x-secret>';
    const closed = document.getElementById('s')!.attachShadow({ mode: 'closed' });
    closed.innerHTML = '<p>(415) 555-0134</p>';
    expect(find()).toEqual([]);
  });

  it('skips our own badges and overlay', () => {
    document.body.innerHTML = '<texttrail-badge>(415) 555-0134</texttrail-badge><texttrail-overlay>(415) 555-0135</texttrail-overlay>';
    expect(find()).toEqual([]);
  });

  it('never looks inside our badges\' shadow roots, nor hands them out to be watched', () => {
    // A field whose element holds its badge (a whole cell): the badge's root is ours, never page content.
    document.body.innerHTML = '<div data-field="phone">(415) 555-0134<texttrail-badge></texttrail-badge></div>';
    document.querySelector('texttrail-badge')!.attachShadow({ mode: 'open' }).innerHTML = '<a href="tel:+12125550188">(212) 555-0188</a>';
    const roots: ShadowRoot[] = [];
    const hits = findPhonesIn(document, { fields: ['[data-field="phone"]'], badgeAfter: '' }, { defaultCountry: 'US', onShadowRoot: r => roots.push(r) });
    expect(hits.map(h => [h.kind, h.phone])).toEqual([['field', '+14155550134']]);
    expect(roots).toEqual([]);
    expect(deepQueryAll(document, 'a')).toEqual([]);
    expect(deepQuery(document, 'a')).toBeNull();
  });

  it('after a node: only what follows it and its subtree, links and fields too; a node outside the root changes nothing', () => {
    document.body.innerHTML = '<ul id="list">'
      + '<li id="a">(415) 555-0101 <a href="tel:+14155550102">call</a></li>'
      + '<li id="b">(415) 555-0103 <span data-field="phone">(415) 555-0104</span></li>'
      + '<li id="c">(415) 555-0105 <a href="tel:+14155550106">call</a></li>'
      + '<li id="d"><span data-field="phone">(415) 555-0107</span></li></ul><p id="out">(415) 555-0199</p>';
    const cfg: ScanConfig = { fields: ['[data-field="phone"]'], badgeAfter: '' };
    const list = document.getElementById('list')!;
    const phones = (after?: Node) => findPhonesIn(list, cfg, { defaultCountry: 'US', after }).map(h => h.phone.slice(-2)).sort();
    expect(phones()).toEqual(['01', '02', '03', '04', '05', '06', '07']);
    expect(phones(document.getElementById('b')!)).toEqual(['05', '06', '07']);
    expect(phones(document.getElementById('d')!)).toEqual([]);
    expect(phones(document.getElementById('out')!)).toEqual(phones());
  });

  it('takes a tel: link once, from its href, and not again from its text', () => {
    document.body.innerHTML = '<a href="tel:%2B1%20415%20555%200134">Call Maria</a> <a href="tel:">(212) 555-0188</a>';
    const hits = findPhonesIn(document, NONE, { defaultCountry: 'US' });
    expect(hits.map(h => [h.kind, h.phone])).toEqual([['tel', '+14155550134'], ['tel', '+12125550188']]);
  });
});

describe('phone fields and where badges go', () => {
  const cfg: ScanConfig = { fields: ['.phone-button', '.phone-cell'], badgeAfter: '.truncate' };

  it('prefers the most specific field and gives it the badge', () => {
    document.body.innerHTML = '<table><tr><td class="phone-cell"><button class="phone-button">(415) 555-0134</button> (Work)</td></tr></table>';
    const [hit] = findPhonesIn(document, cfg, { defaultCountry: 'US' });
    expect((hit.source as Element).className).toBe('phone-button');
    expect(hit.anchor).toBe(hit.source);
  });

  it('puts a badge for a whole cell inside the cell, after its content', () => {
    document.body.innerHTML = '<table><tr><td class="phone-cell">(415) 555-0134</td></tr></table>';
    const [hit] = findPhonesIn(document, cfg, { defaultCountry: 'US' });
    expect((hit.source as Element).localName).toBe('td');
    expect(hit.anchor.nodeType).toBe(3);
    expect(hit.anchor.parentNode).toBe(hit.source);
  });

  it('puts a badge for a clipped value after the outermost clipping wrapper', () => {
    document.body.innerHTML = '<div class="truncate" id="outer"><span class="truncate"><span>(415) 555-0134</span></span></div>';
    const [hit] = findPhonesIn(document, cfg, { defaultCountry: 'US' });
    expect((hit.anchor as Element).id).toBe('outer');
    expect(hit.source.nodeType).toBe(3);
  });
});

describe('scans that already know part of the answer', () => {
  const FIELDS: ScanConfig = { fields: ['[data-field="phone"]'], badgeAfter: '' };

  it('says whether a tel: link or a field is anywhere under a root', () => {
    document.body.innerHTML = '<div id="a"><p>(415) 555-0134</p></div><div id="b"><a href="tel:+14155550135">Call</a></div><div id="c"><span data-field="phone">415 555 0136</span></div>';
    expect(anyFieldIn(document.getElementById('a')!, FIELDS)).toBe(false);
    expect(anyFieldIn(document.getElementById('b')!, FIELDS)).toBe(true);
    expect(anyFieldIn(document.getElementById('c')!, FIELDS)).toBe(true);
  });

  it('with noFields, looks at texts alone', () => {
    document.body.innerHTML = '<p>(415) 555-0134</p><a href="tel:+14155550135">Call</a>';
    const hits = (noFields: boolean) => findPhonesIn(document.body, FIELDS, { defaultCountry: 'US', noFields }).map(h => h.phone);
    expect(hits(false)).toEqual(['+14155550135', '+14155550134']);
    expect(hits(true)).toEqual(['+14155550134']);
  });

  it('reads the phones of known texts and puts their badges at the known anchors', () => {
    document.body.innerHTML = '<div class="w"><span>(415) 555-0134</span></div><span>2025-03-12 09:41</span><span>(415) 555-01</span>';
    const [w, date, short] = [document.querySelector('.w')!, document.querySelectorAll('span')[1], document.querySelectorAll('span')[2]];
    const text = (el: Element) => el.firstChild as Text;
    const hits = phonesAt([{ text: text(w.firstElementChild!), anchor: w }, { text: text(date), anchor: text(date) }, { text: text(short), anchor: text(short) }], { defaultCountry: 'US' });
    expect(hits).toEqual([{ phone: '+14155550134', anchor: w, source: text(w.firstElementChild!), kind: 'text', display: '(415) 555-0134' }]);
  });
});
