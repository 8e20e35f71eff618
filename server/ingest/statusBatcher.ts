// Group commit for status callbacks: every callback that arrives while the event loop is busy joins one
// transaction, flushed on the next turn. Each request is answered only after that transaction commits, so
// nothing is acknowledged before it is durable, and a burst costs one fsync instead of one per callback.
import type { StatusUpdate, Store, StoredEvent } from '../store/types';

type Result = StoredEvent | null | 'pending';
interface Waiting { update: StatusUpdate; resolve(r: Result): void; reject(e: unknown): void }

export class StatusBatcher {
  private queue: Waiting[] = [];
  private scheduled = false;

  constructor(private store: Store, private maxBatch = 500) {}

  apply(update: StatusUpdate): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ update, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.store.applyStatuses(batch.map(w => w.update));
        batch.forEach((w, i) => w.resolve(results[i]));
      } catch (e) {
        batch.forEach(w => w.reject(e));
      }
    }
    this.scheduled = false;
  }
}
