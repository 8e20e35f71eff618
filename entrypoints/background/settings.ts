// Reads the connection settings: the user's (storage.local `connection`) unless a policy sets them
// (storage.managed). Both can change while the worker runs; index.ts listens and reconnects.
import { browser } from 'wxt/browser';
import { CONNECTION_KEY, resolveSettings, type ResolvedSettings } from '../../utils/connection';

async function readManaged(): Promise<unknown> {
  try {
    return await browser.storage.managed.get(['serverUrl', 'token']);
  } catch {
    // No policy schema support (or no policy): nothing managed.
    return null;
  }
}

export async function readSettings(): Promise<ResolvedSettings | null> {
  const [local, managed] = await Promise.all([browser.storage.local.get(CONNECTION_KEY), readManaged()]);
  return resolveSettings(local[CONNECTION_KEY], managed);
}

/** Stable identity of an account: which rows in the database belong to it (see claimDb). */
export async function accountKey(s: { serverUrl: string; token: string }): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s.token));
  const hex = [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('');
  return `${s.serverUrl}|${hex}`;
}
