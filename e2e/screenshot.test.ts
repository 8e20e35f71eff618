// The demo as a newcomer sees it (npm start's seed and simulated carrier), photographed for the README.
// Every run writes e2e/.artifacts/; UPDATE_SCREENSHOTS=1 (or a missing file) also refreshes the committed
// docs/screenshot-demo.png and docs/screenshot-composer.png, so a plain test run leaves the tree clean.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../server/testing';
import {
  ARTIFACTS, badge, browserTestsCanRun, configure, connectionStatus, expectStatus, launchWithExtension, sendText, waitFor,
  type ExtensionBrowser,
} from './helpers';

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs');

function keep(shot: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, shot);
}

function publish(shot: string): void {
  const target = path.join(DOCS, shot);
  if (process.env.UPDATE_SCREENSHOTS !== '1' && fs.existsSync(target)) return;
  fs.mkdirSync(DOCS, { recursive: true });
  fs.copyFileSync(path.join(ARTIFACTS, shot), target);
}
const ANA = 'demo-agent-ana';
const canRun = browserTestsCanRun();

describe.skipIf(!canRun)('demo screenshot', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    // Stuck after 3 s in `sent` so the picture can show it (CONTRACT: STUCK_SENT_MINUTES, decimals allowed).
    server = await startTestServer({ env: { STUCK_SENT_MINUTES: '0.05' } });
    browser = await launchWithExtension();
    await configure(browser, { serverUrl: server.url, token: ANA });
    await waitFor('the extension to connect', async () => (await connectionStatus(browser)) === 'connected');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the contacts list with live badges', async () => {
    const page = await browser.ctx.newPage();
    await page.setViewportSize({ width: 1440, height: 700 });
    await page.goto(`${server.url}/demo/`);
    await waitFor('8 badges', async () => (await page.locator('texttrail-badge').count()) === 8);

    // The simulated carrier decides by the last four digits (CONTRACT "Simulated carrier").
    const expected: [string, string][] = [
      ['+14155550134', 'delivered'],
      ['+14155550003', 'undelivered'],
      ['+16465550006', 'undelivered'],
      ['+13125550007', 'undelivered'],
      ['+14155551610', 'failed'],
      ['+14155559999', 'stuck'],
    ];
    for (const [to] of expected) await sendText(server.url, ANA, to, 'Hi, this is Acme Dental: see you Thursday at 10:30.');
    for (const [to, status] of expected) await expectStatus(page, to, status, 15_000);
    // One more on its way, caught while the carrier has it.
    await sendText(server.url, ANA, '+13125550142', 'Your aligners are ready for pickup.');
    await expectStatus(page, '+13125550142', 'sent', 5_000);
    expect(await badge(page, '+12125550188').getAttribute('data-status')).toBe('none');

    await page.mouse.move(0, 0);
    await page.screenshot({ path: keep('screenshot-demo.png') });
    publish('screenshot-demo.png');

    // A badge reached by keyboard draws its focus ring around the pill (its look is an image, and the
    // browser's outline would surround the whole fixed box); it goes when focus leaves.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.localName === 'texttrail-badge')) break;
    }
    const focusedPill = () => page.evaluate(() => {
      const pill = document.activeElement?.shadowRoot?.activeElement;
      if (!pill) return null;
      const r = pill.getBoundingClientRect();
      return { image: decodeURIComponent(getComputedStyle(pill).backgroundImage), box: { x: r.x - 8, y: r.y - 8, width: r.width + 16, height: r.height + 16 } };
    });
    const ring = (await focusedPill())!;
    expect(ring.image).toContain("stroke='#2563eb'");
    await page.screenshot({ path: keep('screenshot-badge-focus.png'), clip: ring.box });
    const badgeFocused = await page.evaluateHandle(() => document.activeElement as HTMLElement);
    await page.keyboard.press('Tab');
    expect(await badgeFocused.evaluate(h => decodeURIComponent(getComputedStyle(h.shadowRoot!.firstElementChild!).backgroundImage))).not.toContain('#2563eb');

    // And a record page with the composer open, for the docs.
    const record = await browser.ctx.newPage();
    await record.setViewportSize({ width: 1440, height: 760 });
    await record.goto(`${server.url}/demo/contact.html?id=maria-lopez`);
    await waitFor('badges on the record', async () => (await record.locator('texttrail-badge[data-phone="+14155550134"]').count()) >= 4);
    await expectStatus(record, '+14155550134', 'delivered');
    await record.locator('crm-phone texttrail-badge').getByRole('button').click();
    await record.getByRole('dialog').getByRole('textbox', { name: 'Message' }).fill('Hi Maria, your crown is ready. Reply to book a fitting.');
    await record.screenshot({ path: keep('screenshot-composer.png') });
    publish('screenshot-composer.png');
  });
});
