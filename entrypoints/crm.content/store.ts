// Ephemeral UI state of one page (zustand): badges by phone, whose thread overlay is open, the clock the
// relative times are written with. Domain data lives in the background's Dexie; this is a view of it for
// the phones on this page.
import { createStore } from 'zustand/vanilla';
import { sameBadge, type BadgeInfo } from '../../utils/badges';
import type { ConnectionStatus } from '../../utils/connection';

export interface RenderedHost {
  key: number;
  phone: string;
  display: string;
  host: HTMLElement;
}

export interface PageState {
  /**
   * Badges by phone. Updated in place, never copied: a CRM list shows thousands of phones and a status
   * change must cost the page well under a millisecond (issue 4). Subscribers learn what changed from
   * `changed` and `badgesVersion`, not by comparing objects.
   */
  readonly badges: Readonly<Record<string, BadgeInfo>>;
  /** The phones whose badge the last merge changed. */
  changed: readonly string[];
  /** Bumped by every merge that changed something. */
  badgesVersion: number;
  /** The host whose badge opened the thread overlay. */
  overlay: number | null;
  /** The clock relative times ("2 min ago") are written with; moved by tick(). */
  now: number;
  /** The background's connection to the server (null until known): badges say when it is reconnecting. */
  connection: ConnectionStatus | null;
  setConnection(status: ConnectionStatus | null): void;
  /** Stores the badges that differ from what is known; returns their phones. */
  mergeBadges(badges: Record<string, BadgeInfo>): string[];
  openOverlay(key: number): void;
  closeOverlay(): void;
  tick(now: number): void;
}

export type PageStore = ReturnType<typeof createPageStore>;

export function createPageStore() {
  const badges: Record<string, BadgeInfo> = Object.create(null);
  return createStore<PageState>()((set, get) => ({
    badges,
    changed: [],
    badgesVersion: 0,
    overlay: null,
    now: Date.now(),
    connection: null,
    setConnection(status) {
      if (get().connection !== status) set({ connection: status });
    },
    mergeBadges(incoming) {
      const changed: string[] = [];
      for (const phone of Object.keys(incoming)) {
        if (sameBadge(badges[phone], incoming[phone])) continue;
        badges[phone] = incoming[phone];
        changed.push(phone);
      }
      if (changed.length) set({ changed, badgesVersion: get().badgesVersion + 1 });
      return changed;
    },
    openOverlay(key) {
      set({ overlay: key });
    },
    closeOverlay() {
      set({ overlay: null });
    },
    tick(now) {
      set({ now });
    },
  }));
}
