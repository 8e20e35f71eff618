// Fan-out: many sockets across many orgs, callbacks paced at a fixed rate (open loop); callback → socket
// latency measured on one socket per org while every socket receives its org's events. The sockets live in
// child processes of their own (bench/fanoutClients.ts), not beside the load generator.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { startFakeTwilio } from '../server/testing/fakeTwilio';
import { twilioSignature } from '../server/providers/twilio';
import type { Seed } from '../server/seed';
import { createTestDatabase } from '../server/testing';
import { startServerProcess } from '../server/testing/serverProcess';
import type { FanoutClient } from './fanoutClients';
import { blast, cpuMs, mainThreadSchedMs, openPool, pace, percentile, rssMiB, runQueueWaitMs, type LoadRequest } from './lib';

export interface FanoutOptions {
  root: string; serverRoot?: string; nodeArgs?: string[];
  /** Around the load (after the sockets connect, before the drain): e.g. attach a tracer to the server's pid. */
  around?: { start(serverPid: number): Promise<void> | void; stop(): Promise<void> | void }; orgs: number; socketsPerOrg: number; rate: number; seconds: number; workers: number;
  /**
   * Seconds at the target rate before the measured window (default 3): the webhook and fan-out paths' first
   * runs (JIT) and the clients' first events happen there. Reported apart and in the whole-run figure.
   */
  warmupSeconds?: number;
  /** The load generator's keep-alive connections, all opened before the warm-up and never more (default 256). */
  connections?: number;
  /** Raw clients that decode only what is timed (default), or socket.io-client (bench/fanoutClients.ts). */
  client?: FanoutClient }

