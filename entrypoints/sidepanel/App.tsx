// The shared inbox in Chrome's side panel: conversations (everyone), failed threads and delivery figures
// (supervisors and admins), templates (admins). Conversations read Dexie live; the rest asks the server.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { browser } from 'wxt/browser';
import { ConnectionStatus } from '../../components/ConnectionStatus';
import { useApi, useNow } from '../../hooks/useApi';
import { useConnectionState, useMe } from '../../hooks/useConnection';
import { useStorageValue } from '../../hooks/useStorageValue';
import { PANEL_TARGET_KEY, type PanelTarget } from '../../utils/messaging';
import { Conversation } from './pages/Conversation';
import { Failed } from './pages/Failed';
import { Inbox } from './pages/Inbox';
import { SpikeBanner } from './pages/SpikeBanner';
import { Stats } from './pages/Stats';
import { Templates } from './pages/Templates';
import { usePanel, type Tab } from './store';

const TAB_WORDS: Record<Tab, string> = { inbox: 'Inbox', failed: 'Failed', stats: 'Delivery', templates: 'Templates' };


export function SidePanelApp() {
  const state = useConnectionState();
  const me = useMe();
  const api = useApi();
  const now = useNow();
  const tab = usePanel(s => s.tab);
  const phone = usePanel(s => s.phone);
  const setTab = usePanel(s => s.setTab);
  const openConversation = usePanel(s => s.openConversation);
  const tabs = useRef<HTMLDivElement>(null);

  const supervises = me?.role === 'supervisor' || me?.role === 'admin';
  const available: Tab[] = ['inbox', ...(supervises ? ['failed', 'stats'] as Tab[] : []), ...(me?.role === 'admin' ? ['templates'] as Tab[] : [])];
  useEffect(() => { if (!available.includes(tab)) setTab('inbox'); }, [available.join(), tab]); // eslint-disable-line react-hooks/exhaustive-deps

  // "Open in side panel" from a CRM page names the contact to show.
  const target = useStorageValue<PanelTarget>('session', PANEL_TARGET_KEY).value;
  const seenTarget = useRef<number | null>(null);
  useEffect(() => {
    if (!target || target.at === seenTarget.current) return;
    const first = seenTarget.current === null;
    seenTarget.current = target.at;
    // A target left from an earlier click does not reopen a conversation when the panel opens later.
    if (first && Date.now() - target.at > 10_000) return;
    if (target.phone) openConversation(target.phone);
  }, [target, openConversation]);

  const onTabKey = (e: KeyboardEvent) => {
    const i = available.indexOf(tab);
    const next = e.key === 'ArrowRight' ? available[(i + 1) % available.length]
      : e.key === 'ArrowLeft' ? available[(i - 1 + available.length) % available.length]
        : e.key === 'Home' ? available[0] : e.key === 'End' ? available[available.length - 1] : null;
    if (!next) return;
    e.preventDefault();
    setTab(next);
    requestAnimationFrame(() => tabs.current?.querySelector<HTMLElement>(`[data-tab="${next}"]`)?.focus());
  };

  return (
    <div className={`app tt-surface${phone ? ' with-conversation' : ''}`}>
      <header className="head">
        <div className="head-row">
          <span className="brand"><img src="/icon/48.png" alt="" />TextTrail</span>
          <a href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">Settings</a>
        </div>
        <ConnectionStatus state={state} />
      </header>
      {supervises && <SpikeBanner me={me} now={now} />}
      {phone ? (
        <Conversation phone={phone} me={me} now={now} />
      ) : (
        <>
          {available.length > 1 && (
            <div className="tabs" role="tablist" aria-label="Views" ref={tabs} onKeyDown={onTabKey}>
              {available.map(t => (
                <button
                  key={t} type="button" role="tab" id={`tab-${t}`} data-tab={t} aria-selected={tab === t} aria-controls={`panel-${t}`}
                  tabIndex={tab === t ? 0 : -1} className={tab === t ? 'on' : ''} onClick={() => setTab(t)}
                >{TAB_WORDS[t]}</button>
              ))}
            </div>
          )}
          <main id={`panel-${tab}`} role={available.length > 1 ? 'tabpanel' : undefined} aria-labelledby={available.length > 1 ? `tab-${tab}` : undefined} className="panel">
            {tab === 'inbox' && <Inbox now={now} configured={!!state && state.status !== 'not_configured'} />}
            {tab === 'failed' && <Failed api={api} me={me} now={now} />}
            {tab === 'stats' && <Stats api={api} />}
            {tab === 'templates' && <Templates api={api} />}
          </main>
        </>
      )}
    </div>
  );
}
