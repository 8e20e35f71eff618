// `npm run bench`: three scenarios (BENCH_SCENARIOS=ingest,fanout,growth).
// ingest: signed Twilio callbacks per second accepted by the server (SQLite, then PostgreSQL),
// beside a bare HTTP server answering 204 to the same requests in the same run, and callback → socket
// latency. The server and the baseline each run in their own process; the load comes from this one. The server
// is warmed up (2,000 callbacks) before its maximum is measured, as the bare server is; the paced runs open
// their keep-alive connections first and never open more (bench/lib.ts openPool).
// fanout: 2,000 sockets across 100 orgs, a warm-up at the target rate before the measured window (bench/fanout.ts). growth: 10k/100k/1M stored messages (bench/growth.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { startFakeTwilio } from '../server/testing/fakeTwilio';
import { spawnNode, startServerProcess, whenListening } from '../server/testing/serverProcess';
import { ACCOUNT_SID, AUTH_TOKEN, TOKENS, worldSeed } from '../server/testing/world';
import { twilioSignature } from '../server/providers/twilio';
import { createTestDatabase, type Backend } from '../server/testing';
import { measureFanout } from './fanout';
import { measureGrowth } from './growth';
import { blast, cpuMeter, lateStretches, mainThreadSchedMs, openPool, pace, percentile, rssMiB, runQueueWaitMs, type LoadRequest } from './lib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_SERVER_ROOT: run the server from another checkout (e.g. a worktree of an earlier commit), so a
// before/after pair is measured by the same bench, in the same run.
const serverRoot = path.resolve(process.env.BENCH_SERVER_ROOT ?? root);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const LATENCY_RATE = Number(process.env.BENCH_LATENCY_RATE ?? 500);
const LATENCY_COUNT = Number(process.env.BENCH_LATENCY_COUNT ?? 1000);
// Messages whose callbacks warm the server up before its maximum is measured ('sent' then 'delivered', 64 in
// flight, as the bare server's warm-up): the webhook path's first runs are not in the measured figure.
const WARMUP_MESSAGES = Number(process.env.BENCH_WARMUP_MESSAGES ?? 1000);
// The paced runs' keep-alive connections, all opened before the run (bench/lib.ts openPool).
const PACE_CONNECTIONS = Number(process.env.BENCH_PACE_CONNECTIONS ?? 256);
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function measure(backend: Backend) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-bench-'));
  const db = await createTestDatabase(backend);
  const twilio = await startFakeTwilio();
  fs.writeFileSync(path.join(dir, 'seed.json'), JSON.stringify(worldSeed(twilio.url)));
  // BENCH_NODE_ARGS passes flags to the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = await startServerProcess({
    PORT: '0', DATABASE_URL: db.url, SEED: path.join(dir, 'seed.json'), PUBLIC_URL: '', NODE_ENV: 'production',
  }, { nodeArgs, root: serverRoot });
  const bare = await whenListening(spawnNode([path.join(root, 'bench/bareServer.mjs')]));
  const hookPath = '/webhooks/twilio/tw-north';
  const hookUrl = server.url + hookPath;

  // Messages to report on: created through the API, as agents do.
  console.log(`creating ${MESSAGES + LATENCY_COUNT + WARMUP_MESSAGES} messages through POST /api/messages …`);
  const sends: LoadRequest[] = Array.from({ length: MESSAGES + LATENCY_COUNT + WARMUP_MESSAGES }, (_, i) => ({
    path: '/api/messages', headers: { authorization: `Bearer ${TOKENS.ana}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: `+1415555${String(1000 + (i % 8000)).padStart(4, '0')}`, body: `bench ${i}` }),
  }));
  const created = await blast(server.url, sends, 16);
  const sids = twilio.sends.map(s => s.sid);
  const [loadSids, latencySids, warmupSids] = [sids.slice(0, MESSAGES), sids.slice(MESSAGES, MESSAGES + LATENCY_COUNT), sids.slice(MESSAGES + LATENCY_COUNT)];

  const callback = (sid: string, status: string): LoadRequest => {
    const params = { MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, AccountSid: ACCOUNT_SID, From: '+12125550100', To: '+14155551000', ApiVersion: '2010-04-01' };
    return { path: hookPath, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, hookUrl, params) }, body: new URLSearchParams(params).toString() };
  };
  const load = [...loadSids.map(s => callback(s, 'sent')), ...loadSids.map(s => callback(s, 'delivered'))];

  // Warm both up, then measure the same requests against each.
  await blast(bare.url, load.slice(0, 2000), CONCURRENCY);
  await blast(server.url, [...warmupSids.map(s => callback(s, 'sent')), ...warmupSids.map(s => callback(s, 'delivered'))], CONCURRENCY);
  const bareCpu = cpuMeter(bare.proc.pid!);
  const baseline = await blast(bare.url, load, CONCURRENCY);
  const bareCpuUs = bareCpu(load.length);
  const ingestCpu = cpuMeter(server.proc.pid!);
  const wait0 = runQueueWaitMs(server.proc.pid!);
  const ingestStart = performance.now();
  const ingest = await blast(server.url, load, CONCURRENCY);
  const ingestCpuUs = ingestCpu(load.length);
  const ingestWaitShare = (runQueueWaitMs(server.proc.pid!) - wait0) / (performance.now() - ingestStart);
  const ingestRss = rssMiB(server.proc.pid!);

  // Acknowledgement latency at half the maximum just measured, offered open-loop (paced, not 64 in flight):
  // 'read' for the same messages, so every callback changes something; the bare server gets the same pace.
  // BENCH_PACED_RATE: the paced runs at this rate instead (before/after pairs at one offered rate).
  const halfRate = Number(process.env.BENCH_PACED_RATE) || Math.max(1, Math.round(ingest.perSecond / 2));
  const pacedLoad = loadSids.map(s => callback(s, 'read'));
  // Each paced run gets its connections opened first (not counted in its CPU) and never opens more: when
  // answers are late, callbacks wait for a free connection, their latency counted from when they were due.
  const serverPool = await openPool(server.url, PACE_CONNECTIONS);
  const halfCpu = cpuMeter(server.proc.pid!);
  const halfMain0 = mainThreadSchedMs(server.proc.pid!).ran;
  const halfServer = await pace(server.url, pacedLoad, halfRate, undefined, serverPool);
  // The event loop's own thread, apart from the thread pool's fdatasyncs and the WAL checkpointer's worker.
  const halfMainUs = (1000 * (mainThreadSchedMs(server.proc.pid!).ran - halfMain0)) / pacedLoad.length;
  // At a fixed offered rate the batches are smaller than with 64 in flight: the CPU per callback here shows
  // what the per-commit costs weigh at a moderate load.
  const halfCpuUs = halfCpu(pacedLoad.length);
  serverPool.destroy();
  // The WAL's file only grows (SQLite reuses it from its start after a complete checkpoint): its size now is the
  // most it held in this run, creating the messages included.
  const walMiB = backend === 'sqlite' ? +(fs.statSync(db.url.slice('file:'.length) + '-wal').size / 2 ** 20).toFixed(1) : null;
  const barePool = await openPool(bare.url, PACE_CONNECTIONS);
  const halfBareCpu = cpuMeter(bare.proc.pid!);
  const halfBare = await pace(bare.url, pacedLoad, halfRate, undefined, barePool);
  // The bare server's CPU per request at the same pace: what answering a lone request costs at all here.
  const halfBareCpuUs = halfBareCpu(pacedLoad.length);
  barePool.destroy();

  // Callback → socket: a supervisor's socket, callbacks paced at LATENCY_RATE per second.
  const socket = io(server.url, { auth: { token: TOKENS.sue }, transports: ['websocket'] });
  await new Promise<void>(r => socket.on('connect', () => r()));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const done = new Promise<void>(resolve => {
    socket.on('message:updated', e => {
      const t0 = e.message.providerMessageId && sentAt.get(e.message.providerMessageId);
      if (t0 && e.message.status === 'delivered') {
        latencies.push(performance.timeOrigin + performance.now() - t0);
        if (latencies.length === latencySids.length) resolve();
      }
    });
  });
  const paced = latencySids.map(s => callback(s, 'delivered'));
  const socketRun = pace(server.url, paced, LATENCY_RATE, (i, at) => sentAt.set(latencySids[i], at));
  await Promise.race([done, new Promise(r => setTimeout(r, 30_000))]);
  await socketRun;
  socket.close();
  latencies.sort((a, b) => a - b);

  await server.stop();
  await bare.stop();
  await twilio.close();
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });

  const results = {
    backend,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}`,
    loadAverage: os.loadavg().map(n => +n.toFixed(2)),
    messagesCreated: { count: sends.length, perSecond: Math.round(created.perSecond), errors: created.errors },
    ingest: { callbacks: load.length, concurrency: CONCURRENCY, perSecond: Math.round(ingest.perSecond), p50: percentile(ingest.latencies, 50), p99: percentile(ingest.latencies, 99), errors: ingest.errors, serverRssMiB: ingestRss, serverCpuPerCallbackUs: Math.round(ingestCpuUs), serverWaitingForCpuShare: +ingestWaitShare.toFixed(2) },
    halfRate: {
      rate: halfRate, callbacks: pacedLoad.length,
      connections: PACE_CONNECTIONS,
      server: { offered: Math.round(halfServer.offeredPerSecond), p50: percentile(halfServer.latencies, 50), p99: percentile(halfServer.latencies, 99), errors: halfServer.errors, cpuPerCallbackUs: Math.round(halfCpuUs), mainThreadPerCallbackUs: Math.round(halfMainUs), late: lateStretches(halfServer.byRequest, halfRate) },
      bare: { offered: Math.round(halfBare.offeredPerSecond), p50: percentile(halfBare.latencies, 50), p99: percentile(halfBare.latencies, 99), errors: halfBare.errors, cpuPerRequestUs: Math.round(halfBareCpuUs) },
    },
    walMiB,
    bare: { perSecond: Math.round(baseline.perSecond), p50: percentile(baseline.latencies, 50), p99: percentile(baseline.latencies, 99), errors: baseline.errors, cpuPerRequestUs: Math.round(bareCpuUs) },
    socketLatency: { rate: LATENCY_RATE, received: latencies.length, of: latencySids.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
  };
  console.log(`
machine: ${results.machine}, load average ${results.loadAverage.join(' ')} (at the end of this backend's run)
sends through POST /api/messages (fake Twilio on loopback): ${results.messagesCreated.perSecond}/s
ingest, signed Twilio callbacks, after a warm-up of ${2 * warmupSids.length}, ${backend === 'sqlite' ? 'SQLite (WAL, group commit, acknowledged after the WAL is synced)' : 'PostgreSQL (group commit)'}, ${CONCURRENCY} in flight:
  ${results.ingest.perSecond} callbacks/s   ack p50 ${ms(results.ingest.p50)}  p99 ${ms(results.ingest.p99)}   errors ${results.ingest.errors}   server RSS ${results.ingest.serverRssMiB} MiB   server CPU ${results.ingest.serverCpuPerCallbackUs} µs/callback, waited for a core ${(100 * results.ingest.serverWaitingForCpuShare).toFixed(0)}% of the time
bare HTTP server (204), the same ${load.length} requests:
  ${results.bare.perSecond} req/s   p50 ${ms(results.bare.p50)}  p99 ${ms(results.bare.p99)}   CPU ${results.bare.cpuPerRequestUs} µs/request
  → TextTrail at ${(100 * results.ingest.perSecond / results.bare.perSecond).toFixed(0)}% of the bare server
${process.env.BENCH_PACED_RATE ? 'at BENCH_PACED_RATE' : 'at half that maximum'}, ${halfRate}/s paced (open loop, ${pacedLoad.length} 'read' callbacks over ${PACE_CONNECTIONS} connections opened first; latency from when each was due):
  TextTrail ack p50 ${ms(results.halfRate.server.p50)}  p99 ${ms(results.halfRate.server.p99)}  (offered ${results.halfRate.server.offered}/s, errors ${results.halfRate.server.errors}, server CPU ${results.halfRate.server.cpuPerCallbackUs} µs/callback, ${results.halfRate.server.mainThreadPerCallbackUs} of them on the event loop's thread)
    late (> 10 ms): ${results.halfRate.server.late.late} callbacks, in ${results.halfRate.server.late.stretches} stretches of send time, the longest ${results.halfRate.server.late.longestMs} ms
  bare      ack p50 ${ms(results.halfRate.bare.p50)}  p99 ${ms(results.halfRate.bare.p99)}  (offered ${results.halfRate.bare.offered}/s, CPU ${results.halfRate.bare.cpuPerRequestUs} µs/request)${walMiB === null ? '' : `\n  the WAL file after it: ${walMiB} MiB`}
callback → socket message:updated at ${LATENCY_RATE}/s (${latencies.length}/${latencySids.length} received):
  p50 ${ms(results.socketLatency.p50)}  p99 ${ms(results.socketLatency.p99)}`);
  if (ingest.errors || halfServer.errors || latencies.length !== latencySids.length) process.exitCode = 1;
  return results;
}

async function main() {
  const scenarios = (process.env.BENCH_SCENARIOS ?? 'ingest,fanout,growth').split(',');
  const results: Record<string, unknown> = {};
  if (scenarios.includes('ingest')) {
    results.ingest = [];
    for (const backend of (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',') as Backend[]) {
      console.log(`\n=== ingest: ${backend} (server from ${serverRoot}) ===`);
      (results.ingest as unknown[]).push(await measure(backend));
    }
  }
  if (scenarios.includes('fanout')) {
    console.log('\n=== fan-out ===');
    const orgs = Number(process.env.BENCH_FANOUT_ORGS ?? 100);
    const perOrg = Number(process.env.BENCH_FANOUT_SOCKETS_PER_ORG ?? 20);
    const fan = [];
    for (const rate of (process.env.BENCH_FANOUT_RATES ?? '500,2000').split(',').map(Number)) {
      const workers = Number(process.env.BENCH_FANOUT_WORKERS ?? 2);
      const r = await measureFanout({ root, serverRoot, nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), orgs, socketsPerOrg: perOrg, rate, seconds: Number(process.env.BENCH_FANOUT_SECONDS ?? 5), warmupSeconds: Number(process.env.BENCH_FANOUT_WARMUP_SECONDS ?? 3), connections: PACE_CONNECTIONS, workers, client: process.env.BENCH_FANOUT_CLIENT === 'socket.io' ? 'socket.io' : 'raw' });
      fan.push({ ...r, loadAverage: os.loadavg().map(n => +n.toFixed(2)) });
      console.log(`${r.sockets} sockets in ${r.orgs} orgs (clients in ${r.clientProcesses} processes), callbacks at ${r.offeredPerSecond}/s over ${r.connections} connections opened first, ${r.warmup.seconds} s warm-up then ${r.callbacks} measured: callback → socket p50 ${ms(r.p50)}  p99 ${ms(r.p99)} in the measured window (${r.measured}/${r.callbacks} received); whole run (warm-up included) p50 ${ms(r.wholeRun.p50)}  p99 ${ms(r.wholeRun.p99)} (${r.wholeRun.measured}/${r.wholeRun.callbacks}; warm-up alone p99 ${ms(r.warmup.p99)}; whole run after its first second p99 ${ms(r.afterFirstSecond.p99)}); ${r.socketMessages} socket messages; ack p50 ${ms(r.ackP50)} p99 ${ms(r.ackP99)} (whole run p99 ${ms(r.wholeRunAckP99)}), errors ${r.errors}; CPU in % of one core: server ${(100 * r.cpuShareOfOneCore.server).toFixed(0)}, load generator ${(100 * r.cpuShareOfOneCore.loadGenerator).toFixed(0)}, socket clients ${(100 * r.cpuShareOfOneCore.clients).toFixed(0)}; server waited for a core ${(100 * r.serverWaitingForCpuShare).toFixed(0)}% of the time (its event loop's thread ran ${(100 * r.serverMainThread.ran).toFixed(0)}% and waited ${(100 * r.serverMainThread.waited).toFixed(0)}%); RSS ${r.serverRssMiB.idleWithSockets} → ${r.serverRssMiB.afterRun} MiB; load average ${os.loadavg().map(n => n.toFixed(2)).join(' ')}`);
    }
    results.fanout = fan;
  }
  if (scenarios.includes('growth')) {
    console.log('\n=== growth (SQLite) ===');
    const sizes = (process.env.BENCH_GROWTH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
    const growth = await measureGrowth(root, sizes, 5000, CONCURRENCY);
    for (const g of growth) console.log(`${String(g.stored).padStart(8)} stored: ${g.perSecond} callbacks/s  p50 ${ms(g.p50)}  p99 ${ms(g.p99)}  server RSS ${g.serverRssMiB} MiB  db ${g.dbMiB} MiB  threads query ${g.threadsQueryMs} ms`);
    results.growth = growth;
  }
  fs.mkdirSync(path.join(root, 'bench/.results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/.results/latest.json'), JSON.stringify(results, null, 2));
}

main().catch(e => { console.error(e); process.exit(1); });
