// Connection settings and the live connection state shared by the background, options page and side panel.

/** `chrome.storage.local` key `connection` (CONTRACT); `chrome.storage.managed` {serverUrl, token} wins. */
export const CONNECTION_KEY = 'connection';
/** Kept in chrome.storage.session: survives worker restarts, cleared with the browser session. */
export const CONNECTION_STATE_KEY = 'connectionState';
/** Cached GET /api/me for the configured server and token. */
export const ME_KEY = 'me';

export interface ConnectionSettings {
  serverUrl: string;
  token: string;
}

export interface ResolvedSettings extends ConnectionSettings {
  /** True when a policy set them; the options page then shows them read-only. */
  managed: boolean;
}

export type ConnectionStatus = 'not_configured' | 'connecting' | 'connected' | 'reconnecting' | 'token_refused';

export interface ConnectionState {
  status: ConnectionStatus;
  serverUrl: string | null;
  /** Plain words for the last problem, e.g. "server unreachable". */
  detail: string | null;
  since: string;
  lastSyncAt: string | null;
}

export function normalizeServerUrl(raw: string): string | null {
  const trimmed = raw.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/** Accepts only complete settings; anything else counts as "not configured". */
export function parseSettings(raw: unknown): ConnectionSettings | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { serverUrl, token } = raw as Record<string, unknown>;
  if (typeof serverUrl !== 'string' || typeof token !== 'string' || !token.trim()) return null;
  const url = normalizeServerUrl(serverUrl);
  return url ? { serverUrl: url, token: token.trim() } : null;
}

/** Policy wins where it gives a complete pair; otherwise the user's own settings. */
export function resolveSettings(local: unknown, managed: unknown): ResolvedSettings | null {
  const fromPolicy = parseSettings(managed);
  if (fromPolicy) return { ...fromPolicy, managed: true };
  const fromUser = parseSettings(local);
  return fromUser ? { ...fromUser, managed: false } : null;
}

export const STATUS_WORDS: Record<ConnectionStatus, string> = {
  not_configured: 'Not configured',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  token_refused: 'Token refused',
};
