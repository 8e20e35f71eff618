// Ephemeral UI state of the side panel (zustand): the tab, the open conversation, the failed view's
// filters and selection. Domain data stays in Dexie (read live) and on the server (queried).
import { create } from 'zustand';

export type Tab = 'inbox' | 'failed' | 'stats' | 'templates';

export type RangePreset = 'all' | '1h' | '24h' | '7d' | '30d' | 'custom';

export interface FailedFilter {
  status: string[];
  errorClass: string[];
  /** Provider codes, comma separated as typed ("30006, 30007"). */
  errorCode: string;
  location: string;
  agent: string;
  connection: string;
  q: string;
  range: RangePreset;
  /** For the custom range: dates (YYYY-MM-DD), inclusive. */
  from: string;
  to: string;
}

export const FAILED_STATUSES = ['failed', 'undelivered', 'stuck'] as const;

export const EMPTY_FILTER: FailedFilter = {
  status: [], errorClass: [], errorCode: '', location: '', agent: '', connection: '', q: '', range: 'all', from: '', to: '',
};

interface PanelState {
  tab: Tab;
  /** The open conversation (contact phone), shown over the tab it was opened from. */
  phone: string | null;
  filter: FailedFilter;
  selected: Set<string>;
  setTab(tab: Tab): void;
  openConversation(phone: string): void;
  closeConversation(): void;
  setFilter(patch: Partial<FailedFilter>): void;
  resetFilter(): void;
  toggle(id: string, on?: boolean): void;
  selectOnly(ids: string[]): void;
}

export const usePanel = create<PanelState>()(set => ({
  tab: 'inbox',
  phone: null,
  filter: EMPTY_FILTER,
  selected: new Set(),
  setTab: tab => set({ tab, phone: null }),
  openConversation: phone => set({ phone }),
  closeConversation: () => set({ phone: null }),
  // A new filter shows other threads: a selection of rows no longer listed would surprise.
  setFilter: patch => set(s => ({ filter: { ...s.filter, ...patch }, selected: new Set() })),
  resetFilter: () => set({ filter: EMPTY_FILTER, selected: new Set() }),
  toggle: (id, on) => set(s => {
    const next = new Set(s.selected);
    if (on ?? !next.has(id)) next.add(id); else next.delete(id);
    return { selected: next };
  }),
  selectOnly: ids => set({ selected: new Set(ids) }),
}));
