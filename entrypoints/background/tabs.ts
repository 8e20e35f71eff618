// Tabs that show badges. Each content script keeps a Port open (TAB_PORT) and asks for its phones with
// getBadges; we push changes for those phones only. All of this is in memory on purpose: when the worker
// restarts, the ports break and every tab reconnects and asks again, rebuilding it.
import type { BadgeInfo } from '../../utils/badges';

export interface TabTarget {
  tabId: number;
  frameId: number;
}

interface Entry extends TabTarget {
  phones: Set<string>;
}

export type PushBadges = (target: TabTarget, badges: Record<string, BadgeInfo>) => Promise<void>;
export type LookupBadges = (phones: string[]) => Promise<Record<string, BadgeInfo>>;

const keyOf = (t: TabTarget) => `${t.tabId}:${t.frameId}`;

export class TabRegistry {
  private entries = new Map<string, Entry>();

  constructor(private readonly lookup: LookupBadges, private readonly push: PushBadges) {}

  /** Called when a tab's port connects; returns the cleanup for its disconnect. */
  attach(target: TabTarget): () => void {
    const key = keyOf(target);
    if (!this.entries.has(key)) this.entries.set(key, { ...target, phones: new Set() });
    return () => this.entries.delete(key);
  }

  register(target: TabTarget, phones: string[]): void {
    const key = keyOf(target);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { ...target, phones: new Set() };
      this.entries.set(key, entry);
    }
    for (const p of phones) entry.phones.add(p);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Sends each tab the new badges of the changed phones it shows. */
  async changed(phones: Set<string> | 'all'): Promise<void> {
    const wanted = new Set<string>();
    const targets: { entry: Entry; phones: string[] }[] = [];
    for (const entry of this.entries.values()) {
      const mine = phones === 'all' ? [...entry.phones] : [...entry.phones].filter(p => phones.has(p));
      if (!mine.length) continue;
      mine.forEach(p => wanted.add(p));
      targets.push({ entry, phones: mine });
    }
    if (!targets.length) return;
    const badges = await this.lookup([...wanted]);
    await Promise.all(targets.map(async ({ entry, phones: mine }) => {
      const subset: Record<string, BadgeInfo> = {};
      for (const p of mine) if (badges[p]) subset[p] = badges[p];
      try {
        await this.push(entry, subset);
      } catch {
        // The tab went away between its port closing and our push; its disconnect cleans up.
      }
    }));
  }
}
