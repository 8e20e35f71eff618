// Places badge hosts in the page and keeps them right as the page changes. Built for CRM lists of
// thousands of rows (docs/benchmarks-page.md has the figures):
//
// - While the document loads, what the parser added is scanned right before each frame (requestAnimation-
//   Frame, in document order from a cursor) and at DOMContentLoaded: our hosts join the layout the page
//   does anyway for its new rows. No subtree MutationObserver then: the parser makes one record per node.
//   The thousands of rows a long list's last parser task delivers get their badges where the rows before
//   them kept their phones (rowShape.ts); once that shape is known and the first screen is badged, the
//   loading frames leave the list's rows to DOMContentLoaded. Those badges are a guess until a whole scan
//   of the row confirms them (guesses.ts): a guessed row is scanned whole when it comes near the viewport,
//   right before its pill renders (confirmNear).
//   What DOMContentLoaded reads is written partly in its own task, within a budget (placeRead), and the
//   rest in the next frame callback (placeParsed): both before that frame lays the rows out, and neither
//   task holds a long list's whole placement.
// - After that, what the page adds is scanned in the same task, inside the MutationObserver callback,
//   within a small time budget, for the same reason: a badge added later, alone, makes the browser lay out
//   the whole table again (for 5,000 rows, hundreds of milliseconds each time).
// - Work over a budget goes to idle callbacks in short read-only slices, rows in view first; the hosts it
//   finds are placed in one write when it is done (one layout instead of one per slice), except that rows
//   in view are placed at once.
// - A host comes with its fixed, size-contained box and its shadow root and pill, in their loading look
//   (one deep clone of a prototype, badgeView.ts). Rendering a pill, or changing its status, rewrites its
//   attributes and its background image: paint alone, no layout. (Content added to a pill later cost the
//   5,000-row table a layout and ~100 ms of paint-property work per frame, docs/benchmarks-page.md.)
// - A host renders its pill only when it comes within a screen of the viewport (IntersectionObserver); a
//   status change touches only the hosts of that phone. Rows the page scrolls to render their pills in the
//   scroll event itself, so they show in the same frame as the rows (the observer reports only after that
//   frame: one more 50 ms+ frame). Pills far from view keep their loading look: their names and tooltips
//   are written only when they come near, and the clock's refresh covers rendered pills only.
// - Everything belongs to a view: a route change in a single-page app aborts the view's pending work and
//   listeners (AbortSignal) and rescans; hosts whose phone left the page go with it.
import { BADGE_TAG, isBadgeHost, pageShadowRoot, phonesAt, type CrmAdapter, type PhoneHit } from '../../adapters';
import type { CountryCode } from '../../adapters/phones';
import type { BadgeStatus } from '../../domain/status';
import { cloneHost, hostPrototype, pillOf, pillPainter, renderPill, wireHost, type PillPainter } from './badgeView';
import { Guesses } from './guesses';
import { RowShape } from './rowShape';
import { firstWhere } from './search';
import type { PageStore, RenderedHost } from './store';

export interface MounterOptions {
  doc: Document;
  adapter: CrmAdapter;
  store: PageStore;
  defaultCountry: () => CountryCode;
  /** Phones that appeared on the page for the first time. */
  onNewPhones: (phones: string[]) => void;
  /** A badge was activated (click, Enter, Space); `focusBadge` gives focus back to it. */
  onActivate?: (entry: RenderedHost, focusBadge: () => void) => void;
  /** Render pills this far outside the viewport too, so scrolling shows them ready. */
  rootMargin?: string;
  /** Synchronous scanning allowed per mutation batch, ms, before the rest waits for idle time. */
  syncBudgetMs?: number;
}

export interface HostInfo extends RenderedHost {
  anchor: Node;
  source: Node;
  rendered: boolean;
}

/** Longest idle slice: short enough that typing and scrolling stay smooth while a long list is scanned. */
const SLICE_MS = 8;
/**
 * Our share of the parser's last task, reads and writes: what DOMContentLoaded read is placed in that task
 * until this much has gone, the rest in the next frame callback. Both run before the frame lays out the
 * rows, so every host joins that layout, and neither task holds all of a long list's placement.
 */
const DCL_BUDGET_MS = 30;
/** Hosts placed between two looks at the clock while DOMContentLoaded places what it read. */
const PLACE_CHUNK = 256;
/** Scanned hosts wait at most this long for the rest of a long scan before they are placed anyway. */
const MAX_HOLD_MS = 1_500;
/** While the page loads, this many first hosts render at once (about two screens of list rows). */
const EAGER_PILLS = 40;
/** Up to this many rendered pills are refreshed at once when the clock or the connection moves; more wait for idle time. */
const REFRESH_AT_ONCE = 64;
/** At most this many hosts are looked at per scroll event (a screen of list rows is a few dozen). */
const MAX_RENDER_ON_SCROLL = 200;
/** A change of more elements than this is scanned at once, whatever it costs (see onMutations). */
const BIG_CHANGE_ELEMENTS = 2_000;
/** An initial scan splits the page into pieces of about this many elements, so slices stay short. */
const PIECE_ELEMENTS = 300;

interface Piece {
  node: Node;
  /** Scanned before: hosts whose phone is no longer found in it go. */
  rescan: boolean;
  /** In view when queued: placed as soon as it is scanned. */
  inView?: boolean;
}

/** What a scan read under `root`, to place later; `placed` is told of each host placed for it. */
interface ReadHits { root: Node; hits: PhoneHit[]; placed?: (info: HostInfo) => void }

type IdleDeadline = { timeRemaining(): number; didTimeout: boolean };
type RequestIdle = (cb: (d: IdleDeadline) => void, opts: { timeout: number }) => number;

const now = () => globalThis.performance?.now() ?? Date.now();

/** How long one idle slice may run: what the browser offers, at most SLICE_MS (SLICE_MS when overdue). */
const sliceMs = (d: IdleDeadline) => (d.didTimeout ? SLICE_MS : Math.max(2, Math.min(SLICE_MS, d.timeRemaining())));

