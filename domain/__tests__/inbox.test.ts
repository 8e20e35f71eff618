// The pure rules behind the inbox: status trails, failure spikes, delivery figures, resend eligibility.
import { describe, expect, it } from 'vitest';
import { canOvercome, eligibility } from '../eligibility';
import { detectSpikes, type FailureEvent } from '../spike';
import { deliveryRate, failureMix, sumDays, type DayStats } from '../stats';
import { mergeSteps, stepsOf } from '../trail';
import type { Message } from '../types';

function msg(over: Partial<Message> = {}): Message {
  return {
    id: 'm1', orgId: 'o', locationId: 'north', threadId: 't1', connectionId: 'c', provider: 'twilio', providerMessageId: 'SM1',
    direction: 'outbound', from: '+12125550100', to: '+14155550003', body: 'Hi', status: 'queued', errorCode: null, errorClass: null,
    stuck: false, attempt: 1, resendOf: null, sentBy: 'ana', scheduledFor: null,
    createdAt: '2026-11-20T15:02:00.000Z', updatedAt: '2026-11-20T15:02:00.000Z', ...over,
  };
}

describe('status trail', () => {
  it('gives one step per status, earliest time, whatever the order and repetition of snapshots', () => {
    const sent = msg({ status: 'sent', updatedAt: '2026-11-20T15:02:05.000Z' });
    const undelivered = msg({ status: 'undelivered', errorCode: '30003', errorClass: 'temporary', updatedAt: '2026-11-20T15:03:10.000Z' });
    const lateCopy = { ...undelivered, updatedAt: '2026-11-20T15:09:00.000Z' };
    const forward = [msg(), sent, undelivered].reduce((acc, m) => mergeSteps(acc, stepsOf(m)), [] as ReturnType<typeof stepsOf>);
    const shuffled = [lateCopy, undelivered, sent, undelivered, msg()].reduce((acc, m) => mergeSteps(acc, stepsOf(m)), [] as ReturnType<typeof stepsOf>);
    expect(shuffled).toEqual(forward);
    expect(forward.map(s => [s.step, s.at.slice(11, 19), s.errorCode])).toEqual([
      ['queued', '15:02:00', null], ['sent', '15:02:05', null], ['undelivered', '15:03:10', '30003'],
    ]);
  });

  it('knows the queued step from the creation time even when the first snapshot seen is later', () => {
    expect(stepsOf(msg({ status: 'delivered', updatedAt: '2026-11-20T15:04:00.000Z' })).map(s => s.step)).toEqual(['queued', 'delivered']);
  });

  it('records stuck as its own step, and inbound texts as they arrived', () => {
    expect(stepsOf(msg({ status: 'sent', stuck: true, updatedAt: '2026-11-20T16:05:00.000Z' })).map(s => s.step)).toEqual(['queued', 'stuck']);
    expect(stepsOf(msg({ direction: 'inbound', status: 'delivered' })).map(s => s.step)).toEqual(['delivered']);
  });
});

describe('failure spikes', () => {
  const at = (min: number) => new Date(Date.UTC(2026, 10, 20, 15, min)).toISOString();
  const now = Date.UTC(2026, 10, 20, 15, 12);
  const ev = (id: string, min: number, errorClass: FailureEvent['errorClass'] = 'filtered', locationId = 'north'): FailureEvent =>
    ({ messageId: id, locationId, errorClass, at: at(min) });

  it('fires at three filtered failures of one location within ten minutes', () => {
    expect(detectSpikes([ev('a', 3), ev('b', 5)], now)).toEqual([]);
    const spikes = detectSpikes([ev('a', 3), ev('b', 5), ev('c', 11)], now);
    expect(spikes).toEqual([{ locationId: 'north', errorClass: 'filtered', count: 3, windowMs: 600_000, latest: at(11) }]);
  });

  it('counts a text once, ignores old failures, other classes and other locations', () => {
    expect(detectSpikes([ev('a', 3), ev('a', 4), ev('b', 5)], now)).toEqual([]);
    expect(detectSpikes([ev('old', 1), ev('b', 5), ev('c', 6)], now)).toEqual([]);
    expect(detectSpikes([ev('a', 3, 'temporary'), ev('b', 5), ev('c', 6)], now)).toEqual([]);
    expect(detectSpikes([ev('a', 3, 'filtered', 'south'), ev('b', 5), ev('c', 6)], now)).toEqual([]);
  });

  it('fires on many failures of any class, unless a class spike already names the location', () => {
    const many = Array.from({ length: 10 }, (_, i) => ev(`t${i}`, 3 + (i % 8), 'temporary', 'south'));
    expect(detectSpikes(many, now)).toMatchObject([{ locationId: 'south', errorClass: 'any', count: 10 }]);
    const both = [...many.map(e => ({ ...e, locationId: 'north' })), ev('f1', 4), ev('f2', 5), ev('f3', 6)];
    expect(detectSpikes(both, now).map(s => s.errorClass)).toEqual(['filtered']);
  });
});

