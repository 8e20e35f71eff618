import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { useStorageValue } from '../useStorageValue';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function Show({ area, k }: { area: 'local' | 'session'; k: string }) {
  const { value, loaded } = useStorageValue<{ status: string }>(area, k);
  return <span>{loaded ? value?.status ?? 'none' : 'loading'}</span>;
}

describe('useStorageValue', () => {
  beforeEach(() => fakeBrowser.reset());

  it('reads the value and follows changes written elsewhere (the worker)', async () => {
    await fakeBrowser.storage.session.set({ connectionState: { status: 'connecting' } });
    const el = document.createElement('div');
    const root = createRoot(el);
    await act(async () => root.render(<Show area="session" k="connectionState" />));
    await act(async () => { await new Promise(r => setTimeout(r, 0)); });
    expect(el.textContent).toBe('connecting');
    await act(async () => { await fakeBrowser.storage.session.set({ connectionState: { status: 'connected' } }); });
    expect(el.textContent).toBe('connected');
    // Another area or key does not disturb it.
    await act(async () => { await fakeBrowser.storage.local.set({ connectionState: { status: 'token_refused' } }); });
    expect(el.textContent).toBe('connected');
    await act(async () => root.unmount());
  });
});
