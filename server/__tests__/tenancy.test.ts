// Tenancy under load (CONTRACT "Seed file", "REST", "Socket.io"): nobody sees another org; an agent sees the
// threads of its locations only. Three orgs, two locations each, agents, supervisors and admins with two
// sockets each, while hundreds of sends, callbacks and inbound texts run concurrently across every org —
// including callbacks an org signs with its own secret naming another org's provider message ids, and the
// same contact numbers in every org. No socket may receive, and no /api/sync, /api/threads or messages
// answer may contain, anything outside the user's scope; and what is in scope arrives, complete.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../providers/twilio';
import type { Seed } from '../seed';
import { startTestServer, testBackend, type TestServer } from '../testing';
import type { Message, SyncEvent, Thread } from '../../domain/types';
import { statusRank, type Status } from '../../domain/status';
import { startFakeTwilio, type FakeTwilio } from '../testing/fakeTwilio';
import { pick, prng } from './helpers/prng';
import { eventually } from './helpers/world';

const SEED = Number(process.env.TENANCY_SEED) || Date.now() % 1_000_000;
const ORGS = ['t1', 't2', 't3'];
const PER_CONNECTION = 40; // sends per location
const CONTACTS = ['+14155550201', '+14155550202', '+14155550203', '+14155550204', '+14155550205', '+14155550206'];
const ACCOUNT_SID = 'AC' + 'b'.repeat(32);

interface TUser { id: string; token: string; org: string; role: 'agent' | 'supervisor' | 'admin'; locations: string[] }
const users: TUser[] = [];
const connectionIds: string[] = [];
const locOf = (connectionId: string) => connectionId.replace(/^tw-/, '');
const authTokenOf = (connectionId: string) => `secret-${connectionId}`;

function tenancySeed(twilioUrl: string): Seed {
  return {
    orgs: ORGS.map((org, o) => {
      const locs = [`${org}-a`, `${org}-b`];
      const orgUsers: TUser[] = [
        { id: `${org}-agent-a`, token: `tok-${org}-agent-a`, org, role: 'agent', locations: [locs[0]] },
        { id: `${org}-agent-b`, token: `tok-${org}-agent-b`, org, role: 'agent', locations: [locs[1]] },
        { id: `${org}-agent-ab`, token: `tok-${org}-agent-ab`, org, role: 'agent', locations: locs },
        { id: `${org}-agent-none`, token: `tok-${org}-agent-none`, org, role: 'agent', locations: [] },
        // A supervisor's listed locations do not narrow it: supervisors and admins see the whole org.
        { id: `${org}-sup`, token: `tok-${org}-sup`, org, role: 'supervisor', locations: [locs[0]] },
        { id: `${org}-admin`, token: `tok-${org}-admin`, org, role: 'admin', locations: [locs[1]] },
      ];
      users.push(...orgUsers);
      connectionIds.push(...locs.map(l => `tw-${l}`));
      return {
        id: org, name: `Tenant ${org}`,
        locations: locs.map(id => ({ id, name: id, timezone: 'America/New_York', country: 'US' })),
        users: orgUsers.map(u => ({ id: u.id, name: u.id, role: u.role, locations: u.locations, token: u.token })),
        connections: locs.map((l, k) => ({
          id: `tw-${l}`, provider: 'twilio', location: l, numbers: [`+1212555${o}${k}00`],
          secrets: { accountSid: ACCOUNT_SID, authToken: authTokenOf(`tw-${l}`) }, apiBaseUrl: twilioUrl,
        })),
        templates: [],
        // The same contact, under another name in each org: names must not leak either.
        contacts: [{ phone: CONTACTS[0], name: `Contact of ${org}` }],
      };
    }),
  };
}

let server: TestServer;
let twilio: FakeTwilio;
const sockets: Socket[] = [];
beforeAll(async () => {
  twilio = await startFakeTwilio();
  server = await startTestServer({ seed: tenancySeed(twilio.url) });
});
afterAll(async () => {
  sockets.forEach(s => s.close());
  await server?.close();
  await twilio?.close();
});

const api = async (token: string, method: string, path: string, body?: unknown) => {
  const r = await fetch(server.url + path, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, json: await r.json() as any };
};

