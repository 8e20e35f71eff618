import { defineConfig } from 'wxt';
import { CRM_MATCHES } from './utils/matches';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  manifest: {
    name: 'TextTrail',
    description: 'SMS delivery status and a shared inbox inside the CRM pages where you work.',
    minimum_chrome_version: '116',
    // storage: settings and state; alarms: a 30 s wake-up so a killed worker reconnects and catches up;
    // sidePanel: the shared inbox. No "tabs": tabs.sendMessage and port.sender.tab need no permission.
    permissions: ['storage', 'alarms', 'sidePanel'],
    // "Enable on any site" (issue 4) asks for these at run time; nothing is granted at install.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // Lets an administrator push {serverUrl, token} by policy (chrome.storage.managed).
    storage: { managed_schema: 'managed_schema.json' },
    action: { default_title: 'TextTrail — open the inbox' },
    // The thread overlay is imported by the content script on the first badge click (entrypoints/overlay.ts).
    // Only CRM and loopback (demo) origins may load it; web-accessible paths cannot be narrower than origins.
    web_accessible_resources: [{
      resources: ['overlay.js'],
      matches: [...new Set(CRM_MATCHES.map(m => m.replace(/^(https?:\/\/[^/]+)\/.*$/, '$1/*')))],
    }],
  },
});
