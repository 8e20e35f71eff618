// The supervisor's side panel in real Chromium: failed threads across clinics, filtered by location with
// counts per filter, bulk resend (preview, skips with reasons, paced sends counted at the fake provider,
// summary), live arrival of a new failure, the spike alert, the 7-day chart, CSV export, templates.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer } from '../server/testing';
import {
  INBOX, artifactPath, axeViolations, browserTestsCanRun, configure, connectionStatus, copyToDocs, inboxSeed, launchWithExtension,
  sendAndSettle, startFakeTwilio, waitFor, type ExtensionBrowser, type FakeTwilio,
} from './helpers';

const canRun = browserTestsCanRun();
const { north, south } = INBOX;

describe.skipIf(!canRun)('supervisor side panel', () => {
  let twilio: FakeTwilio;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: ExtensionBrowser;
  let panel: Page;
  const rows = () => panel.getByRole('list', { name: 'Failed threads' }).getByRole('listitem');

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    server = await startTestServer({ seed: inboxSeed(twilio.url) });
    const s = server;
    // North: two delivered, a temporary failure, a landline. South: two temporary failures, a filtered one.
    await sendAndSettle(s, INBOX.ana, '+14155550134', 'Hi Maria, your crown is ready for pickup.', 'delivered');
    await sendAndSettle(s, INBOX.ben, '+12125550188', 'Hi Emma, your cleaning is booked for Monday 9:00.', 'delivered');
    await sendAndSettle(s, INBOX.ana, '+14155550003', 'Hi James, please call us to reschedule.', 'undelivered', '30003');
    await sendAndSettle(s, INBOX.ben, '+16465550006', 'Hi Priya, your invoice is ready.', 'undelivered', '30006');
    await sendAndSettle(s, INBOX.sue, '+13125550142', 'Hi Liam, your aligners are ready.', 'undelivered', '30003', south.connection);
    await sendAndSettle(s, INBOX.sue, '+14155559999', 'Hi Noah, see you Thursday at 10:30.', 'failed', '30003', south.connection);
    await sendAndSettle(s, INBOX.sue, '+13125550007', 'Hi Tom, 50% off whitening this week only! Click now', 'undelivered', '30007', south.connection);

    browser = await launchWithExtension();
    await configure(browser, { serverUrl: server.url, token: INBOX.sue });
    await waitFor('the extension to connect', async () => (await connectionStatus(browser)) === 'connected');
    panel = await browser.ctx.newPage();
    await panel.setViewportSize({ width: 420, height: 900 });
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await twilio?.close();
  });

  it('lists every failed, undelivered or stuck thread of the org with counts per filter', async () => {
    await panel.getByRole('tab', { name: 'Failed' }).click();
    await waitFor('5 failed threads', async () => (await rows().count()) === 5, 10_000);
    const status = panel.getByRole('group', { name: 'Status' });
    expect(await status.getByRole('button', { name: /^Undelivered/ }).textContent()).toBe('Undelivered4');
    expect(await status.getByRole('button', { name: /^Failed/ }).textContent()).toBe('Failed1');
    const classes = panel.getByRole('group', { name: 'Error class' });
    expect(await classes.getByRole('button', { name: /^Temporary/ }).textContent()).toBe('Temporary3');
    expect(await classes.getByRole('button', { name: /^Filtered/ }).textContent()).toBe('Filtered1');
    const location = panel.getByLabel('Location');
    expect(await location.locator('option').allTextContents()).toEqual(['All locations', 'North Clinic (2)', 'South Clinic (3)']);
  });

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    expect(await axeViolations(panel)).toEqual([]);
  });

  it('filters by location and by error class, and narrows by search', async () => {
    await panel.getByLabel('Location').selectOption({ label: 'South Clinic (3)' });
    await waitFor('south only', async () => (await rows().count()) === 3);
    const phones = await rows().evaluateAll(els => els.map(e => e.getAttribute('data-phone')));
    expect(phones.sort()).toEqual(['+13125550007', '+13125550142', '+14155559999']);
    await panel.getByRole('group', { name: 'Error class' }).getByRole('button', { name: /^Filtered/ }).click();
    await waitFor('the filtered one', async () => (await rows().count()) === 1);
    expect(await rows().first().getAttribute('data-phone')).toBe('+13125550007');
    await panel.getByRole('group', { name: 'Error class' }).getByRole('button', { name: /^Filtered/ }).click();
    await panel.getByRole('searchbox', { name: 'Search failed threads' }).fill('Noah');
    await waitFor('Noah', async () => (await rows().count()) === 1 && (await rows().first().getAttribute('data-phone')) === '+14155559999');
    await panel.getByRole('searchbox', { name: 'Search failed threads' }).fill('');
    await waitFor('south again', async () => (await rows().count()) === 3);
  });

  it('bulk-resends the south clinic: preview with a skip and its reason, paced sends, summary', async () => {
    const before = twilio.requests.length;
    await panel.getByRole('checkbox', { name: 'Select every thread shown' }).check();
    await panel.getByRole('button', { name: 'Resend selected (3)' }).click();
    const dialog = panel.getByRole('dialog', { name: 'Resend 3 texts' });
    const preview = dialog.getByRole('list', { name: 'Preview' });
    expect(await preview.getByRole('listitem').count()).toBe(3);
    expect(await preview.textContent()).toContain('Skipped: the carrier filtered this text: edit it before resending');
    expect(await dialog.locator('.bulk-sum').textContent()).toBe('2 will be resent · 1 skipped');
    expect(await axeViolations(panel)).toEqual([]);
    await panel.screenshot({ path: artifactPath('bulk-preview.png') });

    const started = Date.now();
    await dialog.getByRole('button', { name: 'Send 2 texts' }).click();
    await waitFor('the summary', async () => (await dialog.getByRole('status').textContent())?.startsWith('Done.'), 15_000);
    expect(await dialog.getByRole('status').textContent()).toBe('Done. Queued 2 · Skipped 1 · Failed 0');
    // Two sends, spread out: the second went at least 2 s after the first.
    expect(twilio.requests.length - before).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(twilio.requests.slice(before).map(r => r.params.To).sort()).toEqual(['+13125550142', '+14155559999']);
    expect(twilio.requests.slice(before).every(r => r.params.From === south.from)).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    // Resent threads leave the failed list (their latest text is the new attempt); the filtered one stays.
    await waitFor('only Tom left', async () => (await rows().count()) === 1, 10_000);
    expect(await rows().first().getAttribute('data-phone')).toBe('+13125550007');
  });

  it('shows a new failure without a reload, and alerts on a burst of carrier-filtered failures', async () => {
    await panel.getByLabel('Location').selectOption({ value: '' });
    await waitFor('all locations', async () => (await rows().count()) === 3);
    // Three filtered failures at North within minutes: a spike.
    for (const to of ['+14155551610', '+12125550188', '+14155550134']) {
      await sendAndSettle(server, INBOX.ana, to, 'Flash sale: 50% off whitening, click the link now', 'undelivered', '30007', north.connection);
    }
    await waitFor('the new failures to appear live', async () => (await rows().count()) === 6, 10_000);
    const alert = panel.getByRole('alert').filter({ hasText: 'North Clinic' });
    await waitFor('the spike alert', async () => (await alert.count()) === 1, 10_000);
    expect(await alert.textContent()).toContain('North Clinic: 3 texts filtered by carriers in the last 10 minutes.');
    await alert.getByRole('button', { name: 'Show them' }).click();
    await waitFor('the three filtered North threads', async () => (await rows().count()) === 3);
    expect(await panel.getByRole('group', { name: 'Error class' }).getByRole('button', { name: /^Filtered/ }).getAttribute('aria-pressed')).toBe('true');
    await panel.mouse.move(0, 0);
    await rows().first().getByRole('checkbox').check();
    await rows().nth(1).getByRole('checkbox').check();
    await panel.setViewportSize({ width: 420, height: 1000 });
    await panel.screenshot({ path: artifactPath('screenshot-supervisor.png') });
    await panel.setViewportSize({ width: 420, height: 900 });
    copyToDocs('screenshot-supervisor.png');
  });

  it('exports the filtered threads as CSV, every page, guarded against formulas', async () => {
    const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^Contact,Phone,Location,Status,Error code/);
    expect(lines).toHaveLength(4);
    expect(csv).toContain("'+14155551610");
    expect(csv).toContain('North Clinic,undelivered,30007,filtered');
    expect(await panel.getByRole('status').filter({ hasText: 'Exported 3 threads.' }).count()).toBe(1);
  });

  it('draws the 7-day delivery chart per location', async () => {
    await panel.getByRole('tab', { name: 'Delivery' }).click();
    const cards = panel.locator('.stat-card');
    await waitFor('two location cards', async () => (await cards.count()) === 2, 10_000);
    expect(await cards.first().locator('h3').textContent()).toBe('North Clinic');
    expect(await cards.first().locator('svg[role="img"] rect').count()).toBeGreaterThan(7);
    expect(await cards.first().getByRole('img', { name: /^Failure mix: / }).count()).toBe(1);
    expect(await axeViolations(panel)).toEqual([]);
    await panel.screenshot({ path: artifactPath('supervisor-stats.png'), fullPage: true });
  });

  it('works from the keyboard: arrow keys move between tabs', async () => {
    await panel.getByRole('tab', { name: 'Delivery' }).focus();
    await panel.keyboard.press('ArrowLeft');
    expect(await panel.getByRole('tab', { name: 'Failed' }).getAttribute('aria-selected')).toBe('true');
    expect(await panel.evaluate(() => document.activeElement?.textContent)).toBe('Failed');
    await panel.keyboard.press('ArrowLeft');
    expect(await panel.getByRole('tab', { name: 'Inbox' }).getAttribute('aria-selected')).toBe('true');
  });
});

