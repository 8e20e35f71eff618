import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';

type Area = 'local' | 'session' | 'managed';

/** A chrome.storage value that re-renders when it changes (from any context: the worker writes these). */
export function useStorageValue<T>(area: Area, key: string): { value: T | undefined; loaded: boolean } {
  const [state, setState] = useState<{ value: T | undefined; loaded: boolean }>({ value: undefined, loaded: false });
  useEffect(() => {
    let live = true;
    browser.storage[area].get(key)
      .then(got => { if (live) setState({ value: got[key] as T | undefined, loaded: true }); })
      .catch(() => { if (live) setState({ value: undefined, loaded: true }); });
    const onChanged = (changes: Record<string, { newValue?: unknown }>, changedArea: string) => {
      if (changedArea === area && key in changes) setState({ value: changes[key].newValue as T | undefined, loaded: true });
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => { live = false; browser.storage.onChanged.removeListener(onChanged); };
  }, [area, key]);
  return state;
}
