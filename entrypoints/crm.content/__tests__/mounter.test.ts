import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { adapterFor } from '../../../adapters';
import { noneBadge } from '../../../utils/badges';
import { BadgeMounter } from '../mounter';
import { createPageStore, type PageStore } from '../store';
import { FakeIntersectionObserver } from './fakeIntersection';

const ROOT = path.resolve(__dirname, '../../..');
const body = (file: string) => {
  const html = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return html.slice(html.indexOf('<body>') + 6, html.indexOf('</body>')).replace(/<script>[\s\S]*?<\/script>/g, '');
};
const tick = () => new Promise(r => setTimeout(r, 0));

let store: PageStore;
let mounter: BadgeMounter;
let seen: string[][];

function mount(sheet: CSSStyleSheet | string = 'b{}') {
  mounter = new BadgeMounter({
    doc: document,
    adapter: adapterFor(new URL('http://127.0.0.1:8787/demo/')),
    store,
    sheet,
    defaultCountry: () => 'US',
    onNewPhones: phones => seen.push(phones),
  });
  mounter.init();
  mounter.flushNow();
}
const hosts = () => [...document.querySelectorAll('texttrail-badge')] as HTMLElement[];

beforeEach(() => {
  vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
  FakeIntersectionObserver.instances = [];
  document.body.innerHTML = body('server/demo/contacts.html');
  store = createPageStore();
  seen = [];
});
afterEach(() => {
  mounter?.destroy();
  vi.unstubAllGlobals();
});

describe('BadgeMounter', () => {
  it('places one host right after each phone, with an open shadow root and the contract attributes', () => {
    mount();
    const all = hosts();
    expect(all).toHaveLength(8);
    for (const h of all) {
      expect(h.previousElementSibling?.getAttribute('data-field')).toBe('phone');
      expect(h.getAttribute('data-status')).toBe('none');
      expect(h.getAttribute('data-phone')).toMatch(/^\+1\d{10}$/);
      expect(h.shadowRoot).not.toBeNull();
    }
    expect(seen).toEqual([all.map(h => h.getAttribute('data-phone'))]);
  });

  it('shares one stylesheet object between all shadow roots', () => {
    const sheet = new CSSStyleSheet();
    mount(sheet);
    const sheets = hosts().map(h => h.shadowRoot!.adoptedStyleSheets[0]);
    expect(new Set(sheets)).toEqual(new Set([sheet]));
  });

  it('keeps data-status in step with the store, without React', () => {
    mount();
    store.getState().mergeBadges({ '+14155550134': { ...noneBadge('+14155550134'), status: 'delivered' } });
    expect(document.querySelector('texttrail-badge[data-phone="+14155550134"]')!.getAttribute('data-status')).toBe('delivered');
    store.getState().mergeBadges({ '+14155559999': { ...noneBadge('+14155559999'), status: 'stuck' } });
    expect(document.querySelector('texttrail-badge[data-phone="+14155559999"]')!.getAttribute('data-status')).toBe('stuck');
  });

  it('a new host starts with the status already known for its phone', async () => {
    mount();
    store.getState().mergeBadges({ '+14155550134': { ...noneBadge('+14155550134'), status: 'sent' } });
    const row = document.querySelector('tbody tr')!.cloneNode(true) as HTMLElement;
    row.querySelectorAll('texttrail-badge').forEach(b => b.remove());
    document.querySelector('tbody')!.append(row);
    await tick();
    mounter.flushNow();
    const both = document.querySelectorAll('texttrail-badge[data-phone="+14155550134"]');
    expect(both).toHaveLength(2);
    expect(both[1].getAttribute('data-status')).toBe('sent');
    expect(seen).toHaveLength(1); // the phone was not new
  });

  it('never doubles a badge on rescans, follows a changed number, forgets removed rows', async () => {
    mount();
    mounter.flushNow();
    expect(hosts()).toHaveLength(8);

    const span = document.querySelector('[data-field="phone"]')!;
    span.textContent = '(646) 555-0199';
    await tick();
    mounter.flushNow();
    expect(hosts()).toHaveLength(8);
    expect(span.nextElementSibling?.getAttribute('data-phone')).toBe('+16465550199');
    expect(document.querySelector('texttrail-badge[data-phone="+14155550134"]')).toBeNull();

    document.querySelectorAll('tbody tr')[1].remove();
    await tick();
    mounter.flushNow();
    expect(hosts()).toHaveLength(7);
    expect(mounter.size).toBe(7);
    expect(mounter.phones()).not.toContain('+14155550003');
  });

  it('renders only hosts reported on screen, plus the one whose overlay is open', () => {
    mount();
    const io = FakeIntersectionObserver.instances[0];
    const [a, b, c] = hosts();
    io.emit([[a, true], [b, true], [c, false]]);
    expect([...store.getState().rendered.values()].map(r => r.host)).toEqual([a, b]);
    const keyOfB = [...store.getState().rendered.values()][1].key;
    store.getState().openOverlay(keyOfB);
    io.emit([[b, false]]);
    expect(store.getState().rendered.has(keyOfB)).toBe(true);
    store.getState().closeOverlay();
    mounter.overlayClosed(keyOfB);
    expect(store.getState().rendered.has(keyOfB)).toBe(false);
  });

  it('finds phones inside open shadow roots and watches them', async () => {
    document.body.innerHTML = '<div id="card"><crm-field></crm-field></div>';
    const host = document.querySelector('crm-field')!;
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<span data-field="mobile">(415) 555-0134</span>';
    mount();
    expect(root.querySelector('texttrail-badge')?.getAttribute('data-phone')).toBe('+14155550134');
    root.innerHTML = '<span data-field="mobile">(212) 555-0188</span>';
    await tick();
    mounter.flushNow();
    expect(root.querySelector('texttrail-badge')?.getAttribute('data-phone')).toBe('+12125550188');
  });

  it('destroy removes every host it placed', () => {
    mount();
    mounter.destroy();
    expect(hosts()).toHaveLength(0);
  });
});
