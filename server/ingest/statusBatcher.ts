// Group commit for status callbacks: every callback that arrives while the event loop is busy joins one
// transaction, flushed on the next turn. Each request is answered only after that transaction commits, so
// nothing is acknowledged before it is durable, and a burst costs one fsync instead of one per callback.
//
// Commits are spaced while batches are small: after a commit starts, the next one waits until `minBatch` (8)
// callbacks are queued or `minCommitIntervalMs` (3 ms) has passed since it started, whichever comes first. A
// commit has a fixed cost — on SQLite the transaction, its WAL pages and the fdatasync with its hand-off to the
// thread pool, about 200 µs of CPU against ~20 µs per callback in it — and with a fast disk a steady 2,000
// callbacks/s used to be committed in batches of ~2 (one commit per sync). Now they share a commit in sixes;
// at higher rates 8 are queued sooner and commit at once. A callback that arrives after a quiet spell (3 ms or
// more since the last commit started) is committed on the next turn, as before: nothing waits more than 3 ms
// for company. See docs/benchmarks.md, session 4.
import type { StatusUpdate, Store, StoredEvent } from '../store/types';

type Result = StoredEvent | null | 'pending';
interface Waiting { update: StatusUpdate; resolve(r: Result): void; reject(e: unknown): void }

export interface StatusBatcherOptions {
  /** At most this many callbacks per transaction. */
  maxBatch?: number;
  /** A commit starts no sooner than this after the previous one started (0: on the next turn, always)… */
  minCommitIntervalMs?: number;
  /** … unless this many callbacks are waiting. */
  minBatch?: number;
}

export class StatusBatcher {
  private queue: Waiting[] = [];
  private scheduled = false;
  private lastCommitAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private maxBatch: number;
  private minCommitIntervalMs: number;
  private minBatch: number;

  constructor(private store: Store, { maxBatch = 500, minCommitIntervalMs = 3, minBatch = 8 }: StatusBatcherOptions = {}) {
    this.maxBatch = maxBatch;
    this.minCommitIntervalMs = minCommitIntervalMs;
    this.minBatch = minBatch;
  }

  apply(update: StatusUpdate): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ update, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.schedule();
      } else if (this.timer && this.queue.length >= this.minBatch) {
        // Enough company: commit on the next turn instead of at the end of the interval.
        clearTimeout(this.timer);
        this.timer = null;
        setImmediate(() => void this.flush());
      }
    });
  }

  private schedule(): void {
    const wait = this.lastCommitAt + this.minCommitIntervalMs - performance.now();
    if (wait >= 1 && this.queue.length < this.minBatch) {
      this.timer = setTimeout(() => { this.timer = null; void this.flush(); }, wait);
    } else {
      setImmediate(() => void this.flush());
    }
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    this.lastCommitAt = performance.now();
    try {
      const results = await this.store.applyStatuses(batch.map(w => w.update));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (e) {
      batch.forEach(w => w.reject(e));
    }
    if (this.queue.length) this.schedule();
    else this.scheduled = false;
  }
}
