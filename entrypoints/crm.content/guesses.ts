// The hosts a long list gets from its rows' shape (rowShape.ts) are a guess until a whole scan of their row
// confirms them: the scan adds what the shape missed (a second number in another column) and takes away
// what it got wrong (a number where the shape says, but hidden).
//
// Where the page has an IntersectionObserver, a guessed row is scanned whole when it comes near the
// viewport, right before its pill renders (the mounter's confirmNear): a screen of rows costs well under a
// millisecond, and a list of thousands that the agent does not scroll through costs nothing more. Scanning
// every guessed row in idle slices instead took about a third of the extension's time on the 5,000-row
// bench page (docs/benchmarks-page.md, session 9). Rows that DOMContentLoaded's shape gave no badge have no
// pill to render: those are scanned whole in idle slices, one after the other (nextRow). Without an
// IntersectionObserver (`lazy` false) every row DOMContentLoaded guessed is scanned that way.
import { BADGE_TAG } from '../../adapters';

export class Guesses<Info> {
  /** Each host placed from its list's shape and not confirmed yet, with the list (its container). */
  private readonly listOf = new Map<Info, Node>();
  /** Lists known to hold no tel: link and no phone field (asked at DOMContentLoaded): their rows' scans skip the queries. */
  private readonly noFields = new WeakSet<Node>();
  /** The rows DOMContentLoaded guessed, to hand to idle slices: the one after `last`, at position `next`. */
  private idle: { container: Node; last: Node | null; next: number; everyRowGuessed: boolean } | null = null;

  constructor(readonly lazy: boolean) {}

  add(info: Info, container: Node): void {
    this.listOf.set(info, container);
  }

  has(info: Info): boolean {
    return this.listOf.has(info);
  }

  /** Forgets a guess (confirmed, or gone); true when it was one. */
  delete(info: Info): boolean {
    return this.listOf.delete(info);
  }

  all(): Info[] {
    return [...this.listOf.keys()];
  }

  /** The row of the guess's list that holds `node` (its host, or its text), or null when it is no longer in that list. */
  rowOf(info: Info, node: Node): Node | null {
    const container = this.listOf.get(info);
    let n: Node | null = node;
    while (n && n.parentNode !== container) n = n.parentNode;
    return n;
  }

  /** Whether a scan of the guess's row must look for tel: links and fields (unless its list is known to have none). */
  fieldsFor(info: Info): boolean {
    const container = this.listOf.get(info);
    return !container || !this.noFields.has(container);
  }

  /**
   * DOMContentLoaded guessed `container`'s rows from position `from` on; `fields`: whether the list holds any tel:
   * link or phone field; `everyRowGuessed`: each of its element rows got a guess for every place of the
   * shape. Those rows go to idle slices one by one (nextRow).
   */
  startRows(container: Node, from: number, fields: boolean, everyRowGuessed: boolean): void {
    if (!fields) this.noFields.add(container);
    this.idle = { container, last: null, next: from, everyRowGuessed };
  }

  /** Whether rows are left for the idle slices. */
  get rowsLeft(): boolean {
    return this.idle !== null;
  }

  /**
   * The next row for the idle slices: the one after the last handed out (a sibling step: indexing the live
   * list of children costs more). When the page took that one out of the list, the row now at its position
   * (rows may be skipped or handed out twice then: a skipped row's guesses are confirmed near view like the
   * others'). Null at the end.
   */
  nextRow(): { row: Node; fields: boolean } | null {
    const idle = this.idle;
    if (!idle) return null;
    const { last, container } = idle;
    const row = last?.parentNode === container ? last.nextSibling : container.childNodes[idle.next] ?? null;
    idle.last = row;
    idle.next++;
    if (!row) { this.idle = null; return null; }
    return { row, fields: !this.noFields.has(container) };
  }

  /**
   * Whether `row` (from nextRow) holds a host that is still a guess: an element row when DOMContentLoaded
   * guessed every one, else asked of its badge hosts (one native query: a row has one or two).
   */
  holdsGuess(row: Node, infoOf: (host: Element) => Info | undefined): boolean {
    if (row.nodeType !== 1) return false;
    if (this.idle?.everyRowGuessed) return true;
    for (const host of (row as Element).getElementsByTagName(BADGE_TAG)) {
      const info = infoOf(host);
      if (info !== undefined && this.listOf.has(info)) return true;
    }
    return false;
  }

  /** Nothing left: every idle row handed out, every guess confirmed or gone. */
  get settled(): boolean {
    return this.idle === null && this.listOf.size === 0;
  }
}
