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
  /** The conversation the tab's overlay shows, if open. */
  watching: string | null;
}

export type PushBadges = (target: TabTarget, badges: Record<string, BadgeInfo>) => Promise<void>;
export type LookupBadges = (phones: string[]) => Promise<Record<string, BadgeInfo>>;
export type PushConversation = (target: TabTarget, phone: string) => Promise<void>;

const keyOf = (t: TabTarget) => `${t.tabId}:${t.frameId}`;

export class TabRegistry {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly lookup: LookupBadges,
    private readonly push: PushBadges,
    private readonly pushConversation: PushConversation = async () => undefined,
  ) {}

  private entry(target: TabTarget): Entry {
    const key = keyOf(target);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { ...target, phones: new Set(), watching: null };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Called when a tab's port connects; returns the cleanup for its disconnect. */
  attach(target: TabTarget): () => void {
    this.entry(target);
    return () => this.entries.delete(keyOf(target));
  }

  register(target: TabTarget, phones: string[]): void {
    const entry = this.entry(target);
    for (const p of phones) entry.phones.add(p);
  }

  /** The tab's overlay shows this conversation (null: closed). */
  watch(target: TabTarget, phone: string | null): void {
    this.entry(target).watching = phone;
  }

  /** Tells tabs whose overlay shows one of these conversations to fetch it again. */
  async conversationsChanged(phones: Set<string>): Promise<void> {
    await Promise.all([...this.entries.values()].filter(e => e.watching && phones.has(e.watching)).map(async e => {
      try { await this.pushConversation(e, e.watching!); } catch { /* the tab went away; its disconnect cleans up */ }
    }));
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every tab (and frame) with badges. */
  targets(): TabTarget[] {
    return [...this.entries.values()].map(({ tabId, frameId }) => ({ tabId, frameId }));
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
