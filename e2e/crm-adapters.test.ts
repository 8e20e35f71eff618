// The built extension on the real CRM hostnames (app.hubspot.com, acme.lightning.force.com,
// acme.pipedrive.com, crm.zoho.com resolved to loopback), each serving the committed fixtures of its list
// and record pages: the manifest's match patterns pick the pages, the adapters find exactly the phones
// the unit tests expect — in Lightning's open shadow roots too — and badges are reachable by keyboard,
// named, and styled apart from the page in both directions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CrmBrowser } from './crm-host';
import { fixture, fixtureRoute } from './crm-pages';
import { startCrmWorld, type CrmWorld } from './crm-world';
import { browserTestsCanRun, waitFor } from './helpers';

const canRun = browserTestsCanRun();

// What each page must show, as the unit tests on the same fixtures say (adapters/__tests__/crms.test.ts),
// with the e2e user's location in the US: the classic HubSpot page's national UK number is not read as one.
const EXPECTED: Record<string, string[]> = {
  'hubspot-record.html': ['+12125550188', '+13125550142', '+14155550134', '+14155550134'],
  'hubspot-record-classic.html': ['+442079460959'],
  'hubspot-list.html': ['+14155550003', '+14155550134', '+442079460958'],
  'salesforce-record.html': ['+13125550007', '+14155550003', '+16465550006', '+16465550006', '+16465550111'],
  'salesforce-list.html': ['+14155550003', '+16465550006'],
  'pipedrive-record.html': ['+13125550007', '+13125550142', '+14155551610'],
  'pipedrive-list.html': ['+13125550007', '+14155551610'],
  'pipedrive-list-legacy.html': ['+14155559999'],
  'zoho-record.html': ['+14155550003', '+14155550134', '+14155559999'],
  'zoho-list.html': ['+14155550134', '+14155559999'],
};

// A page that tries hard to restyle everything, our badges by name included, and a marker to prove our
// styles stay in our shadow roots.
const HOSTILE_CSS = `<style id="hostile">* { font-size: 31px !important; color: rgb(255, 0, 0) !important; letter-spacing: 9px !important; }
span { display: none !important; } texttrail-badge, [role="button"] { display: block !important; width: 300px !important; height: 2px !important; background: rgb(0, 255, 0) !important; }</style>`;

