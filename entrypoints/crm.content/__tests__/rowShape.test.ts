// A long list parsed with the page: the rows the parser delivers before DOMContentLoaded teach the list's
// shape; the rows of its last task are badged from that shape at DOMContentLoaded and scanned whole after.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CrmAdapter } from '../../../adapters';
import { hubspot } from '../../../adapters/hubspot';
import { BadgeMounter } from '../mounter';
import { createPageStore } from '../store';
import { FakeIntersectionObserver } from './fakeIntersection';

const phone = (i: number) => `(415) 555-${String(1000 + i).padStart(4, '0')}`;
const truncated = (html: string) => `<div class="private-truncated-string"><span class="private-truncated-string__inner">${html}</span></div>`;
/** A HubSpot list row (bench/pageFixture.ts): checkbox, name, email, phone in a truncating wrapper, owner, date. */
const row = (i: number, { phoneCell = truncated(phone(i)), owner = 'Ana Lopez' } = {}) =>
  `<tr><td><input type="checkbox"></td><td>${truncated(`Contact ${i}`)}</td><td>${truncated(`c${i}@example.com`)}</td>`
  + `<td>${phoneCell}</td><td>${owner}</td><td>2025-03-${String(1 + (i % 28)).padStart(2, '0')} 09:41</td></tr>`;

let readyState: DocumentReadyState;
let mounter: BadgeMounter;
let tbody: HTMLElement;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
/** How far the page is scrolled, px (layOutRows). */
let scrolledBy = 0;
/** Lays the list out as a browser would (happy-dom has no layout): rows 40 px high, the first ~20 in view. */
const layOutRows = () => vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
  const tr = this.closest('tr');
  const top = tr ? [...tbody.children].indexOf(tr) * 40 - scrolledBy : 0;
  return { top, bottom: top + 40, left: 0, right: 100, width: 100, height: 40, x: 0, y: top, toJSON: () => ({}) } as DOMRect;
});
const hostsIn = (tr: Element) => [...tr.querySelectorAll('texttrail-badge')].map(h => h.getAttribute('data-phone'));
const rows = () => [...tbody.children];

/** The page as the parser has it so far: the list's first `n` rows, the last of them still being filled. */
function startLoading(n: number, shape: (i: number) => string = i => row(i), adapter: CrmAdapter = hubspot): void {
  readyState = 'loading';
  document.body.innerHTML = `<h1>Contacts</h1><table><tbody></tbody></table>`;
  tbody = document.querySelector('tbody')!;
  tbody.innerHTML = Array.from({ length: n }, (_, i) => shape(i)).join('');
  mounter = new BadgeMounter({ doc: document, adapter, store: createPageStore(), defaultCountry: () => 'US', onNewPhones: () => {} });
  mounter.init(); // scans what is parsed so far, as the first frame does
}

/**
 * The parser's last task: the rest of the list and what follows it, then DOMContentLoaded, then the next
 * frame, whose callback places what DOMContentLoaded read (`beforeFrame` looks at the page in between).
 */
async function finishLoading(rest: string, after = '', beforeFrame?: () => void): Promise<void> {
  // (happy-dom parses table rows in a table's context only: innerHTML of a <tbody>, not insertAdjacentHTML.)
  const parsed = document.createElement('tbody');
  parsed.innerHTML = rest;
  tbody.append(...parsed.childNodes);
  if (after) document.querySelector('table')!.insertAdjacentHTML('afterend', after);
  readyState = 'interactive';
  document.dispatchEvent(new Event('DOMContentLoaded'));
  beforeFrame?.();
  await new Promise(resolve => requestAnimationFrame(resolve));
}

