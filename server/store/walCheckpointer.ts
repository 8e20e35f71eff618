// SQLite's WAL checkpoints on a worker thread. The automatic checkpoint (every 1,000 WAL pages) runs inside a
// commit on the event loop: it copies the pages into the database file and fsyncs it, 5–27 ms here during
// which no callback is parsed or answered (docs/benchmarks.md, sessions 3–5). The worker
// (walCheckpointer.worker.mjs) checkpoints through a connection of its own instead.
//
// SQLite reuses the WAL from its start only after a checkpoint has copied every frame with no commit after it;
// under steady load the store commits all the time, so the worker's last round runs while the store holds its
// busy write paths (`hold`: callbacks, sends, inbound texts): they queue unanswered for that round, the event
// loop stays free. The rare other writes are not held; if they ever keep the WAL from restarting, SQLite's own
// checkpoint, moved up to `backstopFrames`, copies what the worker has left inside a commit.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export interface WalCheckpointerOptions {
  /** WAL frames (pages) that start a checkpoint; SQLite's automatic checkpoint uses 1,000. */
  thresholdFrames?: number;
  /** How often the worker looks at the WAL's length. */
  pollMs?: number;
  /** Frames left that the last round may copy while the busy writes are held. */
  finalFrames?: number;
  /** Rounds while commits go on, at most, before the held one. */
  maxRounds?: number;
  /** Commits are never held longer than this, whatever the worker does. */
  maxHoldMs?: number;
  /** WAL frames at which SQLite's own checkpoint runs in a commit after all (default 4 × thresholdFrames). */
  backstopFrames?: number;
}

/** SQLite's automatic checkpoint, as the store had it before (and has again if the worker fails). */
const SQLITE_AUTOCHECKPOINT = 1000;

/** A finished checkpoint cycle, as SQLite's wal_checkpoint reports its last round. */
export interface CheckpointCycle {
  rounds: number;
  /** Whether its last round ran while the store's busy writes were held. */
  paused: boolean;
  /** Whether every frame was in the database file at its end, so that SQLite's next commit restarts the WAL. */
  restartable: boolean;
  /** 1 when the round could not take the checkpoint lock. */
  busy: number;
  /** Frames in the WAL when the last round started, and how many of them are in the database file. */
  log: number;
  checkpointed: number;
}

export class WalCheckpointer {
  private worker: Worker;
  private held: { promise: Promise<void>; release(): void } | null = null;
  private closed = false;
  /** Counts, for tests and for the curious. */
  readonly stats = { cycles: 0, paused: 0, restartable: 0, heldMs: 0, maxHeldMs: 0, last: null as CheckpointCycle | null };
  /** Resolves when the worker thread has ended. */
  readonly exited: Promise<void>;

  /**
   * For `db`, a file-backed connection in WAL mode. `onFailure` runs once if the worker fails: `db` is back on
   * SQLite's own checkpoint by then.
   */
  constructor(private db: Database.Database, options: WalCheckpointerOptions, private onFailure: (e: Error) => void) {
    const { thresholdFrames = 1000, pollMs = 10, finalFrames = 64, maxRounds = 4, maxHoldMs = 50 } = options;
    db.pragma(`wal_autocheckpoint = ${options.backstopFrames ?? 4 * thresholdFrames}`);
    this.worker = new Worker(new URL('./walCheckpointer.worker.mjs', import.meta.url), {
      workerData: { file: path.resolve(db.name), thresholdFrames, pollMs, finalFrames, maxRounds },
      // Plain JavaScript: no need for the parent's flags (tsx's loader, a profiler) in this thread.
      execArgv: [],
    });
    this.worker.on('message', (m: { type: string; message?: string } & CheckpointCycle) => {
      if (m.type === 'pause') this.holdCommits(maxHoldMs);
      else if (m.type === 'resume') this.release();
      else if (m.type === 'cycle') this.counted(m);
      else if (m.type === 'error') this.fail(new Error(`WAL checkpointer: ${m.message}`));
    });
    this.worker.on('error', e => this.fail(e));
    this.exited = new Promise(r => this.worker.once('exit', () => r()));
    this.worker.on('exit', code => { if (!this.closed) this.fail(new Error(`WAL checkpointer exited (${code})`)); });
    // A checkpointer is no reason to keep the process alive; close() ends it. After the listeners: adding a
    // 'message' listener refs the worker's port again.
    this.worker.unref();
  }

  /** While set, the store's busy writes wait for it: the worker's last round is copying the WAL's remaining frames. */
  get hold(): Promise<void> | null {
    return this.held?.promise ?? null;
  }

  private holdCommits(maxHoldMs: number): void {
    if (this.closed) return;
    if (!this.held) {
      let release!: () => void;
      const promise = new Promise<void>(r => { release = r; });
      const timer = setTimeout(() => this.release(), maxHoldMs);
      const since = performance.now();
      this.held = {
        promise,
        release: () => {
          clearTimeout(timer);
          const ms = performance.now() - since;
          this.stats.heldMs += ms;
          this.stats.maxHeldMs = Math.max(this.stats.maxHeldMs, ms);
          release();
        },
      };
    }
    // Posted from the event loop, so no transaction of this connection is open: the last round sees no writer.
    this.worker.postMessage({ type: 'paused' });
  }

  private release(): void {
    const held = this.held;
    this.held = null;
    held?.release();
  }

  private counted(cycle: CheckpointCycle): void {
    this.stats.cycles++;
    if (cycle.paused) this.stats.paused++;
    if (cycle.restartable) this.stats.restartable++;
    this.stats.last = { rounds: cycle.rounds, paused: cycle.paused, restartable: cycle.restartable, busy: cycle.busy, log: cycle.log, checkpointed: cycle.checkpointed };
  }

  private fail(e: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    void this.worker.terminate();
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT}`);
    this.onFailure(e);
  }

  /** Stops the worker and closes its connection; writes are no longer held. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.release();
    this.worker.postMessage({ type: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), 2000);
    await this.exited;
    clearTimeout(timer);
  }
}
