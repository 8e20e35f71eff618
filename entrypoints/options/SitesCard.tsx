// Options page: the sites the user turned TextTrail on for (beyond the built-in CRMs), each with "Turn
// off", and a form to turn on another by its address — the same two halves as the popup's button (the
// optional host permission and a registered content script, utils/sites.ts), for sites the user is not on.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { disableSite, enableSite, enabledSites, requestSite, siteFromAddress, type SitesApi } from '../../utils/sites';

export function SitesCard({ api }: { api: SitesApi }) {
  const [sites, setSites] = useState<string[] | null>(null);
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const refresh = useCallback(async () => setSites(await enabledSites(api)), [api]);
  useEffect(() => { void refresh(); }, [refresh]);

  const turnOn = (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    const site = siteFromAddress(address);
    if ('error' in site) { setError(site.error); return; }
    setError(null);
    // The permission prompt must open inside the submit: no await before it.
    const asked = requestSite(api, site.origin);
    setBusy(true);
    void asked.then(async granted => {
      if (!granted) { setError(`Chrome did not give TextTrail access to ${new URL(site.origin).host}.`); return; }
      await enableSite(api, site.origin);
      setAddress('');
      setStatus(`Badges are on for ${new URL(site.origin).host}; pages opened there from now on show them.`);
    }).catch(err => setError(`Could not turn TextTrail on: ${String((err as Error).message ?? err)}`))
      .finally(async () => { setBusy(false); await refresh(); });
  };

  const turnOff = async (origin: string) => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      await disableSite(api, origin);
      setStatus(`TextTrail is off for ${new URL(origin).host}.`);
    } catch (err) {
      setError(`Could not turn TextTrail off: ${String((err as Error).message ?? err)}`);
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  return (
    <section className="card" aria-labelledby="sites-h">
      <h2 id="sites-h">Other sites</h2>
      <p className="muted">HubSpot, Salesforce, Pipedrive and Zoho CRM need nothing. For any other site, turn TextTrail on here or from the toolbar icon while you are on it; Chrome asks for that site only.</p>
      {sites && sites.length === 0 && <p className="muted">No other site is turned on.</p>}
      {sites && sites.length > 0 && (
        <ul className="sites" aria-label="Sites you turned on">
          {sites.map(origin => (
            <li key={origin}>
              <span>{new URL(origin).host}</span>
              <button type="button" disabled={busy} aria-label={`Turn off on ${new URL(origin).host}`} onClick={() => void turnOff(origin)}>Turn off</button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={turnOn} noValidate>
        <label htmlFor="site">Turn on a site</label>
        <input id="site" type="text" placeholder="https://crm.example.com" value={address} onChange={e => setAddress(e.target.value)} autoComplete="off" spellCheck={false} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>Turn on</button>
          {status && <span className="saved" role="status">{status}</span>}
          {error && <span className="error" role="alert">{error}</span>}
        </div>
      </form>
    </section>
  );
}
