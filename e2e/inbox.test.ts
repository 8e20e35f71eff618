// An agent's side panel in real Chromium: conversations from IndexedDB, a template with a missing merge
// field that cannot go out, a text written offline that waits in the outbox and goes out exactly once on
// reconnect, "Open in side panel" from the page, and axe-core on the conversation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer } from '../server/testing';
import {
  INBOX, artifactPath, axeViolations, badge, browserTestsCanRun, configure, connectionStatus, copyToDocs, expectStatus, inboxCallback,
  inboxSeed, launchWithExtension, postTwilioCallback, sendAndSettle, startCutProxy, startFakeTwilio, waitFor,
  type CutProxy, type ExtensionBrowser, type FakeTwilio,
} from './helpers';

const canRun = browserTestsCanRun();
const JAMES = '+14155550003';
const MARIA = '+14155550134';

describe.skipIf(!canRun)('the agent\'s side panel', () => {
  let twilio: FakeTwilio;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let proxy: CutProxy;
  let browser: ExtensionBrowser;
  let panel: Page;
  const conversation = () => panel.getByRole('log');

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    server = await startTestServer({ seed: inboxSeed(twilio.url) });
    await sendAndSettle(server, INBOX.ben, MARIA, 'Hi Maria, your crown is ready for pickup.', 'delivered');
    const inbound = { MessageSid: 'SMinbound00000000000000000000001', AccountSid: INBOX.accountSid, From: JAMES, To: INBOX.north.from, Body: 'Can we move my cleaning to next week?', NumMedia: '0', SmsStatus: 'received' };
    expect(await postTwilioCallback(server, INBOX.north.connection, INBOX.authToken, inbound)).toBe(200);
    await sendAndSettle(server, INBOX.ben, JAMES, 'Of course! Does Tuesday 9:30 work for you?', 'undelivered', '30003');
    proxy = await startCutProxy(server.url);
    browser = await launchWithExtension();
    await configure(browser, { serverUrl: proxy.url, token: INBOX.ana });
    await waitFor('the extension to connect', async () => (await connectionStatus(browser)) === 'connected');
    panel = await browser.ctx.newPage();
    await panel.setViewportSize({ width: 420, height: 900 });
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.close();
    await twilio?.close();
  });

  it('lists conversations and opens one with its history, trail and who sent what', async () => {
    const list = panel.getByRole('list', { name: 'Recent conversations' });
    await waitFor('two conversations', async () => (await list.getByRole('listitem').count()) === 2, 10_000);
    await panel.getByRole('searchbox', { name: 'Search conversations' }).fill('5550003');
    await waitFor('one match', async () => (await list.getByRole('listitem').count()) === 1);
    await panel.getByRole('button', { name: 'Open the conversation with James Carter' }).click();
    await waitFor('the conversation', async () => (await conversation().locator('[data-message]').count()) === 2, 10_000);
    expect(await panel.getByRole('heading', { name: 'James Carter' }).count()).toBe(1);
    expect(await conversation().locator('.tt-in .tt-body').textContent()).toBe('Can we move my cleaning to next week?');
    expect(await conversation().locator('.tt-out .tt-who').textContent()).toBe('Ben Brooks');
    expect(await conversation().getByRole('list', { name: 'Status history' }).textContent()).toMatch(/Undelivered \d\d:\d\d/);
    expect(await conversation().getByRole('group', { name: 'Resend' }).getByRole('button', { name: 'Resend', exact: true }).count()).toBe(1);
  });

  it('never sends a template with an empty merge field, and counts segments as you type', async () => {
    const form = panel.getByRole('form', { name: 'New text' });
    const before = twilio.requests.length;
    await form.getByLabel('Template').selectOption({ label: 'Appointment reminder' });
    expect(await form.getByLabel('First name').inputValue()).toBe('James');
    expect(await form.getByText('Missing: fill it in').count()).toBe(1);
    expect(await form.getByRole('group', { name: 'Preview' }).textContent()).toContain('[Date missing]');
    await form.getByRole('button', { name: 'Send' }).click();
    expect(await form.getByRole('alert').textContent()).toContain('Fill in the missing merge fields first');
    expect(twilio.requests.length).toBe(before);

    await form.getByLabel('Template').selectOption({ label: 'None: write your own' });
    const text = form.getByRole('textbox', { name: 'Message' });
    await text.fill('Olá James 😀');
    expect(await form.locator('.tt-count').getAttribute('data-encoding')).toBe('UCS-2');
    expect(await form.locator('.tt-count').textContent()).toContain('because of “á” “😀”');
    await text.fill('x'.repeat(161));
    expect(await form.locator('.tt-count').textContent()).toBe('161/306 · 2 SMS parts · GSM-7');
    await text.fill('');
  });

  it('keeps a text written offline in the outbox and sends it exactly once on reconnect', async () => {
    const form = panel.getByRole('form', { name: 'New text' });
    const before = twilio.requests.length;
    proxy.cut();
    await waitFor('the extension to notice', async () => (await connectionStatus(browser)) !== 'connected', 10_000);
    // History still reads from IndexedDB: back to the list and in again.
    await panel.getByRole('button', { name: 'Back to the list' }).click();
    await panel.getByRole('button', { name: 'Open the conversation with James Carter' }).click();
    await waitFor('the conversation, offline', async () => (await conversation().locator('[data-message]').count()) === 2);

    await form.getByLabel('Template').selectOption({ label: 'Appointment reminder' });
    await form.getByLabel('Date').fill('Tuesday at 9:30');
    await form.getByRole('button', { name: 'Send' }).click();
    await waitFor('"waiting to send"', async () => (await conversation().locator('[data-pending="waiting"]').count()) === 1, 10_000);
    expect(await conversation().locator('[data-pending="waiting"]').textContent()).toContain('Hi James, see you Tuesday at 9:30 at Acme Dental.');
    expect(await form.getByRole('status').textContent()).toContain('Waiting to send');
    expect(twilio.requests.length).toBe(before);
    await panel.screenshot({ path: artifactPath('screenshot-inbox.png') });
    copyToDocs('screenshot-inbox.png');

    proxy.restore();
    await waitFor('the text to reach the provider', async () => twilio.requests.length === before + 1, 45_000, 200);
    expect(twilio.requests.at(-1)!.params.Body).toBe('Hi James, see you Tuesday at 9:30 at Acme Dental. Reply STOP to opt out.');
    await waitFor('the outbox to empty', async () => (await conversation().locator('[data-pending]').count()) === 0, 10_000);
    await waitFor('the text in the thread', async () => (await conversation().locator('[data-message]').count()) === 3, 10_000);
    await new Promise(r => setTimeout(r, 3_000)); // a second send (reconnect, alarm, retry) would have happened by now
    expect(twilio.requests.length).toBe(before + 1);
  });

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    expect(await axeViolations(panel)).toEqual([]);
    await panel.getByRole('button', { name: 'Back to the list' }).click();
    expect(await axeViolations(panel)).toEqual([]);
  });

  it('"Open in side panel" from the page shows that contact', async () => {
    const page = await browser.ctx.newPage();
    await page.goto(`${server.url}/demo/`);
    await expectStatus(page, MARIA, 'delivered', 10_000);
    await badge(page, MARIA).getByRole('button').click();
    const dialog = page.getByRole('dialog');
    await waitFor('the overlay', async () => (await dialog.count()) === 1);
    await dialog.getByRole('button', { name: 'Open in side panel' }).click();
    // Chrome opened its side panel (the overlay closes then); every open inbox follows the target.
    await waitFor('the overlay to close', async () => (await dialog.count()) === 0, 5_000);
    const sw = await browser.worker();
    await waitFor('the panel target', async () => sw.evaluate(async () => ((await chrome.storage.session.get('panelTarget')).panelTarget as { phone?: string } | undefined)?.phone === '+14155550134'));
    const fresh = await browser.ctx.newPage();
    await fresh.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await waitFor('Maria\'s conversation', async () => (await fresh.getByRole('heading', { name: 'Maria Lopez' }).count()) === 1, 10_000);
    await fresh.close();
    await page.close();
  });

  it('follows the thread live: a delivery report updates the trail', async () => {
    // The panel tab followed "Open in side panel" to Maria: back to the list, then James.
    await panel.getByRole('button', { name: 'Back to the list' }).click();
    await panel.getByRole('searchbox', { name: 'Search conversations' }).fill('');
    await panel.getByRole('button', { name: 'Open the conversation with James Carter' }).click();
    const last = conversation().locator('[data-message]').last();
    await waitFor('the new text', async () => (await last.getAttribute('data-status')) === 'queued', 10_000);
    const sid = `SM${String(twilio.requests.length).padStart(32, '0')}`;
    const m = { providerMessageId: sid, to: JAMES, connectionId: INBOX.north.connection, from: INBOX.north.from };
    expect(await inboxCallback(server, m, 'sent')).toBe(200);
    expect(await inboxCallback(server, m, 'delivered')).toBe(200);
    await waitFor('delivered', async () => (await last.getAttribute('data-status')) === 'delivered', 10_000);
    expect(await last.getByRole('list', { name: 'Status history' }).textContent()).toMatch(/Queued \d\d:\d\d.*Sent \d\d:\d\d.*Delivered \d\d:\d\d/);
  });
});
