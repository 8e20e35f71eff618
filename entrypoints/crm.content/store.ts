// Ephemeral UI state of one page (zustand): badges by phone, which hosts render, whose thread overlay is open.
// Domain data lives in the background's Dexie; this is a view of it for the phones on this page.
import { createStore } from 'zustand/vanilla';
import { sameBadge, type BadgeInfo } from '../../utils/badges';
import type { ConnectionStatus } from '../../utils/connection';

export interface RenderedHost {
  key: number;
  phone: string;
  display: string;
  host: HTMLElement;
  /** Null until the badge first renders. */
  root: ShadowRoot | null;
}

export interface PageState {
  badges: Record<string, BadgeInfo>;
  /** Hosts whose content renders: the visible ones (IntersectionObserver) and the one whose overlay is open. */
  rendered: Map<number, RenderedHost>;
  /** The host whose badge opened the thread overlay. */
  overlay: number | null;
  now: number;
  /** The background's connection to the server (null until known): badges say when it is reconnecting. */
  connection: ConnectionStatus | null;
  setConnection(status: ConnectionStatus | null): void;
  mergeBadges(badges: Record<string, BadgeInfo>): string[];
  setVisible(show: RenderedHost[], hide: number[]): void;
  openOverlay(key: number): void;
  closeOverlay(): void;
  tick(now: number): void;
}

export type PageStore = ReturnType<typeof createPageStore>;

export function createPageStore() {
  return createStore<PageState>()((set, get) => ({
    badges: {},
    rendered: new Map(),
    overlay: null,
    now: Date.now(),
    connection: null,
    setConnection(status) {
      if (get().connection !== status) set({ connection: status });
    },
    /** Returns the phones whose badge actually changed. */
    mergeBadges(incoming) {
      const current = get().badges;
      const changed = Object.keys(incoming).filter(p => !sameBadge(current[p], incoming[p]));
      if (changed.length) {
        const next = { ...current };
        for (const p of changed) next[p] = incoming[p];
        set({ badges: next, now: Date.now() });
      }
      return changed;
    },
    setVisible(show, hide) {
      if (!show.length && !hide.length) return;
      const { rendered, overlay } = get();
      const next = new Map(rendered);
      for (const h of show) next.set(h.key, h);
      for (const k of hide) if (k !== overlay) next.delete(k);
      set({ rendered: next });
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
