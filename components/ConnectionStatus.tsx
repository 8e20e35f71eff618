import { STATUS_WORDS, type ConnectionState } from '../utils/connection';
import { ago } from './badgeText';

const TONE: Record<ConnectionState['status'], string> = {
  connected: 'good', connecting: 'pending', reconnecting: 'warn', token_refused: 'bad', not_configured: 'muted',
};

/** The connection's state in words, e.g. "Connected · synced just now" or "Token refused". */
export function ConnectionStatus({ state, now = Date.now(), compact = false }: { state: ConnectionState | undefined; now?: number; compact?: boolean }) {
  const status = state?.status ?? 'not_configured';
  const detail = status === 'connected'
    ? (state?.lastSyncAt ? `synced ${ago(state.lastSyncAt, now)}` : null)
    : state?.detail ?? null;
  return (
    <span className={`tt-conn tt-conn-${TONE[status]}`} role="status" data-status={status}>
      <span className="tt-conn-dot" aria-hidden="true" />
      <span>{STATUS_WORDS[status]}</span>
      {!compact && detail && <span className="tt-conn-detail"> · {detail}</span>}
    </span>
  );
}
