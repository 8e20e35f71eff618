import { describe, expect, it } from 'vitest';
import { noneBadge, type BadgeInfo } from '../../utils/badges';
import { STATUS_LOOK, ago, badgeLabel, badgeTitle, reasonOf } from '../badgeText';

const NOW = Date.parse('2025-03-12T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();
const info = (over: Partial<BadgeInfo>): BadgeInfo => ({ ...noneBadge('+14155550134'), provider: 'simulator', ...over });

describe('badge words', () => {
  it('has a short word for every status', () => {
    expect(Object.values(STATUS_LOOK).map(l => l.word)).toEqual(
      ['No texts', 'Queued', 'Sending', 'Sent', 'Canceled', 'Failed', 'Undelivered', 'Delivered', 'Read', 'Stuck']);
  });

  it('names a delivered badge with its age', () => {
    expect(badgeLabel(info({ status: 'delivered', at: minutesAgo(2) }), NOW)).toBe('Delivered 2 min ago');
    expect(badgeLabel(info({ status: 'sent', at: minutesAgo(0) }), NOW)).toBe('Sent just now');
    expect(badgeLabel(info({ status: 'read', at: minutesAgo(150) }), NOW)).toBe('Read 2 h ago');
  });

  it('names a failure with its plain-words reason and code', () => {
    const landline = info({ status: 'undelivered', errorCode: '30006', errorClass: 'permanent' });
    expect(badgeLabel(landline, NOW)).toBe('Undelivered: landline or unreachable carrier — texting this number cannot work (30006)');
    expect(reasonOf(landline)).toContain('landline');
    expect(badgeTitle(landline, NOW)).toContain('landline');
    const optedOut = info({ status: 'failed', errorCode: '21610', errorClass: 'opted_out' });
    expect(badgeLabel(optedOut, NOW)).toMatch(/^Failed: .*\(21610\)$/);
    const unknownCode = info({ status: 'failed', errorCode: '99999', errorClass: 'unknown' });
    expect(badgeLabel(unknownCode, NOW)).toBe('Failed: the carrier gave no usable reason (99999)');
  });

  it('says stuck without calling it a failure, and none plainly', () => {
    expect(badgeLabel(info({ status: 'stuck', at: minutesAgo(70) }), NOW)).toBe('Stuck: no delivery report, last change 1 h ago');
    expect(reasonOf(info({ status: 'stuck' }))).toBeNull();
    expect(badgeLabel(info({ status: 'none' }), NOW)).toBe('No texts yet');
    expect(badgeLabel(undefined, NOW)).toBe('Text status loading');
  });

  it('mentions an opt-out in the tooltip', () => {
    expect(badgeTitle(info({ status: 'delivered', at: minutesAgo(1), optedOut: true }), NOW)).toContain('opted out');
  });

  it('ago', () => {
    expect(ago(null, NOW)).toBe('');
    expect(ago(minutesAgo(59), NOW)).toBe('59 min ago');
    expect(ago(minutesAgo(60 * 30), NOW)).toBe('yesterday');
    expect(ago(minutesAgo(60 * 24 * 3), NOW)).toBe('3 days ago');
    expect(ago('2025-01-02T12:00:00.000Z', NOW)).toBe('on Jan 2, 2025');
  });
});