beforeEach(() => {
  vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
  FakeIntersectionObserver.instances = [];
  Object.defineProperty(document, 'readyState', { configurable: true, get: () => readyState });
});
afterEach(() => {
  mounter?.destroy();
  delete (document as { readyState?: unknown }).readyState;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('a long list parsed with the page', () => {
  it('badges the rest of the list at DOMContentLoaded where its first rows keep their phones, then scans those rows whole', async () => {
    // Contacts without a number among the first rows neither make nor break the shape.
    const noPhone = new Set([5, 17, 30]);
    startLoading(40, i => (noPhone.has(i) ? row(i, { phoneCell: '' }) : row(i)));
    expect(rows().slice(0, 39).map(r => hostsIn(r).length)).toEqual(Array.from({ length: 39 }, (_, i) => (noPhone.has(i) ? 0 : 1)));
    const special = { second: 45, otherShape: 50, hidden: 55, link: 58 };
    await finishLoading(Array.from({ length: 60 }, (_, k) => {
      const i = 40 + k;
      // A second number, in the owner's cell: no row before had one there.
      if (i === special.second) return row(i, { owner: 'Ana Lopez, cell 212-555-0188' });
      // A tel: link whose text is no number: only a query for links finds it.
      if (i === special.link) return row(i, { owner: '<a href="tel:+12125550177">Call her desk</a>' });
      // The number in a bold tag: the shape's place holds no text.
      if (i === special.otherShape) return row(i, { phoneCell: `<div class="private-truncated-string"><span class="private-truncated-string__inner"><b>${phone(i)}</b></span></div>` });
      // The number where the shape says, but hidden: no badge belongs there.
      if (i === special.hidden) return row(i, { phoneCell: `<div class="private-truncated-string" hidden><span class="private-truncated-string__inner">${phone(i)}</span></div>` });
      return row(i);
    }).join(''), `<p>Support: <span>(212) 555-0199</span></p>`);

    // At DOMContentLoaded: every row shaped like the first ones has its badge, placed from the shape; what
    // follows the list was scanned whole.
    const all = rows();
    for (let i = 40; i < 100; i++) {
      if (i === special.otherShape) expect(hostsIn(all[i])).toEqual([]);
      else expect(hostsIn(all[i])).toEqual([`+1415555${1000 + i}`]);
    }
    expect(hostsIn(document.querySelector('p')!)).toEqual(['+12125550199']);
    const placedAtLoad = mounter.size;

    // Then the rows are scanned whole: what the shape missed is added, what it got wrong goes.
    mounter.flushNow();
    expect(hostsIn(all[special.second])).toEqual([`+1415555${1000 + special.second}`, '+12125550188']);
    expect(hostsIn(all[special.otherShape])).toEqual([`+1415555${1000 + special.otherShape}`]);
    expect(hostsIn(all[special.hidden])).toEqual([]);
    expect(hostsIn(all[special.link])).toEqual([`+1415555${1000 + special.link}`, '+12125550177']);
    for (let i = 0; i < 100; i++) {
      if (!noPhone.has(i) && i !== special.second && i !== special.hidden && i !== special.link) expect(hostsIn(all[i])).toHaveLength(1);
    }
    // Three hosts more (the second number, the number shaped otherwise, the link) and one less (the hidden
    // one) than at load: nothing was placed twice.
    expect(mounter.size).toBe(placedAtLoad + 2);
  });

  it('badges the rows whose hosts the page moved before the whole scan reached them, and nothing twice', async () => {
    startLoading(40);
    await finishLoading(Array.from({ length: 60 }, (_, k) => row(40 + k)).join(''));
    // Before the idle scan: the page takes away ten rows from before the ones still to scan (indexes shift).
    rows().slice(30, 40).forEach(r => r.remove());
    mounter.flushNow();
    expect(rows()).toHaveLength(90);
    expect(rows().every(r => hostsIn(r).length === 1)).toBe(true);
  });

  it('keeps the badge of a row the page moves out of the list before the whole scan reaches it', async () => {
    startLoading(40);
    await finishLoading(Array.from({ length: 60 }, (_, k) => row(40 + k)).join(''));
    // Before the idle scan: the page moves row 70 into a table of its own (say, "pinned").
    const moved = rows()[70];
    const table = document.body.appendChild(document.createElement('table'));
    table.appendChild(document.createElement('tbody')).append(moved);
    mounter.flushNow(); // before the page's change is even reported: the host is checked where its text is now
    expect(hostsIn(moved)).toEqual([`+1415555${1000 + 70}`]);
  });

  it('takes in what the page changed between DOMContentLoaded and the frame, and keeps watching after it', async () => {
    startLoading(40);
    let removed!: Element;
    let changed!: Element;
    await finishLoading(Array.from({ length: 60 }, (_, k) => row(40 + k)).join(''), '', () => {
      // The page's own DOMContentLoaded handlers: a row goes, a row's number changes, a row comes first.
      removed = rows()[70];
      removed.remove();
      changed = rows()[80];
      changed.querySelector('td:nth-child(4) .private-truncated-string__inner')!.textContent = '(212) 555-0142';
      const parsed = document.createElement('tbody');
      parsed.innerHTML = row(200);
      tbody.prepend(parsed.firstChild!);
    });
    // Right after the frame, before the whole scan: nothing placed from what the page changed.
    expect(hostsIn(removed)).toEqual([]);
    expect(hostsIn(rows()[0])).toEqual([`+1415555${1000 + 200}`]);
    expect(hostsIn(changed)).toEqual(['+12125550142']);
    mounter.flushNow();
    expect(hostsIn(removed)).toEqual([]);
    expect(hostsIn(changed)).toEqual(['+12125550142']);
    expect(rows()).toHaveLength(100);
    expect(rows().every(r => hostsIn(r).length === 1)).toBe(true);
    expect(mounter.size).toBe(100);
    // Still watched once our hosts are in: a row the page adds now gets its badge.
    const parsed = document.createElement('tbody');
    parsed.innerHTML = row(300);
    tbody.append(parsed.firstChild!);
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(hostsIn(rows()[100])).toEqual([`+1415555${1000 + 300}`]);
  });

  it('asks whether the list holds any tel: link or phone field at DOMContentLoaded, not in an idle slice', async () => {
    // One query over thousands of rows: in an idle slice it made a long task of its own; DOMContentLoaded
    // runs in the parser's last task, long anyway.
    const anyFieldIn = vi.fn(hubspot.anyFieldIn);
    startLoading(40, undefined, { ...hubspot, anyFieldIn });
    let askedAtLoad: Node[] = [];
    await finishLoading(Array.from({ length: 60 }, (_, k) => row(40 + k)).join(''), '', () => {
      askedAtLoad = anyFieldIn.mock.calls.map(([root]) => root as Node);
    });
    expect(askedAtLoad).toEqual([tbody]);
    mounter.flushNow();
    expect(anyFieldIn).toHaveBeenCalledTimes(1);
    for (const r of rows()) expect(hostsIn(r)).toHaveLength(1);
  });

  it('places what DOMContentLoaded read within its task\'s budget, the rest in the next frame', async () => {
    startLoading(40);
    // A slow machine: every look at the clock finds 10 ms gone.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 10));
    let placedAtLoad = 0;
    await finishLoading(Array.from({ length: 600 }, (_, k) => row(40 + k)).join(''), '', () => {
      placedAtLoad = rows().slice(40).filter(r => hostsIn(r).length).length;
    });
    // Some in the parser's task (its budget), in document order; the frame placed the rest.
    expect(placedAtLoad).toBeGreaterThan(0);
    expect(placedAtLoad).toBeLessThan(600);
    expect(rows().slice(40, 40 + placedAtLoad).every(r => hostsIn(r).length === 1)).toBe(true);
    expect(rows().every(r => hostsIn(r).length === 1)).toBe(true);
  });

  it('places at once what DOMContentLoaded read in a tab that is not shown (no frames come)', async () => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    try {
      startLoading(40);
      await finishLoading(Array.from({ length: 60 }, (_, k) => row(40 + k)).join(''), '', () => {
        expect(rows().every(r => hostsIn(r).length === 1)).toBe(true);
      });
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
    }
  });

  it('scans a guessed row whole when it comes near view, before its pill renders; rows without a guess in idle time', async () => {
    layOutRows();
    scrolledBy = 0;
    startLoading(40);
    const special = { second: 45, otherShape: 50, hidden: 55 };
    await finishLoading(Array.from({ length: 60 }, (_, k) => {
      const i = 40 + k;
      if (i === special.second) return row(i, { owner: 'Ana Lopez, cell 212-555-0188' });
      if (i === 90) return row(i, { owner: 'Ana Lopez, cell 312-555-0166' });
      if (i === special.otherShape) return row(i, { phoneCell: `<b>${phone(i)}</b>` });
      if (i === special.hidden) return row(i, { phoneCell: `<div class="private-truncated-string" hidden><span class="private-truncated-string__inner">${phone(i)}</span></div>` });
      return row(i);
    }).join(''));
    const all = rows();
    // Idle time passes (the idle callbacks here are timers): the row the shape gave no badge is scanned
    // whole; the guessed rows wait, so the second number is not there yet.
    for (let i = 0; i < 50 && hostsIn(all[special.otherShape]).length === 0; i++) await sleep(10);
    expect(hostsIn(all[special.otherShape])).toEqual([`+1415555${1000 + special.otherShape}`]);
    await sleep(30);
    expect(hostsIn(all[special.second])).toEqual([`+1415555${1000 + special.second}`]);

    // The row comes near view: its whole scan runs before the pills render, and every pill of it renders.
    const io = FakeIntersectionObserver.instances[0];
    io.emit([[all[special.second].querySelector('texttrail-badge')!, true]]);
    expect(hostsIn(all[special.second])).toEqual([`+1415555${1000 + special.second}`, '+12125550188']);
    expect([...all[special.second].querySelectorAll('texttrail-badge')].map(h => (h.shadowRoot!.firstElementChild as HTMLElement).dataset.look)).toEqual(['loading', 'loading']);
    // A guess in a hidden place goes when it would render, and renders nothing.
    const hidden = all[special.hidden].querySelector('texttrail-badge')!;
    io.emit([[hidden, true]]);
    expect(hidden.isConnected).toBe(false);
    expect(hostsIn(all[special.hidden])).toEqual([]);

    // Scrolled to: the rows come into view in the scroll event, which scans them whole before the frame.
    expect(hostsIn(all[90])).toEqual(['+14155551090']);
    scrolledBy = 80 * 40;
    document.dispatchEvent(new Event('scroll'));
    expect(hostsIn(all[90])).toEqual(['+14155551090', '+13125550166']);
  });

  it('leaves the list\'s rows past the first screen to DOMContentLoaded once the shape is known, and scans each whole near view', async () => {
    layOutRows();
    scrolledBy = 0;
    const findPhones = vi.fn(hubspot.findPhones);
    const shaped = (i: number) => {
      if (i === 70) return row(i, { owner: 'Ana Lopez, cell 212-555-0188' });
      if (i === 80) return row(i, { phoneCell: `<b>${phone(i)}</b>` });
      return row(i);
    };
    startLoading(100, shaped, { ...hubspot, findPhones });
    // The loading frames scanned the rows whose pills render at once (the first 40 hosts) and stopped.
    const all = rows();
    expect(all.slice(0, 40).every(r => hostsIn(r).length === 1)).toBe(true);
    expect(all.slice(41).every(r => hostsIn(r).length === 0)).toBe(true);
    expect(findPhones.mock.calls.length).toBeLessThan(45);
    // DOMContentLoaded badges them from the shape; a row shaped otherwise is scanned whole in idle time, a
    // guessed one keeps its guess until it comes near view.
    await finishLoading(Array.from({ length: 20 }, (_, k) => shaped(100 + k)).join(''));
    for (let i = 0; i < 50 && hostsIn(all[80]).length === 0; i++) await sleep(10);
    expect(hostsIn(all[80])).toEqual(['+14155551080']);
    expect(rows().every(r => hostsIn(r).length === 1)).toBe(true);
    expect(hostsIn(all[70])).toEqual(['+14155551070']);
    FakeIntersectionObserver.instances[0].emit([[all[70].querySelector('texttrail-badge')!, true]]);
    expect(hostsIn(all[70])).toEqual(['+14155551070', '+12125550188']);
  });

  it('scans what lies between guessed rows in idle time: a number in a text directly in the list', async () => {
    layOutRows();
    scrolledBy = 0;
    startLoading(40);
    const parsed = document.createElement('tbody');
    parsed.innerHTML = Array.from({ length: 60 }, (_, k) => row(40 + k)).join('');
    tbody.append(...parsed.childNodes);
    // (A list of divs may hold text between its rows; a parser would not put it in a table's body.)
    const between = document.createTextNode('Support line 212-555-0199');
    tbody.insertBefore(between, rows()[75]);
    readyState = 'interactive';
    document.dispatchEvent(new Event('DOMContentLoaded'));
    await new Promise(resolve => requestAnimationFrame(resolve));
    for (let i = 0; i < 50 && between.nextSibling?.nodeName !== 'TEXTTRAIL-BADGE'; i++) await sleep(10);
    expect((between.nextSibling as Element | null)?.getAttribute('data-phone')).toBe('+12125550199');
  });

  it('scans a guessed row whole in idle time when the page rewrote its number before it came near view', async () => {
    layOutRows();
    startLoading(40);
    // Row 60 has a second number the shape does not know of, in its owner's cell.
    await finishLoading(Array.from({ length: 60 }, (_, k) => (k === 20 ? row(60, { owner: 'Ana Lopez, cell 646-555-0177' }) : row(40 + k))).join(''));
    const target = rows()[60];
    await sleep(50);
    expect(hostsIn(target)).toEqual([`+1415555${1000 + 60}`]); // a guess, waiting to come near view
    // The page rewrites the number: the rescan of the changed cell replaces the guess, so the row would
    // never come up for its whole scan near view; it is scanned whole in idle time instead.
    target.querySelector('td:nth-child(4) .private-truncated-string__inner')!.textContent = '(212) 555-0142';
    for (let i = 0; i < 50 && hostsIn(target).length < 2; i++) await sleep(10);
    expect(hostsIn(target)).toEqual(['+12125550142', '+16465550177']);
  });

  it('scans the rest whole at DOMContentLoaded when the rows before had no common shape', async () => {
    // Every other row keeps its number elsewhere (plain, in the owner cell): no shape is learned.
    const mixed = (i: number) => (i % 2 ? row(i) : row(i, { phoneCell: 'n/a', owner: phone(i) }));
    startLoading(40, mixed);
    await finishLoading(Array.from({ length: 60 }, (_, k) => mixed(40 + k)).join(''));
    const all = rows();
    for (let i = 40; i < 100; i++) expect(hostsIn(all[i])).toEqual([`+1415555${1000 + i}`]);
    const placed = mounter.size;
    mounter.flushNow();
    expect(mounter.size).toBe(placed);
  });
});
