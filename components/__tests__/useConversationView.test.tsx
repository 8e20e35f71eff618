// What the overlay and the side panel both show of one contact: the name they fall back on, the merge
// fields (the CRM record's win), where the contact is texted from, and the heading they draw.
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../domain/types';
import type { Conversation } from '../../utils/conversation';
import { ContactHeading } from '../thread/ContactHeading';
import { useConversationView, type ConversationView, type ConversationViewInput } from '../thread/useConversationView';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const PHONE = '+14155550003';
const ME = { id: 'ana', name: 'Ana', role: 'agent', orgId: 'o', orgName: 'O', connections: [], members: [],
  templates: [{ id: 'r', name: 'Reminder', body: 'Hi {{firstName}}' }],
  locations: [{ id: 'north', name: 'North', timezone: 'Etc/UTC', country: 'US' }, { id: 'south', name: 'South', timezone: 'Etc/UTC', country: 'US' }] } as Me;
const SERVICES = { resend: vi.fn(), dismiss: vi.fn(), send: vi.fn() };

function conversation(over: Partial<Conversation> = {}): Conversation {
  const thread = { id: 't', locationId: 'south', contactPhone: PHONE, contactName: 'Jo Ann Smith', optedOut: true, lastMessage: null, lastOutbound: null, updatedAt: '2026-11-20T11:00:00.000Z' };
  return { phone: PHONE, threads: [thread], contactName: 'Jo Ann Smith', optedOut: true, messages: [], trails: {}, outbox: [], ...over };
}

let root: Root;
let host: HTMLElement;
beforeEach(() => { host = document.createElement('div'); document.body.append(host); root = createRoot(host); });
afterEach(async () => { await act(async () => root.unmount()); host.remove(); });

async function view(input: Partial<ConversationViewInput>): Promise<ConversationView> {
  let seen: ConversationView | null = null;
  function Probe() {
    const v = useConversationView({ phone: PHONE, conversation: null, me: ME, now: 0, services: SERVICES, trustedOnly: false, ...input });
    seen = v;
    return <header><ContactHeading phone={PHONE} view={v} titleId="title" /></header>;
  }
  await act(async () => root.render(<Probe />));
  return seen!;
}

describe('useConversationView', () => {
  it('names the contact from the conversation, else the badge, else the phone', async () => {
    expect((await view({ conversation: conversation(), knownName: 'Badge' })).title).toBe('Jo Ann Smith');
    expect((await view({ conversation: conversation({ contactName: null }), knownName: 'Badge' })).title).toBe('Badge');
    const unnamed = await view({ conversation: undefined });
    expect(unnamed.name).toBeNull();
    expect(unnamed.title).toBe('(415) 555-0003');
    expect(unnamed.threadView.label).toBe('Texts with (415) 555-0003');
    expect(host.querySelector('.tt-avatar')!.textContent).toBe('#');
  });

  it('takes merge fields from the name, with the CRM record winning', async () => {
    const v = await view({ conversation: conversation(), record: { firstName: 'Joanne', company: 'Acme' } });
    expect(v.composer.record).toEqual({ firstName: 'Joanne', lastName: 'Ann Smith', company: 'Acme' });
    expect(v.threadView.record).toBe(v.composer.record);
  });

  it("texts from the newest thread's location and says when the contact opted out", async () => {
    const v = await view({ conversation: conversation() });
    expect(v.location?.name).toBe('South');
    expect(v.composer).toMatchObject({ locationId: 'south', optedOut: true, contactName: 'Jo Ann Smith', send: SERVICES.send, templates: ME.templates });
    expect(host.querySelector('h2#title')!.textContent).toBe('Jo Ann Smith');
    expect([...host.querySelectorAll('.tt-chip')].map(c => c.textContent)).toEqual(['South', 'Opted out']);
    expect(host.querySelector('.tt-avatar')!.textContent).toBe('JA');
  });

  it('while the conversation loads: no location, not opted out, no chips', async () => {
    const v = await view({ conversation: null, knownName: 'Badge' });
    expect(v).toMatchObject({ location: null, optedOut: false, composer: { locationId: null, optedOut: false } });
    expect(host.querySelectorAll('.tt-chip')).toHaveLength(0);
  });
});
