// The toolbar popup: whether TextTrail works on this site, a button to turn it on or off here (optional host
// permission + a registered content script, utils/sites.ts), the sites turned on so far, and the way to the
// inbox and the settings.
import { useCallback, useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { adapterFor } from '../../adapters';
import { ConnectionStatus } from '../../components/ConnectionStatus';
import { useConnectionState } from '../../hooks/useConnection';
import {
  disableSite, enableSite, enabledSites, originOf, requestSite, siteState, type SiteState, type SitesApi,
} from '../../utils/sites';

const CRM_NAMES: Record<string, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce', pipedrive: 'Pipedrive', zoho: 'Zoho CRM', demo: 'the demo CRM' };

interface ActiveTab { id?: number; url?: string; windowId?: number }

export function PopupApp({ api }: { api: SitesApi }) {
  const connection = useConnectionState();
  const [tab, setTab] = useState<ActiveTab | null>(null);
  const [state, setState] = useState<SiteState | null>(null);
  const [sites, setSites] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const refresh = useCallback(async (t: ActiveTab | null) => {
    setState(await siteState(api, t?.url));
    setSites(await enabledSites(api));
  }, [api]);

  useEffect(() => {
    // "activeTab": opening the popup lets us read the current tab's address, and nothing more. The popup
    // opened as a page with ?tab=ID (tests, a link from the options page) works on that tab instead.
    const forced = Number(new URLSearchParams(location.search).get('tab'));
    const which = forced ? browser.tabs.get(forced).then(t => [t]) : browser.tabs.query({ active: true, currentWindow: true });
    void which.then(([t]) => {
      const active = t ? { id: t.id, url: t.url, windowId: t.windowId } : null;
      setTab(active);
      return refresh(active);
    });
  }, [refresh]);

  const enable = (origin: string) => {
    // The permission prompt must open inside the click: no await before it.
    const asked = requestSite(api, origin);
    setBusy(true);
    setMessage(null);
    void asked.then(async granted => {
      if (!granted) { setMessage('Chrome did not give TextTrail access to this site.'); return; }
      await enableSite(api, origin, tab?.id);
      setMessage('Badges are on for this site.');
    }).catch(e => setMessage(`Could not turn TextTrail on here: ${String((e as Error).message ?? e)}`))
      .finally(async () => { setBusy(false); await refresh(tab); });
  };

  const disable = async (origin: string) => {
    setBusy(true);
    setMessage(null);
    try {
      const here = originOf(tab?.url) === origin ? tab?.id : undefined;
      await disableSite(api, origin, here);
      setMessage(`TextTrail is off for ${new URL(origin).host}.`);
    } catch (e) {
      setMessage(`Could not turn TextTrail off: ${String((e as Error).message ?? e)}`);
    } finally {
      setBusy(false);
      await refresh(tab);
    }
  };

  const openInbox = async () => {
    // sidePanel.open needs this click's user gesture: called first.
    try {
      if (tab?.windowId != null) await browser.sidePanel.open({ windowId: tab.windowId });
      window.close();
    } catch {
      setMessage('Could not open the inbox here.');
    }
  };

  const host = state && state.kind !== 'unsupported' ? new URL(state.origin).host : null;
  return (
    <main className="tt-popup">
      <header>
        <span className="brand"><img src="/icon/32.png" alt="" />TextTrail</span>
        <ConnectionStatus state={connection} compact />
      </header>

      <section aria-labelledby="this-site">
        <h2 id="this-site">This site{host ? <span className="muted"> · {host}</span> : null}</h2>
        {!state && <p className="muted">…</p>}
        {state?.kind === 'unsupported' && <p>TextTrail cannot run on this page.</p>}
        {state?.kind === 'built-in' && (
          <p>Badges show here: {CRM_NAMES[adapterFor(new URL(tab!.url!)).id] ?? 'a supported CRM'} is supported out of the box.</p>
        )}
        {state?.kind === 'enabled' && (
          <>
            <p>Badges show here: you turned TextTrail on for this site.</p>
            <button type="button" className="secondary" disabled={busy} onClick={() => void disable(state.origin)}>Turn off on this site</button>
          </>
        )}
        {state?.kind === 'disabled' && (
          <>
            <p>TextTrail does not run here. Turn it on to see delivery badges beside the phone numbers of this site.</p>
            <button type="button" disabled={busy} onClick={() => enable(state.origin)}>Turn on for {host}</button>
          </>
        )}
        {message && <p role="status" className="tt-popup-message">{message}</p>}
      </section>

      {sites.length > 0 && (
        <section aria-labelledby="sites">
          <h2 id="sites">Sites you turned on</h2>
          <ul className="tt-sites">
            {sites.map(origin => (
              <li key={origin}>
                <span>{new URL(origin).host}</span>
                <button type="button" className="link" disabled={busy} aria-label={`Turn off on ${new URL(origin).host}`} onClick={() => void disable(origin)}>Turn off</button>
              </li>
            ))}
          </ul>
        </section>
      )}

      <footer>
        <button type="button" onClick={() => void openInbox()}>Open the inbox</button>
        <button type="button" className="link" onClick={() => void browser.runtime.openOptionsPage()}>Settings</button>
      </footer>
    </main>
  );
}
