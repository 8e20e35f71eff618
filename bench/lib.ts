// Benchmark plumbing: load generators (closed loop with a fixed number in flight, open loop at a fixed rate),
// percentiles, and the server's CPU time and memory from /proc. Processes start through server/testing/serverProcess.ts.
import fs from 'node:fs';
import http from 'node:http';

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface LoadRequest { path: string; headers: Record<string, string>; body: string }

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
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const one = (r: LoadRequest) => new Promise<void>(resolve => {
    const t0 = performance.now();
    const req = http.request({ host: url.hostname, port: url.port, path: r.path, method: 'POST', agent, headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) } }, res => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode! >= 300) errors++;
        latencies.push(performance.now() - t0);
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end(r.body);
  });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests.length) await one(requests[next++]);
  }));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { perSecond: requests.length / seconds, latencies: latencies.sort((a, b) => a - b), errors };
}

/**
 * Open-loop load: request i is due at start + i / rate, whatever happened to the earlier ones (a slow server
 * does not slow the offer down). Latency counts from when a request was due, so a generator that falls
 * behind shows as latency, never as a missing sample. `onSent(i, at)`: when request i went out
 * (performance.timeOrigin + performance.now(), comparable across processes on this machine).
 */
export async function pace(baseUrl: string, requests: LoadRequest[], rate: number, onSent?: (i: number, at: number) => void, pool?: http.Agent): Promise<{ offeredPerSecond: number; latencies: number[]; byRequest: number[]; errors: number }> {
  const url = new URL(baseUrl);
  // Without a pool (openPool below) the agent opens a connection whenever all are busy, up to 1,024.
  const agent = pool ?? new http.Agent({ keepAlive: true, maxSockets: 1024 });
  const latencies: number[] = [];
  const byRequest: number[] = new Array(requests.length).fill(NaN); // each request's latency, in send order
  let errors = 0;
  const one = (r: LoadRequest, due: number, index: number) => new Promise<void>(resolve => {
    const req = http.request({ host: url.hostname, port: url.port, path: r.path, method: 'POST', agent, headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) } }, res => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode! >= 300) errors++;
        latencies.push((byRequest[index] = performance.now() - due));
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end(r.body);
  });
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  let i = 0;
  while (i < requests.length) {
    const upTo = Math.min(requests.length, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; i < upTo; i++) {
      onSent?.(i, performance.timeOrigin + performance.now());
      inFlight.push(one(requests[i], start + (i * 1000) / rate, i));
    }
    if (i < requests.length) await new Promise(r => setTimeout(r, Math.max(0, start + (i * 1000) / rate - performance.now())));
  }
  const offeredPerSecond = requests.length / ((performance.now() - start) / 1000);
  await Promise.all(inFlight);
  if (!pool) agent.destroy();
  return { offeredPerSecond, latencies: latencies.sort((a, b) => a - b), byRequest, errors };
}

/**
 * A keep-alive pool of exactly `size` connections to `baseUrl`, opened now (one GET each to a path that answers
 * 404 without touching the database), for pace(): during the measured load no connection is opened, and when
 * all are busy (the server's answers are late) a request waits in the agent's queue for a free one instead of
 * opening another — its latency still counts from when it was due, so the wait shows. FIFO, so every
 * connection is used and none sits idle long enough to be closed. Destroy it when done.
 */
export async function openPool(baseUrl: string, size: number): Promise<http.Agent> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: size, maxFreeSockets: size, scheduling: 'fifo' });
  await Promise.all(Array.from({ length: size }, () => new Promise<void>((resolve, reject) => {
    http.get({ host: url.hostname, port: url.port, path: '/bench/open-connection', agent }, res => { res.resume(); res.on('end', resolve); }).on('error', reject);
  })));
  const open = Object.values(agent.freeSockets).reduce((n, list) => n + (list?.length ?? 0), 0);
  if (open !== size) throw new Error(`openPool: ${open} of ${size} connections open`);
  return agent;
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
