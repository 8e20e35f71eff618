import { useEffect, useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import { ConnectionStatus } from '../../components/ConnectionStatus';
import { useConnectionState, useMe } from '../../hooks/useConnection';
import { useStorageValue } from '../../hooks/useStorageValue';
import { CONNECTION_KEY, normalizeServerUrl, parseSettings, type ConnectionSettings } from '../../utils/connection';
import type { SitesApi } from '../../utils/sites';
import { SitesCard } from './SitesCard';

const ROLE_WORDS = { agent: 'Agent', supervisor: 'Supervisor', admin: 'Administrator' } as const;

export function OptionsApp({ sites }: { sites: SitesApi }) {
  const local = useStorageValue<ConnectionSettings>('local', CONNECTION_KEY);
  const managedUrl = useStorageValue<string>('managed', 'serverUrl').value;
  const managedToken = useStorageValue<string>('managed', 'token').value;
  const managed = parseSettings({ serverUrl: managedUrl, token: managedToken });
  const state = useConnectionState();
  const me = useMe();

  const [serverUrl, setServerUrl] = useState('');
  const [token, setToken] = useState('');
  const [showToken, setShowToken] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  // Fill the form once from what is stored.
  useEffect(() => {
    if (!local.loaded) return;
    setServerUrl(local.value?.serverUrl ?? '');
    setToken(local.value?.token ?? '');
  }, [local.loaded]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const url = normalizeServerUrl(serverUrl);
    if (!url) { setError('Enter the server URL, e.g. http://127.0.0.1:8787'); return; }
    if (!token.trim()) { setError('Enter your access token.'); return; }
    setError(null);
    await browser.storage.local.set({ [CONNECTION_KEY]: { serverUrl: url, token: token.trim() } });
    setServerUrl(url);
    setSaved(true);
  };

  const forget = async () => {
    await browser.storage.local.remove(CONNECTION_KEY);
    setServerUrl('');
    setToken('');
    setSaved(false);
  };

  return (
    <main className="wrap">
      <header className="top">
        <span className="brand"><img src="/icon/48.png" alt="" />TextTrail</span>
        <ConnectionStatus state={state} />
      </header>

      <section className="card" aria-labelledby="conn-h">
        <h2 id="conn-h">Connection</h2>
        {managed ? (
          <>
            <p className="muted">Your administrator set the server for you.</p>
            <label htmlFor="url">Server URL</label>
            <input id="url" type="url" value={managed.serverUrl} readOnly />
          </>
        ) : (
          <form onSubmit={save} noValidate>
            <label htmlFor="url">Server URL</label>
            <input id="url" type="url" placeholder="http://127.0.0.1:8787" value={serverUrl} onChange={e => setServerUrl(e.target.value)} autoComplete="off" />
            <div className="hint">Where your TextTrail server runs. <code>npm start</code> prints it.</div>
            <label htmlFor="token">Access token</label>
            <input id="token" type={showToken ? 'text' : 'password'} value={token} onChange={e => setToken(e.target.value)} autoComplete="off" spellCheck={false} />
            <div className="hint">Your personal token (the demo agent's is <code>demo-agent-ana</code>).</div>
            <div className="row">
              <button type="submit" className="primary">Save and connect</button>
              <button type="button" onClick={() => setShowToken(v => !v)}>{showToken ? 'Hide token' : 'Show token'}</button>
              {local.value && <button type="button" onClick={forget}>Disconnect</button>}
              {saved && <span className="saved" role="status">Saved.</span>}
              {error && <span className="error" role="alert">{error}</span>}
            </div>
          </form>
        )}
      </section>

      <section className="card" aria-labelledby="state-h">
        <h2 id="state-h">Status</h2>
        <dl>
          <dt>Connection</dt>
          <dd><ConnectionStatus state={state} /></dd>
          {state?.serverUrl && (<><dt>Server</dt><dd>{state.serverUrl}</dd></>)}
          {state?.status === 'token_refused' && (<><dt>What to do</dt><dd>Check the token above, or ask your administrator for a new one.</dd></>)}
          {state?.status === 'reconnecting' && (<><dt>What to do</dt><dd>Nothing: TextTrail keeps trying and catches up on what it missed.</dd></>)}
        </dl>
      </section>

      <SitesCard api={sites} />

      {me && (
        <section className="card" aria-labelledby="me-h">
          <h2 id="me-h">Signed in as</h2>
          <dl>
            <dt>Name</dt><dd>{me.name}</dd>
            <dt>Role</dt><dd>{ROLE_WORDS[me.role] ?? me.role}</dd>
            <dt>Organization</dt><dd>{me.orgName}</dd>
            <dt>Locations</dt><dd>{me.locations.map(l => l.name).join(', ') || '—'}</dd>
            <dt>Sending from</dt><dd>{me.connections.flatMap(c => c.numbers).join(', ') || '—'}</dd>
          </dl>
        </section>
      )}
    </main>
  );
}
