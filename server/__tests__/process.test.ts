// The server as an operator runs it: `npm run server`'s entry point, configured by environment.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH } from '../testing';
import { serverArgs, spawnNode, startServerProcess } from '../testing/serverProcess';

// node itself, not the tsx wrapper: a signal must reach the server, not a parent that leaves it orphaned.
const run = (env: Record<string, string>) => spawnNode(serverArgs(), env);

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-proc-'));

describe('configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ STUCK_QUEUED_MINUTES: 'soon' }, 'STUCK_QUEUED_MINUTES'],
    [{ STUCK_SENT_MINUTES: '-1' }, 'STUCK_SENT_MINUTES'],
    [{ SEED: '/nonexistent/seed.json' }, '/nonexistent/seed.json'],
  ])('a bad %o stops the server with one line naming %s', async (env, name) => {
    const dir = tmp();
    const r = run({ PORT: '0', DATABASE_URL: `file:${dir}/x.db`, ...env });
    expect(await r.exited).toBe(1);
    const lines = r.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });
});

describe('lifecycle', () => {
  it('logs "listening on URL", answers /healthz, applies the seed twice without change, stops on SIGTERM', async () => {
    const dir = tmp();
    const env = { PORT: '0', DATABASE_URL: `file:${dir}/t.db`, SEED: DEMO_SEED_PATH };
    const seen: unknown[] = [];
    for (let round = 0; round < 2; round++) {
      const r = await startServerProcess(env);
      const url = r.url;
      const health = await fetch(url + '/healthz');
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      const me = await fetch(url + '/api/me', { headers: { authorization: 'Bearer demo-agent-ana' } });
      const meJson = (await me.json()) as { name: string };
      expect(meJson.name).toBe('Ana Alvarez');
      seen.push(meJson);
      r.proc.kill('SIGTERM');
      expect(await r.exited).toBe(0);
    }
    expect(seen[1]).toEqual(seen[0]); // the same seed applied again changed nothing
  });

  it('a callback acknowledged before SIGKILL is still there after restart', async () => {
    const dir = tmp();
    const env = { PORT: '0', DATABASE_URL: `file:${dir}/k.db`, SEED: DEMO_SEED_PATH };
    const start = () => startServerProcess(env);
    const a = await start();
    const sent = await fetch(a.url + '/api/messages', { method: 'POST', headers: { authorization: 'Bearer demo-agent-ana', 'content-type': 'application/json' }, body: JSON.stringify({ to: '+14155550134', body: 'durable?' }) });
    const msg = (await sent.json()) as { id: string };
    expect(sent.status).toBe(201);
    a.proc.kill('SIGKILL');
    await a.exited;
    const b = await start();
    const sync = (await (await fetch(b.url + '/api/sync?limit=1000', { headers: { authorization: 'Bearer demo-agent-ana' } })).json()) as { events: { message: { id: string } }[] };
    expect(sync.events.some((e: { message: { id: string } }) => e.message.id === msg.id)).toBe(true);
    b.proc.kill('SIGTERM');
    await b.exited;
  });
});
