// A long CRM list parsed with the page (served as app.hubspot.com): hosts are placed while the parser
// runs and handed to the IntersectionObserver only after load, in idle time. Rows that come into view
// by scrolling show their pills in the first frame that paints them; rows that come into view without a
// scroll (the page removes what was above them) render too. Rendering them lays nothing out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hubspotListHtml, LIST_PATH } from '../bench/pageFixture';
import { browserTestsCanRun, waitFor } from './helpers';
import { startCrmWorld, type CrmWorld } from './crm-world';

const canRun = browserTestsCanRun();
const ROWS = 2_000;
// A tall notice above the list, which the page can take away after load.
const NOTICE = `document.body.insertAdjacentHTML('afterbegin', '<div id="notice" style="height:3000px">Welcome back</div>');`;

describe.skipIf(!canRun)('a long list parsed with the page', () => {
  let world: CrmWorld;
  let page: Page;
  // Row 1,950 (id 2950) also holds a mobile number in its owner's cell, which no row before it has: the
  // list's shape does not foresee it, so only the whole scan of that row finds it.
  const SECOND = '(646) 555-0177';
  const html = hubspotListHtml({ rows: ROWS })
    .replace('<header>', `<script>${NOTICE}</script><header>`)
    .replace(/(data-table-external-id="cell-3-2950">)([^<]*)/, `$1$2, mobile ${SECOND}`);

  beforeAll(async () => {
    world = await startCrmWorld({ route: url => (url.pathname === LIST_PATH ? { body: html } : null) });
    page = await world.browser.ctx.newPage();
    await page.goto(`https://app.hubspot.com${LIST_PATH}`, { waitUntil: 'load' });
    await waitFor(`${ROWS} hosts`, async () => (await page.locator('texttrail-badge').count()) === ROWS);
  });

  afterAll(async () => { await world?.close(); });

  /** Rows in the viewport whose badge has not rendered, read in the first animation frame after `change`. */
  const unrenderedAtFirstFrame = (change: string) => page.evaluate(change => new Promise<number[]>(resolve => {
    new Function(change)();
    requestAnimationFrame(() => {
      const inView = [...document.querySelectorAll('#rows tr')].filter(r => { const b = r.getBoundingClientRect(); return b.bottom > 0 && b.top < innerHeight; });
      const unrendered = inView.filter(r => !r.querySelector('texttrail-badge')?.shadowRoot?.firstElementChild?.hasAttribute('data-look'));
      resolve([inView.length, unrendered.length]);
    });
  }), change);

  it('rows scrolled to show their pills in the first frame after the scroll', async () => {
    for (const at of [0.4, 0.75, 0.2]) {
      const [inView, unrendered] = await unrenderedAtFirstFrame(`scrollTo(0, ${at} * document.documentElement.scrollHeight)`);
      expect(inView).toBeGreaterThan(5);
      expect(unrendered).toBe(0);
    }
  });

  it('rendering the pills of rows scrolled to lays nothing out (a pill\'s look is paint alone)', async () => {
    // Chrome counts the layouts it runs (CDP Performance.getMetrics, LayoutCount). A pill whose look came
    // as new content cost this table a layout, and ~100 ms of paint-property work, in every such frame.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const layouts = async () => (await cdp.send('Performance.getMetrics')).metrics.find(m => m.name === 'LayoutCount')!.value;
    const twoFrames = () => page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.waitForTimeout(500);
    for (const at of [0.55, 0.35, 0.9]) {
      await twoFrames();
      const before = await layouts();
      const [inView, unrendered] = await unrenderedAtFirstFrame(`scrollTo(0, ${at} * document.documentElement.scrollHeight)`);
      await twoFrames();
      expect(inView).toBeGreaterThan(5);
      expect(unrendered).toBe(0);
      expect(await layouts() - before).toBe(0);
    }
    await cdp.detach();
  });

  it('a number the list\'s shape did not foresee, deep in the list, is badged in the first frame that shows its row', async () => {
    const seen = await page.evaluate(() => new Promise<{ phones: (string | null)[]; rendered: boolean[] }>(resolve => {
      const row = document.querySelector('#rows tr:nth-child(1951)')!;
      row.scrollIntoView({ block: 'center' });
      requestAnimationFrame(() => {
        const hosts = [...row.querySelectorAll('texttrail-badge')];
        resolve({ phones: hosts.map(h => h.getAttribute('data-phone')), rendered: hosts.map(h => !!h.shadowRoot?.firstElementChild?.hasAttribute('data-look')) });
      });
    }));
    expect(seen.phones).toEqual(['+14155551325', '+16465550177']);
    expect(seen.rendered).toEqual([true, true]);
  });

  it('a sticky header stays above the badges of the rows scrolled under it', async () => {
    // The list's header cells stick to the top (as HubSpot's and Salesforce's do): a row scrolled under
    // them is hidden by them, its badge too (a badge that made its own stacking context painted above).
    const topmost = await page.evaluate(() => new Promise<string[]>(resolve => {
      const th = document.querySelector('th[data-column-index="2"]')!;
      const host = document.querySelector('#rows tr:nth-child(500) texttrail-badge')!;
      host.scrollIntoView({ block: 'center' });
      requestAnimationFrame(() => {
        scrollBy(0, host.getBoundingClientRect().top - (th.getBoundingClientRect().top + 4));
        requestAnimationFrame(() => {
          const b = host.getBoundingClientRect();
          const header = th.getBoundingClientRect();
          const points = [[b.left + 4, b.top + 2], [b.left + b.width / 2, Math.min(b.bottom, header.bottom) - 2]];
          resolve(points.map(([x, y]) => document.elementFromPoint(x, y)?.localName ?? 'none'));
        });
      });
    }));
    expect(topmost).toEqual(['th', 'th']);
  });

  it('rows brought into view without a scroll render too', async () => {
    await page.evaluate(() => scrollTo(0, 0));
    await page.waitForTimeout(500);
    const row110 = () => page.evaluate(() => !!document.querySelector('#rows tr:nth-child(110) texttrail-badge')?.shadowRoot?.firstElementChild?.hasAttribute('data-look'));
    // Far below the viewport: not rendered (nothing renders ahead of time).
    expect(await row110()).toBe(false);
    // The page filters its list (hides the first hundred rows and the notice): no scroll, no node added.
    await page.evaluate(() => {
      document.getElementById('notice')!.style.display = 'none';
      [...document.querySelectorAll('#rows tr')].slice(0, 100).forEach(r => { (r as HTMLElement).style.display = 'none'; });
    });
    await waitFor('the rows now at the top to render', () => page.evaluate(() => {
      const inView = [...document.querySelectorAll('#rows tr')].filter(r => { const b = r.getBoundingClientRect(); return b.height && b.top < innerHeight; });
      return inView.length > 5 && inView.every(r => !!r.querySelector('texttrail-badge')?.shadowRoot?.firstElementChild?.hasAttribute('data-look'));
    }));
    expect(await row110()).toBe(true);
  });
});
