// Configuration from the environment (CONTRACT "Running"). A bad value stops the server at start with one
// line naming the variable.
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  seedPath: string | null;
  publicUrl: string;
  /** False when PUBLIC_URL was not set: then it is the address the server listens on (known after listen). */
  publicUrlSet: boolean;
  stuckQueuedMs: number;
  stuckSentMs: number;
  /** Serve the demo CRM pages under /demo (npm start turns this on). */
  demo: boolean;
}

export class ConfigError extends Error {}

function minutes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback * 60_000;
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !(Number(raw) > 0)) {
    throw new ConfigError(`${name} must be a positive number of minutes (decimals allowed), got "${raw}"`);
  }
  return Number(raw) * 60_000;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const portRaw = env.PORT ?? '8787';
  if (!/^\d+$/.test(portRaw) || Number(portRaw) > 65535) throw new ConfigError(`PORT must be a port number (0–65535), got "${portRaw}"`);
  const port = Number(portRaw);
  const host = env.HOST || '127.0.0.1';
  if (/[\s/]/.test(host)) throw new ConfigError(`HOST must be a bind address, got "${host}"`);
  const databaseUrl = env.DATABASE_URL || 'file:./data/texttrail.db';
  if (!/^file:.+/.test(databaseUrl) && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must be file:PATH or postgres://…, got "${databaseUrl}"`);
  }
  const publicUrlRaw = env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let publicUrl: string;
  try {
    const u = new URL(publicUrlRaw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    publicUrl = publicUrlRaw.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an http(s) URL, got "${publicUrlRaw}"`);
  }
  return {
    port, host, databaseUrl, publicUrl, publicUrlSet: !!env.PUBLIC_URL,
    seedPath: env.SEED || null,
    stuckQueuedMs: minutes(env, 'STUCK_QUEUED_MINUTES', 10),
    stuckSentMs: minutes(env, 'STUCK_SENT_MINUTES', 60),
    demo: env.TEXTTRAIL_DEMO === '1',
  };
}