/** The first index in 0..length-1 for which `before` is false (the last if none); `before` must hold for a prefix. */
function firstNotBefore(length: number, before: (i: number) => boolean): number {
  return Math.max(0, Math.min(length - 1, firstWhere(length, i => !before(i))));
}

export class BadgeMounter {
  private readonly hosts = new Map<HTMLElement, HostInfo>();
  private readonly byKey = new Map<number, HostInfo>();
  private readonly byPhone = new Map<string, Set<HostInfo>>();
  private readonly bySource = new Map<Node, Set<HostInfo>>();
  private readonly observedRoots = new WeakSet<Node>();
  private readonly scannedPieces = new WeakSet<Node>();
  /** Pieces waiting for idle time, in the order they will be scanned. */
  private queue: Piece[] = [];
  private queued = new Set<Node>();
  /** Scanned in idle time, placed together when the queue is drained (one layout for all of them). */
  private held: { piece: Piece; hits: PhoneHit[] }[] = [];
  private heldSince: number | null = null;
  /** While the document loads: the last piece scanned, in document order (null: none yet). */
  private cursor: Node | null = null;
  /** Where the list being parsed keeps its phones, learned from its rows (rowShape.ts). */
  private readonly rowShape = new RowShape();
  /** Hosts placed from their list's shape, not yet confirmed; the rows DOMContentLoaded guessed, still to hand to idle slices. */
  private guesses: Guesses<HostInfo> | null = null;
  private loading = false;
  /** Read at DOMContentLoaded, placed in the next frame callback (placeParsed); null once placed. */
  private toPlace: ReadHits[] | null = null;
  /** The page's changes reported before then: handled right after (they may touch what was read). */
  private changesBeforePlacing: MutationRecord[] = [];
  /** True while placeParsed places them: like the loading scan, in document order, observed later. */
  private placingParsed = false;
  /** Every root the MutationObserver watches (the document, open shadow roots), to watch again after placeParsed. */
  private observedList: WeakRef<Document | ShadowRoot>[] = [];
  /** Rendered hosts to bring up to date in idle time (refreshRendered). */
  private toRefresh: HostInfo[] = [];
  private refreshScheduled = false;
  private rescanAfterLoad = false;
  private nextKey = 1;
  private prototypeHost: HTMLElement | null = null;
  private paint: PillPainter | null = null;
  /** The badge focused from the keyboard, which draws its focus ring. */
  private ringKey: number | null = null;
  /** Pills rendered at placement while the page loads (EAGER_PILLS). */
  private eagerPills = 0;
  private scheduled = false;
  private destroyed = false;
  private needsSweep = false;
  private io: IntersectionObserver | null = null;
  private mo: MutationObserver | null = null;
  private unsubscribe: (() => void) | null = null;
  /** The current view's lifetime: a route change or destroy() aborts it. */
  private view = new AbortController();
  /** The mounter's lifetime (destroy() aborts it). */
  private readonly life = new AbortController();
  /** Hosts in document order: for a list, also top-to-bottom order, which the scroll handler binary-searches. */
  private ordered: HostInfo[] = [];
  /** Placed while the page loaded, not yet given to the IntersectionObserver (afterLoad). */
  private unobserved: HostInfo[] = [];
  private orderedHasGone = false;
  private adapter: CrmAdapter;
  private readonly requestIdle: RequestIdle;

  constructor(private readonly opts: MounterOptions) {
    this.adapter = opts.adapter;
    const win = opts.doc.defaultView as (Window & { requestIdleCallback?: RequestIdle }) | null;
    this.requestIdle = win?.requestIdleCallback?.bind(win)
      ?? ((cb: (d: IdleDeadline) => void) => setTimeout(() => cb({ timeRemaining: () => SLICE_MS, didTimeout: true }), 1) as unknown as number);
  }

