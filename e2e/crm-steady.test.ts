// Steady through what the browser and the network do, on a CRM page (HubSpot's list fixture as
// app.hubspot.com): the server goes away and comes back (badges and the action icon say "reconnecting",
// reconnects back off with jitter, everything missed arrives), the service worker is stopped in the middle
// of a burst of callbacks, new failures are counted on the icon and notified once per conversation, and
// the extension is reloaded under open CRM tabs: the old content script stops without a word in the page's
// console and the new one takes over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { enableDeveloperMode, type CrmBrowser } from './crm-host';
import { fixture, fixtureRoute } from './crm-pages';
import { startCrmWorld, type CrmWorld } from './crm-world';
import {
  browserTestsCanRun, E2E_AUTH_TOKEN, E2E_CONNECTION, E2E_TOKEN, postTwilioCallback, sendText, startCutProxy, statusParams, waitFor, type CutProxy,
} from './helpers';

const canRun = browserTestsCanRun();
const MARIA = '+14155550134';
const JAMES = '+14155550003';
const EMMA = '+442079460958';

describe.skipIf(!canRun)('steady through the browser and the network', () => {
  let world: CrmWorld;
  let server: CrmWorld['server'];
  let proxy: CutProxy;
  let browser: CrmBrowser;
  let page: Page;
  let cdp: CDPSession;
  const consoleProblems: string[] = [];
  const callback = (sid: string, to: string, status: string, code?: string) =>
    postTwilioCallback(server, E2E_CONNECTION, E2E_AUTH_TOKEN, statusParams(sid, to, status, code));
  const sw = async () => browser.worker();
  const connection = async () => (await sw()).evaluate(async () => ((await chrome.storage.session.get('connectionState')).connectionState as { status?: string } | undefined)?.status);
  const action = async () => (await sw()).evaluate(async () => ({ text: await chrome.action.getBadgeText({}), title: await chrome.action.getTitle({}) }));
  const status = (phone: string) => page.locator(`texttrail-badge[data-phone="${phone}"]`).first().getAttribute('data-status');
  const label = async (phone: string) => (await page.locator(`texttrail-badge[data-phone="${phone}"] [role="button"]`).evaluateAll(els => els.map(e => e.getAttribute('aria-label'))))[0] ?? null;

  beforeAll(async () => {
    world = await startCrmWorld({ route: fixtureRoute(), connect: false });
    ({ server, browser } = world);
    proxy = await startCutProxy(server.url);
    await world.connect(proxy.url);
    await waitFor('the extension to connect', async () => (await connection()) === 'connected', 15_000);
    page = await browser.ctx.newPage();
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', e => consoleProblems.push(`pageerror: ${String(e)}`));
    await page.goto(fixture('hubspot-list.html').url.toString());
    await waitFor('three badges with no texts', async () => (await label(EMMA)) === 'No texts yet' && (await page.locator('texttrail-badge').count()) === 3);
    const panel = await browser.ctx.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/options.html`);
    cdp = await browser.ctx.newCDPSession(panel);
    await cdp.send('ServiceWorker.enable');
  });

  afterAll(async () => {
    await world?.close();
    await proxy?.close();
  });

  it('server down: badges and the icon say "reconnecting"; retries back off with jitter; back up, what was missed arrives', async () => {
    proxy.cut();
    const cutAt = Date.now();
    await waitFor('reconnecting', async () => (await connection()) === 'reconnecting', 10_000);
    await waitFor('the badge to say so', async () => (await label(MARIA))?.includes('reconnecting'), 5_000);
    expect((await action()).title).toContain('reconnecting');

    // While the extension is offline, Maria's text fails.
    const sent = await sendText(server.url, E2E_TOKEN, MARIA, 'Your aligners are ready.');
    expect(await callback(sent.providerMessageId!, MARIA, 'sent')).toBe(200);
    expect(await callback(sent.providerMessageId!, MARIA, 'undelivered', '30003')).toBe(200);

    // Socket.io's reconnection: exponential backoff from 1 s up to 30 s, randomised ±50% (background/socket.ts).
    await new Promise(r => setTimeout(r, Math.max(0, 7_000 - (Date.now() - cutAt))));
    const tries = proxy.attempts.filter(t => t >= cutAt);
    const gaps = tries.slice(1).map((t, i) => t - tries[i]);
    console.log(`reconnect attempts while down: ${tries.map(t => t - cutAt).join(', ')} ms after the cut`);
    expect(tries.length).toBeGreaterThanOrEqual(2);
    expect(tries.length).toBeLessThanOrEqual(6); // not hammering the server
    expect(Math.min(...gaps)).toBeGreaterThan(300);
    expect(await status(MARIA)).toBe('none');

    proxy.restore();
    await waitFor('connected again', async () => (await connection()) === 'connected', 40_000, 200);
    await waitFor('the missed failure on the badge', async () => (await status(MARIA)) === 'undelivered', 10_000);
    await waitFor('the badge to stop saying reconnecting', async () => !(await label(MARIA))?.includes('reconnecting'), 5_000);
    await waitFor('the icon to count it', async () => (await action()).text === '1', 5_000);
    expect((await action()).title).toBe('TextTrail — 1 failed text needs attention');
  });

  it('a new failure is notified once per conversation in 10 minutes; the icon counts failures', async () => {
    const notified = async () => (await sw()).evaluate(async () => Object.keys(((await chrome.storage.session.get('attentionNotified')).attentionNotified ?? {}) as object));
    // Maria's failure arrived by catch-up: it was news, and it is notified once.
    await waitFor('Maria\'s notification', async () => (await notified()).length === 1, 5_000);
    const first = await sendText(server.url, E2E_TOKEN, JAMES, 'Please call us back.');
    await callback(first.providerMessageId!, JAMES, 'failed', '30006');
    await waitFor('James\'s badge', async () => (await status(JAMES)) === 'failed');
    await waitFor('two conversations notified', async () => (await notified()).length === 2, 5_000);
    await waitFor('the icon to count two', async () => (await action()).text === '2', 5_000);
    // James fails again within 10 minutes (a new text): counted, not notified again.
    const again = await sendText(server.url, E2E_TOKEN, JAMES, 'Calling from the clinic.');
    await callback(again.providerMessageId!, JAMES, 'undelivered', '30003');
    await waitFor('James\'s newest text on the badge', async () => (await status(JAMES)) === 'undelivered');
    const record = await (await sw()).evaluate(async () => (await chrome.storage.session.get('attentionNotified')).attentionNotified as Record<string, { messageId: string }>);
    expect(Object.values(record).map(r => r.messageId)).not.toContain(again.id);
    // Delivered after all: no longer needs attention.
    const fixed = await sendText(server.url, E2E_TOKEN, MARIA, 'Trying again.');
    await callback(fixed.providerMessageId!, MARIA, 'delivered');
    await waitFor('the icon to count one', async () => (await action()).text === '1', 5_000);
  });

  it('the service worker stopped again and again during a burst of callbacks: every badge ends right', async () => {
    const emma = await sendText(server.url, E2E_TOKEN, EMMA, 'Your appointment is confirmed.');
    const maria = await sendText(server.url, E2E_TOKEN, MARIA, 'See you Thursday.');
    const steps: [string, string, string][] = [
      [emma.providerMessageId!, EMMA, 'sent'], [maria.providerMessageId!, MARIA, 'sent'],
      [emma.providerMessageId!, EMMA, 'delivered'], [maria.providerMessageId!, MARIA, 'delivered'], [maria.providerMessageId!, MARIA, 'read'],
    ];
    for (const [sid, to, st] of steps) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      expect(await callback(sid, to, st)).toBe(200);
      await new Promise(r => setTimeout(r, 150));
    }
    await waitFor('Emma delivered', async () => (await status(EMMA)) === 'delivered', 15_000);
    await waitFor('Maria read', async () => (await status(MARIA)) === 'read', 15_000);
  });

  it('the extension reloaded under an open CRM tab: the old script stops quietly, the new one takes over', async () => {
    consoleProblems.length = 0;
    const before = await page.locator('texttrail-badge').evaluateAll(els => els.map(e => e.getAttribute('data-phone')).sort());
    // The old script's own hosts, remembered by the page: they must all go. (Not "no badge on the page":
    // the new script may place its hosts within milliseconds of the old ones going, too soon to see zero.)
    await page.evaluate(() => { (window as unknown as { __oldHosts: Element[] }).__oldHosts = [...document.querySelectorAll('texttrail-badge')]; });
    const emmaBefore = await status(EMMA);
    // Reloaded by the extension itself (as an update applies). First a worker that answers: the last test
    // stopped workers through CDP, which is let go here.
    await cdp.send('ServiceWorker.disable').catch(() => undefined);
    await cdp.detach().catch(() => undefined);
    const live = await waitFor('a live worker', async () => {
      const w = await sw();
      return (await w.evaluate(() => chrome.runtime.id).catch(() => null)) ? w : null;
    }, 10_000);
    await enableDeveloperMode(browser);
    void live.evaluate(() => chrome.runtime.reload()).catch(() => undefined);
    await waitFor('the old badges to go', () => page.evaluate(() => {
      const old = (window as unknown as { __oldHosts: Element[] }).__oldHosts;
      return old.length > 0 && old.every(h => !h.isConnected);
    }), 10_000, 20);
    // The new version injects itself into the tab: the badges are there again, once each, and live.
    await waitFor('the badges back, once each', async () => {
      const now = await page.locator('texttrail-badge').evaluateAll(els => els.map(e => e.getAttribute('data-phone')).sort());
      const named = await label(EMMA);
      return JSON.stringify(now) === JSON.stringify(before) && !!named && named !== 'Text status loading';
    }, 20_000, 200);
    expect(await status(EMMA)).toBe(emmaBefore);
    await waitFor('connected', async () => (await connection()) === 'connected', 15_000);
    const later = await sendText(server.url, E2E_TOKEN, EMMA, 'One more thing.');
    await callback(later.providerMessageId!, EMMA, 'undelivered', '30003');
    await waitFor('the new script\'s badge follows', async () => (await status(EMMA)) === 'undelivered', 10_000);
    // Nothing in the page's console, and no error recorded against the extension (chrome://extensions).
    expect(consoleProblems).toEqual([]);
    const extensions = await browser.ctx.newPage();
    await extensions.goto('chrome://extensions/');
    const errors = await extensions.evaluate(id => new Promise<string[]>(res => (chrome as unknown as { developerPrivate: { getExtensionInfo(id: string, cb: (i: { runtimeErrors?: { message: string }[] }) => void): void } })
      .developerPrivate.getExtensionInfo(id, i => res((i.runtimeErrors ?? []).map(e => e.message)))), browser.extensionId!);
    expect(errors).toEqual([]);
  });
});
