// The thread overlay in a CRM page, as an agent uses it: a failed badge opens the contact's conversation,
// a template resend goes out once however often it is clicked, the new attempt is linked to the first and
// the badge follows it; a landline failure says why and offers no resend; keyboard and axe-core checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Message } from '../domain/types';
import { startTestServer } from '../server/testing';
import {
  INBOX, api, artifactPath, axeViolations, badge, browserTestsCanRun, configure, connectionStatus, copyToDocs, expectStatus,
  inboxCallback, inboxSeed, launchWithExtension, postTwilioCallback, sendAndSettle, zoneAtHour, startFakeTwilio, waitFor, type ExtensionBrowser, type FakeTwilio,
} from './helpers';

const canRun = browserTestsCanRun();
const JAMES = '+14155550003';
const PRIYA = '+16465550006';
const MARIA = '+14155550134';
const LIAM = '+13125550142';

describe.skipIf(!canRun)('thread overlay in the CRM page', () => {
  let twilio: FakeTwilio;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: ExtensionBrowser;
  let page: Page;
  const overlay = () => page.getByRole('dialog');

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    server = await startTestServer({ seed: inboxSeed(twilio.url) });
    // History: Maria got a reply in, James's text was undelivered (temporary), Priya's hit a landline.
    const toMaria = await sendAndSettle(server, INBOX.ben, MARIA, 'Hi Maria, your crown is ready for pickup.', 'delivered');
    expect(toMaria.status).toBe('queued');
    await postInbound(MARIA, 'Great, I will come by on Friday!');
    await sendAndSettle(server, INBOX.ana, JAMES, 'Hi James, please call us to reschedule your cleaning.', 'undelivered', '30003');
    await sendAndSettle(server, INBOX.ana, PRIYA, 'Hi Priya, your invoice is ready.', 'undelivered', '30006');
    // Liam: a delivered text from Ben, his reply, then Ana's answer that did not arrive.
    await sendAndSettle(server, INBOX.ben, LIAM, 'Hi Liam, your aligners are ready. Shall we book a fitting on Tuesday at 10:30?', 'delivered');
    await postInbound(LIAM, 'Tuesday is hard for me. Could we do Thursday afternoon instead?');
    await sendAndSettle(server, INBOX.ana, LIAM, 'Sure! Thursday 3:15 pm works. See you then, Liam.', 'undelivered', '30003');

    browser = await launchWithExtension();
    await configure(browser, { serverUrl: server.url, token: INBOX.ana });
    await waitFor('the extension to connect', async () => (await connectionStatus(browser)) === 'connected');
    page = await browser.ctx.newPage();
    await page.setViewportSize({ width: 1440, height: 860 });
    await page.goto(`${server.url}/demo/`);
    await expectStatus(page, JAMES, 'undelivered', 10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await twilio?.close();
  });

  let inbound = 0;
  async function postInbound(from: string, body: string) {
    const params = { MessageSid: `SMinbound${String(++inbound).padStart(26, '0')}`, AccountSid: INBOX.accountSid, From: from, To: INBOX.north.from, Body: body, NumMedia: '0', SmsStatus: 'received' };
    expect(await postTwilioCallback(server, INBOX.north.connection, INBOX.authToken, params)).toBe(200);
  }

  it('opens the contact\'s thread from a failed badge: history, status trail, reason, who sent it', async () => {
    await badge(page, JAMES).getByRole('button').click();
    await waitFor('the overlay (overlay.js loads on the first click)', async () => (await overlay().count()) === 1);
    const dialog = overlay();
    await waitFor('the history', async () => (await dialog.locator('[data-message]').count()) === 1);
    expect(await dialog.getByRole('heading').textContent()).toBe('James Carter');
    const text = dialog.locator('[data-message]').first();
    expect(await text.getAttribute('data-status')).toBe('undelivered');
    const trail = await text.getByRole('list', { name: 'Status history' }).textContent();
    expect(trail).toMatch(/Queued \d\d:\d\d.*Sent \d\d:\d\d.*Undelivered \d\d:\d\d/);
    expect(await text.locator('.tt-reason').textContent()).toContain('handset unreachable');
    expect(await text.locator('.tt-reason').textContent()).toContain('(30003)');
    expect(await text.locator('.tt-who').textContent()).toBe('You');
    // The composer has focus (keyboard users start typing), and the badge says its dialog is open.
    expect(await page.evaluate(() => document.querySelector('texttrail-overlay')!.shadowRoot!.activeElement?.getAttribute('aria-label'))).toBe('Message');
    expect(await badge(page, JAMES).getByRole('button').getAttribute('aria-expanded')).toBe('true');
  });

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    const violations = await axeViolations(page, ['texttrail-overlay', '.tt-dialog']);
    expect(violations).toEqual([]);
  });

  it('resends with a template (merge field from the CRM row): one provider send for a double click, linked, badge follows', async () => {
    const dialog = overlay();
    const before = twilio.requests.length;
    await dialog.getByRole('button', { name: 'Resend with a template' }).click();
    const control = dialog.getByRole('group', { name: 'Resend' });
    await control.getByLabel('Template').selectOption({ label: 'Follow-up call' });
    const preview = control.getByRole('group', { name: 'Preview' });
    expect(await preview.textContent()).toContain('Hi James, this is Acme Dental.');
    const go = dialog.getByRole('button', { name: 'Resend with this template' });
    await go.dblclick();

    await waitFor('the provider send', async () => twilio.requests.length === before + 1);
    await new Promise(r => setTimeout(r, 800)); // a second send would have arrived by now
    expect(twilio.requests.length).toBe(before + 1);
    const sent = twilio.requests.at(-1)!.params;
    expect(sent.To).toBe(JAMES);
    expect(sent.Body).toBe('Hi James, this is Acme Dental. Please call us back to confirm your visit.');

    // The new attempt shows in the thread, linked to the first; the first says who resent it.
    const second = dialog.locator('[data-attempt="2"]');
    await waitFor('attempt 2 in the thread', async () => (await second.count()) === 1);
    expect(await second.locator('.tt-meta').textContent()).toMatch(/Attempt 2, resend of the \d\d:\d\d text/);
    await waitFor('the first to say it was resent', async () =>
      /^You resent it at \d\d:\d\d$/.test((await dialog.locator('[data-attempt="1"] .tt-resend-head').textContent()) ?? ''));

    // The badge follows the newest attempt.
    await expectStatus(page, JAMES, 'queued', 5_000);
    const sid = `SM${String(twilio.requests.length).padStart(32, '0')}`;
    const msg = { providerMessageId: sid, to: JAMES, connectionId: INBOX.north.connection, from: INBOX.north.from };
    expect(await inboxCallback(server, msg, 'sent')).toBe(200);
    expect(await inboxCallback(server, msg, 'delivered')).toBe(200);
    await expectStatus(page, JAMES, 'delivered', 5_000);
    await waitFor('the trail of attempt 2', async () => /Delivered \d\d:\d\d/.test((await second.locator('.tt-trail').textContent()) ?? ''));
  });

  it('closes with Escape and gives focus back to the badge', async () => {
    await page.keyboard.press('Escape');
    await waitFor('the overlay to close', async () => (await page.locator('texttrail-overlay').count()) === 0, 3_000);
    const focused = await page.evaluate(() => {
      const host = document.activeElement as HTMLElement | null;
      return host?.localName === 'texttrail-badge' ? host.getAttribute('data-phone') : host?.localName;
    });
    expect(focused).toBe(JAMES);
  });

  it('keeps Tab inside the dialog and works from the keyboard alone', async () => {
    await badge(page, MARIA).getByRole('button').focus();
    await page.keyboard.press('Enter');
    const dialog = overlay();
    await waitFor('Maria\'s thread', async () => (await dialog.locator('[data-message]').count()) === 2);
    expect(await dialog.locator('.tt-in .tt-body').textContent()).toBe('Great, I will come by on Friday!');
    expect(await dialog.locator('.tt-out .tt-who').textContent()).toBe('Ben Brooks');
    const inside = () => page.evaluate(() => !!document.querySelector('texttrail-overlay')?.shadowRoot?.activeElement);
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      expect(await inside()).toBe(true);
    }
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await inside()).toBe(true);
    }
    await page.keyboard.press('Escape');
    await waitFor('the overlay to close', async () => (await page.locator('texttrail-overlay').count()) === 0, 3_000);
  });

  it('shows a landline failure\'s reason and offers no resend', async () => {
    await badge(page, PRIYA).getByRole('button').click();
    const dialog = overlay();
    await waitFor('Priya\'s thread', async () => (await dialog.locator('[data-message]').count()) === 1);
    const control = dialog.getByRole('group', { name: 'Resend' });
    expect(await control.textContent()).toContain('No resend: this number cannot receive texts (permanent error)');
    expect(await control.getAttribute('data-refusal')).toBe('permanent_error');
    expect(await dialog.getByRole('button', { name: /^Resend/ }).count()).toBe(0);
    expect(await dialog.locator('.tt-reason').textContent()).toContain('landline');
    // The server agrees: a resend is refused with the same code.
    const threads = await api<{ threads: { lastOutbound: Message }[] }>(server.url, INBOX.ana, 'GET', '/api/threads?q=6465550006');
    const refused = await api<{ error: { code: string } }>(server.url, INBOX.ana, 'POST', `/api/messages/${threads.json.threads[0].lastOutbound.id}/resend`, {});
    expect([refused.status, refused.json.error.code]).toEqual([409, 'permanent_error']);
    await page.keyboard.press('Escape');
  });

  it('takes a picture of the overlay for the README', async () => {
    await badge(page, LIAM).getByRole('button').click();
    const dialog = overlay();
    await waitFor('Liam\'s thread', async () => (await dialog.locator('[data-message]').count()) === 3);
    await dialog.getByRole('form', { name: 'New text' }).getByLabel('Template').selectOption({ label: 'Appointment reminder' });
    await dialog.getByLabel('Date').fill('Thursday at 3:15 pm');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: artifactPath('screenshot-overlay.png') });
    copyToDocs('screenshot-overlay.png');
    await page.keyboard.press('Escape');
  });
});

