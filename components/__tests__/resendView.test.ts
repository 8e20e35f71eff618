// What the resend control says for each case the contract lists, from the client's facts or the server's code.
import { describe, expect, it } from 'vitest';
import { eligibility } from '../../domain/eligibility';
import type { ResendRefusal } from '../../domain/resend';
import type { Me, Message } from '../../domain/types';
import { splitFullName } from '../../domain/contactName';
import { memberName } from '../thread/format';
import { resendView } from '../thread/resendView';

const ME = { id: 'ana', name: 'Ana', role: 'agent', orgId: 'o', orgName: 'O', locations: [], connections: [], templates: [],
  members: [{ id: 'ana', name: 'Ana Alvarez', role: 'agent' }, { id: 'ben', name: 'Ben Brooks', role: 'agent' }] } as Me;
const ZONE = 'America/New_York';
const NOON = new Date('2026-11-20T17:00:00.000Z');
const NIGHT = new Date('2026-11-21T03:30:00.000Z');

function msg(over: Partial<Message> = {}): Message {
  return {
    id: 'm1', orgId: 'o', locationId: 'north', threadId: 't', connectionId: 'c', provider: 'twilio', providerMessageId: 'SM1',
    direction: 'outbound', from: '+12125550100', to: '+14155550003', body: 'Hi', status: 'undelivered', errorCode: '30003',
    errorClass: 'temporary', stuck: false, attempt: 1, resendOf: null, sentBy: 'ana', scheduledFor: null,
    createdAt: '2026-11-20T15:02:00.000Z', updatedAt: '2026-11-20T15:03:00.000Z', ...over,
  };
}

function view(m: Message, opts: { now?: Date; optedOut?: boolean; resend?: Message | null; server?: ResendRefusal | null } = {}) {
  const e = eligibility({ message: m, optedOut: opts.optedOut ?? false, resend: opts.resend ?? null, now: opts.now ?? NOON, zone: ZONE });
  return resendView({ message: m, eligibility: e, serverRefusal: opts.server ?? null, resend: opts.resend ?? null, me: ME, zone: ZONE });
}

describe('resend control wording', () => {
  it('offers the original, an edit or a template for a temporary failure', () => {
    expect(view(msg())).toMatchObject({ offers: ['original', 'edit', 'template'], schedule: null, refusal: null });
  });

  it('offers no resend for a permanent failure, an opt-out or a third attempt, and says why', () => {
    expect(view(msg({ errorCode: '30006', errorClass: 'permanent' }))).toMatchObject({
      offers: [], tone: 'bad', headline: 'No resend: this number cannot receive texts (permanent error)',
    });
    expect(view(msg(), { optedOut: true })?.headline).toBe('No resend: the contact has opted out');
    expect(view(msg({ attempt: 3 }))?.headline).toBe('No resend: this text was already tried three times');
  });

  it('says a text in progress cannot be resent yet, and says nothing under a delivered one', () => {
    expect(view(msg({ status: 'sent', errorCode: null, errorClass: null }))).toMatchObject({ offers: [], tone: 'muted' });
    expect(view(msg({ status: 'sent', errorCode: null, errorClass: null }))?.headline).toMatch(/^Still on its way/);
    expect(view(msg({ status: 'delivered', errorCode: null, errorClass: null }))).toBeNull();
    expect(view(msg({ status: 'sent', stuck: true, errorCode: null, errorClass: null }))?.offers).toEqual(['original', 'edit', 'template']);
  });

  it('opens the edit box for a carrier-filtered text and offers no unchanged resend', () => {
    expect(view(msg({ errorCode: '30007', errorClass: 'filtered' }))).toMatchObject({ openEdit: true, offers: ['edit', 'template'], refusal: 'needs_edit' });
  });

  it('offers to schedule for 08:00 recipient time during quiet hours', () => {
    const v = view(msg(), { now: NIGHT });
    expect(v?.refusal).toBe('quiet_hours');
    expect(v?.schedule?.label).toBe("Schedule for 08:00 (recipient's time, America/New York)");
    expect(v?.schedule?.at.toISOString()).toBe('2026-11-21T13:00:00.000Z');
    // Filtered at night: the edited resend is scheduled too.
    expect(view(msg({ errorClass: 'filtered' }), { now: NIGHT })?.schedule).not.toBeNull();
  });

  it('says who resent and when', () => {
    const resend = msg({ id: 'm2', resendOf: 'm1', attempt: 2, sentBy: 'ben', createdAt: '2026-11-20T15:04:00.000Z', status: 'queued' });
    const v = view(msg(), { resend });
    expect(v?.headline).toMatch(/^Resent by Ben Brooks at \d\d:\d\d$/);
    expect(v?.offers).toEqual([]);
    expect(view(msg(), { resend: { ...resend, sentBy: 'ana' } })?.headline).toMatch(/^You resent it at/);
  });

  it('lets the server\'s refusal win over what the client believed', () => {
    expect(view(msg(), { server: 'quiet_hours' })?.schedule).not.toBeNull();
    expect(view(msg(), { server: 'opted_out' })).toMatchObject({ offers: [], headline: 'No resend: the contact has opted out' });
    expect(view(msg(), { server: 'already_resent' })?.headline).toBe('No resend: this text was already resent');
  });
});

describe('names', () => {
  it('names members, the viewer and strangers', () => {
    expect(memberName(ME, 'ben')).toBe('Ben Brooks');
    expect(memberName(ME, 'ana')).toBe('You');
    expect(memberName(ME, 'zed')).toBe('A teammate');
    expect(memberName(null, null)).toBe('Someone');
  });

  it('splits a contact name into merge fields', () => {
    expect(splitFullName('Maria de la Cruz')).toEqual({ firstName: 'Maria', lastName: 'de la Cruz' });
    expect(splitFullName('Cher')).toEqual({ firstName: 'Cher' });
    expect(splitFullName(null)).toEqual({});
  });
});
