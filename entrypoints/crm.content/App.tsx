// The single React root of the page: it renders a portal into the shadow root of each badge host that is
// near the viewport (or has its composer open). Never a React root per badge (RECIPES).
import { createContext, useCallback, useContext, useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useStore } from 'zustand';
import { BadgePill } from '../../components/Badge';
import { Composer } from '../../components/Composer';
import type { SendTextRequest, SendTextResult } from '../../utils/messaging';
import type { PageStore, RenderedHost } from './store';

export interface PageServices {
  store: PageStore;
  send: (request: SendTextRequest) => Promise<SendTextResult>;
  /** The composer closed: a host that scrolled away may stop rendering. */
  composerClosed: (key: number) => void;
  /** False only in unit tests, which drive the UI with synthetic events. */
  trustedOnly?: boolean;
}

const Services = createContext<PageServices | null>(null);
const useServices = () => useContext(Services)!;

function BadgeView({ entry }: { entry: RenderedHost }) {
  const { store, send, composerClosed, trustedOnly } = useServices();
  const info = useStore(store, s => s.badges[entry.phone]);
  const open = useStore(store, s => s.composer === entry.key);
  const now = useStore(store, s => s.now);
  const pill = useRef<HTMLSpanElement>(null);
  const anchor = useCallback(() => pill.current?.getBoundingClientRect() ?? null, []);

  const toggle = () => {
    const state = store.getState();
    if (open) { state.closeComposer(); composerClosed(entry.key); } else state.openComposer(entry.key);
  };
  const close = () => {
    store.getState().closeComposer();
    composerClosed(entry.key);
    pill.current?.focus();
  };

  return (
    <>
      <BadgePill info={info} now={now} expanded={open} onActivate={toggle} pillRef={pill} />
      {open && <Composer phone={entry.phone} display={entry.display} info={info} now={now} anchor={anchor} send={send} onClose={close} trustedOnly={trustedOnly ?? true} />}
    </>
  );
}

function Portals() {
  const { store, composerClosed } = useServices();
  const rendered = useStore(store, s => s.rendered);
  const composer = useStore(store, s => s.composer);

  // A click anywhere outside the open composer's badge closes it.
  useEffect(() => {
    if (composer === null) return;
    const host = rendered.get(composer)?.host;
    const onDown = (e: PointerEvent) => {
      if (host && e.composedPath().includes(host)) return;
      store.getState().closeComposer();
      composerClosed(composer);
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
  }, [composer, rendered, store, composerClosed]);

  return <>{[...rendered.values()].map(entry => createPortal(<BadgeView entry={entry} />, entry.root, String(entry.key)))}</>;
}

export function App({ services }: { services: PageServices }) {
  return (
    <Services.Provider value={services}>
      <Portals />
    </Services.Provider>
  );
}
