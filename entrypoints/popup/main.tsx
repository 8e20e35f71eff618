import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import '../../components/page.css';
import type { SitesApi } from '../../utils/sites';
import { PopupApp } from './App';
import './popup.css';

// The browser's own APIs, as the site rules in utils/sites.ts take them.
const api = { permissions: browser.permissions, scripting: browser.scripting } as unknown as SitesApi;

createRoot(document.getElementById('root')!).render(<PopupApp api={api} />);
