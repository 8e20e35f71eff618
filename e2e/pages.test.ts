// The extension's own pages in real Chromium: the options page connects, shows the live connection state
// (not configured → token refused → connected) and who you are; the side panel lists recent threads
// from IndexedDB and follows new texts live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer } from '../server/testing';
import { ARTIFACTS, browserTestsCanRun, connectionStatus, launchWithExtension, sendText, waitFor, type ExtensionBrowser } from './helpers';

const canRun = browserTestsCanRun();

describe.skipIf(!canRun)('options page and side panel', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: ExtensionBrowser;
  let options: Page;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchWithExtension();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const statusText = async (page: Page) => (await page.getByRole('status').first().textContent())?.trim();

  it('connects from the options form and shows the state and the user', async () => {
    options = await browser.ctx.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await waitFor('"Not configured"', async () => (await statusText(options))?.startsWith('Not configured'));

    await options.getByLabel('Server URL').fill(server.url);
    await options.getByLabel('Access token').fill('not-a-real-token');
    await options.getByRole('button', { name: 'Save and connect' }).click();
    await waitFor('"Token refused"', async () => (await statusText(options))?.startsWith('Token refused'), 10_000);

    await options.getByLabel('Access token').fill('demo-agent-ana');
    await options.getByRole('button', { name: 'Save and connect' }).click();
    await waitFor('"Connected"', async () => (await statusText(options))?.startsWith('Connected'), 10_000);
    await waitFor('who I am', async () => (await options.getByText('Ana Alvarez').count()) > 0, 10_000);
    expect(await options.getByText('Acme Dental').count()).toBeGreaterThan(0);
    expect(await connectionStatus(browser)).toBe('connected');
    await options.screenshot({ path: `${ARTIFACTS}/options.png` });
  });

  it('lists recent threads in the side panel, newest first, and follows new texts live', async () => {
    await sendText(server.url, 'demo-agent-ana', '+14155550003', 'Please call us to reschedule.');
    const panel = await browser.ctx.newPage();
    await panel.setViewportSize({ width: 400, height: 640 });
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
    const rows = panel.getByRole('list', { name: 'Recent conversations' }).getByRole('listitem');
    await waitFor('the first thread', async () => (await rows.count()) === 1, 10_000);
    await waitFor('the carrier\'s verdict', async () => (await rows.first().getByRole('img').getAttribute('aria-label'))?.startsWith('Undelivered'), 15_000);
    await waitFor('the contact name', async () => (await rows.first().textContent())?.includes('James Carter'), 10_000);

    // Live: a new text shows up on top without a reload.
    await sendText(server.url, 'demo-agent-ana', '+14155550134', 'Your crown is ready.');
    await waitFor('a second thread on top', async () => (await rows.count()) === 2 && (await rows.first().getAttribute('data-phone')) === '+14155550134', 10_000);
    await waitFor('delivered', async () => (await rows.first().getByRole('img').getAttribute('aria-label'))?.startsWith('Delivered'), 15_000);
    expect(await rows.first().textContent()).toContain('You: Your crown is ready.');
    await panel.screenshot({ path: `${ARTIFACTS}/sidepanel.png` });
  });
});