  init(): void {
    const { doc, store } = this.opts;
    const IO = doc.defaultView?.IntersectionObserver ?? globalThis.IntersectionObserver;
    if (IO) this.io = new IO(entries => this.onIntersect(entries), { rootMargin: this.opts.rootMargin ?? '100% 0px' });
    // Capture: scroll events of inner scrolling lists pass the document on their way down too.
    if (this.io) doc.addEventListener('scroll', () => this.renderInView(), { capture: true, passive: true, signal: this.life.signal });
    // Keyboard focus on a pill: its look draws the focus ring (badgeView.ts). One listener for every badge;
    // focus events from a pill reach the document retargeted to its host.
    doc.addEventListener('focusin', e => this.focusChanged(e.target, true), { capture: true, signal: this.life.signal });
    doc.addEventListener('focusout', e => this.focusChanged(e.target, false), { capture: true, signal: this.life.signal });
    this.mo = new MutationObserver(records => this.onMutations(records));
    this.unsubscribe = store.subscribe((state, prev) => {
      if (state.badgesVersion !== prev.badgesVersion) for (const phone of state.changed) this.refreshPhone(phone);
      if (state.overlay !== prev.overlay) {
        for (const key of [prev.overlay, state.overlay]) { const info = key == null ? null : this.byKey.get(key); if (info) this.render(info); }
      }
      if (state.now !== prev.now || state.connection !== prev.connection) this.refreshRendered();
    });
    if (doc.readyState === 'loading') {
      this.loading = true;
      const win = doc.defaultView;
      const frame = () => {
        if (!this.loading || this.destroyed) return;
        this.scanParsed(false);
        win?.requestAnimationFrame(frame);
      };
      // At once too: started from a frame callback (the content script waits for the first frame), what
      // the parser has added so far joins this very frame.
      frame();
      doc.addEventListener('DOMContentLoaded', () => {
        if (this.destroyed) return;
        const started = now();
        this.scanParsed(true);
        this.placeRead(started + DCL_BUDGET_MS);
        this.loading = false;
        this.observe(doc);
        this.placeBeforeFrame();
      }, { once: true });
    } else {
      this.observe(doc);
      this.scanLater(doc.body ?? doc.documentElement);
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.view.abort();
    this.life.abort();
    this.ordered = [];
    this.unobserved = [];
    this.io?.disconnect();
    this.mo?.disconnect();
    this.unsubscribe?.();
    for (const host of this.hosts.keys()) host.remove();
    this.hosts.clear();
    this.byKey.clear();
    this.byPhone.clear();
    this.bySource.clear();
    this.queue = [];
    this.queued.clear();
    this.held = [];
    this.guesses = null;
    this.toPlace = null;
    this.changesBeforePlacing = [];
    this.toRefresh = [];
  }

  /**
   * A single-page app changed its route: the previous view's pending work and listeners stop, the page is
   * scanned again for the new view (the adapter may differ), and hosts whose phone is gone are removed.
   */
  routeChanged(adapter: CrmAdapter = this.adapter): void {
    if (this.destroyed) return;
    this.view.abort();
    this.view = new AbortController();
    this.adapter = adapter;
    this.placeParsed(false);
    this.queue = [];
    this.queued.clear();
    this.commitHeld();
    // The whole page is rescanned below: it confirms or removes the hosts placed from a list's shape too.
    this.guesses = null;
    // Hosts of content that left go now; the others keep working in the new view (their listeners
    // belong to the view), until the rescan says whether their phone is still there.
    this.sweep();
    for (const info of this.hosts.values()) {
      if (info.rendered) wireHost(info.host, () => this.activate(info), this.view.signal);
    }
    this.scanLater(this.opts.doc.body ?? this.opts.doc.documentElement);
  }

  /** Scans the whole page again (the default country changed). */
  rescanAll(): void {
    // While the parser runs, what is left is scanned with the new country; the rest once it is done.
    if (this.loading) { this.rescanAfterLoad = true; return; }
    this.scanLater(this.opts.doc.body ?? this.opts.doc.documentElement);
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

  /** After the overlay closes: nothing to undo (a rendered pill stays rendered). Kept for the thread opener. */
  overlayClosed(_key: number): void {}

  /** Scans everything queued now (tests, and callers that cannot wait). */
  flushNow(): void {
    if (this.loading) { this.scanParsed(true); this.loading = false; this.observe(this.opts.doc); }
    this.placeParsed(false);
    while ((this.queue.length || this.idleRowsLeft()) && !this.destroyed) this.runSlice(Infinity);
    this.commitHeld();
    // Guessed rows not yet near view too: everything a whole scan would find, now.
    if (this.guesses) this.confirmNear(this.guesses.all());
    if (this.needsSweep) this.sweep();
  }

  // ---- scanning ----

  private observe(root: Document | ShadowRoot): void {
    if (this.observedRoots.has(root)) return;
    this.observedRoots.add(root);
    this.observedList.push(new WeakRef(root));
    this.mo?.observe(root, { childList: true, subtree: true, characterData: true });
  }

  /**
   * After DOMContentLoaded: what it read is placed in the next frame callback, which runs before that frame
   * lays out the rows the parser delivered (our hosts join that layout, as in the loading scan). A hidden
   * tab has no frames: placed now; hidden after this, a timer does it.
   */
  private placeBeforeFrame(): void {
    const { doc } = this.opts;
    const win = doc.defaultView;
    if (!win || doc.visibilityState !== 'visible') { this.placeParsed(false); return; }
    win.requestAnimationFrame(() => this.placeParsed(true));
    win.setTimeout(() => this.placeParsed(false), 500);
  }

  /**
   * Places what DOMContentLoaded read, in document order, until `until`: from its own handler, before the
   * MutationObserver watches (nothing comes back), and from placeParsed, all that is left.
   */
  private placeRead(until: number): void {
    const batch = this.toPlace;
    if (!batch) return;
    this.placingParsed = true;
    try {
      while (batch.length && now() < until) {
        const read = batch[0];
        this.commit(read.root, read.hits.splice(0, PLACE_CHUNK), false, read.placed);
        if (!read.hits.length) batch.shift();
      }
    } finally {
      this.placingParsed = false;
    }
  }

  /**
   * Places what DOMContentLoaded read and did not place itself (once; `inFrame`: called from a frame callback). The MutationObserver
   * watches the document by then: the page's changes since (its own DOMContentLoaded handlers, say) are
   * handled right after, where they remove or correct what was read, and it stops watching while our
   * thousands of hosts go in, which would otherwise come back as as many records.
   */
  private placeParsed(inFrame: boolean): void {
    if (!this.toPlace || this.destroyed) return;
    const pageChanges = [...this.changesBeforePlacing, ...(this.mo?.takeRecords() ?? [])];
    this.changesBeforePlacing = [];
    this.mo?.disconnect();
    const placedBefore = this.ordered.length;
    try {
      this.placeRead(Infinity);
    } finally {
      this.toPlace = null;
      this.observedList = this.observedList.filter(ref => {
        const root = ref.deref();
        if (root) this.mo?.observe(root, { childList: true, subtree: true, characterData: true });
        return !!root;
      });
    }
    // Both runs are in document order; together too, unless the page's changes since DOMContentLoaded
    // placed hosts after where these went.
    const [lastBefore, firstPlaced] = [this.ordered[placedBefore - 1], this.ordered[placedBefore]];
    if (lastBefore && firstPlaced && !precedes(lastBefore, firstPlaced)) this.ordered.sort((a, b) => (precedes(a, b) ? -1 : 1));
    if (pageChanges.length) this.onMutations(pageChanges);
    this.afterLoad(inFrame);
    if (this.rescanAfterLoad) this.scanLater(this.opts.doc.body);
  }

  private onMutations(records: MutationRecord[]): void {
    if (this.destroyed) return;
    if (this.toPlace) { this.changesBeforePlacing.push(...records); return; }
    // Added subtrees are new (nothing inside has a host yet); changed texts and removals are rescans of
    // their parent, where hosts may have to go.
    const added = new Set<Node>();
    const rescans = new Set<Node>();
    const gone: Node[] = [];
    for (const r of records) {
      const target = r.target;
      if (r.type === 'characterData') { if (target.parentNode) rescans.add(target.parentNode); continue; }
      if (isOurs(target)) continue;
      let ours = true;
      let removed = false;
      r.addedNodes.forEach(n => { if (!isOurs(n)) { ours = false; added.add(n.nodeType === 1 ? n : target); } });
      r.removedNodes.forEach(n => {
        if (isBadgeHost(n)) gone.push(n); // ours, taken out by the page (our own removals are forgotten already)
        else if (!isOurs(n)) { ours = false; removed = true; gone.push(n); }
      });
      if (ours) continue;
      if (removed) rescans.add(target);
    }
    this.forgetRemoved(gone);
    if (!added.size && !rescans.size && !this.needsSweep) return;
    const pieces: Piece[] = [
      ...this.topmost([...rescans].map(n => this.adapter.scanRootFor(n))).map(node => ({ node, rescan: true })),
      ...this.topmost([...added].map(n => this.adapter.scanRootFor(n))).map(node => ({ node, rescan: this.bySource.size > 0 && this.wasScanned(node) })),
    ];
    // Now: the page just changed and lays out once for its change and our hosts. Within a small budget,
    // unless the page added a lot itself (hundreds of rows): its own layout of them costs several times
    // our scan, and hosts placed later would make it lay them all out again.
    let addedElements = 0;
    for (const n of added) if (n.nodeType === 1) addedElements += 1 + (n as Element).getElementsByTagName('*').length;
    const budget = addedElements > BIG_CHANGE_ELEMENTS ? Infinity : this.opts.syncBudgetMs ?? 6;
    const until = now() + budget;
    let i = 0;
    for (; i < pieces.length && (i === 0 || now() < until); i++) this.commit(pieces[i].node, this.scan(pieces[i].node), pieces[i].rescan);
    if (i < pieces.length) this.enqueue(pieces.slice(i), true);
    if (this.needsSweep) this.sweep();
  }

  /** True when `node` is, or is inside, something scanned before (a moved or re-added subtree). */
  private wasScanned(node: Node): boolean {
    for (let n: Node | null = node; n; n = n.parentNode) if (this.scannedPieces.has(n)) return true;
    return false;
  }

  /**
   * While the document loads: scans the pieces the parser has finished since the last call, in document
   * order. A piece is finished when something follows it (the parser only appends). `final`: all of it.
   */
  private scanParsed(final: boolean): void {
    // What the final scan reads is placed in the next frame callback (placeParsed; empty, it still ends the load).
    const toPlace: ReadHits[] | null = final ? (this.toPlace = []) : null;
    const body = this.opts.doc.body;
    if (!body) return;
    if (toPlace) {
      // The parser's last task delivers the rest at once (on a long list, thousands of rows). Where the
      // rows before showed where the list keeps its phones, its rest is badged there now and each row is
      // scanned whole later (guesses.ts); what follows the list is scanned now.
      const place = (root: Node, hits: PhoneHit[], placed?: (info: HostInfo) => void) => toPlace.push({ root, hits, placed });
      const rest = this.cursor ? this.rowShape.rest(this.cursor) : null;
      if (rest) {
        if (rest.partial) place(rest.partial, this.scan(rest.partial, this.cursor ?? undefined));
        // Whether the list holds any tel: link or phone field is asked here, in the parser's last task, which
        // is long anyway: one query over thousands of rows, which in an idle slice made a long task of its own.
        const fields = this.adapter.anyFieldIn(rest.container as ParentNode);
        const guesses = this.guessesNow();
        const hits = phonesAt(rest.places, { defaultCountry: this.opts.defaultCountry() });
        // Every row guessed: each place of each row held a phone (the idle slices then look at no element row).
        let texts = 0;
        for (let i = 0; i < hits.length; i++) if (i === 0 || hits[i].source !== hits[i - 1].source) texts++;
        guesses.startRows(rest.container, rest.from, fields, rest.everyRow && texts === rest.places.length);
        place(rest.container, hits, info => guesses.add(info, rest.container));
        for (let n = following(rest.container.lastChild ?? rest.container, body); n; n = following(n, body)) place(n, this.scan(n));
        this.schedule();
      } else {
        // Everything after the cursor is one piece, with one query per selector and one walk, instead of a
        // query and a walk per row, whose calls cost more than the matching itself (docs/benchmarks-page.md,
        // session 5). Not marked as scanned (scan's `mark`): the page's later additions inside the body are
        // new pieces, not rescans of it.
        place(body, this.scan(body, this.cursor ?? undefined, false));
      }
      this.cursor = body;
      return;
    }
    const finished = (n: Node) => following(n, body) !== null;
    let next: Node | null = this.cursor ? following(this.cursor, body) : body.firstChild;
    while (next) {
      const n: Node = next;
      if (!finished(n)) {
        // Still being parsed (the table, its body): its finished children are the pieces; a finished
        // element is one piece whatever its size (there is no time budget here, and one query over a big
        // piece costs less than one per row).
        if (n.nodeType !== 1 || !n.firstChild || isOurs(n)) break;
        next = n.firstChild;
        continue;
      }
      // Once the rows before showed where the list keeps its phones and the first screen is badged, the
      // list's other rows wait for DOMContentLoaded, which badges them from that shape in one query per
      // place (rowShape.rest): a loading frame is the page's layout of the rows parsed since the last one,
      // often 40–50 ms here by itself, and a few ms of ours made some of them long tasks (session 9).
      if (this.io && this.eagerPills >= EAGER_PILLS && this.rowShape.knows(n)) break;
      this.cursor = n;
      next = following(n, body);
      if (!worthScanning(n)) continue;
      // No budget: the page is about to lay out these rows, which costs it several times our scan of them.
      const hits = this.scan(n);
      this.commit(n, hits, false);
      this.rowShape.learn(n, hits);
    }
  }

  /** Queues a (big) subtree for idle time, split into pieces, the ones in view first. */
  private scanLater(root: Node | null): void {
    if (!root || this.destroyed) return;
    const rescan = this.bySource.size > 0;
    this.enqueue(this.visibleFirst(this.split(root).map(node => ({ node, rescan }))), false);
  }

  private enqueue(pieces: Piece[], front: boolean): void {
    const fresh = pieces.filter(p => !this.queued.has(p.node));
    fresh.forEach(p => this.queued.add(p.node));
    this.queue = front ? [...fresh, ...this.queue] : [...this.queue, ...fresh];
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.destroyed || (!this.queue.length && !this.idleRowsLeft())) return;
    this.scheduled = true;
    const signal = this.view.signal;
    this.requestIdle(d => {
      this.scheduled = false;
      if (signal.aborted) { this.schedule(); return; }
      this.runSlice(sliceMs(d));
      this.schedule();
    }, { timeout: 100 });
  }

  /** Read-only scanning of queued pieces; pieces in view are placed at once, the rest when the queue is done. */
  private runSlice(budgetMs: number): void {
    // Idle time before the frame after DOMContentLoaded (rare): what it read goes in first.
    this.placeParsed(false);
    const until = now() + budgetMs;
    let done = 0;
    let urgent = false;
    while (this.queue.length && (done === 0 || now() < until)) {
      const piece = this.queue.shift()!;
      this.queued.delete(piece.node);
      if (!piece.node.isConnected) continue;
      this.held.push({ piece, hits: this.scan(piece.node) });
      urgent ||= !!piece.inView;
      done++;
    }
    // Then the rest of the list badged from its shape, row by row: rows holding a guess wait until they come
    // near view (confirmNear); the others (the shape gave them no badge) are scanned whole now. Without an
    // IntersectionObserver every row is scanned here.
    let rowsDone = false;
    while (this.idleRowsLeft() && !this.queue.length && (done === 0 || now() < until)) {
      const g = this.guesses!;
      const next = g.nextRow();
      if (!next) { rowsDone = true; break; }
      const { row, fields } = next;
      if (!worthScanning(row) || (g.lazy && g.holdsGuess(row, host => this.hosts.get(host as HTMLElement)))) continue;
      // A list without tel: links and phone fields (asked at DOMContentLoaded) has its rows' texts looked at alone.
      const hits = this.scan(row, undefined, true, !fields);
      // Hits whose host is there are confirmed now (bookkeeping, no write): on a regular list that is every
      // row, and the one write at the end would otherwise go through thousands of rows in one slice.
      const toPlace = hits.filter(h => !this.confirmGuess(h, g));
      if (toPlace.length) this.held.push({ piece: { node: row, rescan: false }, hits: toPlace });
      done++;
    }
    this.heldSince ??= now();
    if (urgent || rowsDone || !this.queue.length || now() - this.heldSince > MAX_HOLD_MS) this.commitHeld();
    // Every row handed out: guesses left in the eager mode were skipped rows' (the page moved them), checked
    // where they are now; in the lazy one they wait for their rows to come near view.
    if (rowsDone && this.guesses && !this.guesses.lazy) this.confirmNear(this.guesses.all());
    if (this.guesses?.settled) this.guesses = null;
    if (this.needsSweep) this.sweep();
  }

  /** Whether rows of a list badged from its shape are still to be handed to idle slices. */
  private idleRowsLeft(): boolean {
    return !!this.guesses?.rowsLeft;
  }

  private guessesNow(): Guesses<HostInfo> {
    return (this.guesses ??= new Guesses<HostInfo>(!!this.io));
  }

  /**
   * Hosts about to render: those still a guess from their list's shape get their row scanned whole first
   * (~15 µs a row; a screen of rows stays under a millisecond), so what the agent sees is what a whole scan
   * finds. Returns the hosts to render: those given that are still there, and any the scans added.
   */
  private confirmNear(infos: HostInfo[]): HostInfo[] {
    const g = this.guesses;
    if (!g || !infos.some(info => g.has(info))) return infos;
    const added: HostInfo[] = [];
    const done = new Set<Node>();
    for (const info of infos) {
      if (!g.has(info)) continue;
      // Its row, or where its text is now if the page moved it out of the list (detached: it goes).
      const row = g.rowOf(info, info.source) ?? info.source.parentNode;
      if (row && !done.has(row)) { done.add(row); this.confirmRow(row, g.fieldsFor(info), g, added); }
      // Not found by its row's scan (or no row): a place the shape got wrong.
      if (g.delete(info)) this.remove(info);
    }
    if (g.settled) this.guesses = null;
    return [...infos.filter(info => this.hosts.has(info.host)), ...added];
  }

  /** Scans `row` whole: the guesses it finds are confirmed, its other guesses go, what the shape missed is placed (into `added`). */
  private confirmRow(row: Node, fields: boolean, g: Guesses<HostInfo>, added: HostInfo[]): void {
    const hits = this.scan(row, undefined, true, !fields);
    const toPlace = hits.filter(h => !this.confirmGuess(h, g));
    if (row.nodeType === 1) {
      for (const host of [...(row as Element).getElementsByTagName(BADGE_TAG)]) {
        const info = this.hosts.get(host as HTMLElement);
        if (info && g.delete(info)) this.remove(info);
      }
    }
    this.commit(row, toPlace, false, info => added.push(info));
  }

  /** True when the hit's host is there; a guess from its list's shape is then confirmed (the hit is from a whole row's scan). */
  private confirmGuess(hit: PhoneHit, g: Guesses<HostInfo>): boolean {
    const existing = this.hostOf(hit);
    if (existing) g.delete(existing);
    return !!existing;
  }

  private commitHeld(): void {
    const held = this.held;
    this.held = [];
    this.heldSince = null;
    for (const { piece, hits } of held) if (piece.node.isConnected) this.commit(piece.node, hits, piece.rescan);
  }

  /** Splits a subtree into pieces of about PIECE_ELEMENTS elements (a table into its rows). */
  private split(root: Node): Node[] {
    if (root.nodeType !== 1) return [root];
    const out: Node[] = [];
    const visit = (el: Element) => {
      // getElementsByTagName('*').length counts natively; shadow roots are scanned with their hosts.
      if (el.children.length === 0 || el.getElementsByTagName('*').length <= PIECE_ELEMENTS) { out.push(el); return; }
      // Text directly in a big element (between its child elements) is a piece of its own.
      for (const n of el.childNodes) {
        if (n.nodeType === 1) visit(n as Element);
        else if (n.nodeType === 3 && /\d/.test(n.nodeValue ?? '')) out.push(n);
      }
    };
    visit(root as Element);
    return out;
  }

  /** Pieces in view first, marked (the page is laid out by now: reading rectangles is cheap), then document order. */
  private visibleFirst(pieces: Piece[]): Piece[] {
    const win = this.opts.doc.defaultView;
    if (!win || pieces.length < 2) return pieces;
    const height = win.innerHeight || 0;
    const inView: Piece[] = [];
    const rest: Piece[] = [];
    for (const p of pieces) {
      const el = p.node.nodeType === 1 ? (p.node as Element) : p.node.parentElement;
      const box = el && typeof el.getBoundingClientRect === 'function' ? el.getBoundingClientRect() : null;
      if (box && box.bottom > -100 && box.top < height + 100 && (box.width || box.height)) inView.push({ ...p, inView: true });
      else rest.push(p);
    }
    return [...inView, ...rest];
  }

  /** Drops nodes inside other nodes of the list: scanning the ancestor covers them. */
  private topmost(nodes: Node[]): Node[] {
    const set = new Set(nodes.filter(n => n.isConnected));
    return [...set].filter(n => {
      for (let p = n.parentNode; p; p = p.parentNode) if (set.has(p)) return false;
      return true;
    });
  }

  /**
   * `after`: only what follows this node inside `piece` (the rest was scanned before). `mark`: remember the
   * piece as scanned, so that if the page removes and adds it again, it is rescanned (wasScanned).
   */
  private scan(piece: Node, after?: Node, mark = true, noFields = false): PhoneHit[] {
    if (!piece.isConnected || (piece.nodeType !== 3 && !('querySelectorAll' in piece))) return [];
    if (mark) this.scannedPieces.add(piece);
    return this.adapter.findPhones(piece as ParentNode, {
      defaultCountry: this.opts.defaultCountry(),
      onShadowRoot: r => this.observe(r),
      after,
      noFields,
    });
  }

  /**
   * Makes the hosts for `root` match `hits`: hosts whose number was read inside `root` and is no longer
   * found there go (`rescan`: a new subtree has no hosts to lose); hits without a host get one (added to
   * `placed` when given).
   */
  private commit(root: Node, hits: PhoneHit[], rescan: boolean, placed?: (info: HostInfo) => void): void {
    if (rescan && this.bySource.size) {
      const wanted = new Map<Node, Set<string>>();
      for (const h of hits) {
        let set = wanted.get(h.source);
        if (!set) wanted.set(h.source, (set = new Set()));
        set.add(h.phone);
      }
      const drop = (source: Node) => {
        const infos = this.bySource.get(source);
        if (!infos) return;
        for (const info of [...infos]) if (!wanted.get(source)?.has(info.phone) || !info.host.isConnected) this.remove(info);
      };
      if (root.nodeType === 3) drop(root);
      else {
        drop(root);
        const walker = this.opts.doc.createTreeWalker(root, 0x1 | 0x4);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) if (this.bySource.has(n)) drop(n);
      }
    }
    if (!hits.length) return;
    const fresh: string[] = [];
    for (const hit of hits) {
      if (!hit.anchor.parentNode || this.confirmed(hit)) continue;
      if (!this.byPhone.has(hit.phone)) fresh.push(hit.phone);
      const info = this.place(hit);
      if (info) placed?.(info);
    }
    if (fresh.length) this.opts.onNewPhones(fresh.length > 1 ? [...new Set(fresh)] : fresh);
  }

