import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { createApi, type Api } from '../entrypoints/background/api';
import { readSettings } from '../entrypoints/background/settings';
import { CONNECTION_KEY } from '../utils/connection';

/**
 * The server's API for extension pages' read-only queries (failed threads, counts, stats, templates). Sends
 * and resends go through the background instead: its outbox keeps them exactly-once and it alone writes
 * the database. Null while not configured.
 */
export function useApi(): Api | null {
  const [api, setApi] = useState<Api | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => readSettings().then(s => { if (live) setApi(s ? createApi(s) : null); }).catch(() => live && setApi(null));
    void load();
    const onChanged = (changes: Record<string, unknown>, area: string) => {
      if ((area === 'local' && CONNECTION_KEY in changes) || area === 'managed') void load();
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => { live = false; browser.storage.onChanged.removeListener(onChanged); };
  }, []);
  return api;
}

/** The current time, ticking: relative times and quiet-hour warnings stay true. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
