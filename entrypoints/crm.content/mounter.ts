// Places badge hosts in the page and keeps them right as the page changes. Built for CRM lists of
// thousands of rows (RECIPES, "Content-script UI cost"): hosts are bare elements with an open shadow
// root sharing one constructable stylesheet; only hosts near the viewport render (IntersectionObserver,
// through the single React root in App.tsx); DOM scans are batched into idle callbacks.
import { BADGE_TAG, type CrmAdapter, type PhoneHit } from '../../adapters';
import type { CountryCode } from '../../adapters/phones';
import type { BadgeStatus } from '../../domain/status';
import type { PageStore, RenderedHost } from './store';

export interface MounterOptions {
  doc: Document;
  adapter: CrmAdapter;
  store: PageStore;
  /** The stylesheet every badge adopts (a string where constructable sheets are missing). */
  sheet: CSSStyleSheet | string;
  defaultCountry: () => CountryCode;
  /** Phones that appeared on the page for the first time. */
  onNewPhones: (phones: string[]) => void;
  /** Render hosts this far outside the viewport too, so scrolling shows them ready. */
  rootMargin?: string;
}

interface HostInfo extends RenderedHost {
  anchor: Node;
}

/** Longest scan slice: short enough that typing and scrolling stay smooth while a long list is scanned. */
const CHUNK_MS = 30;
/** Scanned hosts wait at most this long for the rest of the scan before they are placed anyway. */
const MAX_HOLD_MS = 1_500;

type IdleDeadline = { timeRemaining(): number; didTimeout: boolean };
const requestIdle: (cb: (d: IdleDeadline) => void, opts: { timeout: number }) => number =
  (globalThis as { requestIdleCallback?: typeof requestIdle }).requestIdleCallback?.bind(globalThis)
  ?? ((cb: (d: IdleDeadline) => void) => setTimeout(() => cb({ timeRemaining: () => 8, didTimeout: true }), 16) as unknown as number);