  /** True when the hit's host is there already. */
  private confirmed(hit: PhoneHit): boolean {
    return !!this.hostOf(hit);
  }

  private hostOf(hit: PhoneHit): HostInfo | undefined {
    for (const info of this.bySource.get(hit.source) ?? []) {
      if (info.phone === hit.phone && info.anchor === hit.anchor && info.host.isConnected) return info;
    }
    return undefined;
  }

  private place(hit: PhoneHit): HostInfo | undefined {
    const parent = hit.anchor.parentNode;
    if (!parent) return undefined;
    const { doc, store } = this.opts;
    // A copy of one prototype host: its box comes parsed, with its shadow root and pill (badgeView.ts).
    this.prototypeHost ??= hostPrototype(doc, this.painter());
    const host = cloneHost(this.prototypeHost);
    const status: BadgeStatus = store.getState().badges[hit.phone]?.status ?? 'none';
    host.setAttribute('data-phone', hit.phone);
    if (status !== 'none') host.setAttribute('data-status', status); // the prototype says 'none'
    // After the anchor and after badges already placed for it (a text with two numbers gets two).
    let ref: Node = hit.anchor;
    while (ref.nextSibling && isBadgeHost(ref.nextSibling) && this.hosts.get(ref.nextSibling as HTMLElement)?.anchor === hit.anchor) ref = ref.nextSibling;
    parent.insertBefore(host, ref.nextSibling);

    const info: HostInfo = { key: this.nextKey++, phone: hit.phone, display: hit.display, host, anchor: hit.anchor, source: hit.source, rendered: false };
    this.hosts.set(host, info);
    this.byKey.set(info.key, info);
    let set = this.byPhone.get(hit.phone);
    if (!set) this.byPhone.set(hit.phone, (set = new Set()));
    set.add(info);
    let bySource = this.bySource.get(hit.source);
    if (!bySource) this.bySource.set(hit.source, (bySource = new Set()));
    bySource.add(info);
    const inOrder = this.loading || this.placingParsed;
    if (!this.io || (inOrder && this.eagerPills < EAGER_PILLS)) {
      // No IntersectionObserver: render everything. While the page loads, the first hosts are the rows at
      // the top, in view: rendered now, they show in the frame about to be painted instead of the one after
      // the IntersectionObserver would have reported them.
      this.eagerPills++;
      this.render(info);
    } else if (inOrder) {
      // Observed after load, in idle time (afterLoad): observe() costs ~10 µs a host, and while the page
      // loads our work sits inside its own long parse task. Until then, scrolling renders them (renderInView).
      this.unobserved.push(info);
    } else {
      this.io.observe(host);
    }
    this.addOrdered(info);
    return info;
  }

