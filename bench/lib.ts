// Benchmark plumbing: child processes, a keep-alive load generator, percentiles.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface Child { proc: ChildProcess; url: string; stop(): Promise<void> }

/** Starts a process that prints "listening on URL" and waits for that line. */
export function startChild(cmd: string, args: string[], env: Record<string, string>): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        proc.stdout!.off('data', onData);
        resolve({ proc, url: m[1], stop: () => new Promise(r => { proc.once('exit', () => r()); proc.kill('SIGTERM'); }) });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', d => { out += d; });
    proc.once('exit', code => reject(new Error(`${cmd} exited ${code}: ${out}`)));
  });
}

export interface LoadRequest { path: string; headers: Record<string, string>; body: string }

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