export class BadgeMounter {
  private readonly hosts = new Map<HTMLElement, HostInfo>();
  private readonly byKey = new Map<number, HostInfo>();
  private readonly byPhone = new Map<string, Set<HostInfo>>();
  private readonly intersecting = new Set<number>();
  private readonly queue = new Set<Node>();
  private readonly observedRoots = new WeakSet<Node>();
  private scanned: { root: Node; hits: PhoneHit[] }[] = [];
  private scannedSince: number | null = null;
  private nextKey = 1;
  private scheduled = false;
  private destroyed = false;
  private io: IntersectionObserver | null = null;
  private mo: MutationObserver | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly opts: MounterOptions) {}

  init(): void {
    const { doc, store } = this.opts;
    const IO = doc.defaultView?.IntersectionObserver ?? globalThis.IntersectionObserver;
    if (IO) this.io = new IO(entries => this.onIntersect(entries), { rootMargin: this.opts.rootMargin ?? '300px' });
    this.mo = new MutationObserver(records => this.onMutations(records));
    this.observe(doc);
    // data-status on every host, rendered or not, follows the store (cheap attribute writes, no React).
    this.unsubscribe = store.subscribe((state, prev) => {
      if (state.badges === prev.badges) return;
      for (const phone of Object.keys(state.badges)) {
        if (state.badges[phone] !== prev.badges[phone]) this.setStatus(phone, state.badges[phone].status);
      }
    });
    this.enqueue(doc.body ?? doc.documentElement);
  }

  destroy(): void {
    this.destroyed = true;
    this.io?.disconnect();
    this.mo?.disconnect();
    this.unsubscribe?.();
    for (const host of this.hosts.keys()) host.remove();
    this.hosts.clear();
    this.byKey.clear();
    this.byPhone.clear();
  }

  /** Phones currently shown on the page. */
  phones(): string[] {
    return [...this.byPhone.keys()];
  }

  get size(): number {
    return this.hosts.size;
  }

  hostFor(key: number): HostInfo | undefined {
    return this.byKey.get(key);
  }

  /** After the overlay closes, a host that scrolled away stops rendering. */
  overlayClosed(key: number): void {
    if (!this.intersecting.has(key)) this.opts.store.getState().setVisible([], [key]);
  }

  private observe(root: Document | ShadowRoot): void {
    if (this.observedRoots.has(root)) return;
    this.observedRoots.add(root);
    this.mo?.observe(root, { childList: true, subtree: true, characterData: true });
  }

  private enqueue(node: Node | null): void {
    if (!node || this.destroyed) return;
    this.queue.add(node);
    this.schedule();
  }

  private onMutations(records: MutationRecord[]): void {
    for (const r of records) {
      if (r.type === 'characterData') { this.enqueue(r.target.parentNode); continue; }
      if (isOurs(r.target)) continue;
      let relevant = false;
      r.addedNodes.forEach(n => { if (!isOurs(n)) { relevant = true; this.enqueue(n.nodeType === 3 ? n.parentNode : n); } });
      r.removedNodes.forEach(n => { if (!isOurs(n)) relevant = true; });
      // A removed phone leaves its badge behind it: rescan the parent so stale hosts go.
      if (relevant && r.removedNodes.length) this.enqueue(r.target);
    }
  }

  private schedule(): void {
    if (this.scheduled || this.destroyed) return;
    this.scheduled = true;
    requestIdle(d => this.flush(d), { timeout: 200 });
  }

  /**
   * Two phases. Scanning only reads the DOM, so it is sliced into short idle-time chunks. Placing writes,
   * and every write to a big table costs the page a full relayout (seconds for 5,000 rows on a slow
   * machine), so all hosts found are placed together in one write phase, once the queue is drained.
   */
  private flush(deadline: IdleDeadline): void {
    this.scheduled = false;
    if (this.destroyed) return;
    const now = () => globalThis.performance?.now() ?? Date.now();
    const budget = deadline.didTimeout ? CHUNK_MS : Math.max(4, Math.min(CHUNK_MS, deadline.timeRemaining()));
    const end = now() + budget;
    const roots = this.topmost([...this.queue]);
    this.queue.clear();
    let i = 0;
    for (; i < roots.length; i++) {
      if (i > 0 && now() > end) break;
      this.scanned.push({ root: roots[i], hits: this.scan(roots[i]) });
    }
    this.scannedSince ??= now();
    if (i < roots.length && now() - this.scannedSince < MAX_HOLD_MS) {
      for (; i < roots.length; i++) this.queue.add(roots[i]);
      this.schedule();
      return;
    }
    for (; i < roots.length; i++) this.queue.add(roots[i]);
    if (this.queue.size) this.schedule();
    this.commit();
  }

  /** Scans all queued nodes now and places their badges (tests, and callers that cannot wait). */
  flushNow(): void {
    this.flush({ timeRemaining: () => Infinity, didTimeout: false });
    if (this.queue.size) this.flushNow();
  }

  /** Drops queued nodes inside other queued nodes: scanning the ancestor covers them. */
  private topmost(nodes: Node[]): Node[] {
    const set = new Set(nodes.filter(n => n.isConnected));
    return [...set].filter(n => {
      for (let p = n.parentNode; p; p = p.parentNode) if (set.has(p)) return false;
      return true;
    });
  }

  private scan(root: Node): PhoneHit[] {
    if (!('querySelectorAll' in root)) return [];
    return this.opts.adapter.findPhones(root as ParentNode, {
      defaultCountry: this.opts.defaultCountry(),
      onShadowRoot: r => this.observe(r),
    });
  }

  private commit(): void {
    const batch = this.scanned;
    this.scanned = [];
    this.scannedSince = null;
    const fresh = new Set<string>();
    for (const { root, hits } of batch) {
      if (!root.isConnected) continue;
      const wanted = new Map<Node, Set<string>>();
      for (const hit of hits) {
        const set = wanted.get(hit.anchor) ?? new Set();
        set.add(hit.phone);
        wanted.set(hit.anchor, set);
      }
      // Hosts of this root (inside it, or right after it when the root is the phone's own element) whose
      // phone is no longer next to them go: the page changed the number.
      const candidates: Element[] = [...(root as ParentNode).querySelectorAll(BADGE_TAG)];
      for (let n = root.nextSibling; n && isHost(n); n = n.nextSibling) candidates.push(n as Element);
      for (const el of candidates) {
        const info = this.hosts.get(el as HTMLElement);
        if (info && !wanted.get(info.anchor)?.has(info.phone)) this.remove(info);
      }
      for (const hit of hits) {
        if (!hit.anchor.isConnected || this.hasHost(hit)) continue;
        if (!this.byPhone.has(hit.phone)) fresh.add(hit.phone);
        this.place(hit);
      }
    }
    this.sweep();
    if (fresh.size) this.opts.onNewPhones([...fresh]);
  }

  private hasHost(hit: PhoneHit): boolean {
    for (let n = hit.anchor.nextSibling; n && isHost(n); n = n.nextSibling) {
      const info = this.hosts.get(n as HTMLElement);
      if (info && info.phone === hit.phone && info.anchor === hit.anchor) return true;
    }
    return false;
  }

  private place(hit: PhoneHit): void {
    const parent = hit.anchor.parentNode;
    if (!parent) return;
    const { doc, sheet, store } = this.opts;
    const host = doc.createElement(BADGE_TAG);
    const status: BadgeStatus = store.getState().badges[hit.phone]?.status ?? 'none';
    host.setAttribute('data-phone', hit.phone);
    host.setAttribute('data-status', status);
    const root = host.attachShadow({ mode: 'open' });
    if (typeof sheet === 'string') {
      const style = doc.createElement('style');
      style.textContent = sheet;
      root.append(style);
    } else {
      root.adoptedStyleSheets = [sheet];
    }
    // After the anchor and after badges already placed for it (a text with two numbers gets two).
    let ref: Node = hit.anchor;
    while (ref.nextSibling && isHost(ref.nextSibling) && this.hosts.get(ref.nextSibling as HTMLElement)?.anchor === hit.anchor) ref = ref.nextSibling;
    parent.insertBefore(host, ref.nextSibling);

    const info: HostInfo = { key: this.nextKey++, phone: hit.phone, display: hit.display, host, root, anchor: hit.anchor };
    this.hosts.set(host, info);
    this.byKey.set(info.key, info);
    let set = this.byPhone.get(hit.phone);
    if (!set) this.byPhone.set(hit.phone, (set = new Set()));
    set.add(info);
    if (this.io) this.io.observe(host);
    else this.opts.store.getState().setVisible([info], []); // no IntersectionObserver: render everything
  }

  private remove(info: HostInfo): void {
    this.io?.unobserve(info.host);
    info.host.remove();
    this.hosts.delete(info.host);
    this.byKey.delete(info.key);
    this.intersecting.delete(info.key);
    const set = this.byPhone.get(info.phone);
    set?.delete(info);
    if (set && !set.size) this.byPhone.delete(info.phone);
    const state = this.opts.store.getState();
    if (state.overlay === info.key) state.closeOverlay();
    state.setVisible([], [info.key]);
  }

  /** Hosts the page threw away (a re-rendered row) are forgotten. */
  private sweep(): void {
    for (const info of this.hosts.values()) if (!info.host.isConnected) this.remove(info);
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    const show: RenderedHost[] = [];
    const hide: number[] = [];
    for (const e of entries) {
      const info = this.hosts.get(e.target as HTMLElement);
      if (!info) continue;
      if (e.isIntersecting) { this.intersecting.add(info.key); show.push(info); }
      else { this.intersecting.delete(info.key); hide.push(info.key); }
    }
    this.opts.store.getState().setVisible(show, hide);
  }

  private setStatus(phone: string, status: BadgeStatus): void {
    for (const info of this.byPhone.get(phone) ?? []) {
      if (info.host.getAttribute('data-status') !== status) info.host.setAttribute('data-status', status);
    }
  }
}

function isHost(n: Node): boolean {
  return n.nodeType === 1 && (n as Element).localName === BADGE_TAG;
}

/** Our own nodes: badge hosts, the React root's container and the thread overlay. */
const OURS = new Set([BADGE_TAG, 'texttrail-root', 'texttrail-overlay']);
function isOurs(n: Node): boolean {
  return n.nodeType === 1 && OURS.has((n as Element).localName);
}