  /**
   * The document is parsed: once its first frame is laid out, pills in view render (a page restored
   * scrolled down shows rows the first hosts are not for), and the hosts placed while it loaded are handed
   * to the IntersectionObserver in idle slices.
   */
  private afterLoad(inFrame: boolean): void {
    const win = this.opts.doc.defaultView;
    const signal = this.life.signal;
    // A task posted from a frame callback runs after that frame: layout is clean, reading positions is cheap.
    const renderAfterFrame = () => setTimeout(() => { if (!signal.aborted) this.renderInView(); }, 0);
    if (inFrame) renderAfterFrame();
    else win?.requestAnimationFrame(renderAfterFrame);
    const observeSome = (d: IdleDeadline) => {
      if (signal.aborted || !this.io) return;
      const until = now() + sliceMs(d);
      let i = 0;
      for (; i < this.unobserved.length && (i % 64 !== 0 || now() < until); i++) {
        const info = this.unobserved[i];
        if (!info.rendered && this.hosts.has(info.host)) this.io.observe(info.host);
      }
      this.unobserved = this.unobserved.slice(i);
      if (this.unobserved.length) this.requestIdle(observeSome, { timeout: 1_000 });
    };
    if (this.unobserved.length) this.requestIdle(observeSome, { timeout: 1_000 });
  }

