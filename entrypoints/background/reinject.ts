// After an update or a reload of the extension, Chrome does not put content scripts into the tabs already
// open: their old copies are cut off from the extension ("Extension context invalidated") and stop. So
// the new version injects itself into every open CRM tab and every tab of a site the user turned on; WXT's
// ContentScriptContext makes an older copy still in the page step aside (it removes its badges).
import { browser } from 'wxt/browser';
import { CRM_MATCHES } from '../../utils/matches';
import { CONTENT_SCRIPT_FILE, SITE_SCRIPT_PREFIX } from '../../utils/sites';

export async function reinjectOpenTabs(): Promise<number> {
  const registered = await browser.scripting.getRegisteredContentScripts().catch(() => []);
  const patterns = [...CRM_MATCHES, ...registered.filter(s => s.id.startsWith(SITE_SCRIPT_PREFIX)).flatMap(s => s.matches ?? [])];
  // With host access to these patterns, tabs.query matches their URLs (no "tabs" permission needed).
  const tabs = await browser.tabs.query({ url: patterns }).catch(() => []);
  let injected = 0;
  await Promise.all(tabs.map(async t => {
    if (t.id == null || t.discarded) return;
    try {
      await browser.scripting.executeScript({ target: { tabId: t.id }, files: [CONTENT_SCRIPT_FILE] });
      injected++;
    } catch {
      // A tab we may not touch (an error page, a tab closing): it gets the script on its next load.
    }
  }));
  return injected;
}

export function startReinjection(): void {
  browser.runtime.onInstalled.addListener(details => {
    if (details.reason === 'update' || details.reason === 'install') void reinjectOpenTabs();
  });
}
