// Sites the user enables beyond the built-in CRMs (CONTRACT: "any site the user enables from the extension
// (optional host permission)"). An enabled site is two things Chrome keeps for us: the optional host
// permission for its origin, and a content script registered for it with chrome.scripting
// (persistAcrossSessions, so it survives restarts). The browser calls come in through `SitesApi`, so the
// rules here are tested without a browser (STYLE: business logic never calls chrome.* directly).
import { isBuiltInPage } from './matches';

/** Registered content scripts of enabled sites have ids `texttrail-site:<origin>`. */
export const SITE_SCRIPT_PREFIX = 'texttrail-site:';
/** The content script the CRMs get, built by WXT from entrypoints/crm.content. */
export const CONTENT_SCRIPT_FILE = '/content-scripts/crm.js';

export interface RegisteredScript { id: string; matches?: string[] }

export interface SitesApi {
  permissions: {
    request(p: { origins: string[] }): Promise<boolean>;
    remove(p: { origins: string[] }): Promise<boolean>;
    contains(p: { origins: string[] }): Promise<boolean>;
  };
  scripting: {
    registerContentScripts(scripts: { id: string; matches: string[]; js: string[]; runAt: 'document_start'; allFrames: boolean; persistAcrossSessions: boolean }[]): Promise<void>;
    unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
    getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<RegisteredScript[]>;
    executeScript(injection: { target: { tabId: number }; files?: string[]; func?: () => void }): Promise<unknown>;
  };
}

export type SiteState =
  | { kind: 'unsupported' } // not a web page (chrome://, the Web Store, a file)
  | { kind: 'built-in'; origin: string }
  | { kind: 'enabled'; origin: string }
  | { kind: 'disabled'; origin: string };

/** The origin of a web page, or null for anything an extension cannot be enabled on. */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    // The Web Store and Chrome's own pages never run extensions' scripts.
    if (u.hostname === 'chromewebstore.google.com' || (u.hostname === 'chrome.google.com' && u.pathname.startsWith('/webstore'))) return null;
    return u.origin;
  } catch {
    return null;
  }
}

/**
 * The origin of an address a user typed on the options page ("crm.example.com", "https://crm.example.com/x"),
 * or why it cannot be turned on. An address without a scheme is taken as https.
 */
export function siteFromAddress(typed: string): { origin: string } | { error: string } {
  const text = typed.trim();
  if (!text) return { error: 'Enter the address of the site, e.g. https://crm.example.com' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  const origin = originOf(withScheme);
  if (!origin || !/^[^.]+\.[^.]|^localhost$|^\[|^\d/.test(new URL(origin).hostname)) {
    return { error: `"${text}" is not a web address TextTrail can run on (http or https, e.g. https://crm.example.com).` };
  }
  if (isBuiltInPage(`${origin}/`)) return { error: `TextTrail already runs on ${new URL(origin).host}: nothing to turn on.` };
  return { origin };
}

/** The match pattern for a whole origin (any port for hosts without one in the URL). */
export function patternFor(origin: string): string {
  const u = new URL(origin);
  return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}/*`;
}

export const scriptIdFor = (origin: string) => `${SITE_SCRIPT_PREFIX}${origin}`;

export async function siteState(api: SitesApi, url: string | undefined): Promise<SiteState> {
  const origin = originOf(url);
  if (!origin) return { kind: 'unsupported' };
  if (isBuiltInPage(url!)) return { kind: 'built-in', origin };
  const [registered, granted] = await Promise.all([
    api.scripting.getRegisteredContentScripts({ ids: [scriptIdFor(origin)] }),
    api.permissions.contains({ origins: [patternFor(origin)] }),
  ]);
  return { kind: registered.length && granted ? 'enabled' : 'disabled', origin };
}

/**
 * Asks for the origin's host permission. Chrome allows the prompt only during a user gesture: call this
 * first thing in the click handler, before any await.
 */
export function requestSite(api: SitesApi, origin: string): Promise<boolean> {
  return api.permissions.request({ origins: [patternFor(origin)] });
}

/** After the permission is granted: the content script for the origin from now on, and in `tabId` now. */
export async function enableSite(api: SitesApi, origin: string, tabId?: number): Promise<void> {
  const id = scriptIdFor(origin);
  // Registering an id twice is an error: replace what may be left from an earlier time.
  if ((await api.scripting.getRegisteredContentScripts({ ids: [id] })).length) await api.scripting.unregisterContentScripts({ ids: [id] });
  await api.scripting.registerContentScripts([{
    id, matches: [patternFor(origin)], js: [CONTENT_SCRIPT_FILE], runAt: 'document_start', allFrames: false, persistAcrossSessions: true,
  }]);
  if (tabId != null) await api.scripting.executeScript({ target: { tabId }, files: [CONTENT_SCRIPT_FILE] }).catch(() => undefined);
}

/** The global a content script sets in its isolated world so the extension can stop it (see crm.content). */
export const STOP_GLOBAL = '__texttrailStop';

/** Stops the content script in `tabId` (its badges go), unregisters it and gives the permission back. */
export async function disableSite(api: SitesApi, origin: string, tabId?: number): Promise<void> {
  if (tabId != null) {
    // While we still hold the permission: the running content script removes its badges at once.
    await api.scripting.executeScript({
      target: { tabId },
      func: () => { (globalThis as unknown as Record<string, (() => void) | undefined>).__texttrailStop?.(); },
    }).catch(() => undefined);
  }
  const id = scriptIdFor(origin);
  if ((await api.scripting.getRegisteredContentScripts({ ids: [id] })).length) await api.scripting.unregisterContentScripts({ ids: [id] });
  // A host the manifest already requires (the demo's loopback) cannot be given back: that is fine.
  await api.permissions.remove({ origins: [patternFor(origin)] }).catch(() => false);
}

/** Origins the user has enabled, from the registered scripts. */
export async function enabledSites(api: SitesApi): Promise<string[]> {
  const scripts = await api.scripting.getRegisteredContentScripts();
  return scripts.filter(s => s.id.startsWith(SITE_SCRIPT_PREFIX)).map(s => s.id.slice(SITE_SCRIPT_PREFIX.length)).sort();
}

/**
 * Keeps the two halves together: a site whose permission the user took back in Chrome's own settings
 * loses its registered script too (run at start and on permissions.onRemoved).
 */
export async function reconcileSites(api: SitesApi): Promise<string[]> {
  const dropped: string[] = [];
  for (const origin of await enabledSites(api)) {
    if (await api.permissions.contains({ origins: [patternFor(origin)] })) continue;
    await api.scripting.unregisterContentScripts({ ids: [scriptIdFor(origin)] });
    dropped.push(origin);
  }
  return dropped;
}
