import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me, SyncPage } from '../../../domain/types';
import type { ConnectionState, ResolvedSettings } from '../../../utils/connection';
import { AppDB } from '../../../utils/db';
import { ApiError, type Api } from '../api';
import { badgesFor, readCursor } from '../db';
import type { SocketHandlers, SocketLink } from '../socket';
import { SyncEngine, pickConnection, type CachedMe } from '../sync';
import { message, thread } from './factories';

const ME: Me = {
  id: 'ana', name: 'Ana Alvarez', role: 'agent', orgId: 'acme', orgName: 'Acme Dental',
  locations: [{ id: 'acme-north', name: 'North', timezone: 'America/New_York', country: 'US' }],
  connections: [
    { id: 'acme-sim-south', provider: 'simulator', locationId: 'acme-south', numbers: ['+13125550100'] },
    { id: 'acme-sim-north', provider: 'simulator', locationId: 'acme-north', numbers: ['+12125550100'] },
  ],
  templates: [],
  members: [],
};

class FakeSocket implements SocketLink {
  connected = false;
  closed = false;
  retries = 0;
  constructor(readonly settings: ResolvedSettings, readonly on: SocketHandlers) {}
  close() { this.closed = true; this.connected = false; }
  retry() { this.retries++; }
  connect() { this.connected = true; this.on.connected(); }
}

function fakeApi(pages: SyncPage[] = []) {
  const calls: (string | null)[] = [];
  const api: Api & { calls: typeof calls; sent: unknown[] } = {
    calls,
    sent: [],
    me: vi.fn(async () => ME),
    sync: vi.fn(async (after: string | null) => {
      calls.push(after);
      return pages.shift() ?? { events: [], cursor: after, hasMore: false };
    }),
    threads: vi.fn(async () => ({ threads: [], cursor: null, hasMore: false })),
    sendMessage: vi.fn(async (body: { to: string; body: string; connectionId?: string }) => {
      api.sent.push(body);
      return message({ id: 'sent1', to: body.to, body: body.body, connectionId: body.connectionId ?? 'x' });
    }),
    resend: vi.fn(async () => { throw new Error('not in this test'); }),
    threadMessages: vi.fn(async () => ({ messages: [] })),
    findThreads: vi.fn(async () => ({ threads: [], cursor: null, hasMore: false })),
    threadCounts: vi.fn(async () => ({ total: 0, byStatus: {}, byErrorClass: {}, byLocation: {}, byAgent: {} })),
    locationStats: vi.fn(async () => ({ days: [], locations: [] })),
    templates: vi.fn(async () => ({ templates: [] })),
    createTemplate: vi.fn(async () => { throw new Error('not in this test'); }),
    updateTemplate: vi.fn(async () => { throw new Error('not in this test'); }),
  };
  return api;
}

let db: AppDB;
let n = 0;
let settings: ResolvedSettings | null;
let states: Partial<ConnectionState>[];
let changed: (Set<string> | 'all')[];
let sockets: FakeSocket[];
let meCache: CachedMe | null;

function engine(api: Api) {
  return new SyncEngine({
    db,
    readSettings: async () => settings,
    accountKey: async s => `${s.serverUrl}|${s.token}`,
    createApi: () => api,
    openSocket: (s, on) => { const sock = new FakeSocket(s, on); sockets.push(sock); return sock; },
    updateState: async patch => { states.push(patch); return patch as ConnectionState; },
    readMe: async () => meCache,
    writeMe: async v => { meCache = v; },
    badgesChanged: phones => changed.push(phones),
  });
}
const lastStatus = () => [...states].reverse().find(s => s.status)?.status;
const flush = () => new Promise(r => setTimeout(r, 0));

