// The single React root of the page: it renders a portal into the shadow root of each badge host that is
// near the viewport (or whose thread overlay is open). Never a React root per badge (RECIPES).
import { createContext, useContext, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useStore } from 'zustand';
import { BadgePill } from '../../components/Badge';
import type { PageStore, RenderedHost } from './store';

export interface PageServices {
  store: PageStore;
  /** A badge was activated: open its contact's thread overlay. `focusBadge` gives focus back on close. */
  openThread: (entry: RenderedHost, focusBadge: () => void) => void;
  closeThread: () => void;
}

const Services = createContext<PageServices | null>(null);
const useServices = () => useContext(Services)!;

function BadgeView({ entry }: { entry: RenderedHost }) {
  const { store, openThread, closeThread } = useServices();
  const info = useStore(store, s => s.badges[entry.phone]);
  const open = useStore(store, s => s.overlay === entry.key);
  const now = useStore(store, s => s.now);
  const pill = useRef<HTMLSpanElement>(null);

  const toggle = () => {
    if (open) closeThread();
    else openThread(entry, () => pill.current?.focus());
  };

  return <BadgePill info={info} now={now} expanded={open} onActivate={toggle} pillRef={pill} />;
}

function Portals() {
  const { store } = useServices();
  const rendered = useStore(store, s => s.rendered);
  return <>{[...rendered.values()].map(entry => createPortal(<BadgeView entry={entry} />, entry.root, String(entry.key)))}</>;
}

export function App({ services }: { services: PageServices }) {
  return (
    <Services.Provider value={services}>
      <Portals />
    </Services.Provider>
  );
}
