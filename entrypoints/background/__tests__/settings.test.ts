import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { accountKey, readSettings } from '../settings';
import { readState, resetStateCache, updateState } from '../state';

beforeEach(() => {
  fakeBrowser.reset();
  resetStateCache();
});

describe('settings', () => {
  it('reads storage.local `connection`, and a complete policy wins over it', async () => {
    expect(await readSettings()).toBeNull();
    await fakeBrowser.storage.local.set({ connection: { serverUrl: 'http://127.0.0.1:8787/', token: 'demo-agent-ana' } });
    expect(await readSettings()).toEqual({ serverUrl: 'http://127.0.0.1:8787', token: 'demo-agent-ana', managed: false });
    await fakeBrowser.storage.managed.set({ serverUrl: 'https://tt.acme.test', token: 'policy' });
    expect(await readSettings()).toEqual({ serverUrl: 'https://tt.acme.test', token: 'policy', managed: true });
  });

  it('an account key depends on server and token, and never contains the token', async () => {
    const a = await accountKey({ serverUrl: 'http://a', token: 'secret-token' });
    expect(a).not.toContain('secret-token');
    expect(a).toBe(await accountKey({ serverUrl: 'http://a', token: 'secret-token' }));
    expect(a).not.toBe(await accountKey({ serverUrl: 'http://a', token: 'other' }));
  });
});

describe('connection state', () => {
  it('lives in storage.session, where a fresh worker finds it', async () => {
    await updateState({ status: 'connected', serverUrl: 'http://a', detail: null });
    resetStateCache(); // the worker restarted
    expect((await readState()).status).toBe('connected');
    const next = await updateState({ status: 'reconnecting', detail: 'connection lost' });
    expect(next).toMatchObject({ status: 'reconnecting', serverUrl: 'http://a', detail: 'connection lost' });
    expect(((await fakeBrowser.storage.session.get('connectionState')).connectionState as { status: string }).status).toBe('reconnecting');
  });
});
