// Where a long list keeps its phones, learned from the rows scanned while the page loads.
//
// A full scan reads every text of every row, and in a content script's isolated world each node touched
// costs a wrapper object: ~14–25 µs a row on the bench machines. The rows of a list share their shape: once
// STREAK rows in a row kept their phones in the same places (the fourth cell's truncated text, say), the
// loading frames stop there (knows) and DOMContentLoaded badges the rest of the list from those places, with
// one query per place (rest), a few µs a row. In the loading frames, a few ms of ours made some of the
// page's 40–50 ms frames long tasks; at DOMContentLoaded the work joins the parser's last task and the frame
// that first lays out all rows, which are long anyway (docs/benchmarks-page.md, sessions 6 and 9).
// A badge placed this way is a guess until a whole scan of its row confirms it (guesses.ts): that scan adds
// what the shape missed and takes away what it got wrong, so a wrong guess costs nothing but a later badge.
import { isBadgeHost, type KnownPlace, type PhoneHit } from '../../adapters';
import { firstAfter } from './search';

/** Consecutive rows of one list with the same shape before the shape is used. */
const STREAK = 16;
/** Once the shape is known, one row in this many is checked against it while the page loads. */
const CHECK_EVERY = 32;
/** Rows with more phones than this are not learned (a shape is one query per phone). */
const MAX_PHONES_A_ROW = 3;

/** Where one of a row's phones is: its badge's anchor (or the text's parent) and the text under it. */
interface Place {
  /** `:scope > * > …` from the list's container to the element, by element position. */
  selector: string;
  /** Child positions from that element down to the text. */
  textPath: number[];
  /** The badge goes right after the text itself (no clipping wrapper), not after the element. */
  anchorIsText: boolean;
}

export interface RestOfList {
  /** The list's container: its children are the rows. */
  container: Node;
  /** Where the learned shape says the phones of the rows after the cursor are. */
  places: KnownPlace[];
  /** The row the cursor is inside (the parser was filling it when it was scanned), for the rest of it to be scanned. */
  partial: Node | null;
  /** The position in `container.childNodes` of the first row after the cursor's. */
  from: number;
  /** Every element row after the cursor's has a text at each place (each may still hold no phone). */
  everyRow: boolean;
}

export class RowShape {
  private container: Node | null = null;
  private key = '';
  private places: Place[] = [];
  private streak = 0;
  private sinceCheck = 0;

  /** A piece the loading scan just scanned and committed, with what it found. */
  learn(row: Node, hits: readonly PhoneHit[]): void {
    const container = row.parentNode;
    // A row without a number (a contact with no phone) fits any shape: it neither confirms nor breaks one.
    if (row.nodeType !== 1 || !container || (!hits.length && container === this.container)) return;
    // The loading scan takes a row the parser is still filling cell by cell: part of a row of the list being
    // learned teaches nothing about it.
    if (container !== this.container) {
      if (this.streak && this.container?.contains(container)) return;
      this.reset(container);
    } else if (this.streak >= STREAK && ++this.sinceCheck < CHECK_EVERY) return; // known: only sampled
    this.sinceCheck = 0;
    const places = shapeOf(row as Element, hits);
    const key = places ? places.map(p => `${p.selector}/${p.textPath.join('.')}/${p.anchorIsText}`).join(' ') : '';
    if (key && key === this.key) { this.streak++; return; }
    this.key = key;
    this.places = places ?? [];
    this.streak = key ? 1 : 0;
  }

  /** Whether `row` belongs to the list whose shape is known (the rows before it kept their phones alike). */
  knows(row: Node): boolean {
    return this.streak >= STREAK && row.parentNode === this.container;
  }

  /**
   * The places of the phones in the rows after `cursor` (a row of the learned list, or inside one), or null
   * when no shape is known for the cursor's list. Rows shaped otherwise give no place; the later whole scan
   * finds their phones.
   */
  rest(cursor: Node): RestOfList | null {
    const container = this.container;
    if (this.streak < STREAK || !container) return null;
    let row: Node | null = cursor;
    while (row && row.parentNode !== container) row = row.parentNode;
    if (!row) return null;
    const last = row;
    const rows = container.childNodes;
    const from = firstAfter(rows.length, i => rows[i], last);
    // A place's selector matches at most one element a row: as many texts as element rows means one in each.
    const elements = (container as ParentNode).children;
    const rowsAfter = elements.length - firstAfter(elements.length, i => elements[i], last);
    const places: KnownPlace[] = [];
    for (const place of this.places) {
      const found = (container as ParentNode).querySelectorAll(place.selector);
      for (let i = firstAfter(found.length, k => found[k], last); i < found.length; i++) {
        const el = found[i];
        const text = descend(el, place.textPath);
        if (text) places.push({ text, anchor: place.anchorIsText ? text : el });
      }
    }
    return { container, places, partial: last === cursor ? null : last, from, everyRow: places.length === rowsAfter * this.places.length };
  }

  private reset(container: Node): void {
    this.container = container;
    this.key = '';
    this.places = [];
    this.streak = 0;
    this.sinceCheck = 0;
  }
}

/** The places of a row's phones, or null when it has none, too many, or one that is not a plain text's. */
function shapeOf(row: Element, hits: readonly PhoneHit[]): Place[] | null {
  if (!hits.length || hits.length > MAX_PHONES_A_ROW) return null;
  const places: Place[] = [];
  for (const hit of hits) {
    if (hit.kind !== 'text' || hit.source.nodeType !== 3) return null;
    // The badge goes after the text, or after an element around it (a clipping wrapper); anything else
    // (a cell's last child, beside the text) is not learned.
    const anchorIsText = hit.anchor === hit.source;
    const target = anchorIsText ? hit.source.parentElement : hit.anchor;
    if (!target || target.nodeType !== 1 || !row.contains(target) || !target.contains(hit.source)) return null;
    const positions: number[] = [];
    for (let el = target as Element; el !== row; el = el.parentElement!) positions.push(elementPosition(el));
    const textPath: number[] = [];
    for (let n: Node = hit.source; n !== target; n = n.parentNode!) textPath.push(nodePosition(n));
    places.push({ selector: [':scope > *', ...positions.reverse().map(p => `:nth-child(${p})`)].join(' > '), textPath: textPath.reverse(), anchorIsText });
  }
  return places;
}

/** 1-based position among element siblings, as :nth-child counts, our hosts left out (rows not yet badged have none). */
function elementPosition(el: Element): number {
  let p = 1;
  for (let s = el.previousElementSibling; s; s = s.previousElementSibling) if (!isBadgeHost(s)) p++;
  return p;
}

/** 0-based position among all siblings, our hosts left out. */
function nodePosition(n: Node): number {
  let p = 0;
  for (let s = n.previousSibling; s; s = s.previousSibling) if (!isBadgeHost(s)) p++;
  return p;
}

/** The text at `path` under `el` (child positions), or null when the row is shaped otherwise. */
function descend(el: Element, path: readonly number[]): Text | null {
  let n: Node | null = el;
  for (const position of path) {
    n = n.firstChild;
    for (let k = 0; k < position && n; k++) n = n.nextSibling;
    if (!n) return null;
  }
  return n.nodeType === 3 ? (n as Text) : null;
}
