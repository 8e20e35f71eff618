import { describe, expect, it, vi } from 'vitest';
import type { ThreadRow } from '../../../utils/db';
import type { ConnectionStatus } from '../../../utils/connection';
import { Attention, actionLook, needsAttention, newFailures, notificationId, NOTIFY_EVERY_MS, threadOfNotification, type ActionLook, type Notified } from '../attention';
import { message } from './factories';

const NOW = Date.parse('2025-03-12T09:00:00.000Z');
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();

function row(id: string, over: Partial<ThreadRow> = {}, m: Parameters<typeof message>[0] = {}): ThreadRow {
  return {
    id, locationId: 'acme-north', contactPhone: `+1415555${id.padStart(4, '0').slice(-4)}`, contactName: `Contact ${id}`, optedOut: false,
    lastMessage: null, lastOutbound: message({ threadId: id, status: 'undelivered', errorCode: '30003', errorClass: 'temporary', updatedAt: iso(1_000), ...m }), updatedAt: iso(1_000),
    ...over,
  };
}

describe('what needs attention', () => {
  it('is a failed or undelivered newest attempt that can still be acted on', () => {
    expect(needsAttention(row('1'))).toBe(true);
    expect(needsAttention(row('2', {}, { status: 'failed', errorCode: '30006', errorClass: 'permanent' }))).toBe(true);
    expect(needsAttention(row('3', {}, { status: 'delivered', errorCode: null, errorClass: null }))).toBe(false);
    expect(needsAttention(row('4', {}, { status: 'sent', stuck: true }))).toBe(false);
    expect(needsAttention(row('5', {}, { status: 'failed', errorCode: '21610', errorClass: 'opted_out' }))).toBe(false);
    expect(needsAttention(row('6', { optedOut: true }))).toBe(false);
    expect(needsAttention(row('7', { lastOutbound: null }))).toBe(false);
  });

  it('the action icon counts them, and says when the connection is down', () => {
    expect(actionLook(0, 'connected')).toEqual({ text: '', color: '#b42318', title: 'TextTrail' });
    expect(actionLook(3, 'connected')).toEqual({ text: '3', color: '#b42318', title: 'TextTrail — 3 failed texts need attention' });
    expect(actionLook(1, 'connected').title).toBe('TextTrail — 1 failed text needs attention');
    expect(actionLook(250, 'connected').text).toBe('99+');
    expect(actionLook(0, 'reconnecting')).toEqual({ text: '…', color: '#7b8794', title: 'TextTrail — reconnecting…' });
    expect(actionLook(2, 'reconnecting')).toEqual({ text: '2', color: '#7b8794', title: 'TextTrail — reconnecting… · 2 failed texts need attention' });
    expect(actionLook(2, 'token_refused').text).toBe('!');
  });
});

describe('notifications for new failures', () => {
  it('one per conversation per 10 minutes, only for failures just learnt of', () => {
    const fresh = row('1');
    const old = row('2', {}, { updatedAt: iso(3 * 3_600_000) }); // a catch-up after hours offline
    const first = newFailures([fresh, old], {}, NOW);
    expect(first.notify.map(t => t.id)).toEqual(['1']);
    // The same failure again (a repeated callback, a restarted worker): nothing.
    expect(newFailures([fresh], first.notified, NOW + 1_000).notify).toEqual([]);
    // A new failure in the same conversation 5 minutes later (the resend failed too): still nothing.
    const again = row('1', {}, { id: 'msg_resend', updatedAt: new Date(NOW + 300_000).toISOString() });
    expect(newFailures([again], first.notified, NOW + 300_000).notify).toEqual([]);
    // After 10 minutes it is news again.
    const later = row('1', {}, { id: 'msg_resend2', updatedAt: new Date(NOW + NOTIFY_EVERY_MS + 1_000).toISOString() });
    expect(newFailures([later], first.notified, NOW + NOTIFY_EVERY_MS + 1_000).notify.map(t => t.id)).toEqual(['1']);
  });

  it('forgets conversations notified long ago, so the record stays small', () => {
    const notified: Notified = { a: { at: NOW - 2 * NOTIFY_EVERY_MS, messageId: 'x' }, b: { at: NOW - 1_000, messageId: 'y' } };
    expect(Object.keys(newFailures([], notified, NOW).notified)).toEqual(['b']);
  });

  it('names the conversation in the notification id', () => {
    const id = notificationId({ id: 'thr_1', contactPhone: '+14155550134' });
    expect(threadOfNotification(id)).toEqual({ threadId: 'thr_1', phone: '+14155550134' });
    expect(threadOfNotification('something-else')).toBeNull();
  });
});

describe('Attention', () => {
  function setup(threads: ThreadRow[], status: ConnectionStatus = 'connected') {
    let notified: Notified = {};
    const looks: ActionLook[] = [];
    const sent: { id: string; title: string; message: string }[] = [];
    const deps = {
      threads: vi.fn(async () => threads),
      countNeedingAttention: async () => threads.filter(needsAttention).length,
      connectionStatus: async () => status,
      setAction: async (l: ActionLook) => { looks.push(l); },
      readNotified: async () => notified,
      writeNotified: async (n: Notified) => { notified = n; },
      notify: async (id: string, title: string, message: string) => { sent.push({ id, title, message }); },
      reason: () => 'handset unreachable (30003)',
      now: () => NOW,
    };
    return { attention: new Attention(deps, 5), looks, sent, deps, setStatus: (s: ConnectionStatus) => { status = s; } };
  }

  it('coalesces bursts into one look-up, notifies, and updates the icon', async () => {
    const { attention, looks, sent, deps } = setup([row('1'), row('2', {}, { status: 'delivered', errorCode: null, errorClass: null })]);
    attention.changed(new Set(['+14155550001']));
    attention.changed(new Set(['+14155550002']));
    await new Promise(r => setTimeout(r, 20));
    await attention.flush();
    expect(deps.threads).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([{ id: notificationId(row('1')), title: 'Text to Contact 1 was not delivered', message: 'handset unreachable (30003). Click to open the conversation.' }]);
    expect(looks.at(-1)).toEqual({ text: '1', color: '#b42318', title: 'TextTrail — 1 failed text needs attention' });
  });

  it('shows "reconnecting" on the icon while the server is out of reach, and the count once back', async () => {
    const { attention, looks, setStatus } = setup([row('1')]);
    setStatus('reconnecting');
    await attention.connectionChanged();
    expect(looks.at(-1)?.title).toBe('TextTrail — reconnecting… · 1 failed text needs attention');
    setStatus('connected');
    await attention.connectionChanged();
    expect(looks.at(-1)?.title).toBe('TextTrail — 1 failed text needs attention');
  });
});
