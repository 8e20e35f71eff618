// Benchmark plumbing: load generators over the lean client of rawHttp.ts (closed loop with a fixed number in
// flight, open loop at a fixed rate), percentiles, and the server's CPU time and memory from /proc. Processes
// start through server/testing/serverProcess.ts.
import fs from 'node:fs';
import { encodeRequest, openConnections, type LoadRequest, type RawConnection } from './rawHttp';

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export type { LoadRequest } from './rawHttp';

/**
 * Where a paced run's late answers were: how many took over `lateMs`, and in how many stretches of send time
 * (late callbacks due within `gapMs` of each other belong to one stretch). A few long stretches are stalls (a
 * slow disk sync, a collection); many short ones, a server that keeps falling behind. `byRequest`: each
 * callback's latency in send order (pace), `rate`: callbacks a second.
 */
export function lateStretches(byRequest: readonly number[], rate: number, lateMs = 10, gapMs = 10): { late: number; stretches: number; longestMs: number } {
  let late = 0;
  let stretches = 0;
  let longest = 0;
  let start = 0;
  let end = -Infinity;
  byRequest.forEach((latency, i) => {
    if (!(latency > lateMs)) return;
    late++;
    const due = (i * 1000) / rate;
    if (due - end > gapMs) { stretches++; start = due; }
    end = due;
    longest = Math.max(longest, end - start);
  });
  return { late, stretches, longestMs: Math.round(longest * 10) / 10 };
}

/** Sends every request with `concurrency` in flight over keep-alive connections; returns req/s and latencies. */
export async function blast(baseUrl: string, requests: LoadRequest[], concurrency: number): Promise<{ perSecond: number; latencies: number[]; errors: number }> {
  const host = new URL(baseUrl).host;
  const encoded = requests.map(r => encodeRequest(host, r));
  const connections = await openConnections(baseUrl, Math.min(concurrency, requests.length));
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(connections.map(async c => {
    while (next < encoded.length) {
      const sentAt = performance.now();
      // A connection the server closed or broke counts as an error and is not used again.
      const status = await c.send(encoded[next++]).catch(() => 0);
      if (status === 0 || status >= 300) errors++;
      if (status === 0) return;
      latencies.push(performance.now() - sentAt);
    }
  }));
  errors += encoded.length - next; // left unsent when every connection broke
  const seconds = (performance.now() - t0) / 1000;
  for (const c of connections) c.close();
  return { perSecond: requests.length / seconds, latencies: latencies.sort((a, b) => a - b), errors };
}

/** Keep-alive connections opened before a paced run (openPool); close them when done. */
export interface Pool { connections: RawConnection[]; destroy(): void }

/**
 * Open-loop load: request i is due at start + i / rate, whatever happened to the earlier ones (a slow server
 * does not slow the offer down). Latency counts from when a request was due, so a generator that falls
 * behind shows as latency, never as a missing sample. `onSent(i, at)`: when request i went out
 * (performance.timeOrigin + performance.now(), comparable across processes on this machine).
 * With a `pool`, requests use only its connections, one at a time each: when all are busy, a request waits
 * (first come, first served) for a free one. Without, a pool of 256 is opened first.
 */
export async function pace(baseUrl: string, requests: LoadRequest[], rate: number, onSent?: (i: number, at: number) => void, pool?: Pool): Promise<{ offeredPerSecond: number; latencies: number[]; byRequest: number[]; errors: number }> {
  const host = new URL(baseUrl).host;
  const encoded = requests.map(r => encodeRequest(host, r));
  const own = pool ?? await openPool(baseUrl, Math.min(256, requests.length));
  const idle = [...own.connections];
  const queued: number[] = [];
  const latencies: number[] = [];
  const byRequest: number[] = new Array(requests.length).fill(NaN); // each request's latency, in send order
  let errors = 0;
  let answered = 0;
  let allAnswered!: () => void;
  const done = new Promise<void>(r => { allAnswered = r; });
  const start = performance.now();
  const due = (i: number) => start + (i * 1000) / rate;
  let alive = idle.length;
  const answer = (i: number, ok: boolean) => {
    if (!ok) errors++;
    latencies.push((byRequest[i] = performance.now() - due(i)));
    if (++answered === requests.length) allAnswered();
  };
  const run = (c: RawConnection, i: number): void => {
    c.send(encoded[i]).catch(() => 0).then(status => {
      answer(i, status !== 0 && status < 300);
      // A connection the server closed or broke is not used again; with none left, what waits fails.
      if (status === 0) { if (--alive === 0) for (const j of queued.splice(0)) answer(j, false); return; }
      const waiting = queued.shift();
      if (waiting === undefined) idle.push(c); else run(c, waiting);
    });
  };
  let i = 0;
  while (i < requests.length) {
    const upTo = Math.min(requests.length, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; i < upTo; i++) {
      onSent?.(i, performance.timeOrigin + performance.now());
      const c = idle.shift();
      if (c) run(c, i); else if (alive) queued.push(i); else answer(i, false);
    }
    if (i < requests.length) await new Promise(r => setTimeout(r, Math.max(0, due(i) - performance.now())));
  }
  const offeredPerSecond = requests.length / ((performance.now() - start) / 1000);
  if (requests.length) await done;
  if (!pool) own.destroy();
  return { offeredPerSecond, latencies: latencies.sort((a, b) => a - b), byRequest, errors };
}

/**
 * A pool of exactly `size` keep-alive connections to `baseUrl`, opened now, for pace(): during the measured
 * load no connection is opened, and when all are busy (the server's answers are late) a request waits for a
 * free one instead of opening another; its latency still counts from when it was due, so the wait shows.
 */
export async function openPool(baseUrl: string, size: number): Promise<Pool> {
  const connections = await openConnections(baseUrl, size);
  return { connections, destroy: () => { for (const c of connections) c.close(); } };
}

/** A process's CPU time so far (user + system), in milliseconds, from /proc. */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100); // clock ticks of 1/100 s
}

/** Starts counting a process's CPU time: the function returned gives the µs it spent since, per one of `items`. */
export function cpuMeter(pid: number): (items: number) => number {
  const start = cpuMs(pid);
  return items => (1000 * (cpuMs(pid) - start)) / items;
}

/** A process's resident memory, in MiB, from /proc. */
export function rssMiB(pid: number): number {
  return Math.round(Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1]) / 1024);
}

/**
 * How long a process's threads have waited, runnable, for a CPU so far (ms, /proc/PID/task/* /schedstat): on a
 * shared machine this says whether the process was slow or was not given a core.
 */
export function runQueueWaitMs(pid: number): number {
  let ns = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try { ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]); } catch { /* thread gone */ }
  }
  return ns / 1e6;
}

/**
 * The same for the process's main thread alone (its event loop): ran and waited runnable, in ms so far
 * (/proc/PID/task/PID/schedstat). The sum over threads above also counts the thread pool and V8's helpers.
 */
export function mainThreadSchedMs(pid: number): { ran: number; waited: number } {
  const [ran, waited] = fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ').map(Number);
  return { ran: ran / 1e6, waited: waited / 1e6 };
}
