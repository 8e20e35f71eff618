// What Chrome keeps for enabled sites (granted origins, registered scripts) and what ran in tabs: the
// browser side of utils/sites.ts, for its tests and the options page's.
import type { RegisteredScript, SitesApi } from '../sites';

/** What Chrome keeps: granted origins and registered scripts; plus what ran in tabs. */
export function fakeChrome() {
  const granted = new Set<string>();
  const scripts = new Map<string, RegisteredScript & { js: string[] }>();
  const injected: { tabId: number; files?: string[]; func?: boolean }[] = [];
  let answer = true;
  const api: SitesApi = {
    permissions: {
      request: async ({ origins }) => { if (answer) origins.forEach(o => granted.add(o)); return answer; },
      remove: async ({ origins }) => { origins.forEach(o => granted.delete(o)); return true; },
      contains: async ({ origins }) => origins.every(o => granted.has(o)),
    },
    scripting: {
      registerContentScripts: async list => {
        for (const s of list) { if (scripts.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`); scripts.set(s.id, s); }
      },
      unregisterContentScripts: async ({ ids }) => { ids.forEach(id => scripts.delete(id)); },
      getRegisteredContentScripts: async filter => [...scripts.values()].filter(s => !filter?.ids || filter.ids.includes(s.id)),
      executeScript: async ({ target, files, func }) => { injected.push({ tabId: target.tabId, files, func: !!func }); return []; },
    },
  };
  return { api, granted, scripts, injected, refuse: () => { answer = false; } };
}