describe.skipIf(!canRun)('badges on the CRMs\' own hostnames', () => {
  let world: CrmWorld;
  let browser: CrmBrowser;
  let page: Page;

  beforeAll(async () => {
    world = await startCrmWorld({ route: fixtureRoute(url => {
      if (url.searchParams.get('hostile') !== '1') return null;
      return { body: fixture('hubspot-list.html').html.replace('</head>', `${HOSTILE_CSS}</head>`) };
    }) });
    ({ browser } = world);
    page = await browser.ctx.newPage();
  });

  afterAll(async () => { await world?.close(); });

  const phonesOn = (p: Page) => p.locator('texttrail-badge').evaluateAll(els => els.map(e => e.getAttribute('data-phone')!).sort());

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: a badge beside exactly the phones the adapter finds`, async () => {
      await page.goto(fixture(file).url.toString());
      await waitFor(`${expected.length} badges`, async () => (await page.locator('texttrail-badge').count()) >= expected.length, 10_000);
      await page.waitForTimeout(150);
      expect(await phonesOn(page)).toEqual(expected);
      // Beside the number: every host follows its phone's element or text in the same parent, never as a
      // child of a table row, never inside a truncating wrapper.
      const placements = await page.locator('texttrail-badge').evaluateAll(els => els.map(h => ({
        parent: h.parentElement?.localName ?? (h.getRootNode() as ShadowRoot).host?.localName,
        before: (h.previousSibling?.textContent ?? '').replace(/\D/g, ''),
        clipped: !!h.parentElement?.closest('.private-truncated-string, [class*="TruncateStringOuter"], .slds-truncate, lyte-text'),
      })));
      for (const p of placements) {
        expect(['tr', 'tbody', 'table']).not.toContain(p.parent);
        expect(p.clipped).toBe(false);
      }
    });
  }

  it('finds Lightning\'s phones in nested open shadow roots and puts the badge beside the component', async () => {
    await page.goto(fixture('salesforce-record.html').url.toString());
    const mobile = page.locator('texttrail-badge[data-phone="+14155550003"]');
    await waitFor('the mobile badge', async () => (await mobile.count()) === 1);
    const where = await mobile.evaluate(h => ({
      previous: h.previousElementSibling?.localName,
      root: (h.getRootNode() as ShadowRoot).host?.localName ?? 'document',
    }));
    expect(where).toEqual({ previous: 'lightning-formatted-phone', root: 'records-record-layout-item' });
  });

  it('badges are reachable by keyboard, have names, and open the thread with Enter', async () => {
    await page.goto(fixture('pipedrive-record.html').url.toString());
    const pill = page.getByRole('button', { name: /^No texts yet$/ });
    await waitFor('the pills', async () => (await pill.count()) === 3);
    // Tab from the page's start reaches the first badge (after the page's own phone button).
    await page.keyboard.press('Tab');
    const focused = async () => page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return { badge: document.activeElement?.localName === 'texttrail-badge', name: el?.getAttribute('aria-label') ?? '', role: el?.getAttribute('role') };
    });
    // Past the page's own phone button to our badge right after it.
    for (let i = 0; i < 6 && !(await focused()).badge; i++) await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ badge: true, name: 'No texts yet', role: 'button' });
    await page.keyboard.press('Enter');
    await waitFor('the thread overlay', async () => (await page.getByRole('dialog').count()) === 1);
    await page.keyboard.press('Escape');
    await waitFor('the overlay to close', async () => (await page.getByRole('dialog').count()) === 0);
  });

  it('styles never leak: the page cannot restyle a badge, and badges add no style to the page', async () => {
    await page.goto(`${fixture('hubspot-list.html').url}?hostile=1`);
    const pill = page.locator('texttrail-badge[data-phone="+14155550134"]').getByRole('button');
    // Rendered, and with its status known (it renders in its loading look until the badges arrive).
    await waitFor('a rendered pill with its status', async () => (await pill.getAttribute('data-look')) === 'none');
    const look = await pill.evaluate(async el => {
      const host = (el.getRootNode() as ShadowRoot).host;
      const box = (e: Element) => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
      // The look is the pill's background image: draw it and read the pill's fill just inside its left edge.
      const src = /^url\("(.*)"\)$/.exec(getComputedStyle(el).backgroundImage)?.[1] ?? '';
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const [r, g, b] = ctx.getImageData(4, 3, 1, 1).data;
      return { host: box(host), pill: box(el), hostDisplay: getComputedStyle(host).display, image: decodeURIComponent(src), fill: [r, g, b], imageWidth: img.width };
    });
    expect(look.host).toEqual([106, 20]);
    expect(look.pill).toEqual([106, 20]);
    expect(look.hostDisplay).toBe('inline-block');
    expect(look.image).toContain('>No texts</text>');
    expect(look.fill).toEqual([0xf6, 0xf7, 0xf9]); // the muted tone's background (badge.css)
    expect(look.imageWidth).toBeGreaterThan(60);
    expect(look.imageWidth).toBeLessThanOrEqual(106);
    // Nothing of ours in the page's own styles: no sheet adopted by the document, no style element added.
    const pageStyles = await page.evaluate(() => ({
      adopted: document.adoptedStyleSheets.length,
      styleElements: [...document.querySelectorAll('style, link[rel="stylesheet"]')].map(s => s.id || s.tagName),
    }));
    expect(pageStyles).toEqual({ adopted: 0, styleElements: ['hostile'] });
  });
});