beforeEach(async () => {
  db = new AppDB(`sync-${++n}`);
  await db.open();
  settings = { serverUrl: 'http://server.test', token: 'tok', managed: false };
  states = [];
  changed = [];
  sockets = [];
  meCache = null;
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('SyncEngine', () => {
  it('without settings says so and opens nothing', async () => {
    settings = null;
    const e = engine(fakeApi());
    await e.ensure();
    expect(lastStatus()).toBe('not_configured');
    expect(sockets).toHaveLength(0);
  });

  it('on start opens the socket and catches up page by page from the stored cursor', async () => {
    const api = fakeApi([
      { events: [{ cursor: '1', message: message({ id: 'a', status: 'sent', to: '+14155550134' }) }], cursor: '1', hasMore: true },
      { events: [{ cursor: '2', message: message({ id: 'b', threadId: 't2', to: '+12125550188' }) }], cursor: '2', hasMore: false },
    ]);
    const e = engine(api);
    await e.ensure();
    await e.ready();
    expect(sockets).toHaveLength(1);
    expect(sockets[0].settings.token).toBe('tok');
    expect(api.calls).toEqual([null, '1']);
    expect(await readCursor(db)).toBe('2');
    expect(changed.flatMap(c => (c === 'all' ? [] : [...c])).sort()).toEqual(['+12125550188', '+14155550134']);

    // A reconnect catches up from where it stopped.
    sockets[0].connect();
    await flush();
    await e.catchUp();
    expect(api.calls.at(-1)).toBe('2');
    expect(lastStatus()).toBe('connected');
  });

  it('a fresh worker continues from the cursor the last one stored', async () => {
    const first = fakeApi([{ events: [{ cursor: '7', message: message() }], cursor: '7', hasMore: false }]);
    const e1 = engine(first);
    await e1.ensure();
    await e1.ready();
    const second = fakeApi();
    const e2 = engine(second); // the worker was killed; nothing survives but the database
    await e2.ensure();
    await e2.ready();
    expect(second.calls).toEqual(['7']);
  });

  it('applies live events at once but never moves the cursor with them', async () => {
    const e = engine(fakeApi());
    await e.ensure();
    await e.ready();
    sockets[0].on.event({ cursor: '99', message: message({ id: 'live', status: 'delivered' }) });
    await vi.waitFor(async () => expect((await badgesFor(db, ['+14155550134']))['+14155550134'].status).toBe('delivered'));
    expect(await readCursor(db)).toBeNull();
  });

  it('a refused handshake or a 401 means token refused, and it does not hammer the server', async () => {
    const api = fakeApi();
    const e = engine(api);
    await e.ensure();
    await e.ready();
    sockets[0].on.refused('unauthorized');
    expect(lastStatus()).toBe('token_refused');
    await e.ensure(); // the alarm fires
    expect(sockets[0].retries).toBe(0);

    const refusing = fakeApi();
    refusing.sync = vi.fn(async () => { throw new ApiError(401, 'unauthorized', 'bad token'); });
    settings = { serverUrl: 'http://server.test', token: 'other', managed: false };
    const e2 = engine(refusing);
    await e2.ensure();
    await e2.ready();
    expect(lastStatus()).toBe('token_refused');
  });

  it('a lost connection is "reconnecting" once it had been connected', async () => {
    const e = engine(fakeApi());
    await e.ensure();
    sockets[0].on.retrying('server unreachable');
    expect(lastStatus()).toBe('connecting');
    sockets[0].connect();
    await flush();
    sockets[0].on.retrying('connection lost');
    expect(lastStatus()).toBe('reconnecting');
    await e.catchUp();
  });

  it('new settings for another account: old socket closed, old rows gone, every tab refreshed', async () => {
    const api = fakeApi([{ events: [{ cursor: '3', message: message() }], cursor: '3', hasMore: false }]);
    const e = engine(api);
    await e.ensure();
    await e.ready();
    expect(await db.messages.count()).toBe(1);
    settings = { serverUrl: 'http://other.test', token: 'tok2', managed: false };
    await e.ensure();
    expect(sockets[0].closed).toBe(true);
    expect(sockets).toHaveLength(2);
    expect(sockets[1].settings.serverUrl).toBe('http://other.test');
    expect(changed).toContain('all');
    await e.ready();
    expect(await db.messages.count()).toBe(0);
    // Same settings again: nothing reopens.
    await e.ensure();
    expect(sockets).toHaveLength(2);
  });

  it('sends from the first location\'s connection and stores the answer', async () => {
    const api = fakeApi();
    const e = engine(api);
    await e.ensure();
    const r = await e.sendText({ to: '+12125550188', body: '  Hi Emma  ', idempotencyKey: 'k1' });
    expect(r.ok).toBe(true);
    expect(api.sent).toEqual([{ to: '+12125550188', body: 'Hi Emma', connectionId: 'acme-sim-north' }]);
    expect(api.sendMessage).toHaveBeenCalledWith(expect.anything(), 'k1');
    expect((await db.messages.get('sent1'))?.to).toBe('+12125550188');
    expect(pickConnection({ ...ME, locations: [] })).toBe('acme-sim-south');
  });

  it('a refused send comes back in words', async () => {
    const api = fakeApi();
    api.sendMessage = vi.fn(async () => { throw new ApiError(409, 'opted_out', 'the contact has opted out'); });
    const e = engine(api);
    await e.ensure();
    const r = await e.sendText({ to: '+14155551610', body: 'Hello' });
    expect(r).toEqual({ ok: false, error: { code: 'opted_out', message: expect.stringContaining('opted out') } });
    const empty = await e.sendText({ to: '+14155551610', body: '   ' });
    expect(empty.ok).toBe(false);

    settings = null;
    await e.ensure();
    expect(await e.sendText({ to: '+14155551610', body: 'x' })).toMatchObject({ ok: false, error: { code: 'not_configured' } });
  });

  it('fetches contact names when a thread shows up for the first time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const api = fakeApi();
      api.threads = vi.fn(async () => ({ threads: [thread({ contactName: 'Maria Lopez' })], cursor: null, hasMore: false }));
      const e = engine(api);
      await e.ensure();
      await e.ready();
      sockets[0].on.event({ cursor: '1', message: message() });
      await vi.waitFor(async () => expect(await db.threads.count()).toBe(1));
      await vi.advanceTimersByTimeAsync(600);
      await vi.waitFor(async () => expect((await db.threads.get('thr_maria'))?.contactName).toBe('Maria Lopez'));
    } finally {
      vi.useRealTimers();
    }
  });
});
