// Content script for CRM pages: picks the CRM's adapter, places a badge beside every phone, keeps them
// live. One React root for the whole page; see mounter.ts for how it scales.
import { createRoot } from 'react-dom/client';
import { adapterFor } from '../../adapters';
import type { CountryCode } from '../../adapters/phones';
import badgeCss from '../../components/badge.css?inline';
import { sendMessage } from '../../utils/messaging';
import { CRM_MATCHES } from '../../utils/matches';
import { App } from './App';
import { BackgroundLink } from './link';
import { BadgeMounter } from './mounter';
import { createPageStore } from './store';
import { ThreadOpener, backgroundServices, loadOverlayScript } from './thread';

/** One stylesheet object for every badge's shadow root; a string where constructable sheets are missing. */
function sharedSheet(css: string): CSSStyleSheet | string {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    return sheet;
  } catch {
    return css;
  }
}

export default defineContentScript({
  matches: CRM_MATCHES,
  runAt: 'document_idle',
  async main(ctx) {
    const store = createPageStore();
    let country: CountryCode = 'US';
    const config = await Promise.race([
      sendMessage('getPageConfig').catch(() => null),
      new Promise<null>(r => setTimeout(() => r(null), 1_000)),
    ]);
    if (config?.defaultCountry) country = config.defaultCountry as CountryCode;
    if (ctx.isInvalid) return;

    const services = backgroundServices();
    const link = new BackgroundLink({
      alive: () => ctx.isValid,
      phones: () => mounter.phones(),
      onBadges: badges => store.getState().mergeBadges(badges),
      onReconnect: () => services.rewatch(),
    });
    const adapter = adapterFor(new URL(location.href));
    const mounter = new BadgeMounter({
      doc: document,
      adapter,
      store,
      sheet: sharedSheet(badgeCss),
      defaultCountry: () => country,
      onNewPhones: phones => link.request(phones),
    });

    // The React root's container renders nothing itself; its portals live in the badges' shadow roots.
    const container = document.createElement('texttrail-root');
    container.style.display = 'none';
    document.documentElement.append(container);
    const root = createRoot(container);
    const threads = new ThreadOpener({
      doc: document, store, adapter, services,
      load: loadOverlayScript,
      overlayClosed: key => mounter.overlayClosed(key),
    });
    root.render(
      <App services={{ store, openThread: (entry, focusBadge) => void threads.open(entry, focusBadge), closeThread: () => threads.close() }} />,
    );

    link.start();
    mounter.init();
    // Relative times ("2 min ago") in visible badges stay true.
    ctx.setInterval(() => store.getState().tick(Date.now()), 30_000);

    ctx.onInvalidated(() => {
      threads.close();
      services.stop();
      link.stop();
      mounter.destroy();
      root.unmount();
      container.remove();
    });
  },
});
