import { defineConfig } from 'wxt';
import { checkContentScript } from './scripts/contentScriptBudget';
import { CRM_MATCHES } from './utils/matches';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  hooks: {
    // Reports the content script's gzip size and fails the build over 80 KB (issue 4's budget).
    'build:done': wxt => { checkContentScript(wxt.config.outDir, line => wxt.logger.info(line)); },
  },
  manifest: {
    name: 'TextTrail',
    description: 'SMS delivery status and a shared inbox inside the CRM pages where you work.',
    minimum_chrome_version: '116',
    // storage: settings and state; alarms: a 30 s wake-up so a killed worker reconnects and catches up;
    // sidePanel: the shared inbox. No "tabs": tabs.sendMessage and port.sender.tab need no permission.
    // scripting: sites the user turns on from the popup get our content script registered for them
    // (scripting.registerContentScripts, persisted) and injected into the open tab at once, and taken off
    // again when turned off; activeTab: the popup may read the address of the tab it was opened on (to offer
    // "Turn on for this site"), nothing more and without an install warning; notifications: a desktop
    // notification for a newly failed text (at most one per conversation per 10 minutes) opening it.
    permissions: ['storage', 'alarms', 'sidePanel', 'scripting', 'activeTab', 'notifications'],
    // The CRM sites the content script already runs on (no new install warning): so that after an update
    // or reload the extension can inject itself into CRM tabs already open (background/reinject.ts).
    host_permissions: [...new Set(CRM_MATCHES.map(m => m.replace(/^(https?:\/\/[^/]+)\/.*$/, '$1/*')))],
    // "Enable on any site" (issue 4) asks for these at run time; nothing is granted at install.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // Lets an administrator push {serverUrl, token} by policy (chrome.storage.managed).
    storage: { managed_schema: 'managed_schema.json' },
    // The action opens the popup (entrypoints/popup): this site on or off, the inbox, settings.
    action: { default_title: 'TextTrail' },
    // The thread overlay is imported by the content script on the first badge click (entrypoints/overlay.ts).
    // Only CRM and loopback (demo) origins may load it; web-accessible paths cannot be narrower than origins.
    web_accessible_resources: [{
      resources: ['overlay.js'],
      matches: [...new Set(CRM_MATCHES.map(m => m.replace(/^(https?:\/\/[^/]+)\/.*$/, '$1/*')))],
    }],
  },
});
