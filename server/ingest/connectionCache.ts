// Webhooks look their connection up on every callback; connections change rarely (seed, admin edits), so
// a few seconds of staleness is a fair price for not paying a database round trip per callback.
import type { Connection, Store } from '../store/types';

export class ConnectionCache {
  private entries = new Map<string, { value: Connection | null; until: number }>();

  constructor(private store: Store, private ttlMs = 5_000, private maxEntries = 10_000) {}

  async get(id: string): Promise<Connection | null> {
    const hit = this.entries.get(id);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = await this.store.connection(id);
    // Unknown ids are not cached: a flood of made-up ids must not evict the real ones.
    if (value) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(id, { value, until: Date.now() + this.ttlMs });
    }
    return value;
  }
}
