// The server as a real process (`npm run server`'s entry point), for tests that kill it. Node itself runs
// the server, with tsx as an import hook: the `tsx` binary would run it in a child process of its own, and a
// SIGKILL sent to the wrapper cannot be relayed, so the real server would live on as an orphan.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ENTRY = path.resolve(__dirname, '../../index.ts');
const ROOT = path.resolve(__dirname, '../../..');

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then wait for the exit. */
  stop(): Promise<void>;
}

export function startServerProcess(env: Record<string, string>, timeoutMs = 20_000): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let started = false;
    const exited = new Promise<number | null>(r => proc.on('exit', code => r(code)));
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`server did not start within ${timeoutMs} ms: ${out}`)); }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d;
      const m = !started && out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        started = true;
        clearTimeout(timer);
        resolve({
          proc, url: m[1], output: () => out, exited,
          kill: async () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); await exited; },
          stop: async () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM'); await exited; },
        });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then(code => { if (!started) { clearTimeout(timer); reject(new Error(`server exited ${code}: ${out}`)); } });
  });
}
