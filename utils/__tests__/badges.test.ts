import { describe, expect, it } from 'vitest';
import { badgeFromMessage, badgeStatusOf, noneBadge, sameBadge } from '../badges';

describe('badges', () => {
  it('a stuck text shows as stuck, never as its raw status', () => {
    expect(badgeStatusOf({ status: 'sent', stuck: true })).toBe('stuck');
    expect(badgeStatusOf({ status: 'queued', stuck: false })).toBe('queued');
  });

  it('no message means none, with the contact facts kept', () => {
    expect(badgeFromMessage('+1', null, { contactName: 'Maria', optedOut: true })).toEqual({ ...noneBadge('+1'), contactName: 'Maria', optedOut: true });
  });

  it('sameBadge compares what the badge shows', () => {
    const a = noneBadge('+1');
    expect(sameBadge(a, { ...a })).toBe(true);
    expect(sameBadge(a, { ...a, status: 'sent' })).toBe(false);
    expect(sameBadge(undefined, a)).toBe(false);
  });
});
