import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppDB } from '../../../utils/db';
import { applyMessages } from '../db';
import { registerHandlers } from '../messaging';
import type { SyncEngine } from '../sync';
import { TabRegistry } from '../tabs';
import { message } from './factories';

// Capture the handlers the background registers, and call them as the messaging library would.
type Handler = (msg: { data: unknown; sender: chrome.runtime.MessageSender }) => unknown;
const handlers = vi.hoisted(() => new Map<string, Handler>());
vi.mock('../../../utils/messaging', () => ({
  onMessage: (type: string, fn: Handler) => { handlers.set(type, fn); return () => handlers.delete(type); },
}));

let db: AppDB;
let n = 0;
beforeEach(async () => {
  db = new AppDB(`messaging-${++n}`);
  await db.open();
});
afterEach(async () => {
  db.close();
  await db.delete();
});

function fakeEngine(over: Partial<SyncEngine> = {}): SyncEngine {
  return {
    ready: vi.fn(async () => undefined),
    me: vi.fn(async () => ({ locations: [{ id: 'l', name: 'L', timezone: 'Europe/London', country: 'GB' }] })),
    sendText: vi.fn(async () => ({ ok: true })),
    connectionStatus: 'connected',
    ...over,
  } as unknown as SyncEngine;
}

describe('background protocol handlers', () => {
  it('getBadges answers from the database after the first catch-up, registers the tab, drops junk', async () => {
    await applyMessages(db, [message({ status: 'delivered' })]);
    const tabs = new TabRegistry(async () => ({}), async () => undefined);
    const engine = fakeEngine();
    registerHandlers(engine, tabs, db);
    const sender = { tab: { id: 7 } as chrome.tabs.Tab, frameId: 0 };
    const result = await handlers.get('getBadges')!({ data: ['+14155550134', 'not a phone', 42, '+12125550188'], sender }) as Record<string, { status: string }>;
    expect(Object.keys(result).sort()).toEqual(['+12125550188', '+14155550134']);
    expect(result['+14155550134'].status).toBe('delivered');
    expect(result['+12125550188'].status).toBe('none');
    expect(engine.ready).toHaveBeenCalled();
    expect(tabs.size).toBe(1);
  });

  it('getPageConfig gives the first location\'s country for national numbers', async () => {
    registerHandlers(fakeEngine(), new TabRegistry(async () => ({}), async () => undefined), db);
    expect(await handlers.get('getPageConfig')!({ data: undefined, sender: {} })).toEqual({ defaultCountry: 'GB', configured: true });
    handlers.clear();
    registerHandlers(fakeEngine({ me: vi.fn(async () => null), connectionStatus: 'not_configured' } as Partial<SyncEngine>), new TabRegistry(async () => ({}), async () => undefined), db);
    expect(await handlers.get('getPageConfig')!({ data: undefined, sender: {} })).toEqual({ defaultCountry: 'US', configured: false });
  });

  it('sendText goes to the engine', async () => {
    const engine = fakeEngine();
    registerHandlers(engine, new TabRegistry(async () => ({}), async () => undefined), db);
    await handlers.get('sendText')!({ data: { to: '+14155550134', body: 'Hi' }, sender: {} });
    expect(engine.sendText).toHaveBeenCalledWith({ to: '+14155550134', body: 'Hi' });
  });
});