  /** Brings rendered pills up to date in idle slices after the clock or the connection moved (refreshRendered). */
  private scheduleRefresh(): void {
    if (this.refreshScheduled || this.destroyed || !this.toRefresh.length) return;
    this.refreshScheduled = true;
    this.requestIdle(d => {
      this.refreshScheduled = false;
      if (this.destroyed) return;
      const until = now() + sliceMs(d);
      let j = 0;
      for (; j < this.toRefresh.length && now() < until; j++) {
        const info = this.toRefresh[j];
        if (info.rendered && this.hosts.has(info.host)) this.render(info);
      }
      this.toRefresh = this.toRefresh.slice(j);
      this.scheduleRefresh();
    }, { timeout: 2_000 });
  }

  /**
   * The clock ticked (relative times in names and tooltips) or the connection changed: every rendered
   * pill is brought up to date. A handful at once; a long list's thousands in idle slices, so the 30 s
   * clock never makes a long task (issue 4: no task over 50 ms).
   */
  private refreshRendered(): void {
    const rendered = [...this.hosts.values()].filter(info => info.rendered);
    if (rendered.length <= REFRESH_AT_ONCE) { rendered.forEach(info => this.render(info)); return; }
    this.toRefresh = rendered;
    this.scheduleRefresh();
  }

