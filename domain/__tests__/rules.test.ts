import { describe, expect, it } from 'vitest';
import { classifyError, failureReason } from '../errorClass';
import { optOutKeyword } from '../optOut';
import { isQuietHour, nextQuietEnd, recipientTimeZone } from '../quietHours';
import { resendRefusal, type ResendFacts } from '../resend';
import { renderTemplate } from '../templates';
import type { Message } from '../types';

const message = (over: Partial<Message> = {}): Message => ({
  id: 'm1', orgId: 'o', locationId: 'l', threadId: 't', connectionId: 'c', provider: 'twilio', providerMessageId: 'SM1',
  direction: 'outbound', from: '+12125550100', to: '+14155550134', body: 'hi', status: 'undelivered', errorCode: '30003',
  errorClass: 'temporary', stuck: false, attempt: 1, resendOf: null, sentBy: 'ana', scheduledFor: null,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...over,
});
const facts = (over: Partial<ResendFacts> = {}): ResendFacts => ({
  message: message(), contactOptedOut: false, hasResend: false, bodyChanged: false, quietNow: false, schedule: false, ...over,
});

describe('resend refusals, first that applies', () => {
  it('follows the contract order', () => {
    expect(resendRefusal(facts({ message: message({ status: 'delivered', errorClass: null }) }))).toBe('not_failed');
    expect(resendRefusal(facts({ message: message({ status: 'canceled', errorClass: null }) }))).toBe('not_failed');
    expect(resendRefusal(facts({ message: message({ status: 'sent', errorClass: null, stuck: true }) }))).toBe(null);
    expect(resendRefusal(facts({ contactOptedOut: true, message: message({ errorClass: 'permanent' }) }))).toBe('opted_out');
    expect(resendRefusal(facts({ message: message({ errorClass: 'permanent' }), hasResend: true }))).toBe('permanent_error');
    expect(resendRefusal(facts({ message: message({ errorClass: 'filtered' }) }))).toBe('needs_edit');
    expect(resendRefusal(facts({ message: message({ errorClass: 'filtered' }), bodyChanged: true }))).toBe(null);
    expect(resendRefusal(facts({ hasResend: true, message: message({ attempt: 3 }) }))).toBe('already_resent');
    expect(resendRefusal(facts({ message: message({ attempt: 3 }), quietNow: true }))).toBe('max_attempts');
    expect(resendRefusal(facts({ quietNow: true }))).toBe('quiet_hours');
    expect(resendRefusal(facts({ quietNow: true, schedule: true }))).toBe(null);
  });
});

describe('quiet hours', () => {
  const ny = 'America/New_York';
  it('is [21:00, 08:00) local', () => {
    expect(isQuietHour(new Date('2026-06-01T00:59:00Z'), ny)).toBe(false); // 20:59 EDT
    expect(isQuietHour(new Date('2026-06-01T01:00:00Z'), ny)).toBe(true); // 21:00 EDT
    expect(isQuietHour(new Date('2026-06-01T11:59:00Z'), ny)).toBe(true); // 07:59 EDT
    expect(isQuietHour(new Date('2026-06-01T12:00:00Z'), ny)).toBe(false); // 08:00 EDT
  });
  it('ends at the next 08:00 local, across a DST change', () => {
    expect(nextQuietEnd(new Date('2026-06-01T02:00:00Z'), ny).toISOString()).toBe('2026-06-01T12:00:00.000Z');
    expect(nextQuietEnd(new Date('2026-06-01T10:00:00Z'), ny).toISOString()).toBe('2026-06-01T12:00:00.000Z');
    // 22:00 EST on 7 March 2026; DST starts on 8 March, so 08:00 next day is EDT (UTC-4).
    expect(nextQuietEnd(new Date('2026-03-08T03:00:00Z'), ny).toISOString()).toBe('2026-03-08T12:00:00.000Z');
    expect(nextQuietEnd(new Date('2026-01-10T02:00:00Z'), 'Asia/Kolkata').toISOString()).toBe('2026-01-10T02:30:00.000Z');
  });
  it('uses the contact\'s zone, else a one-zone country\'s, else the location\'s', () => {
    expect(recipientTimeZone('Europe/Paris', 'GB', ny)).toBe('Europe/Paris');
    expect(recipientTimeZone(null, 'GB', ny)).toBe('Europe/London');
    expect(recipientTimeZone(null, 'US', 'America/Chicago')).toBe('America/Chicago');
    expect(recipientTimeZone(null, null, 'America/Chicago')).toBe('America/Chicago');
  });
});

describe('small rules', () => {
  it('opt-out words: the whole body, trimmed, any case', () => {
    for (const w of ['STOP', ' stop ', 'StopAll', 'unsubscribe', 'CANCEL', 'end', 'QUIT', 'revoke', 'OPTOUT']) expect(optOutKeyword(w)).toBe('opt_out');
    for (const w of ['START', 'yes', 'Unstop']) expect(optOutKeyword(w)).toBe('opt_in');
    for (const w of ['please stop', 'STOP!', 'no', '']) expect(optOutKeyword(w)).toBe(null);
  });
  it('templates report missing fields and never leave {{braces}}', () => {
    expect(renderTemplate('Hi {{firstName}}, {{ date }}', { firstName: 'Ana', date: 'Mon' })).toEqual({ text: 'Hi Ana, Mon', missing: [] });
    const r = renderTemplate('Hi {{firstName}}', { firstName: '  ' });
    expect(r.missing).toEqual(['firstName']);
    expect(r.text).not.toContain('{{');
  });
  it('classifies Twilio codes and words the reason', () => {
    expect(classifyError('twilio', '30006')).toBe('permanent');
    expect(classifyError('twilio', '30007')).toBe('filtered');
    expect(classifyError('twilio', '21610')).toBe('opted_out');
    expect(classifyError('twilio', '99999')).toBe('unknown');
    expect(failureReason('twilio', '30006', 'permanent')).toBe('landline or unreachable carrier — texting this number cannot work (30006)');
  });
});
