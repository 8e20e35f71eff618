// Two things a CRM page must be able to trust us with, in real Chromium:
// - Text stays text. Contact names and message bodies carrying script and markup are shown as written,
//   and nothing of them runs: not in the CRM page, not in the thread overlay, not in the side panel.
// - Any other site is the user's choice: a site turned on from the popup gets badges (our content script
//   registered for it, persistently, and run in the open tab at once); turned off, it has none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { patternFor, scriptIdFor } from '../utils/sites';
import type { CrmBrowser } from './crm-host';
import { fixture, fixtureRoute } from './crm-pages';
import { startCrmWorld, type CrmWorld } from './crm-world';
import {
  browserTestsCanRun, E2E_AUTH_TOKEN, E2E_CONNECTION, E2E_TOKEN, postTwilioCallback, sendText, statusParams, waitFor,
} from './helpers';

const canRun = browserTestsCanRun();

/** Another web app on this machine: http://localhost:PORT (not the demo's /demo/ pages). */
async function serveOnLoopback(html: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/favicon.ico') { res.writeHead(204).end(); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, close: () => new Promise(r => { server.closeAllConnections(); server.close(() => r()); }) };
}
const MARIA = '+14155550134';
const PAYLOAD_NAME = `<img src=x onerror="window.__pwned='name'">Maria <script>window.__pwned='name-script'</script>`;
const PAYLOAD_BODY = `<img src=x onerror="window.__pwned='body'"><b>bold</b><script>window.__pwned='body-script'</script> <a href="javascript:window.__pwned='link'">tap</a>`;

