// The built extension in real Chromium against the demo CRM page and a real server: callbacks change
// badges live, texts sent from a badge reach the (faked) provider, and a stopped service worker comes
// back and catches up with what it missed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Message } from '../domain/types';
import { startTestServer } from '../server/testing';
import {
  DEMO_CONTACTS, E2E_AUTH_TOKEN, api, readExtensionRow, E2E_CONNECTION, E2E_TOKEN, badge, browserTestsCanRun, configure, connectionStatus,
  expectStatus, launchWithExtension, postTwilioCallback, sendText, startFakeTwilio, statusParams, twilioSeed, waitFor,
  type ExtensionBrowser, type FakeTwilio,
} from './helpers';

const canRun = browserTestsCanRun();

describe.skipIf(!canRun)('live badges in the demo CRM page', () => {
  let twilio: FakeTwilio;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: ExtensionBrowser;
  let page: Page;
  const callback = (sid: string, to: string, status: string, code?: string) =>
    postTwilioCallback(server, E2E_CONNECTION, E2E_AUTH_TOKEN, statusParams(sid, to, status, code));

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    server = await startTestServer({ seed: twilioSeed(twilio.url) });
    browser = await launchWithExtension();
    await configure(browser, { serverUrl: server.url, token: E2E_TOKEN });
    await waitFor('the extension to connect', async () => (await connectionStatus(browser)) === 'connected');
    page = await browser.ctx.newPage();
    await page.goto(`${server.url}/demo/`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await twilio?.close();
  });

  it('puts a badge with no texts beside every phone of the list', async () => {
    await waitFor('8 badges', async () => (await page.locator('texttrail-badge').count()) === 8);
    for (const c of DEMO_CONTACTS) {
      expect(await badge(page, c.phone).getAttribute('data-status')).toBe('none');
      // Beside the phone: the host sits in the phone cell right after the number.
      const cellText = await badge(page, c.phone).evaluate(el => el.parentElement?.closest('td')?.textContent ?? '');
      expect(cellText.replace(/\D/g, '')).toContain(c.phone.slice(-4));
    }
    const pill = page.getByRole('button', { name: 'No texts yet' });
    await expect(pill.count()).resolves.toBe(8);
  });

  it('changes the badge live when the provider calls back', async () => {
    const maria = '+14155550134';
    const sent = await sendText(server.url, E2E_TOKEN, maria, 'Your crown is ready, see you Thursday.');
    expect(sent.providerMessageId).toMatch(/^SM/);
    await expectStatus(page, maria, sent.status);

    expect(await callback(sent.providerMessageId!, maria, 'sent')).toBe(200);
    await expectStatus(page, maria, 'sent', 2_000);
    expect(await callback(sent.providerMessageId!, maria, 'delivered')).toBe(200);
    const ms = await expectStatus(page, maria, 'delivered', 2_000);
    console.log(`callback → badge in the page: ${ms} ms`);
    await expect(page.getByRole('button', { name: /^Delivered (just now|\d+ min ago)$/ }).count()).resolves.toBe(1);

    // A failure shows its reason in plain words, in the accessible name and the tooltip.
    const james = '+14155550003';
    const toJames = await sendText(server.url, E2E_TOKEN, james, 'Please call us to reschedule.');
    expect(await callback(toJames.providerMessageId!, james, 'undelivered', '30006')).toBe(200);
    await expectStatus(page, james, 'undelivered', 2_000);
    const pill = page.getByRole('button', { name: /^Undelivered: landline or unreachable carrier.*\(30006\)$/ });
    await expect(pill.count()).resolves.toBe(1);
    expect(await pill.getAttribute('title')).toContain('landline');
  });

  it('sends a text from the badge\'s thread overlay through the provider', async () => {
    const emma = '+12125550188';
    const before = twilio.requests.length;
    await badge(page, emma).getByRole('button').click();
    const dialog = page.getByRole('dialog');
    await waitFor('the thread overlay', async () => (await dialog.count()) === 1);
    await dialog.getByRole('textbox', { name: 'Message' }).fill('Hi Emma, your cleaning is booked for Monday 9:00.');
    await dialog.getByRole('button', { name: 'Send' }).click();

    await waitFor('the fake Twilio to receive the text', async () => twilio.requests.length === before + 1);
    const req = twilio.requests[twilio.requests.length - 1];
    expect(req.params.To).toBe(emma);
    expect(req.params.Body).toBe('Hi Emma, your cleaning is booked for Monday 9:00.');
    await expectStatus(page, emma, 'queued', 3_000);

    const sid = `SM${String(twilio.requests.length).padStart(32, '0')}`;
    expect(await callback(sid, emma, 'sent')).toBe(200);
    await expectStatus(page, emma, 'sent', 2_000);
    expect(await callback(sid, emma, 'delivered')).toBe(200);
    await expectStatus(page, emma, 'delivered', 2_000);
    // The overlay said it was sent and shows the text with its trail; Escape closes it.
    expect(await dialog.getByRole('status').filter({ hasText: 'Sent.' }).count()).toBe(1);
    await waitFor('the text in the thread', async () => (await dialog.locator('[data-message][data-status="delivered"]').count()) === 1, 3_000);
    await page.keyboard.press('Escape');
    await waitFor('the overlay to close', async () => (await page.getByRole('dialog').count()) === 0, 3_000);
  });

  it('does not send a text the page itself scripts into the open shadow root', async () => {
    const before = twilio.requests.length;
    await badge(page, '+13125550142').getByRole('button').click(); // a real click opens the overlay
    await waitFor('the thread overlay', async () => (await page.getByRole('dialog').count()) === 1);
    await page.evaluate(() => {
      const root = document.querySelector('texttrail-overlay')!.shadowRoot!;
      const text = root.querySelector('textarea')!;
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(text, 'Sent by the page');
      text.dispatchEvent(new Event('input', { bubbles: true }));
      (root.querySelector('button[type="submit"]') as HTMLButtonElement).click();
      (root.querySelector('form') as HTMLFormElement).requestSubmit();
      text.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, composed: true }));
    });
    await new Promise(r => setTimeout(r, 500));
    expect(twilio.requests.length).toBe(before);
    await page.keyboard.press('Escape');
    await waitFor('the composer to close', async () => (await page.getByRole('dialog').count()) === 0, 3_000);
  });

  it('shows the server refusing a text in words', async () => {
    const olivia = '+14155551610';
    // Opt Olivia out the way a carrier reports it: an inbound STOP.
    const inbound = { MessageSid: 'SMinbound0001', AccountSid: 'AC00000000000000000000000000000e2e', From: olivia, To: '+12125550100', Body: 'STOP', NumMedia: '0', SmsStatus: 'received' };
    expect(await postTwilioCallback(server, E2E_CONNECTION, E2E_AUTH_TOKEN, inbound)).toBe(200);
    await badge(page, olivia).getByRole('button').click();
    const dialog = page.getByRole('dialog');
    await waitFor('the thread overlay', async () => (await dialog.count()) === 1);
    await dialog.getByRole('textbox', { name: 'Message' }).fill('Hello again');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await expect(waitFor('the error', async () => (await dialog.getByRole('alert').textContent())?.includes('opted out'))).resolves.toBeTruthy();
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('comes back after the service worker is stopped and catches up with what it missed', async () => {
    const liam = '+13125550142';
    const tom = '+13125550007';
    const toLiam = await sendText(server.url, E2E_TOKEN, liam, 'Your car-seat form is ready.');
    await expectStatus(page, liam, 'queued');

    // (1) The worker is stopped while the page stays open: the page's port breaks, reopens and wakes a
    // fresh worker, which reconnects; the next callback reaches the badge live.
    const cdpPage = await browser.ctx.newPage();
    await cdpPage.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const cdp = await browser.ctx.newCDPSession(cdpPage);
    await cdp.send('ServiceWorker.enable');
    const stopWorkers = async () => {
      await cdp.send('ServiceWorker.stopAllWorkers');
      await waitFor('the worker socket to close', async () => server.app.io.engine.clientsCount === 0, 5_000, 20);
    };
    await stopWorkers();
    await waitFor('a fresh worker to reconnect', async () => server.app.io.engine.clientsCount === 1, 10_000);
    expect(await callback(toLiam.providerMessageId!, liam, 'sent')).toBe(200);
    await expectStatus(page, liam, 'sent', 3_000);

    // (2) Nothing open wakes the worker: a callback lands while it is down. The next page wakes it, and
    // it catches up through /api/sync before answering.
    const toTom = await sendText(server.url, E2E_TOKEN, tom, 'Reminder: cleaning tomorrow 10:30.');
    await expectStatus(page, tom, 'queued');
    await page.close();
    await cdpPage.goto('about:blank');
    await stopWorkers();
    expect(await callback(toTom.providerMessageId!, tom, 'undelivered', '30007')).toBe(200);
    expect(await callback(toLiam.providerMessageId!, liam, 'delivered')).toBe(200);
    expect(server.app.io.engine.clientsCount).toBe(0); // it really was down when they arrived

    page = await browser.ctx.newPage();
    await page.goto(`${server.url}/demo/`);
    await expectStatus(page, tom, 'undelivered', 5_000);
    await expectStatus(page, liam, 'delivered', 5_000);
    await waitFor('the socket to be back', async () => server.app.io.engine.clientsCount === 1, 10_000);
    await cdpPage.close();

    // Caught up through /api/sync, not only through the recent-threads list: the message itself is stored
    // at its final status and the stored cursor is the server's newest.
    const latest = await api<{ cursor: string }>(server.url, E2E_TOKEN, 'GET', '/api/sync?limit=500');
    await waitFor('the stored cursor to reach the server\'s newest', async () =>
      (await readExtensionRow<{ value: string }>(browser, 'meta', 'syncCursor'))?.value === latest.json.cursor);
    expect((await readExtensionRow<Message>(browser, 'messages', toTom.id))?.status).toBe('undelivered');
  });
});