describe.skipIf(!canRun)('templates managed by an admin', () => {
  let twilio: FakeTwilio;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    server = await startTestServer({ seed: inboxSeed(twilio.url) });
    browser = await launchWithExtension();
    await configure(browser, { serverUrl: server.url, token: INBOX.adam });
    await waitFor('the extension to connect', async () => (await connectionStatus(browser)) === 'connected');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await twilio?.close();
  });

  it('creates, edits and archives a template; agents see only approved ones', async () => {
    const panel = await browser.ctx.newPage();
    await panel.setViewportSize({ width: 420, height: 900 });
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    await panel.getByRole('tab', { name: 'Templates' }).click();
    const approved = panel.getByRole('list', { name: 'Approved templates' });
    await waitFor('the seeded templates', async () => (await approved.getByRole('listitem').count()) === 2, 10_000);
    await panel.getByLabel('Name', { exact: true }).fill('Recall');
    await panel.getByLabel('Text', { exact: true }).fill('Hi {{firstName}}, it is time for your check-up at {{company}}.');
    expect(await panel.locator('.tfields').textContent()).toBe('Merge fields: First nameCompany');
    await panel.getByRole('button', { name: 'Create template' }).click();
    await waitFor('three approved', async () => (await approved.getByRole('listitem').count()) === 3);

    await panel.getByRole('button', { name: 'Edit Recall' }).click();
    await approved.getByLabel('Name', { exact: true }).fill('Recall (6 months)');
    await approved.getByRole('button', { name: 'Save' }).click();
    await waitFor('renamed', async () => (await panel.getByRole('button', { name: 'Archive Recall (6 months)' }).count()) === 1);
    await panel.getByRole('button', { name: 'Archive Follow-up call' }).click();
    await waitFor('archived', async () => (await panel.getByRole('list', { name: 'Archived templates' }).getByRole('listitem').count()) === 1);
    expect(await axeViolations(panel)).toEqual([]);

    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${INBOX.ana}` } }).then(r => r.json()) as { templates: { name: string }[] };
    expect(me.templates.map(t => t.name).sort()).toEqual(['Appointment reminder', 'Recall (6 months)']);
  });
});