describe('delivery figures', () => {
  const day = (over: Partial<DayStats>): DayStats => ({
    date: '2026-11-20', total: 0, delivered: 0, failed: 0, undelivered: 0, stuck: 0,
    byErrorClass: { temporary: 0, permanent: 0, opted_out: 0, filtered: 0, unknown: 0 }, ...over,
  });

  it('rates delivered against settled texts, never against texts still on their way', () => {
    expect(deliveryRate(day({ total: 10, delivered: 6, undelivered: 2 }))).toBe(0.75);
    expect(deliveryRate(day({ total: 4 }))).toBeNull();
  });

  it('sums days and orders the failure mix, leaving out classes that never happened', () => {
    const total = sumDays([
      day({ total: 5, delivered: 3, undelivered: 2, byErrorClass: { temporary: 1, permanent: 1, opted_out: 0, filtered: 0, unknown: 0 } }),
      day({ total: 4, delivered: 1, failed: 3, byErrorClass: { temporary: 0, permanent: 0, opted_out: 0, filtered: 3, unknown: 0 } }),
    ]);
    expect(total).toMatchObject({ total: 9, delivered: 4, failed: 3, undelivered: 2 });
    expect(failureMix(total.byErrorClass)).toEqual([
      { errorClass: 'filtered', count: 3, share: 0.6 },
      { errorClass: 'temporary', count: 1, share: 0.2 },
      { errorClass: 'permanent', count: 1, share: 0.2 },
    ]);
  });
});

describe('resend eligibility', () => {
  const noon = new Date('2026-11-20T17:00:00.000Z'); // 12:00 in New York
  const night = new Date('2026-11-21T03:30:00.000Z'); // 22:30 in New York
  const failed = msg({ status: 'undelivered', errorCode: '30003', errorClass: 'temporary' });
  const zone = 'America/New_York';

  it('allows a temporary failure by day, and offers to schedule it at night for 08:00 recipient time', () => {
    expect(eligibility({ message: failed, optedOut: false, resend: null, now: noon, zone })).toEqual({ refusal: null, editedRefusal: null, scheduleAt: null });
    const e = eligibility({ message: failed, optedOut: false, resend: null, now: night, zone });
    expect(e.refusal).toBe('quiet_hours');
    expect(e.scheduleAt?.toISOString()).toBe('2026-11-21T13:00:00.000Z');
    expect(canOvercome(e.refusal)).toBe(true);
  });

  it('leaves quiet hours to the server when the zone is unknown', () => {
    expect(eligibility({ message: failed, optedOut: false, resend: null, now: night, zone: null }).refusal).toBeNull();
  });

  it('asks for an edit on a filtered text, and refuses permanent errors, opt-outs, repeats and text in progress', () => {
    const filtered = eligibility({ message: msg({ status: 'undelivered', errorCode: '30007', errorClass: 'filtered' }), optedOut: false, resend: null, now: noon, zone });
    expect([filtered.refusal, filtered.editedRefusal]).toEqual(['needs_edit', null]);
    const refusalOf = (m: Message, over: { optedOut?: boolean; resend?: Message | null } = {}) =>
      eligibility({ message: m, optedOut: over.optedOut ?? false, resend: over.resend ?? null, now: noon, zone }).refusal;
    expect(refusalOf(msg({ status: 'undelivered', errorCode: '30006', errorClass: 'permanent' }))).toBe('permanent_error');
    expect(refusalOf(failed, { optedOut: true })).toBe('opted_out');
    expect(refusalOf(failed, { resend: msg({ id: 'm2', resendOf: 'm1', attempt: 2 }) })).toBe('already_resent');
    expect(refusalOf({ ...failed, attempt: 3 })).toBe('max_attempts');
    expect(refusalOf(msg({ status: 'sent' }))).toBe('not_failed');
    expect(refusalOf(msg({ status: 'sent', stuck: true }))).toBeNull();
    expect(canOvercome('permanent_error')).toBe(false);
  });
});
