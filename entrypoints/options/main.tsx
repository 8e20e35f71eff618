import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import '../../components/page.css';
import './options.css';
import type { SitesApi } from '../../utils/sites';
import { OptionsApp } from './App';

// The browser's own APIs, as the site rules in utils/sites.ts take them.
const sites = { permissions: browser.permissions, scripting: browser.scripting } as unknown as SitesApi;

createRoot(document.getElementById('root')!).render(<OptionsApp sites={sites} />);
