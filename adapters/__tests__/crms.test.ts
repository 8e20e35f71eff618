// The CRM adapters against committed fixtures of each CRM's pages (adapters/__fixtures__/, each traced
// to the public material it is modelled on). Selectors are data: every one of them is checked here.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, adapterFor } from '..';
import { deepQuery, firstMatch, textOf } from '../fields';
import { GENERIC_FIELDS, generic } from '../generic';
import type { CountryCode } from '../phones';
import type { CrmAdapter, CrmAdapterConfig, PhoneHit } from '../types';
import { FIXTURES, fixtureMeta, fixturesOf, loadPage, type LoadedPage } from './page';

type Configured = CrmAdapter & { config: CrmAdapterConfig };
const ALL = [...ADAPTERS, generic] as Configured[];
/** The demo adapter's pages are the server's demo pages (adapters/__tests__/demo.test.ts). */
const WITH_FIXTURES = ALL.filter(a => a.id !== 'demo');

let open: LoadedPage[] = [];
afterEach(async () => { await Promise.all(open.map(p => p.close())); open = []; });

async function load(file: string) {
  const page = await loadPage(path.join(FIXTURES, file));
  open.push(page);
  const country = (fixtureMeta(fs.readFileSync(path.join(FIXTURES, file), 'utf8')).country ?? 'US') as CountryCode;
  const adapter = adapterFor(page.url) as Configured;
  const hits = adapter.findPhones(page.document, { defaultCountry: country });
  return { page, adapter, hits, country };
}

const summary = (hits: PhoneHit[]) => hits.map(h => [h.kind, h.phone]);