  /** Keeps `ordered` in document order: appended while the parser runs (or after the last), else a binary search. */
  private addOrdered(info: HostInfo): void {
    const list = this.ordered;
    if (this.loading || this.placingParsed || !list.length || precedes(list[list.length - 1], info)) { list.push(info); return; }
    list.splice(firstNotBefore(list.length, i => precedes(list[i], info)), 0, info);
  }

  private remove(info: HostInfo): void {
    // A guess that goes some other way than its row's whole scan (the page rewrote its number): the row
    // would no longer come up for that scan near view, so it is scanned whole in idle time.
    const g = this.guesses;
    if (g?.has(info)) {
      // (Its host tells where the row is: the page may have replaced the text the number was read in.)
      const row = g.rowOf(info, info.host) ?? g.rowOf(info, info.source);
      g.delete(info);
      if (g.lazy && row?.isConnected) this.enqueue([{ node: row, rescan: true }], false);
    }
    this.orderedHasGone = true;
    this.io?.unobserve(info.host);
    info.host.remove();
    this.hosts.delete(info.host);
    this.byKey.delete(info.key);
    const set = this.byPhone.get(info.phone);
    set?.delete(info);
    if (set && !set.size) this.byPhone.delete(info.phone);
    const bySource = this.bySource.get(info.source);
    bySource?.delete(info);
    if (bySource && !bySource.size) this.bySource.delete(info.source);
    const state = this.opts.store.getState();
    if (state.overlay === info.key) state.closeOverlay();
  }

