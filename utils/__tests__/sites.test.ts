import { beforeEach, describe, expect, it } from 'vitest';
import { CRM_MATCHES, isBuiltInPage, matchesPattern } from '../matches';
import {
  CONTENT_SCRIPT_FILE, disableSite, enableSite, enabledSites, originOf, patternFor, reconcileSites, requestSite, scriptIdFor, siteFromAddress, siteState,
} from '../sites';
import { fakeChrome } from './fakeSitesApi';

describe('match patterns', () => {
  it.each([
    ['https://*.pipedrive.com/*', 'https://acme.pipedrive.com/person/1', true],
    ['https://*.pipedrive.com/*', 'https://pipedrive.com/', true],
    ['https://*.pipedrive.com/*', 'https://notpipedrive.com/', false],
    ['https://*.pipedrive.com/*', 'http://acme.pipedrive.com/', false],
    ['http://127.0.0.1/demo/*', 'http://127.0.0.1:8787/demo/contact.html?id=x', true],
    ['http://127.0.0.1/demo/*', 'http://127.0.0.1:8787/other', false],
    ['http://127.0.0.1:8787/*', 'http://127.0.0.1:9999/', false],
    ['*://example.com/*', 'https://example.com/a', true],
    ['<all_urls>', 'https://any.example/', true],
  ])('%s ~ %s → %s', (pattern, url, expected) => {
    expect(matchesPattern(pattern, url)).toBe(expected);
  });

  it('knows the built-in CRM pages', () => {
    expect(isBuiltInPage('https://app.hubspot.com/contacts/1')).toBe(true);
    expect(isBuiltInPage('https://crm.zoho.eu/crm/tab/Contacts')).toBe(true);
    expect(isBuiltInPage('https://example.com/')).toBe(false);
    expect(CRM_MATCHES.every(p => matchesPattern(p, p.replace('*.', 'x.').replace(/\*$/, '')))).toBe(true);
  });
});

describe('enabling a site', () => {
  let chrome: ReturnType<typeof fakeChrome>;
  beforeEach(() => { chrome = fakeChrome(); });

  it('works out the site of a tab, and refuses what is not a web page', () => {
    expect(originOf('https://app.clinicdesk.example/appointments?day=1')).toBe('https://app.clinicdesk.example');
    expect(originOf('http://127.0.0.1:8787/x')).toBe('http://127.0.0.1:8787');
    expect(originOf('chrome://extensions/')).toBeNull();
    expect(originOf('https://chromewebstore.google.com/detail/x')).toBeNull();
    expect(originOf('file:///tmp/a.html')).toBeNull();
    expect(originOf(undefined)).toBeNull();
    expect(patternFor('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787/*');
  });

  it('says whether the page is built in, enabled, or could be enabled', async () => {
    expect(await siteState(chrome.api, 'chrome://newtab/')).toEqual({ kind: 'unsupported' });
    expect(await siteState(chrome.api, 'https://app.hubspot.com/contacts/1')).toEqual({ kind: 'built-in', origin: 'https://app.hubspot.com' });
    expect(await siteState(chrome.api, 'https://app.clinicdesk.example/a')).toEqual({ kind: 'disabled', origin: 'https://app.clinicdesk.example' });
  });

  it('asks for the origin only, registers a persistent content script, and runs it in the tab at once', async () => {
    const origin = 'https://app.clinicdesk.example';
    expect(await requestSite(chrome.api, origin)).toBe(true);
    expect([...chrome.granted]).toEqual(['https://app.clinicdesk.example/*']);
    await enableSite(chrome.api, origin, 7);
    expect(chrome.scripts.get(scriptIdFor(origin))).toMatchObject({
      matches: ['https://app.clinicdesk.example/*'], js: [CONTENT_SCRIPT_FILE], runAt: 'document_start', persistAcrossSessions: true,
    });
    expect(chrome.injected).toEqual([{ tabId: 7, files: [CONTENT_SCRIPT_FILE], func: false }]);
    expect(await siteState(chrome.api, `${origin}/anything`)).toEqual({ kind: 'enabled', origin });
    expect(await enabledSites(chrome.api)).toEqual([origin]);
    // Enabling again (a second click, a leftover registration) is not an error.
    await enableSite(chrome.api, origin);
    expect(chrome.scripts.size).toBe(1);
  });

  it('does nothing when the user says no to the permission prompt', async () => {
    chrome.refuse();
    expect(await requestSite(chrome.api, 'https://x.example')).toBe(false);
    expect(chrome.granted.size).toBe(0);
  });

  it('disabling stops the script in the tab, unregisters it and gives the permission back', async () => {
    const origin = 'https://app.clinicdesk.example';
    await requestSite(chrome.api, origin);
    await enableSite(chrome.api, origin);
    await disableSite(chrome.api, origin, 3);
    expect(chrome.injected).toEqual([{ tabId: 3, files: undefined, func: true }]);
    expect(chrome.scripts.size).toBe(0);
    expect(chrome.granted.size).toBe(0);
    expect(await siteState(chrome.api, origin)).toEqual({ kind: 'disabled', origin });
  });

  it('turning off a site whose host the manifest requires (loopback) is not an error', async () => {
    const origin = 'http://localhost:3000';
    await enableSite(chrome.api, origin);
    chrome.api.permissions.remove = async () => { throw new Error('You cannot remove required permissions.'); };
    await expect(disableSite(chrome.api, origin)).resolves.toBeUndefined();
    expect(chrome.scripts.size).toBe(0);
  });

  it('drops the script of a site whose permission was taken back in Chrome\'s settings', async () => {
    for (const o of ['https://a.example', 'https://b.example']) { await requestSite(chrome.api, o); await enableSite(chrome.api, o); }
    chrome.granted.delete('https://a.example/*');
    expect(await reconcileSites(chrome.api)).toEqual(['https://a.example']);
    expect(await enabledSites(chrome.api)).toEqual(['https://b.example']);
  });
});

describe('siteFromAddress (the options page\'s "Turn on a site")', () => {
  it.each([
    ['crm.clinicdesk.example', 'https://crm.clinicdesk.example'],
    ['  https://crm.clinicdesk.example/patients/12?x=1 ', 'https://crm.clinicdesk.example'],
    ['http://intranet.example:8080/crm', 'http://intranet.example:8080'],
    ['localhost:3000', 'https://localhost:3000'],
  ])('%s → %s', (typed, origin) => {
    expect(siteFromAddress(typed)).toEqual({ origin });
  });

  it('says why an address cannot be turned on', () => {
    expect(siteFromAddress('')).toEqual({ error: expect.stringMatching(/^Enter the address/) });
    expect(siteFromAddress('crm')).toEqual({ error: expect.stringMatching(/not a web address/) });
    expect(siteFromAddress('ftp://files.example.com')).toEqual({ error: expect.stringMatching(/not a web address/) });
    expect(siteFromAddress('chrome://extensions')).toEqual({ error: expect.stringMatching(/not a web address/) });
    expect(siteFromAddress('app.hubspot.com')).toEqual({ error: 'TextTrail already runs on app.hubspot.com: nothing to turn on.' });
  });
});