describe('adapter registry', () => {
  it.each([
    ['https://app.hubspot.com/contacts/123/record/0-1/456', 'hubspot', 'record'],
    ['https://app.hubspot.com/contacts/123/contact/456', 'hubspot', 'record'],
    ['https://app-eu1.hubspot.com/contacts/123/objects/0-1/views/all/list', 'hubspot', 'list'],
    ['https://app.hubspot.com/reports-dashboard/123', 'hubspot', 'other'],
    ['https://acme.lightning.force.com/lightning/r/Contact/0035g00000AbCdEAAZ/view', 'salesforce', 'record'],
    ['https://acme.lightning.force.com/lightning/r/0035g00000AbCdEAAZ/view', 'salesforce', 'record'],
    ['https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Recent', 'salesforce', 'list'],
    ['https://acme.lightning.force.com/lightning/page/home', 'salesforce', 'other'],
    ['https://acme.pipedrive.com/person/12', 'pipedrive', 'record'],
    ['https://acme.pipedrive.com/persons/list/everyone', 'pipedrive', 'list'],
    ['https://acme.pipedrive.com/pipeline/1', 'pipedrive', 'other'],
    ['https://crm.zoho.eu/crm/org1/tab/Contacts/4567000000123456', 'zoho', 'record'],
    ['https://crm.zoho.com/crm/tab/Leads/4567000000123456', 'zoho', 'record'],
    ['https://crm.zoho.com/crm/org1/tab/Contacts/custom-view/4567000000087501/list', 'zoho', 'list'],
    ['http://127.0.0.1:8787/demo/', 'demo', 'list'],
    ['http://127.0.0.1:8787/demo/contact.html?id=maria-lopez', 'demo', 'record'],
    ['https://example.com/', 'generic', 'other'],
    ['https://notpipedrive.com/person/12', 'generic', 'other'],
    ['https://hubspot.com.evil.example/contacts/1/contact/2', 'generic', 'other'],
  ])('%s → %s (%s)', (url, id, kind) => {
    const adapter = adapterFor(new URL(url));
    expect(adapter.id).toBe(id);
    expect(adapter.pageKind(new URL(url))).toBe(kind);
  });

  it('has one adapter per CRM', () => {
    expect(ADAPTERS.map(a => a.id)).toEqual(['hubspot', 'salesforce', 'pipedrive', 'zoho', 'demo']);
  });

  it.each(WITH_FIXTURES.map(a => [a.id, a] as const))('%s has committed fixtures for each kind of page it knows', async (_id, adapter) => {
    const files = fixturesOf(adapter.id);
    expect(files.length).toBeGreaterThan(0);
    const kinds = new Set<string>();
    for (const file of files) {
      const { url } = fixtureMeta(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
      expect(url, `${file} declares its URL`).toBeTruthy();
      // The fixture's own URL picks this adapter (the registry is tested on the fixtures too).
      expect(adapterFor(new URL(url!)).id, file).toBe(adapter.id);
      kinds.add(adapter.pageKind(new URL(url!)));
    }
    for (const page of adapter.config.pages ?? []) expect(kinds, `a ${page.kind} page fixture`).toContain(page.kind);
  });
});

describe('every selector of every adapter is tested against its fixtures', () => {
  // For each adapter, all its fixtures loaded once: each selector must do its job in at least one of them.
  async function fixturesLoaded(adapter: Configured) {
    return Promise.all(fixturesOf(adapter.id).map(f => load(f)));
  }

  for (const adapter of WITH_FIXTURES) {
    const { config } = adapter;
    describe(adapter.id, () => {
      // The generic selectors every adapter shares are the generic adapter's, tested on its fixture.
      const own = config.phoneFields.filter(s => adapter === generic || !(GENERIC_FIELDS as readonly string[]).includes(s));
      it.each(own)('phone field %s yields a phone', async selector => {
        const pages = await fixturesLoaded(adapter);
        const found = pages.some(({ hits }) => hits.some(h => h.kind === 'field' && (h.source as Element).matches(selector)));
        expect(found).toBe(true);
      });

      it.each([...(config.badgeAfter ?? [])])('badge wrapper %s places a badge after it', async selector => {
        const pages = await fixturesLoaded(adapter);
        expect(pages.some(({ hits }) => hits.some(h => h.anchor.nodeType === 1 && (h.anchor as Element).matches(selector)))).toBe(true);
      });

      const recordSelectors = Object.entries(config.record ?? {}).flatMap(([field, list]) => (list as string[]).map(s => [field, s] as const));
      it.each(recordSelectors)('record %s: %s finds text on a record page', async (_field, selector) => {
        const pages = await fixturesLoaded(adapter);
        expect(pages.some(({ page }) => textOf(firstMatch(page.document, [selector])) !== '')).toBe(true);
      });

      const list = config.list;
      const listSelectors = list ? [...list.row.map(s => ['row', s]), ...list.table.map(s => ['table', s]), ...list.header.map(s => ['header', s]), ...(list.cell ? [['cell', list.cell]] : [])] : [];
      it.each(listSelectors)('list %s: %s matches on a list page', async (_what, selector) => {
        const pages = await fixturesLoaded(adapter);
        expect(pages.some(({ page }) => !!deepQuery(page.document, selector))).toBe(true);
      });
    });
  }
});

describe('phones on the CRM fixtures', () => {
  it.each([
    ['hubspot-record.html', [['tel', '+14155550134'], ['field', '+14155550134'], ['field', '+12125550188'], ['text', '+13125550142']]],
    ['hubspot-record-classic.html', [['field', '+442079460958'], ['text', '+442079460959']]],
    ['hubspot-list.html', [['text', '+14155550134'], ['text', '+14155550003'], ['text', '+442079460958']]],
    ['salesforce-record.html', [['field', '+16465550006'], ['field', '+16465550006'], ['field', '+13125550007'], ['text', '+16465550111'], ['field', '+14155550003']]],
    ['salesforce-list.html', [['field', '+16465550006'], ['field', '+14155550003']]],
    ['pipedrive-record.html', [['field', '+13125550007'], ['field', '+13125550142'], ['text', '+14155551610']]],
    ['pipedrive-list.html', [['field', '+13125550007'], ['field', '+14155551610']]],
    ['pipedrive-list-legacy.html', [['field', '+14155559999']]],
    ['zoho-record.html', [['field', '+14155559999'], ['field', '+14155550134'], ['text', '+14155550003']]],
    ['zoho-list.html', [['text', '+14155559999'], ['text', '+14155550134']]],
    ['generic-page.html', [['tel', '+447400123456'], ['field', '+447400123457'], ['field', '+442079460000'], ['text', '+442079460958']]],
  ])('%s: exactly these (no dates, ids, amounts, ZIP+4, IPs, order numbers; nothing in scripts, styles, inputs, textareas or editors)', async (file, expected) => {
    const { hits } = await load(file as string);
    expect(summary(hits)).toEqual(expected);
  });

  it('reads Lightning phones inside open shadow roots, nested ones too, and reports every root it entered', async () => {
    const page = await loadPage(path.join(FIXTURES, 'salesforce-record.html'));
    open.push(page);
    const roots: ShadowRoot[] = [];
    const { salesforce } = await import('../salesforce');
    const hits = salesforce.findPhones(page.document, { defaultCountry: 'US', onShadowRoot: r => roots.push(r) });
    const mobile = hits.find(h => h.phone === '+14155550003')!;
    // The field is the component inside <records-record-layout-item>'s own shadow root; its number was read
    // from the tel: link in the component's shadow root.
    expect((mobile.source as Element).localName).toBe('lightning-formatted-phone');
    expect(((mobile.source as Element).getRootNode() as ShadowRoot).host.localName).toBe('records-record-layout-item');
    expect(mobile.display).toBe('(415) 555-0003');
    expect(roots.map(r => r.host.localName)).toEqual(expect.arrayContaining(['records-record-layout-item', 'lightning-formatted-phone', 'lightning-formatted-name']));
  });

  it('never puts a badge where it would be clipped or break a table', async () => {
    for (const file of ['hubspot-list.html', 'salesforce-list.html', 'zoho-list.html', 'pipedrive-list-legacy.html']) {
      const { hits, adapter } = await load(file);
      const wrappers = (adapter.config.badgeAfter ?? []).join(',');
      for (const h of hits) {
        const anchor = h.anchor as Element;
        // Not inside a truncating wrapper…
        if (wrappers) expect(h.anchor.parentElement?.closest(wrappers) ?? null, file).toBeNull();
        // …and never a sibling of table cells or rows.
        expect(['tr', 'tbody', 'thead', 'table'], file).not.toContain(anchor.parentElement?.localName);
      }
    }
  });
});

describe('merge fields on the CRM fixtures', () => {
  it.each([
    ['hubspot-record.html', 0, { firstName: 'Maria', lastName: 'Lopez', company: 'Bayview Orthodontics', owner: 'Ben Brooks' }],
    ['hubspot-record-classic.html', 0, { firstName: 'Emma', lastName: 'Johnson', company: 'Johnson & Daughters' }],
    ['hubspot-list.html', 0, { firstName: 'Maria', lastName: 'Lopez', company: 'Bayview Orthodontics', owner: 'Ben Brooks' }],
    // "--" is HubSpot's empty cell: a missing company stays missing.
    ['hubspot-list.html', 1, { firstName: 'James', lastName: 'Carter', owner: 'Sue Sato' }],
    // The name comes from the highlights panel (the detail field says "Ms. Priya Shah"), inside a shadow root.
    ['salesforce-record.html', 4, { firstName: 'Priya', lastName: 'Shah', company: 'Shah Design Studio', owner: 'Sue Sato' }],
    // List views show the owner's alias, not a name: no {{owner}} from it.
    ['salesforce-list.html', 1, { firstName: 'James', lastName: 'Carter', company: 'Carter Dental' }],
    ['pipedrive-record.html', 1, { firstName: 'Tom', lastName: 'Becker', company: 'Lakeshore Logistics', owner: 'Ben Brooks' }],
    ['pipedrive-list.html', 1, { firstName: 'Olivia', lastName: 'Chen', owner: 'Sue Sato' }],
    ['pipedrive-list-legacy.html', 0, { firstName: 'Noah', lastName: 'Williams', company: 'Williams Plumbing', owner: 'Ben Brooks' }],
    ['zoho-record.html', 1, { firstName: 'Noah', lastName: 'Williams', company: 'Williams Plumbing', owner: 'Sue Sato' }],
    ['zoho-list.html', 1, { firstName: 'Maria', lastName: 'Lopez', company: 'Bayview Orthodontics', owner: 'Ben Brooks' }],
    ['generic-page.html', 0, { firstName: 'Amelia', lastName: 'Hughes', company: 'Hughes Bakery', owner: 'Sue Sato' }],
    ['generic-page.html', 2, {}],
  ])('%s, phone #%i → %o', async (file, index, expected) => {
    const { page, adapter, hits } = await load(file as string);
    const hit = hits[index as number];
    // From the phone's own element and from the badge host next to it (what the content script passes).
    expect(adapter.contactFields(page.document, hit.source)).toEqual(expected);
    const host = page.document.createElement('texttrail-badge');
    hit.anchor.parentNode!.insertBefore(host, hit.anchor.nextSibling);
    expect(adapter.contactFields(page.document, host)).toEqual(expected);
  });

  it('gives nothing rather than failing on a page that changed under it', async () => {
    const { page, adapter } = await load('hubspot-record.html');
    const detached = page.document.createElement('span');
    expect(adapter.contactFields(page.document, detached)).toEqual({ firstName: 'Maria', lastName: 'Lopez', company: 'Bayview Orthodontics', owner: 'Ben Brooks' });
    page.document.body.innerHTML = '';
    expect(adapter.contactFields(page.document, detached)).toEqual({});
  });
});
