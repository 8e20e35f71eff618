// How badge mounting scales on a CRM list of thousands of rows (RECIPES, "Content-script UI cost"): one
// React root, shared stylesheet, only visible hosts render, idle-time scans. Prints the figures; the
// bounds are generous on purpose (a regression to a root per badge costs seconds, not milliseconds).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../server/testing';
import { browserTestsCanRun, configure, connectionStatus, launchWithExtension, waitFor, type ExtensionBrowser } from './helpers';

const ROWS = 5_000;
const canRun = browserTestsCanRun();

describe.skipIf(!canRun)('mounting badges on a long CRM list', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchWithExtension();
    await configure(browser, { serverUrl: server.url, token: 'demo-agent-ana' });
    await waitFor('the extension to connect', async () => (await connectionStatus(browser)) === 'connected');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(`places ${ROWS} badges quickly and renders only the visible ones`, async () => {
    const page = await browser.ctx.newPage();
    await page.goto(`${server.url}/demo/`);
    await waitFor('the first badges', async () => (await page.locator('texttrail-badge').count()) === 8);

    const figures = await page.evaluate(async rows => {
      const longTasks: number[] = [];
      new PerformanceObserver(list => list.getEntries().forEach(e => longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false });
      const tbody = document.querySelector('#contacts tbody')!;
      const html: string[] = [];
      for (let i = 0; i < rows; i++) {
        const area = ['415', '212', '312', '646'][i % 4];
        const line = String(1000 + (i % 9000)).padStart(4, '0');
        const exch = String(200 + Math.floor(i / 9000) + (i % 7)).padStart(3, '0');
        html.push(`<tr><td class="check"><input type="checkbox"></td><td>Contact ${i}</td><td class="phone"><span data-field="phone">(${area}) ${exch}-${line}</span></td><td>c${i}@example.com</td><td>Company ${i % 97}</td><td>Owner</td><td>2025-03-${String(1 + (i % 28)).padStart(2, '0')}</td></tr>`);
      }
      // The page's own cost first: parsing and laying out the rows, before any badge exists.
      const t0 = performance.now();
      tbody.insertAdjacentHTML('beforeend', html.join(''));
      void document.body.offsetHeight;
      const pageLayoutMs = performance.now() - t0;
      const want = rows + 8;
      await new Promise<void>(resolve => {
        const check = () => (document.querySelectorAll('texttrail-badge').length >= want ? resolve() : setTimeout(check, 10));
        check();
      });
      // From the rows' insertion to every badge host in place (includes the page's layout above).
      const placedMs = performance.now() - t0;
      await new Promise(r => setTimeout(r, 300));
      const hosts = [...document.querySelectorAll('texttrail-badge')];
      // A pill has rendered once it names its look (data-look); until then it shows the loading look.
      const isRendered = (h: Element) => !!h.shadowRoot?.firstElementChild?.hasAttribute('data-look');
      const rendered = hosts.filter(isRendered).length;
      // Scroll to the end: the last row's badge must render without a rescan of the page.
      const last = hosts[hosts.length - 1];
      const t1 = performance.now();
      last.scrollIntoView();
      await new Promise<void>(resolve => {
        const check = () => (isRendered(last) ? resolve() : requestAnimationFrame(check));
        check();
      });
      const scrollRenderMs = performance.now() - t1;
      const renderedAfterScroll = hosts.filter(isRendered).length;
      // Rows scrolled to show their pills in the very frame that first paints them: by the first animation
      // frame after the scroll (the scroll event runs before it), every host in view has rendered.
      const unrenderedInFirstFrame: number[] = [];
      for (const at of [0.3, 0.62, 0.85]) {
        window.scrollTo(0, at * document.documentElement.scrollHeight);
        await new Promise<void>(resolve => requestAnimationFrame(() => {
          const inView = hosts.filter(h => { const b = h.getBoundingClientRect(); return b.bottom > 0 && b.top < innerHeight; });
          unrenderedInFirstFrame.push(inView.length ? inView.filter(h => !isRendered(h)).length : -1);
          resolve();
        }));
        await new Promise(r => setTimeout(r, 200));
      }
      return {
        unrenderedInFirstFrame, hosts: hosts.length, pageLayoutMs: Math.round(pageLayoutMs), placedMs: Math.round(placedMs), rendered, scrollRenderMs: Math.round(scrollRenderMs), renderedAfterScroll,
        longestTaskMs: Math.round(Math.max(0, ...longTasks)), longTasks: longTasks.length,
      };
    }, ROWS);

    console.log(`scale: ${JSON.stringify(figures)}`);
    expect(figures.hosts).toBe(ROWS + 8);
    // The page's own layout of 5,000 rows dominates and varies with machine load; bound ours loosely.
    expect(figures.placedMs).toBeLessThan(figures.pageLayoutMs * 3 + 5_000);
    // Scans are sliced: no single task of ours blocks the page for long (one pass used to take ~700 ms).
    expect(figures.longestTaskMs).toBeLessThan(1_000);
    expect(figures.rendered).toBeLessThan(200); // only what is near the viewport
    expect(figures.renderedAfterScroll).toBeLessThan(400);
    // A pathology bound, not a speed figure (those are printed above and measured by the page benchmark):
    // under a loaded CI machine a first render after a long scroll has taken ~1 s.
    expect(figures.scrollRenderMs).toBeLessThan(5_000);
    expect(figures.unrenderedInFirstFrame).toEqual([0, 0, 0]);
  });
});
