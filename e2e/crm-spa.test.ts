// A single-page CRM in real Chromium (served as app.hubspot.com, in HubSpot's markup): rows rendered by
// script after load, more rows as the list is scrolled to its end (infinite scroll), a row re-rendered in
// place, and routes changed with history.pushState and the back button. Badges follow all of it; what was
// mounted for the previous view goes with it; nothing is doubled; the page's console stays clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { rowHtml, rowPhone } from '../bench/pageFixture';
import type { CrmBrowser } from './crm-host';
import { browserTestsCanRun, waitFor } from './helpers';
import { startCrmWorld, type CrmWorld } from './crm-world';

const canRun = browserTestsCanRun();
const LIST = '/contacts/4234567/objects/0-1/views/all/list';

// The app: a router over two views, rendering from data the way a framework would (innerHTML per view).
const APP = `<!doctype html><html><head><meta charset="utf-8"><title>Contacts | HubSpot</title>
<style>body{margin:0;font:14px sans-serif} #scroller{height:600px;overflow:auto} td{padding:6px 10px;white-space:nowrap}</style></head>
<body><nav><a href="${LIST}" data-route>Contacts</a></nav><main id="app"></main>
<script>
  const ROWS = ${JSON.stringify(Array.from({ length: 90 }, (_, i) => rowHtml(i)))};
  let shown = 0;
  function renderList() {
    shown = 30;
    document.getElementById('app').innerHTML = '<div id="scroller"><table data-test-id="framework-data-table"><thead><tr><th></th><th>Name</th><th>Email</th><th>Phone Number</th><th>Contact owner</th><th>Primary company</th><th>Last activity</th><th>Created</th></tr></thead><tbody id="rows"></tbody></table></div>';
    // Rows arrive after the shell, as from an API.
    setTimeout(() => document.getElementById('rows').insertAdjacentHTML('beforeend', ROWS.slice(0, shown).join('')), 50);
    document.getElementById('scroller').addEventListener('scroll', e => {
      const s = e.target;
      if (s.scrollTop + s.clientHeight < s.scrollHeight - 20 || shown >= ROWS.length) return;
      const from = shown; shown += 30;
      setTimeout(() => document.getElementById('rows').insertAdjacentHTML('beforeend', ROWS.slice(from, shown).join('')), 30);
    });
  }
  function renderRecord(id) {
    document.getElementById('app').innerHTML = '<div data-test-id="record-page"><h1 data-selenium-test="highlightTitle">Contact ' + id + '</h1>'
      + '<div data-selenium-test="property-input-phone">(617) 555-0199</div></div>';
  }
  function route() {
    const m = location.pathname.match(/record\\/0-1\\/(\\d+)/);
    if (m) renderRecord(m[1]); else renderList();
  }
  document.addEventListener('click', e => {
    const a = e.target.closest('a[data-link], a[data-route]');
    if (!a) return;
    e.preventDefault();
    history.pushState({}, '', a.getAttribute('href'));
    route();
  });
  addEventListener('popstate', route);
  route();
</script></body></html>`;

describe.skipIf(!canRun)('badges in a single-page CRM', () => {
  let world: CrmWorld;
  let browser: CrmBrowser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    world = await startCrmWorld({ route: url => (url.pathname.startsWith('/contacts/') ? { body: APP } : null) });
    ({ browser } = world);
    page = await browser.ctx.newPage();
    page.on('console', m => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', e => problems.push(String(e)));
    await page.goto(`https://app.hubspot.com${LIST}`);
  });

  afterAll(async () => { await world?.close(); });

  const hosts = () => page.locator('texttrail-badge');
  const phones = () => hosts().evaluateAll(els => els.map(e => e.getAttribute('data-phone')!));

  it('badges the rows the app renders after load', async () => {
    await waitFor('30 badges', async () => (await hosts().count()) === 30);
    expect(await phones()).toEqual(Array.from({ length: 30 }, (_, i) => rowPhone(i).e164));
  });

  it('follows infinite scroll: each new batch of rows badged once', async () => {
    for (const want of [60, 90]) {
      await page.locator('#scroller').evaluate(s => { s.scrollTop = s.scrollHeight; });
      await waitFor(`${want} badges`, async () => (await hosts().count()) === want);
    }
    const list = await phones();
    expect(new Set(list).size).toBe(90);
    // Pills render as their rows come into view (not ahead): the last batch is still below the scroller's edge.
    await hosts().last().evaluate(h => h.scrollIntoView());
    await waitFor('the last row\'s pill', async () => await hosts().last().evaluate(h => !!h?.shadowRoot?.firstElementChild?.hasAttribute('data-look')));
  });

  it('follows a row the app re-renders in place with another number', async () => {
    await page.evaluate(() => { document.querySelector('#rows tr:nth-child(2) td:nth-child(4) .private-truncated-string__inner')!.textContent = '(303) 555-0142'; });
    await waitFor('the new number\'s badge', async () => (await page.locator('texttrail-badge[data-phone="+13035550142"]').count()) === 1);
    expect(await page.locator(`texttrail-badge[data-phone="${rowPhone(1).e164}"]`).count()).toBe(0);
    expect(await hosts().count()).toBe(90);
  });

  it('a route change tears down the previous view: its badges and its open thread go, the new view is badged', async () => {
    await page.locator('#scroller').evaluate(s => { s.scrollTop = 0; });
    const first = page.locator(`texttrail-badge[data-phone="${rowPhone(0).e164}"]`).getByRole('button');
    await first.click();
    await waitFor('the thread overlay', async () => (await page.getByRole('dialog').count()) === 1);
    // The app moves on by itself (the overlay is modal: the agent could not click the page now).
    await page.evaluate(() => (document.querySelector('a[data-link]') as HTMLElement).click());
    await waitFor('the record view\'s badge only', async () => JSON.stringify(await phones()) === JSON.stringify(['+16175550199']));
    await waitFor('the overlay to close', async () => (await page.getByRole('dialog').count()) === 0);
    expect(page.url()).toContain('/record/0-1/1000');
  });

  it('the back button brings the list, badged again, once', async () => {
    await page.goBack();
    await waitFor('30 badges again', async () => (await hosts().count()) === 30);
    expect(new Set(await phones()).size).toBe(30);
    expect(await page.locator('texttrail-badge[data-phone="+16175550199"]').count()).toBe(0);
  });

  it('left nothing in the page\'s console', () => {
    expect(problems).toEqual([]);
  });
});
