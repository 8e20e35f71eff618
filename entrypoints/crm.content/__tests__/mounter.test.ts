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

function mount() {
  mounter = new BadgeMounter({
    doc: document,
    adapter: adapterFor(new URL('http://127.0.0.1:8787/demo/')),
    store,
    defaultCountry: () => 'US',
    onNewPhones: phones => seen.push(phones),
  });
  mounter.init();
  mounter.flushNow();
}
const hosts = () => [...document.querySelectorAll('texttrail-badge')] as HTMLElement[];
const pill = (h: Element) => h.shadowRoot!.firstElementChild as HTMLElement;
/** What a pill shows: undefined until it first renders, then its status (or "loading"). */
const look = (h: Element) => pill(h).dataset.look;

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
  it('places one host right after each phone, with its fixed box, the contract attributes and its pill in the loading look', () => {
    mount();
    const all = hosts();
    expect(all).toHaveLength(8);
    for (const h of all) {
      expect(h.previousElementSibling?.getAttribute('data-field')).toBe('phone');
      expect(h.getAttribute('data-status')).toBe('none');
      expect(h.getAttribute('data-phone')).toMatch(/^\+1\d{10}$/);
      expect(h.style.getPropertyValue('width')).toBe('106px');
      expect(h.style.getPropertyPriority('width')).toBe('important');
      // The pill is there from the start (a later one would make the page lay out its table again) …
      const p = pill(h);
      expect(p.getAttribute('role')).toBe('button');
      expect(p.getAttribute('aria-label')).toBe('Text status loading');
      expect(p.style.getPropertyValue('background-image')).toContain('data:image/svg+xml');
      // … and renders only near the viewport.
      expect(look(h)).toBeUndefined();
    }
    expect(seen).toEqual([all.map(h => h.getAttribute('data-phone'))]);
  });

  it('draws each look once per page: pills of one status share one image', () => {
    mount();
    const [a, b, c] = hosts();
    store.getState().mergeBadges({
      [a.dataset.phone!]: { ...noneBadge(a.dataset.phone!), status: 'failed' },
      [b.dataset.phone!]: { ...noneBadge(b.dataset.phone!), status: 'failed' },
      [c.dataset.phone!]: { ...noneBadge(c.dataset.phone!), status: 'delivered' },
    });
    FakeIntersectionObserver.instances[0].emit([[a, true], [b, true], [c, true]]);
    const image = (h: Element) => pill(h).style.getPropertyValue('background-image');
    expect(image(a)).toBe(image(b));
    expect(image(a)).not.toBe(image(c));
    expect(decodeURIComponent(image(a))).toContain('>Failed</text>');
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

  it('forgets what the page removed by looking at the removed nodes alone, not at every host', async () => {
    const phoneOf = (i: number) => `(415) 555-${1000 + i}`;
    document.body.innerHTML = `<p id="ago">updated 0 s ago</p><ul>${Array.from({ length: 300 }, (_, i) => `<li>Contact ${i}: <span>${phoneOf(i)}</span></li>`).join('')}</ul>`;
    mount();
    expect(mounter.size).toBe(300);
    // The page rewrites a text every second: a sweep over every host would ask each whether it is still there.
    const isConnected = vi.spyOn(Node.prototype, 'isConnected', 'get');
    for (let i = 1; i <= 5; i++) {
      document.getElementById('ago')!.textContent = `updated ${i} s ago`;
      await tick();
    }
    expect(isConnected.mock.calls.length).toBeLessThan(60);
    isConnected.mockRestore();

    const items = [...document.querySelectorAll('li')];
    items[3].querySelector('span')!.textContent = 'no phone'; // its text and its host go
    items[4].querySelector('span')!.remove(); // the number goes, with its host
    await tick();
    expect(mounter.size).toBe(298);
    document.querySelector('ul')!.prepend(items[5]); // moved, not removed: keeps its badge, once
    await tick();
    expect(mounter.size).toBe(298);
    expect(items[5].querySelectorAll('texttrail-badge')).toHaveLength(1);
    items[7].querySelector('texttrail-badge')!.remove(); // the page threw our host away: forgotten
    await tick();
    expect(mounter.size).toBe(297);
    expect(hosts().every(h => h.isConnected)).toBe(true);
  });

  it('renders a pill only when its host comes near the viewport, never ahead in idle time', async () => {
    mount();
    const io = FakeIntersectionObserver.instances[0];
    const [a, b] = hosts();
    io.emit([[b, true]]);
    expect(look(b)).toBe('loading');
    expect(look(a)).toBeUndefined();
    await new Promise(r => setTimeout(r, 50));
    expect(hosts().filter(h => look(h))).toEqual([b]);
    io.emit([[a, true]]);
    expect(look(a)).toBe('loading');
  });

  it('renders a pill when its host comes on screen, with the status, name and tooltip', () => {
    mount();
    const io = FakeIntersectionObserver.instances[0];
    const [a, b] = hosts();
    expect(look(a)).toBeUndefined();
    io.emit([[a, true], [b, false]]);
    const p = pill(a);
    expect(p.getAttribute('aria-label')).toBe('Text status loading');
    expect(look(b)).toBeUndefined();
    const loading = p.style.getPropertyValue('background-image');
    store.getState().mergeBadges({ [a.dataset.phone!]: { ...noneBadge(a.dataset.phone!), status: 'undelivered', provider: 'simulator', errorCode: '30003', errorClass: 'temporary' } });
    expect(p.getAttribute('aria-label')).toBe('Undelivered: handset unreachable — phone off or out of coverage (30003)');
    expect(look(a)).toBe('undelivered');
    const image = decodeURIComponent(p.style.getPropertyValue('background-image'));
    expect(image).not.toBe(decodeURIComponent(loading));
    expect(image).toContain('>Undelivered</text>');
    expect(image).toContain("fill='#fdecec'"); // the "bad" tone
    expect(p.getAttribute('title')).toContain('click to open the conversation');
    expect(p.textContent).toBe(''); // the word is drawn, and named by aria-label
  });

  it('says in every rendered badge\'s name and tooltip when the server is out of reach, and stops once back', () => {
    mount();
    const [a] = hosts();
    FakeIntersectionObserver.instances[0].emit([[a, true]]);
    const p = pill(a);
    store.getState().setConnection('reconnecting');
    expect(p.getAttribute('aria-label')).toBe('Text status loading — TextTrail is reconnecting, this may be out of date');
    expect(p.getAttribute('title')).toContain('reconnecting');
    store.getState().setConnection('connected');
    expect(p.getAttribute('aria-label')).toBe('Text status loading');
  });

  it('a status change rewrites the hosts of that phone and no other', async () => {
    mount();
    const io = FakeIntersectionObserver.instances[0];
    io.emit(hosts().map(h => [h, true]));
    store.getState().mergeBadges(Object.fromEntries(hosts().map(h => [h.dataset.phone!, noneBadge(h.dataset.phone!)])));
    const changed = new Set<string>();
    const observers = hosts().map(h => {
      const mo = new MutationObserver(() => changed.add(h.dataset.phone!));
      mo.observe(h, { attributes: true });
      mo.observe(h.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });
      return mo;
    });
    store.getState().mergeBadges({ '+13125550007': { ...noneBadge('+13125550007'), status: 'delivered', at: new Date().toISOString() } });
    await tick();
    observers.forEach(o => o.disconnect());
    expect([...changed]).toEqual(['+13125550007']);
  });

  it('on a long list the clock tick refreshes rendered pills in idle slices, not in one task', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `<p><span data-field="phone">(415) 555-${String(1000 + i)}</span></p>`);
    document.body.innerHTML = rows.join('');
    mount();
    const io = FakeIntersectionObserver.instances[0];
    io.emit(hosts().map(h => [h, true]));
    const delivered = new Date(Date.now() - 5 * 60_000).toISOString();
    store.getState().mergeBadges(Object.fromEntries(hosts().map(h => [h.dataset.phone!, { ...noneBadge(h.dataset.phone!), status: 'delivered' as const, at: delivered }])));
    const label = (h: HTMLElement) => pill(h).getAttribute('aria-label');
    expect(label(hosts()[0])).toBe('Delivered 5 min ago');
    store.getState().tick(Date.now() + 60 * 60_000);
    // Nothing rewritten in the tick's own task …
    expect(hosts().filter(h => label(h) === 'Delivered 5 min ago')).toHaveLength(300);
    // … all of them soon after, in idle time.
    for (let i = 0; i < 50 && hosts().some(h => label(h) === 'Delivered 5 min ago'); i++) await new Promise(r => setTimeout(r, 10));
    expect(new Set(hosts().map(label))).toEqual(new Set(['Delivered 1 h ago']));
  });

  it('opens the thread with a click or Enter, says so, gives focus back, and closes on a second activation', () => {
    const opened: number[] = [];
    let focusBack: (() => void) | null = null;
    mounter = new BadgeMounter({
      doc: document, adapter: adapterFor(new URL('http://127.0.0.1:8787/demo/')), store,
      defaultCountry: () => 'US', onNewPhones: () => undefined,
      onActivate: (entry, focus) => { opened.push(entry.key); focusBack = focus; store.getState().openOverlay(entry.key); },
    });
    mounter.init();
    mounter.flushNow();
    const [a] = hosts();
    FakeIntersectionObserver.instances[0].emit([[a, true]]);
    const p = pill(a);
    expect(p.getAttribute('aria-haspopup')).toBe('dialog');
    expect(p.getAttribute('aria-expanded')).toBe('false');
    // The CRM's own row handler never hears about a click on the badge.
    const rowClicks: Event[] = [];
    a.closest('tr')!.addEventListener('click', e => rowClicks.push(e));
    p.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    expect(opened).toHaveLength(1);
    expect(p.getAttribute('aria-expanded')).toBe('true');
    focusBack!();
    expect(a.shadowRoot!.activeElement).toBe(p);
    p.click();
    expect(opened).toHaveLength(1);
    expect(store.getState().overlay).toBeNull();
    expect(p.getAttribute('aria-expanded')).toBe('false');
    expect(rowClicks).toHaveLength(0);
  });

  it('scans what the page adds in the same task, before the page lays it out', async () => {
    mount();
    const tbody = document.querySelector('tbody')!;
    const row = document.createElement('tr');
    row.innerHTML = '<td>New Person</td><td class="phone"><span data-field="phone">(617) 555-0101</span></td>';
    tbody.append(row);
    await tick(); // the MutationObserver callback only: no idle time, no flushNow()
    expect(row.querySelector('texttrail-badge')?.getAttribute('data-phone')).toBe('+16175550101');
  });

  it('follows an infinitely scrolling list: rows added in batches are badged once each', async () => {
    mount();
    const tbody = document.querySelector('tbody')!;
    for (let batch = 0; batch < 4; batch++) {
      const html: string[] = [];
      for (let i = 0; i < 50; i++) html.push(`<tr><td>P ${batch}-${i}</td><td class="phone"><span data-field="phone">(303) 555-${String(1000 + batch * 50 + i)}</span></td></tr>`);
      tbody.insertAdjacentHTML('beforeend', html.join(''));
      await tick();
    }
    mounter.flushNow();
    expect(hosts()).toHaveLength(8 + 200);
    expect(new Set(hosts().map(h => h.dataset.phone)).size).toBe(8 + 200);
    // The background was asked about each new phone once, in a few batches.
    expect(seen.flat()).toHaveLength(8 + 200);
  });

  it('a route change stops the old view\'s work and listeners, rescans, and drops hosts of content that left', async () => {
    const opened: number[] = [];
    mounter = new BadgeMounter({
      doc: document, adapter: adapterFor(new URL('http://127.0.0.1:8787/demo/')), store,
      defaultCountry: () => 'US', onNewPhones: () => undefined, onActivate: entry => opened.push(entry.key),
    });
    mounter.init();
    mounter.flushNow();
    const [a] = hosts();
    FakeIntersectionObserver.instances[0].emit([[a, true]]);
    // The SPA swaps the list for a record view.
    document.body.innerHTML = '<div class="record"><h1>Tom Becker</h1><span data-field="phone">312.555.0007</span></div>';
    mounter.routeChanged(adapterFor(new URL('http://127.0.0.1:8787/demo/contact.html?id=tom')));
    mounter.flushNow();
    expect(hosts().map(h => h.dataset.phone)).toEqual(['+13125550007']);
    expect(mounter.size).toBe(1);
    // The old host's listeners went with the old view.
    a.click();
    expect(opened).toEqual([]);
  });

  it('leaves views a single-page app keeps hidden', () => {
    document.body.innerHTML = '<div style="display: none"><span data-field="phone">(415) 555-0134</span></div><div><span data-field="phone">(212) 555-0188</span></div>';
    mount();
    expect(hosts().map(h => h.dataset.phone)).toEqual(['+12125550188']);
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

  it('destroy removes every host it placed and stops watching the page', async () => {
    mount();
    mounter.destroy();
    expect(hosts()).toHaveLength(0);
    document.querySelector('tbody')!.insertAdjacentHTML('beforeend', '<tr><td><span data-field="phone">(617) 555-0101</span></td></tr>');
    await tick();
    expect(hosts()).toHaveLength(0);
  });
});