describe.skipIf(!canRun)('text stays text, and other sites are the user\'s choice', () => {
  let world: CrmWorld;
  let server: CrmWorld['server'];
  let browser: CrmBrowser;
  let page: Page;
  let site: { url: string; close(): Promise<void> };
  let sitePage: Page;
  let popupPage: Page;

  beforeAll(async () => {
    site = await serveOnLoopback(fixture('generic-page.html').html);
    world = await startCrmWorld({
      route: fixtureRoute(),
      seed: seed => { seed.orgs[0].contacts = seed.orgs[0].contacts.map(c => (c.phone === MARIA ? { ...c, name: PAYLOAD_NAME } : c)); return seed; },
    });
    ({ server, browser } = world);
    page = await browser.ctx.newPage();
  });

  afterAll(async () => {
    await world?.close();
    await site?.close();
  });

  const pwned = (p: Page) => p.evaluate(() => (window as { __pwned?: string }).__pwned ?? null);

  it('script and markup in a contact\'s name and a text\'s body show as text in the CRM page and the overlay', async () => {
    const sent = await sendText(server.url, E2E_TOKEN, MARIA, PAYLOAD_BODY);
    await postTwilioCallback(server, E2E_CONNECTION, E2E_AUTH_TOKEN, statusParams(sent.providerMessageId!, MARIA, 'undelivered', '30003'));
    await page.goto(fixture('hubspot-list.html').url.toString());
    const badge = page.locator(`texttrail-badge[data-phone="${MARIA}"]`);
    await waitFor('Maria\'s failed badge', async () => (await badge.getAttribute('data-status')) === 'undelivered', 15_000);
    await badge.getByRole('button').click();
    const dialog = page.getByRole('dialog');
    await waitFor('the body in the overlay', async () => (await dialog.textContent())?.includes('<b>bold</b>'), 10_000);
    const shown = await dialog.textContent();
    expect(shown).toContain(`<img src=x onerror="window.__pwned='body'">`);
    // Nothing made of the payload exists as markup anywhere of ours, nor ran.
    const made = await page.locator('texttrail-overlay').evaluate(h => {
      const root = h.shadowRoot!;
      return { img: root.querySelectorAll('img[src="x"]').length, script: root.querySelectorAll('script').length, b: [...root.querySelectorAll('b')].filter(b => b.textContent === 'bold').length, jsLinks: root.querySelectorAll('a[href^="javascript:"]').length };
    });
    expect(made).toEqual({ img: 0, script: 0, b: 0, jsLinks: 0 });
    await page.waitForTimeout(300); // an image error handler would have fired by now
    expect(await pwned(page)).toBeNull();
    await page.keyboard.press('Escape');
  });

  it('the same in the side panel', async () => {
    const panel = await browser.ctx.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await waitFor('the conversation list', async () => (await panel.locator('body').textContent())?.includes('Maria'), 10_000);
    const text = await panel.locator('body').textContent();
    expect(text).toContain('<img src=x onerror=');
    expect(await panel.locator('img[src="x"], b:text-is("bold")').count()).toBe(0);
    expect(await pwned(panel)).toBeNull();
    await panel.close();
  });

  it('turned on from the popup: badges in the tab at once and after reloads, from a persistent registered script', async () => {
    // The permission prompt cannot be answered in a headless browser, so the site is one whose host the
    // extension may already reach (loopback, outside the demo's /demo/ pages): the popup's request then
    // resolves without a prompt, and everything after it is the real flow.
    const page2 = await browser.ctx.newPage();
    await page2.goto(`${site.url}/appointments`);
    await page2.waitForTimeout(500);
    expect(await page2.locator('texttrail-badge').count()).toBe(0); // not a CRM of ours: nothing yet
    const sw = await browser.worker();
    const tabId = await sw.evaluate(async u => (await chrome.tabs.query({ url: u }))[0]?.id, `${site.url}/*`);
    const popup = await browser.ctx.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
    await popup.getByRole('button', { name: `Turn on for ${new URL(site.url).host}` }).click();
    await waitFor('the popup to confirm', async () => (await popup.getByRole('status').allTextContents()).some(t => t.includes('Badges are on')), 10_000);
    // Injected into the open tab at once: the generic adapter, with the user's country (US) reading only
    // the international numbers of this UK page.
    const phones = () => page2.locator('texttrail-badge').evaluateAll(els => els.map(e => e.getAttribute('data-phone')).sort());
    await waitFor('badges in the open tab', async () => (await phones()).length === 2, 10_000);
    expect(await phones()).toEqual(['+442079460958', '+447400123456']);
    expect(await sw.evaluate(() => chrome.scripting.getRegisteredContentScripts())).toMatchObject([{ id: scriptIdFor(site.url), matches: [patternFor(site.url)], persistAcrossSessions: true }]);
    await page2.reload();
    await waitFor('badges again after a reload', async () => (await phones()).length === 2, 10_000);
    sitePage = page2;
    popupPage = popup;
  });

  it('turned off from the popup: the badges go at once, the script is unregistered, later loads have none', async () => {
    await popupPage.reload();
    await popupPage.getByRole('button', { name: 'Turn off on this site' }).click();
    await waitFor('the popup to confirm', async () => (await popupPage.getByRole('status').allTextContents()).some(t => t.includes('is off for')), 10_000);
    await waitFor('the badges to go from the open tab', async () => (await sitePage.locator('texttrail-badge').count()) === 0, 10_000);
    const sw = await browser.worker();
    expect(await sw.evaluate(() => chrome.scripting.getRegisteredContentScripts())).toEqual([]);
    await sitePage.reload();
    await sitePage.waitForTimeout(1_500);
    expect(await sitePage.locator('texttrail-badge').count()).toBe(0);
  });

  it('turned on and off from the options page by its address, for pages opened there afterwards', async () => {
    const options = await browser.ctx.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByLabel('Turn on a site').fill(`${site.url}/appointments`);
    await options.getByRole('button', { name: 'Turn on', exact: true }).click();
    await waitFor('the options page to confirm', async () => (await options.getByRole('status').allTextContents()).some(t => t.includes('Badges are on')), 10_000);
    expect(await options.getByRole('list', { name: 'Sites you turned on' }).textContent()).toContain(new URL(site.url).host);
    await sitePage.reload();
    const phones = () => sitePage.locator('texttrail-badge').evaluateAll(els => els.map(e => e.getAttribute('data-phone')).sort());
    await waitFor('badges on a page loaded after', async () => (await phones()).length === 2, 10_000);

    await options.getByRole('button', { name: `Turn off on ${new URL(site.url).host}` }).click();
    await waitFor('the options page to confirm', async () => (await options.getByRole('status').allTextContents()).some(t => t.includes('is off for')), 10_000);
    const sw = await browser.worker();
    expect(await sw.evaluate(() => chrome.scripting.getRegisteredContentScripts())).toEqual([]);
    await sitePage.reload();
    await sitePage.waitForTimeout(1_500);
    expect(await sitePage.locator('texttrail-badge').count()).toBe(0);
    await options.close();
  });
});
