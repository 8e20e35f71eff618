// Binary searches over lists the content script keeps in document order.
import { follows } from '../../adapters';

/** The first index in 0..length-1 for which `holds` is true, `holds` being true for a suffix; `length` if none. */
export function firstWhere(length: number, holds: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first index whose node follows `cursor` (after its subtree), in a list in document order; `length` if none. */
export function firstAfter(length: number, at: (i: number) => Node, cursor: Node): number {
  return firstWhere(length, i => follows(at(i), cursor));
}