const callback = (connectionId: string, params: Record<string, string>) => {
  const url = `${server.publicUrl}/webhooks/twilio/${connectionId}`;
  return fetch(`${server.url}/webhooks/twilio/${connectionId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authTokenOf(connectionId), url, params) },
    body: new URLSearchParams(params).toString(),
  });
};

const canSee = (u: TUser, m: { orgId: string; locationId: string }) =>
  m.orgId === u.org && (u.role !== 'agent' || u.locations.includes(m.locationId));

/** Runs tasks with at most `n` at once. */
async function limited<T>(n: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (next < tasks.length) { const i = next++; out[i] = await tasks[i](); } }));
  return out;
}

async function syncAll(token: string): Promise<SyncEvent[]> {
  const all: SyncEvent[] = [];
  let after = '';
  for (;;) {
    const page = (await api(token, 'GET', `/api/sync?limit=1000${after ? `&after=${after}` : ''}`)).json;
    all.push(...page.events);
    if (!page.hasMore) return all;
    after = page.cursor;
  }
}

async function threadsAll(token: string, query = ''): Promise<Thread[]> {
  const all: Thread[] = [];
  let cursor = '';
  for (;;) {
    const page = (await api(token, 'GET', `/api/threads?limit=7${query}${cursor ? `&cursor=${cursor}` : ''}`)).json;
    all.push(...page.threads);
    if (!page.hasMore) return all;
    cursor = page.cursor;
  }
}

describe(`tenancy under load (${testBackend()})`, () => {
  it(`no event, thread or message crosses an org or an agent's locations (seed ${SEED})`, async () => {
    console.log(`tenancy: TENANCY_SEED=${SEED}`);
    const rand = prng(SEED);

    // Two sockets per user, all connected before the load starts; one socket with a bad token is refused.
    const received = new Map<TUser, SyncEvent[]>(); // both sockets of a user
    const perSocket: { user: TUser; events: SyncEvent[] }[] = [];
    await Promise.all(users.flatMap(u => [0, 1].map(async () => {
      const s = connect(server.url, { auth: { token: u.token }, transports: ['websocket'], reconnection: false });
      sockets.push(s);
      const list = received.get(u) ?? [];
      received.set(u, list);
      const mine: SyncEvent[] = [];
      perSocket.push({ user: u, events: mine });
      s.on('message:updated', e => { list.push(e); mine.push(e); });
      await new Promise<void>((resolve, reject) => { s.on('connect', () => resolve()); s.on('connect_error', reject); });
    })));
    const intruder = connect(server.url, { auth: { token: 'tok-nobody' }, transports: ['websocket'], reconnection: false });
    sockets.push(intruder);
    const intruderEvents: unknown[] = [];
    intruder.on('message:updated', e => intruderEvents.push(e));
    await expect(new Promise((resolve, reject) => { intruder.on('connect', () => reject(new Error('connected'))); intruder.on('connect_error', resolve); })).resolves.toBeTruthy();

    // Load, phase 1: sends from every location at once, each by a user allowed to use it; beside them,
    // users trying connections that are not theirs (another location, another org).
    const sendTasks: (() => Promise<{ conn: string; status: number; json: any; by: TUser }>)[] = [];
    for (const conn of connectionIds) {
      const loc = locOf(conn);
      const allowed = users.filter(u => canSee(u, { orgId: loc.split('-')[0], locationId: loc }));
      for (let i = 0; i < PER_CONNECTION; i++) {
        const by = pick(rand, allowed);
        const to = pick(rand, CONTACTS);
        sendTasks.push(async () => ({ conn, by, ...(await api(by.token, 'POST', '/api/messages', { to, connectionId: conn, body: `${conn} #${i}` })) }));
      }
      for (const u of users.filter(x => !canSee(x, { orgId: loc.split('-')[0], locationId: loc })).slice(0, 6)) {
        sendTasks.push(async () => ({ conn, by: u, ...(await api(u.token, 'POST', '/api/messages', { to: CONTACTS[1], connectionId: conn, body: 'not mine' })) }));
      }
    }
    const sendResults = await limited(24, sendTasks.sort(() => rand() - 0.5));
    const sent: Message[] = [];
    for (const r of sendResults) {
      const loc = locOf(r.conn);
      if (canSee(r.by, { orgId: loc.split('-')[0], locationId: loc })) {
        expect(r.status, `${r.by.id} via ${r.conn}`).toBe(201);
        expect(r.json).toMatchObject({ orgId: r.by.org, locationId: loc, connectionId: r.conn });
        sent.push(r.json);
      } else {
        // Another org's connection is not revealed (404); another location's is forbidden (403).
        expect(r.status, `${r.by.id} via ${r.conn}`).toBe(r.by.org === loc.split('-')[0] ? 403 : 404);
      }
    }
    expect(sent).toHaveLength(connectionIds.length * PER_CONNECTION);

    // Phase 2: callbacks for every message on its own connection; forged callbacks on every other org's
    // connection naming these provider ids; inbound texts from the shared contacts; all concurrent.
    const own = new Map<string, Status[]>(); // message id → statuses sent for it on its own connection
    const tasks: (() => Promise<Response>)[] = [];
    const statuses: Status[] = ['sent', 'delivered', 'undelivered', 'read', 'failed', 'sent'];
    for (const m of sent) {
      const list = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(rand, statuses));
      own.set(m.id, list);
      for (const s of list) {
        tasks.push(() => callback(m.connectionId, { MessageSid: m.providerMessageId!, MessageStatus: s, AccountSid: ACCOUNT_SID, ...(s === 'undelivered' || s === 'failed' ? { ErrorCode: '30003' } : {}) }));
      }
      const otherOrgConn = pick(rand, connectionIds.filter(c => !c.startsWith(`tw-${m.orgId}-`)));
      tasks.push(() => callback(otherOrgConn, { MessageSid: m.providerMessageId!, MessageStatus: 'read', AccountSid: ACCOUNT_SID }));
    }
    for (const conn of connectionIds) {
      for (let k = 0; k < 5; k++) {
        const sid = `SMin${conn.replace(/-/g, '')}${k}${SEED}`;
        tasks.push(() => callback(conn, { MessageSid: sid, MessageStatus: 'received', AccountSid: ACCOUNT_SID, From: pick(rand, CONTACTS), To: '+12125550000', Body: `inbound to ${conn}` }));
      }
    }
    // Phase 2 runs beside more sends, so pushes for new messages interleave with callbacks.
    const moreSends = connectionIds.map(conn => {
      const loc = locOf(conn);
      const by = users.find(u => u.role === 'supervisor' && u.org === loc.split('-')[0])!;
      return () => api(by.token, 'POST', '/api/messages', { to: CONTACTS[2], connectionId: conn, body: 'during the storm' }).then(r => { expect(r.status).toBe(201); sent.push(r.json); return new Response(null, { status: 200 }); });
    });
    const answers = await limited(32, [...tasks, ...moreSends].sort(() => rand() - 0.5));
    expect(answers.filter(r => r.status !== 200).map(r => r.status)).toEqual([]);
    console.log(`tenancy: ${sent.length} sends, ${tasks.length} callbacks and inbound texts, ${sockets.length} sockets`);

    // What each message must end as: the ladder over its own connection's callbacks only; a forged 'read'
    // from another org's connection would show as `read`.
    const expected = new Map<string, Status>();
    for (const m of sent) expected.set(m.id, (own.get(m.id) ?? []).reduce<Status>((a, b) => (statusRank(b) > statusRank(a) ? b : a), 'queued'));

    for (const u of users) {
      // Sync: only what the user may see, and all of it.
      const events = await syncAll(u.token);
      const leaks = events.filter(e => !canSee(u, e.message));
      expect(leaks.map(e => `${e.message.orgId}/${e.message.locationId}`), `${u.id} sync`).toEqual([]);
      const last = new Map<string, Message>();
      for (const e of events) last.set(e.message.id, e.message);
      const mine = sent.filter(m => canSee(u, m));
      for (const m of mine) expect(last.get(m.id)?.status, `${u.id} sees ${m.id}`).toBe(expected.get(m.id));
      const inbound = [...last.values()].filter(m => m.direction === 'inbound');
      expect(inbound.length, `${u.id} inbound`).toBe(5 * connectionIds.filter(c => canSee(u, { orgId: locOf(c).split('-')[0], locationId: locOf(c) })).length);
      expect(new Set([...last.values()].map(m => m.id)).size).toBe(mine.length + inbound.length);
      if (u.locations.length === 0 && u.role === 'agent') expect(events).toEqual([]);

      // Threads, page by page, and with a search for a contact every org has.
      const threads = await threadsAll(u.token);
      const bad = threads.filter(t => !canSee(u, t) || (t.lastMessage && !canSee(u, t.lastMessage)) || (t.lastOutbound && !canSee(u, t.lastOutbound)));
      expect(bad.map(t => `${t.orgId}/${t.locationId}`), `${u.id} threads`).toEqual([]);
      expect(new Set(threads.map(t => t.id)).size).toBe(threads.length);
      const named = threads.filter(t => t.contactName !== null);
      expect(named.every(t => t.contactName === `Contact of ${u.org}`), `${u.id} contact names`).toBe(true);
      const searched = await threadsAll(u.token, `&q=${encodeURIComponent(CONTACTS[0].slice(-4))}`);
      expect(searched.every(t => canSee(u, t)), `${u.id} search`).toBe(true);
      const counts = (await api(u.token, 'GET', '/api/threads/counts')).json;
      expect(counts.total, `${u.id} counts`).toBe(threads.length);
    }

    // Every thread, asked for by every user: its messages for those who may see it, 404 for anyone else.
    const sup = users.filter(u => u.role === 'supervisor');
    const allThreads = (await Promise.all(sup.map(s => threadsAll(s.token)))).flat();
    await limited(16, users.flatMap(u => allThreads.filter((_, k) => k % 3 === users.indexOf(u) % 3).map(t => async () => {
      const r = await api(u.token, 'GET', `/api/threads/${t.id}/messages`);
      if (canSee(u, t)) {
        expect(r.status).toBe(200);
        expect(r.json.messages.every((m: Message) => canSee(u, m))).toBe(true);
      } else {
        expect(r.status, `${u.id} → ${t.orgId}/${t.locationId}`).toBe(404);
        expect(JSON.stringify(r.json)).not.toContain(t.contactPhone);
      }
    })));
    // Resending another org's or location's message: as if it did not exist.
    for (const m of sent.slice(0, 12)) {
      for (const u of users.filter(x => !canSee(x, m)).slice(0, 3)) {
        const r = await api(u.token, 'POST', `/api/messages/${m.id}/resend`, {});
        expect(r.status, `${u.id} resends ${m.orgId}/${m.locationId}`).toBe(404);
      }
    }

    // Sockets: nothing out of scope ever arrived; everything in scope did, ending in the same state; and
    // each socket got exactly the stored events of its scope, once each: no push without an event (a
    // duplicate callback that changed nothing pushes nothing), none missing.
    const logs = new Map(await Promise.all(users.map(async u => [u, (await syncAll(u.token)).map(e => e.cursor).sort()] as const)));
    for (const { user, events } of perSocket) {
      await eventually(() => events.length, n => n >= logs.get(user)!.length, 10_000).catch(() => {});
      expect(events.map(e => e.cursor).sort(), `${user.id}: socket pushes = stored events`).toEqual(logs.get(user));
    }
    for (const u of users) {
      await eventually(() => {
        const last = new Map<string, SyncEvent>();
        for (const e of received.get(u)!) if (!last.has(e.message.id) || last.get(e.message.id)!.cursor < e.cursor) last.set(e.message.id, e);
        return last;
      }, last => sent.filter(m => canSee(u, m)).every(m => last.get(m.id)?.message.status === expected.get(m.id)), 10_000);
      const leaks = received.get(u)!.filter(e => !canSee(u, e.message));
      expect(leaks.map(e => `${e.message.orgId}/${e.message.locationId}`), `${u.id} socket`).toEqual([]);
      if (u.locations.length === 0 && u.role === 'agent') expect(received.get(u)).toEqual([]);
    }
    expect(intruderEvents).toEqual([]);
  }, 60_000);
});
