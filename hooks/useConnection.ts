import type { Me } from '../domain/types';
import { CONNECTION_STATE_KEY, ME_KEY, type ConnectionState } from '../utils/connection';
import { useStorageValue } from './useStorageValue';

/** The live connection state the background keeps in storage.session. */
export function useConnectionState(): ConnectionState | undefined {
  return useStorageValue<ConnectionState>('session', CONNECTION_STATE_KEY).value;
}

/** Who we are on the server (GET /api/me, cached by the background). */
export function useMe(): Me | null {
  return useStorageValue<{ me: Me }>('local', ME_KEY).value?.me ?? null;
}
