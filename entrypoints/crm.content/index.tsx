// Content script for CRM pages: picks the CRM's adapter, places a badge beside every phone, keeps them
// live. No framework in the page: badges are plain DOM in shadow roots (badgeView.ts, mounter.ts); the
// thread overlay, which does use React, is loaded on the first click (thread.ts).
import { adapterFor } from '../../adapters';
import type { CountryCode } from '../../adapters/phones';
import { onMessage, sendMessage } from '../../utils/messaging';
import { CRM_MATCHES } from '../../utils/matches';
import { STOP_GLOBAL } from '../../utils/sites';
import { BackgroundLink } from './link';
import { BadgeMounter } from './mounter';
import { createPageStore } from './store';
import { ThreadOpener, backgroundServices, loadOverlayScript } from './thread';

/** Runs a clean-up step that may touch a gone extension's APIs ("Extension context invalidated"). */
function quietly(step: () => void): void {
  try { step(); } catch { /* the extension is gone: nothing left to undo there */ }
}

export default defineContentScript({
  matches: CRM_MATCHES,
  // From the start of the document: rows are scanned as the parser adds them, so their badges are part
  // of the page's own layout instead of forcing another one after it (mounter.ts).
  runAt: 'document_start',
  async main(ctx) {
    const store = createPageStore();
    let country: CountryCode = 'US';
    // The location's country reads national numbers: wait for it until the page's first frame at most,
    // then go on (and rescan if it differs). Not a timer: while a long list loads, the parser holds the
    // main thread and timers wait behind it (measured: an 80 ms timer fired ~800 ms late, after the first
    // rows had been painted three times without badges); a frame is exactly when rows first show.
    const config = sendMessage('getPageConfig').catch(() => null);
    const early = await Promise.race([config, new Promise<undefined>(r => requestAnimationFrame(() => r(undefined)))]);
    if (ctx.isInvalid) return;
    if (early?.defaultCountry) country = early.defaultCountry as CountryCode;

    const services = backgroundServices();
    const link = new BackgroundLink({
      alive: () => ctx.isValid,
      phones: () => mounter.phones(),
      onBadges: badges => store.getState().mergeBadges(badges),
      onReconnect: () => services.rewatch(),
    });
    let adapter = adapterFor(new URL(location.href));
    const threads: ThreadOpener = new ThreadOpener({
      doc: document, store, adapter, services,
      load: loadOverlayScript,
      overlayClosed: key => mounter.overlayClosed(key),
    });
    const mounter = new BadgeMounter({
      doc: document,
      adapter,
      store,
      defaultCountry: () => country,
      onNewPhones: phones => link.request(phones),
      onActivate: (entry, focusBadge) => void threads.open(entry, focusBadge),
    });

    link.start();
    mounter.init();
    // Whether the server is reachable: badges' tooltips say "reconnecting" while it is not.
    const stopConnection = onMessage('connectionChanged', ({ data }) => { if (ctx.isValid) store.getState().setConnection(data); });
    ctx.onInvalidated(() => quietly(stopConnection));
    void sendMessage('getConnectionState').then(s => { if (ctx.isValid) store.getState().setConnection(s.status); }, () => undefined);
    if (early === undefined) {
      void config.then(c => {
        if (ctx.isValid && c?.defaultCountry && c.defaultCountry !== country) {
          country = c.defaultCountry as CountryCode;
          mounter.rescanAll();
        }
      });
    }

    // Single-page apps: a new route is a new view (WXT's wxt:locationchange, and the Navigation API's
    // same-document navigations, which report history.pushState from the page's own scripts at once).
    let lastUrl = location.href;
    const routeChanged = (e?: Event) => {
      // WXT's event fires as the navigation starts (Navigation API "navigate") and names the new URL.
      const url = (e as { newUrl?: URL } | undefined)?.newUrl?.href ?? location.href;
      if (url === lastUrl || ctx.isInvalid) return;
      lastUrl = url;
      threads.close();
      adapter = adapterFor(new URL(url));
      mounter.routeChanged(adapter);
    };
    ctx.addEventListener(window, 'wxt:locationchange', routeChanged);
    const nav = (globalThis as { navigation?: EventTarget }).navigation;
    if (nav) ctx.addEventListener(nav as unknown as Window, 'currententrychange' as 'popstate', routeChanged);
    ctx.addEventListener(window, 'popstate', routeChanged);

    // Relative times ("2 min ago") in visible badges stay true.
    ctx.setInterval(() => store.getState().tick(Date.now()), 30_000);

    // The extension stops this copy when the user disables the site (utils/sites.ts, disableSite); a copy
    // injected again into the same page stops the older one by itself (WXT's ContentScriptContext).
    (globalThis as Record<string, unknown>)[STOP_GLOBAL] = () => ctx.abort('site disabled');

    // Stopped: the extension was reloaded or updated (its APIs are gone and throw), a newer copy took over,
    // or the site was turned off. Badges go first, as that needs no extension API; nothing may throw into
    // the page's console.
    ctx.onInvalidated(() => {
      quietly(() => mounter.destroy());
      quietly(() => threads.close());
      quietly(() => services.stop());
      quietly(() => link.stop());
    });
  },
});