describe.skipIf(!canRun)('resend rules in the overlay, at night for the recipient', () => {
  let twilio: FakeTwilio;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: ExtensionBrowser;
  let page: Page;
  const TOM = '+13125550007';
  const NOAH = '+14155559999';
  const dialogOf = async (phone: string) => {
    await badge(page, phone).getByRole('button').click();
    const dialog = page.getByRole('dialog');
    await waitFor('the overlay', async () => (await dialog.locator('[data-message]').count()) > 0, 10_000);
    return dialog;
  };

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    // 23:00 at the clinic: quiet hours for every US number it texts (the US has many zones, so the clinic's counts).
    server = await startTestServer({ seed: inboxSeed(twilio.url, { north: zoneAtHour(23), south: zoneAtHour(23) }) });
    await sendAndSettle(server, INBOX.ana, JAMES, 'Hi James, please call us to reschedule.', 'undelivered', '30003');
    await sendAndSettle(server, INBOX.ana, TOM, 'FREE whitening!!! Click now to claim', 'undelivered', '30007');
    await sendAndSettle(server, INBOX.ana, NOAH, 'Hi Noah, your retainer is ready.', 'undelivered', '30003');
    browser = await launchWithExtension();
    await configure(browser, { serverUrl: server.url, token: INBOX.ana });
    await waitFor('the extension to connect', async () => (await connectionStatus(browser)) === 'connected');
    page = await browser.ctx.newPage();
    await page.goto(`${server.url}/demo/`);
    await expectStatus(page, JAMES, 'undelivered', 10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await twilio?.close();
  });

  it('offers to schedule for 08:00 recipient time, and warns (only warns) before a new text', async () => {
    const dialog = await dialogOf(JAMES);
    const control = dialog.getByRole('group', { name: 'Resend' });
    expect(await control.getAttribute('data-refusal')).toBe('quiet_hours');
    expect(await dialog.getByTestId('quiet-hours').textContent()).toMatch(/^It is 2[23]:\d\d for the recipient .*quiet hours are 21:00–08:00\. You can still send\.$/);
    const before = twilio.requests.length;
    await control.getByRole('button', { name: /^Schedule for 08:00 \(recipient's time/ }).click();
    const second = dialog.locator('[data-attempt="2"]');
    await waitFor('the scheduled attempt', async () => (await second.count()) === 1, 10_000);
    expect(await second.locator('.tt-scheduled').textContent()).toBe("Scheduled for 08:00 recipient's time");
    expect(twilio.requests.length).toBe(before); // kept until 08:00, nothing sent now
    await page.keyboard.press('Escape');
  });

  it('asks for an edit of a carrier-filtered text before resending it', async () => {
    const dialog = await dialogOf(TOM);
    const control = dialog.getByRole('group', { name: 'Resend' });
    expect(await control.getAttribute('data-refusal')).toBe('needs_edit');
    const edited = control.getByRole('textbox', { name: 'Edited text' });
    expect(await edited.inputValue()).toBe('FREE whitening!!! Click now to claim');
    await control.getByRole('button', { name: 'Schedule edited text for 08:00' }).click();
    expect(await control.getByRole('alert').textContent()).toBe('Change the wording first: the carrier blocked this text as it is.');
    await edited.fill('Hi Tom, your whitening appointment is confirmed for Friday.');
    await control.getByRole('button', { name: 'Schedule edited text for 08:00' }).click();
    const second = dialog.locator('[data-attempt="2"]');
    await waitFor('the edited attempt', async () => (await second.count()) === 1, 10_000);
    expect(await second.locator('.tt-body').textContent()).toBe('Hi Tom, your whitening appointment is confirmed for Friday.');
    await page.keyboard.press('Escape');
  });

  it('says who resent when another agent was first, live', async () => {
    const dialog = await dialogOf(NOAH);
    const threads = await api<{ threads: { lastOutbound: Message }[] }>(server.url, INBOX.ben, 'GET', '/api/threads?q=4155559999');
    const original = threads.json.threads[0].lastOutbound;
    const byBen = await api<Message>(server.url, INBOX.ben, 'POST', `/api/messages/${original.id}/resend`, { schedule: true });
    expect(byBen.status).toBe(201);
    const control = dialog.locator('[data-attempt="1"]').getByRole('group', { name: 'Resend' });
    await waitFor('"Resent by Ben Brooks"', async () => /^Resent by Ben Brooks at \d\d:\d\d$/.test((await control.locator('.tt-resend-head').textContent()) ?? ''), 10_000);
    expect(await control.getByRole('button').count()).toBe(0);
  });
});
