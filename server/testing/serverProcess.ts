// The server as a real process (`npm run server`'s entry point), for tests that kill it and for the benches;
// the one place that spawns it. Node itself runs the server, with tsx as an import hook: the `tsx` binary
// would run it in a child process of its own, and a signal sent to the wrapper (SIGKILL cannot be relayed)
// would leave the real server running as an orphan.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository this file belongs to. */
export const REPO_ROOT = path.resolve(HERE, '../..');

export interface SpawnedProcess {
  proc: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

export interface ListeningProcess extends SpawnedProcess {
  /** Where it listens, from its "listening on URL" line. */
  url: string;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then wait for the exit. */
  stop(): Promise<void>;
}

/** A server process that listens. */
export type ServerProcess = ListeningProcess;

export interface ServerProcessOptions {
  /** Flags for the server's node, e.g. ['--cpu-prof']. */
  nodeArgs?: string[];
  /** Run the server of another checkout (a worktree of an earlier commit, for before/after benches). */
  root?: string;
  /** How long to wait for "listening on" (default 20 s). */
  timeoutMs?: number;
}

/** `node [nodeArgs] --import tsx <root>/server/index.ts`: the arguments, for spawners of their own. */
export function serverArgs(opts: Pick<ServerProcessOptions, 'nodeArgs' | 'root'> = {}): string[] {
  return [...(opts.nodeArgs ?? []), '--import', 'tsx', path.join(opts.root ?? REPO_ROOT, 'server/index.ts')];
}

/** Spawns `node args…` with `env` added to this process's environment, collecting its output. */
export function spawnNode(args: string[], env: Record<string, string> = {}, cwd = REPO_ROOT): SpawnedProcess {
  const proc = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', d => { out += d; });
  proc.stderr!.on('data', d => { out += d; });
  const exited = new Promise<number | null>(r => proc.on('exit', code => r(code)));
  return { proc, output: () => out, exited };
}

/** Waits for a spawned process's "listening on URL" line; rejects if it exits first or takes too long. */
export function whenListening(p: SpawnedProcess, timeoutMs = 20_000): Promise<ListeningProcess> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (f: () => void) => { if (!settled) { settled = true; clearTimeout(timer); p.proc.stdout!.off('data', check); p.proc.stderr!.off('data', check); f(); } };
    const timer = setTimeout(() => done(() => { p.proc.kill('SIGKILL'); reject(new Error(`process did not start within ${timeoutMs} ms: ${p.output()}`)); }), timeoutMs);
    const alive = () => p.proc.exitCode === null && p.proc.signalCode === null;
    const check = () => {
      const m = p.output().match(/listening on (http:\/\/\S+)/);
      if (m) done(() => resolve({
        ...p, url: m[1],
        kill: async () => { if (alive()) p.proc.kill('SIGKILL'); await p.exited; },
        stop: async () => { if (alive()) p.proc.kill('SIGTERM'); await p.exited; },
      }));
    };
    // Listeners added after spawnNode's, so output() already holds the chunk being checked.
    p.proc.stdout!.on('data', check);
    p.proc.stderr!.on('data', check);
    check();
    void p.exited.then(code => done(() => reject(new Error(`process exited ${code} before listening: ${p.output()}`))));
  });
}

/** Starts the server with `env` (PORT, DATABASE_URL, SEED, …) and waits until it listens. */
export function startServerProcess(env: Record<string, string>, opts: ServerProcessOptions = {}): Promise<ServerProcess> {
  return whenListening(spawnNode(serverArgs(opts), env), opts.timeoutMs);
}
