// Sites the user turned on (utils/sites.ts): a site whose permission was taken back in Chrome's own
// settings loses its registered content script, at start and whenever a permission goes.
import { browser } from 'wxt/browser';
import { reconcileSites, type SitesApi } from '../../utils/sites';

export function startSites(): void {
  const api = { permissions: browser.permissions, scripting: browser.scripting } as unknown as SitesApi;
  const reconcile = () => void reconcileSites(api).catch(() => undefined);
  browser.permissions.onRemoved.addListener(reconcile);
  reconcile();
}
