import { describe, expect, it } from 'vitest';
import { noneBadge } from '../../../utils/badges';
import { createPageStore } from '../store';

describe('page store', () => {
  it('mergeBadges stores and announces only real changes', () => {
    const store = createPageStore();
    const seen: { changed: readonly string[]; version: number }[] = [];
    store.subscribe(s => seen.push({ changed: s.changed, version: s.badgesVersion }));
    const a = noneBadge('+1');
    expect(store.getState().mergeBadges({ '+1': a, '+2': noneBadge('+2') })).toEqual(['+1', '+2']);
    expect(store.getState().mergeBadges({ '+1': { ...a } })).toEqual([]);
    expect(seen).toEqual([{ changed: ['+1', '+2'], version: 1 }]); // no notification for an identical push
    expect(store.getState().mergeBadges({ '+1': { ...a, status: 'sent' }, '+2': noneBadge('+2') })).toEqual(['+1']);
    expect(store.getState().badges['+1'].status).toBe('sent');
    expect(seen.at(-1)).toEqual({ changed: ['+1'], version: 2 });
  });

  it('a merge leaves the clock alone: only tick() moves it', () => {
    const store = createPageStore();
    const before = store.getState().now;
    store.getState().mergeBadges({ '+1': noneBadge('+1') });
    expect(store.getState().now).toBe(before);
    store.getState().tick(before + 30_000);
    expect(store.getState().now).toBe(before + 30_000);
  });
});
