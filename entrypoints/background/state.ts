// The connection state, kept in storage.session so it survives a worker restart and the options page and
// side panel can watch it (storage.onChanged) without asking the worker.
import { browser } from 'wxt/browser';
import { CONNECTION_STATE_KEY, type ConnectionState } from '../../utils/connection';

let last: ConnectionState | null = null;
let queue: Promise<unknown> = Promise.resolve();

export async function readState(): Promise<ConnectionState> {
  const got = await browser.storage.session.get(CONNECTION_STATE_KEY);
  const stored = got[CONNECTION_STATE_KEY] as ConnectionState | undefined;
  return stored ?? { status: 'not_configured', serverUrl: null, detail: null, since: new Date().toISOString(), lastSyncAt: null };
}

/** Serialised so that concurrent updates from socket events never interleave their read-modify-write. */
export function updateState(patch: Partial<ConnectionState>): Promise<ConnectionState> {
  const run = queue.then(async () => {
    const current = last ?? (await readState());
    const next: ConnectionState = { ...current, ...patch };
    if (patch.status && patch.status !== current.status) next.since = new Date().toISOString();
    const same = JSON.stringify(current) === JSON.stringify(next);
    last = next;
    if (!same || !current) await browser.storage.session.set({ [CONNECTION_STATE_KEY]: next });
    return next;
  });
  queue = run.catch(() => undefined);
  return run;
}

/** For tests: forget the in-memory copy, as a fresh worker would. */
export function resetStateCache(): void {
  last = null;
}
