import { describe, expect, it } from 'vitest';
import { noneBadge } from '../../../utils/badges';
import { createPageStore } from '../store';

describe('page store', () => {
  it('mergeBadges reports and stores only real changes', () => {
    const store = createPageStore();
    const a = noneBadge('+1');
    expect(store.getState().mergeBadges({ '+1': a })).toEqual(['+1']);
    const before = store.getState().badges;
    expect(store.getState().mergeBadges({ '+1': { ...a } })).toEqual([]);
    expect(store.getState().badges).toBe(before); // no re-render for an identical push
    expect(store.getState().mergeBadges({ '+1': { ...a, status: 'sent' } })).toEqual(['+1']);
    expect(store.getState().badges['+1'].status).toBe('sent');
  });
});
