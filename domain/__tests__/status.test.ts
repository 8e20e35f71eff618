import { describe, expect, it } from 'vitest';
import { STATUSES, outranks, type Status } from '../status';

// Folding callbacks the way the store does: keep the highest rank.
const fold = (history: Status[]) => history.reduce<Status>((cur, s) => (outranks(s, cur) ? s : cur), 'queued');

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) { yield items; return; }
  for (let i = 0; i < items.length; i++) {
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) yield [items[i], ...rest];
  }
}

describe('the status ladder', () => {
  it('ranks in the contract order', () => {
    expect(STATUSES).toEqual(['queued', 'sending', 'sent', 'canceled', 'failed', 'undelivered', 'delivered', 'read']);
    expect(outranks('delivered', 'undelivered')).toBe(true);
    expect(outranks('sent', 'failed')).toBe(false);
    expect(outranks('sent', 'sent')).toBe(false);
  });

  it('any order and any repetition of the same callbacks ends in the same state', () => {
    const history: Status[] = ['queued', 'sending', 'sent', 'undelivered', 'sent', 'failed'];
    const results = new Set<Status>();
    for (const p of permutations(history)) results.add(fold(p));
    expect([...results]).toEqual(['undelivered']);
  });
});