export async function measureFanout(o: FanoutOptions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-fanout-'));
  const db = await createTestDatabase('sqlite');
  const twilio = await startFakeTwilio();
  const authToken = 'fanout-secret';
  const seed: Seed = { orgs: Array.from({ length: o.orgs }, (_, i) => ({
    id: `org${i}`, name: `Org ${i}`,
    locations: [{ id: `org${i}-loc`, name: 'Main', timezone: 'America/New_York', country: 'US' }],
    users: [{ id: `org${i}-sup`, name: 'Sup', role: 'supervisor' as const, locations: [`org${i}-loc`], token: `tok-org${i}` }],
    connections: [{ id: `org${i}-tw`, provider: 'twilio', location: `org${i}-loc`, numbers: [`+1212555${String(1000 + i).padStart(4, '0')}`], secrets: { accountSid: 'AC' + 'f'.repeat(32), authToken }, apiBaseUrl: twilio.url }],
    templates: [],
  })) };
  fs.writeFileSync(path.join(dir, 'seed.json'), JSON.stringify(seed));
  const server = await startServerProcess({ PORT: '0', DATABASE_URL: db.url, SEED: path.join(dir, 'seed.json'), PUBLIC_URL: '' }, { root: o.serverRoot, nodeArgs: o.nodeArgs });

  // Messages to call back about: enough for `rate * (warm-up + seconds)` callbacks at three statuses each.
  const warmupSeconds = o.warmupSeconds ?? 3;
  const perOrg = Math.ceil((o.rate * (warmupSeconds + o.seconds)) / 3 / o.orgs);
  const sends: LoadRequest[] = [];
  for (let i = 0; i < o.orgs; i++) for (let k = 0; k < perOrg; k++) {
    sends.push({ path: '/api/messages', headers: { authorization: `Bearer tok-org${i}`, 'content-type': 'application/json' }, body: JSON.stringify({ to: `+1415555${String(1000 + k).padStart(4, '0')}`, body: 'fan-out' }) });
  }
  await blast(server.url, sends, 16);
  const sidOrg = new Map(twilio.sends.map(s => [s.sid, Number(s.params.StatusCallback.match(/org(\d+)-tw$/)![1])]));

  // The clients live in WORKERS child processes (bench/fanoutClients.ts), org by org round-robin, so this
  // process only offers load; one socket per org is timed, the others count what they receive.
  const workers = Array.from({ length: o.workers }, () => fork(path.join(o.root, 'bench/fanoutClients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const receivedAt = new Map<string, number>();
  let received = 0;
  let clientsCpuMs = 0;
  const done = workers.map(w => new Promise<void>((resolve, reject) => {
    w.on('message', (m: { type: string; items?: [string, number][]; received?: number; cpuMs?: number }) => {
      if (m.type === 'received') for (const [key, at] of m.items!) receivedAt.set(key, at);
      if (m.type === 'done') { received += m.received!; clientsCpuMs += m.cpuMs!; resolve(); }
    });
    w.once('exit', code => (code ? reject(new Error(`fan-out client process exited ${code}`)) : resolve()));
  }));
  const shares: { token: string; timed: boolean }[][] = workers.map(() => []);
  for (let i = 0; i < o.orgs; i++) for (let k = 0; k < o.socketsPerOrg; k++) shares[(i * o.socketsPerOrg + k) % o.workers].push({ token: `tok-org${i}`, timed: k === 0 });
  await Promise.all(workers.map((w, n) => new Promise<void>(resolve => {
    const onReady = (m: { type: string }) => { if (m.type === 'ready') { w.off('message', onReady); resolve(); } };
    w.on('message', onReady);
    w.send({ type: 'connect', url: server.url, client: o.client ?? 'raw', sockets: shares[n] });
  })));
  const rssBefore = rssMiB(server.proc.pid!);
  const cpu = () => cpuMs(server.proc.pid!);

  const hookUrl = (org: number) => `${server.url}/webhooks/twilio/org${org}-tw`;
  const plan: { sid: string; status: string; req: LoadRequest }[] = [];
  for (const status of ['sent', 'delivered', 'read']) for (const [sid, org] of sidOrg) {
    const params = { MessageSid: sid, MessageStatus: status, AccountSid: 'AC' + 'f'.repeat(32), From: '+12125550000', To: '+14155550000' };
    plan.push({ sid, status, req: { path: `/webhooks/twilio/org${org}-tw`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, hookUrl(org), params) }, body: new URLSearchParams(params).toString() } });
  }
  // One paced run at the target rate: the first `warmup` callbacks are the warm-up, the next `total` the
  // measured window; every callback changes its message (each message and status once). The generator's
  // connections are all open before it starts (openPool): when answers are late, callbacks queue for a
  // connection (their latency counts from when they were due) instead of opening hundreds more.
  const warmup = Math.min(plan.length, Math.round(o.rate * warmupSeconds));
  const total = Math.min(plan.length - warmup, o.rate * o.seconds);
  const pool = await openPool(server.url, o.connections ?? 256);
  const sentAt = new Map<string, number>();
  let cpu0 = 0, wait0 = 0, main0 = { ran: 0, waited: 0 }, ownCpu0 = process.cpuUsage(), t0 = 0;
  // The measured window's CPU and scheduling figures start when its first callback is sent.
  const windowStarts = async () => {
    cpu0 = cpu(); wait0 = runQueueWaitMs(server.proc.pid!); main0 = mainThreadSchedMs(server.proc.pid!); ownCpu0 = process.cpuUsage();
    await o.around?.start(server.proc.pid!);
    t0 = performance.now();
  };
  let measuredFrom = Infinity; // send time of the first measured callback
  const runStart = performance.now(); // the clients' CPU is shared over the whole paced run (they cannot tell warm-up apart)
  if (!warmup) await windowStarts();
  const run = await pace(server.url, plan.slice(0, warmup + total).map(p => p.req), o.rate, (i, at) => {
    if (i === warmup) { if (warmup) void windowStarts(); measuredFrom = at; }
    sentAt.set(`${plan[i].sid}/${plan[i].status}`, at);
  }, pool);
  pool.destroy();
  const loadMs = performance.now() - t0;
  const serverCpuShare = (cpu() - cpu0) / loadMs; // of one core, while the load ran
  const serverRunQueueShare = (runQueueWaitMs(server.proc.pid!) - wait0) / loadMs; // runnable, waiting for a core
  // The event loop's thread alone: how much it ran and how long it was runnable but not given a core. When
  // ran + waited is near 100%, the loop always had work: the server needed more CPU than it was given.
  const main1 = mainThreadSchedMs(server.proc.pid!);
  const mainThread = { ran: +((main1.ran - main0.ran) / loadMs).toFixed(2), waited: +((main1.waited - main0.waited) / loadMs).toFixed(2) };
  const ownCpu = process.cpuUsage(ownCpu0);
  const generatorCpuShare = (ownCpu.user + ownCpu.system) / 1000 / loadMs;
  await new Promise(r => setTimeout(r, 2000));
  await o.around?.stop();
  const rssAfter = rssMiB(server.proc.pid!);
  workers.forEach(w => w.send({ type: 'stop' }));
  await Promise.all(done);
  // The clients' CPU runs from connect to stop (warm-up, the load and the 2 s drain): a share of that whole span.
  const clientsCpuShare = clientsCpuMs / (performance.now() - runStart);
  // Callback → socket: the measured window (after the warm-up), the whole run (warm-up included) and the warm-up
  // alone; and, as before, the whole run without its first second (the cold start). Reported side by side.
  const latencyOf = ([key, t]: [string, number]) => (receivedAt.has(key) ? [receivedAt.get(key)! - t] : []);
  const sent = [...sentAt];
  const latencies = sent.filter(([, t]) => t >= measuredFrom).flatMap(latencyOf);
  const whole = sent.flatMap(latencyOf);
  const warm = sent.filter(([, t]) => t < measuredFrom).flatMap(latencyOf);
  const firstSent = Math.min(...sentAt.values());
  const steady = sent.filter(([, t]) => t - firstSent >= 1000).flatMap(latencyOf);
  await server.stop();
  await twilio.close();
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const l of [latencies, whole, warm, steady]) l.sort((a, b) => a - b);
  const acks = run.byRequest.slice(warmup).filter(l => !Number.isNaN(l)).sort((a, b) => a - b);
  return {
    sockets: o.orgs * o.socketsPerOrg, orgs: o.orgs, clientProcesses: o.workers, client: o.client ?? 'raw', callbacks: total, offeredPerSecond: Math.round(run.offeredPerSecond),
    warmup: { seconds: warmupSeconds, callbacks: warmup, p50: percentile(warm, 50), p99: percentile(warm, 99) }, connections: o.connections ?? 256,
    // Acks of the measured window; the whole run's (warm-up included) beside them.
    ackP50: percentile(acks, 50), ackP99: percentile(acks, 99), wholeRunAckP99: percentile(run.latencies, 99), errors: run.errors,
    serverWaitingForCpuShare: +serverRunQueueShare.toFixed(2), serverMainThread: mainThread,
    cpuShareOfOneCore: { server: +serverCpuShare.toFixed(2), loadGenerator: +generatorCpuShare.toFixed(2), clients: +clientsCpuShare.toFixed(2) },
    measured: latencies.length, socketMessages: received, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
    wholeRun: { callbacks: warmup + total, measured: whole.length, p50: percentile(whole, 50), p99: percentile(whole, 99) },
    afterFirstSecond: { p50: percentile(steady, 50), p99: percentile(steady, 99) },
    serverRssMiB: { idleWithSockets: rssBefore, afterRun: rssAfter },
  };
}
