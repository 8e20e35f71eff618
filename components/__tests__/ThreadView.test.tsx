// The thread view in happy-dom: texts and names are text (never markup), a resend goes out once for a
// double click with one Idempotency-Key, and a waiting or refused outbox item says so.
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me, Message } from '../../domain/types';
import type { Conversation } from '../../utils/conversation';
import type { ResendTextRequest, SendTextResult } from '../../utils/messaging';
import { ThreadView } from '../thread/ThreadView';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const ME = { id: 'ana', name: 'Ana', role: 'agent', orgId: 'o', orgName: 'O', connections: [], templates: [],
  locations: [{ id: 'north', name: 'North', timezone: 'Etc/UTC', country: 'US' }], members: [{ id: 'ben', name: '<b>Ben</b>', role: 'agent' }] } as Me;
const NOON = Date.parse('2026-11-20T12:00:00.000Z');

function msg(over: Partial<Message> = {}): Message {
  return {
    id: 'm1', orgId: 'o', locationId: 'north', threadId: 't', connectionId: 'c', provider: 'twilio', providerMessageId: 'SM1',
    direction: 'outbound', from: '+12125550100', to: '+14155550003', body: '<img src=x onerror=alert(1)>', status: 'undelivered',
    errorCode: '30003', errorClass: 'temporary', stuck: false, attempt: 1, resendOf: null, sentBy: 'ben', scheduledFor: null,
    createdAt: '2026-11-20T11:00:00.000Z', updatedAt: '2026-11-20T11:01:00.000Z', ...over,
  };
}

let root: Root;
let host: HTMLElement;
beforeEach(() => { host = document.createElement('div'); document.body.append(host); root = createRoot(host); });
afterEach(async () => { await act(async () => root.unmount()); host.remove(); });

async function render(conversation: Partial<Conversation>, resend = vi.fn<(r: ResendTextRequest) => Promise<SendTextResult>>()) {
  const c: Conversation = { phone: '+14155550003', threads: [], contactName: '<script>x</script>', optedOut: false, messages: [], trails: {}, outbox: [], ...conversation };
  await act(async () => root.render(
    <ThreadView conversation={c} me={ME} now={NOON} templates={[]} record={{}} services={{ resend, dismiss: vi.fn(async () => undefined) }} trustedOnly={false} label="Texts" />,
  ));
  return resend;
}

describe('thread view', () => {
  it('shows bodies and names as text', async () => {
    await render({ messages: [msg(), msg({ id: 'in', direction: 'inbound', from: '+14155550003', body: '<a href="javascript:x">hi</a>', status: 'delivered', errorCode: null, errorClass: null })] });
    expect(host.querySelector('img, script, a, b')).toBeNull();
    expect(host.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(host.textContent).toContain('<b>Ben</b>');
    expect(host.textContent).toContain('<script>x</script>');
  });

  it('resends once for a double click, with one key per action', async () => {
    let finish!: (r: SendTextResult) => void;
    const resend = vi.fn((_: ResendTextRequest) => new Promise<SendTextResult>(r => { finish = r; }));
    await render({ messages: [msg()] }, resend);
    const button = [...host.querySelectorAll('button')].find(b => b.textContent === 'Resend')!;
    await act(async () => { button.click(); button.click(); });
    expect(resend).toHaveBeenCalledTimes(1);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    await act(async () => finish({ ok: false, error: { code: 'already_resent', message: 'x' } }));
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('Not resent: this text was already resent.');
    expect(host.querySelector('[data-refusal]')?.getAttribute('data-refusal')).toBe('already_resent');
    expect(resend.mock.calls[0][0]).toMatchObject({ messageId: 'm1', idempotencyKey: expect.any(String) });
  });

  it('shows outbox items waiting or refused', async () => {
    await render({ outbox: [
      { key: 'a', kind: 'send', to: '+14155550003', resendOf: null, preview: 'See you', sentBy: 'ana', createdAt: '2026-11-20T11:30:00.000Z', state: 'waiting', error: null },
      { key: 'b', kind: 'send', to: '+14155550003', resendOf: null, preview: 'Again', sentBy: 'ana', createdAt: '2026-11-20T11:31:00.000Z', state: 'refused', error: { code: 'opted_out', message: 'x' } },
    ] });
    expect(host.querySelector('[data-pending="waiting"]')?.textContent).toContain('Waiting to send');
    expect(host.querySelector('[data-pending="refused"]')?.textContent).toContain('Not sent: This contact has opted out');
  });
});