  /**
   * Hosts that went with what the page removed (a rewritten text, a re-rendered row), or whose text did, are
   * forgotten. Only the removed subtrees are looked at: the full sweep walks every host, ~2 ms a change on a
   * 5,000-row list, which a page rewriting "updated 1 s ago" paid every second. A removed subtree bigger
   * than the hosts are many, or with open shadow roots inside (a walk does not enter them), gets the sweep.
   */
  private forgetRemoved(nodes: Node[]): void {
    const forget = (n: Node) => {
      const host = isBadgeHost(n) ? this.hosts.get(n as HTMLElement) : undefined;
      if (host) this.remove(host);
      const infos = this.bySource.get(n);
      if (infos) for (const info of [...infos]) this.remove(info);
    };
    for (const n of nodes) {
      if (n.isConnected) continue; // moved, not removed: its hosts moved with it, and the added side rescans it
      forget(n);
      if (n.nodeType !== 1 || isBadgeHost(n) || this.needsSweep) continue;
      if ((n as Element).getElementsByTagName('*').length > this.hosts.size) { this.needsSweep = true; continue; }
      const walker = this.opts.doc.createTreeWalker(n, 0x1 | 0x4 /* SHOW_ELEMENT | SHOW_TEXT */);
      for (let d = walker.nextNode(); d; d = walker.nextNode()) {
        forget(d);
        if (d.nodeType === 1 && pageShadowRoot(d as Element)) { this.needsSweep = true; break; }
      }
    }
  }

  /** Every host whose host or text is no longer in the page is forgotten (after a route change, or a big removal). */
  private sweep(): void {
    this.needsSweep = false;
    for (const info of [...this.hosts.values()]) if (!info.host.isConnected || !info.source.isConnected) this.remove(info);
  }

  // ---- rendering ----

  /**
   * The page scrolled: pills in view render now, in the scroll event, which runs before the frame's style,
   * layout and paint, so they show in the very frame that shows their rows. The IntersectionObserver
   * would report them only after that frame, and they would show a frame later (on a 5,000-row list a
   * frame takes 50 ms or more). Reading positions here is cheap: scrolling does not dirty layout.
   */
  private renderInView(): void {
    if (this.orderedHasGone) {
      this.ordered = this.ordered.filter(info => this.hosts.has(info.host));
      this.orderedHasGone = false;
    }
    const list = this.ordered;
    const height = this.opts.doc.defaultView?.innerHeight ?? 0;
    if (!list.length || !height) return;
    // A little beyond the edges: a row barely in view may have its badge just outside it.
    const margin = height / 4;
    // The first host whose bottom is below the top of the viewport, then on down while in view.
    const lo = firstNotBefore(list.length, i => list[i].host.getBoundingClientRect().bottom < -margin);
    // All positions first, then all renders: a read after a render would lay the page out again each time
    // (measured: ~10 ms a pill on a 5,000-row list, ~400 ms a screen).
    const due: HostInfo[] = [];
    for (let i = lo; i < list.length && i < lo + MAX_RENDER_ON_SCROLL; i++) {
      const info = list[i];
      if (info.host.getBoundingClientRect().top > height + margin) break;
      // (A guess may have rendered at placement, among the first pills: its row is still to be scanned whole.)
      if (!info.rendered || this.guesses?.has(info)) due.push(info);
    }
    for (const info of this.confirmNear(due)) {
      this.io?.unobserve(info.host);
      this.render(info);
    }
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    const due: HostInfo[] = [];
    for (const e of entries) {
      const info = e.isIntersecting ? this.hosts.get(e.target as HTMLElement) : undefined;
      if (info) due.push(info);
    }
    for (const info of this.confirmNear(due)) {
      this.io?.unobserve(info.host);
      this.render(info);
    }
  }

  private focusChanged(target: EventTarget | null, focused: boolean): void {
    const info = target ? this.hosts.get(target as HTMLElement) : undefined;
    if (!info) return;
    this.ringKey = focused && pillOf(info.host)?.matches(':focus-visible') ? info.key : null;
    this.render(info);
  }

  private activate(info: HostInfo): void {
    const state = this.opts.store.getState();
    if (state.overlay === info.key) { state.closeOverlay(); return; }
    this.opts.onActivate?.(info, () => pillOf(info.host)?.focus());
  }

  /** `clock`: the time relative times are written at (the store's clock unless a fresher one is known). */
  private render(info: HostInfo, clock?: number): void {
    const state = this.opts.store.getState();
    if (!info.rendered) {
      info.rendered = true;
      wireHost(info.host, () => this.activate(info), this.view.signal);
    }
    renderPill(info.host, { info: state.badges[info.phone], now: Math.max(state.now, clock ?? 0), expanded: state.overlay === info.key, connection: state.connection, focusRing: this.ringKey === info.key }, this.painter());
  }

  /** Pill looks, drawn once per page (measuring their words needs the page's fonts). */
  private painter(): PillPainter {
    return (this.paint ??= pillPainter(this.opts.doc));
  }

  /** A phone's badge changed: its hosts, and only its hosts, are brought up to date. */
  private refreshPhone(phone: string): void {
    const status = this.opts.store.getState().badges[phone]?.status ?? 'none';
    const clock = Date.now(); // the change just arrived: "just now", not as of the last clock tick
    for (const info of this.byPhone.get(phone) ?? []) {
      if (info.host.getAttribute('data-status') !== status) info.host.setAttribute('data-status', status);
      if (info.rendered) this.render(info, clock);
    }
  }
}

/** Whether host `a` comes before host `b` in document order. */
function precedes(a: HostInfo, b: HostInfo): boolean {
  return !!(a.host.compareDocumentPosition(b.host) & 4 /* FOLLOWING */);
}

/** The node after `n` and its subtree, inside `body`, in document order (null at the end). */
function following(n: Node, body: Node): Node | null {
  for (let a: Node | null = n; a && a !== body; a = a.parentNode) if (a.nextSibling) return a.nextSibling;
  return null;
}

/** A piece the scan must look at: an element not ours, or a text with a digit (between a list's rows, say). */
function worthScanning(n: Node): boolean {
  return n.nodeType === 1 ? !isOurs(n) : n.nodeType === 3 && /\d/.test(n.nodeValue ?? '');
}

/** Our own nodes: badge hosts, the thread overlay, and anything of ours the content script adds. */
const OURS = new Set([BADGE_TAG, 'texttrail-root', 'texttrail-overlay']);
function isOurs(n: Node): boolean {
  return n.nodeType === 1 && OURS.has((n as Element).localName);
}
