import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, adapterFor } from '..';
import { hubspot } from '../hubspot';
import { pipedrive } from '../pipedrive';
import { salesforce } from '../salesforce';
import type { CrmAdapter } from '../types';
import { zoho } from '../zoho';
import { loadPage } from './page';

let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

async function find(adapter: CrmAdapter, fixture: string) {
  const page = await loadPage(`adapters/__fixtures__/${fixture}`, 'https://example.test/');
  close = page.close;
  return adapter.findPhones(page.document, { defaultCountry: 'US' }).map(h => [h.kind, h.phone]);
}

describe('adapter registry', () => {
  it.each([
    ['https://app.hubspot.com/contacts/123/contact/456', 'hubspot'],
    ['https://app-eu1.hubspot.com/contacts/1', 'hubspot'],
    ['https://acme.lightning.force.com/lightning/r/Contact/003/view', 'salesforce'],
    ['https://acme.pipedrive.com/person/12', 'pipedrive'],
    ['https://crm.zoho.eu/crm/org1/tab/Contacts/1', 'zoho'],
    ['https://crm.zoho.com/crm/tab/Contacts', 'zoho'],
    ['http://127.0.0.1:8787/demo/', 'demo'],
    ['https://example.com/', 'generic'],
    ['https://notpipedrive.com/', 'generic'],
  ])('%s → %s', (url, id) => {
    expect(adapterFor(new URL(url)).id).toBe(id);
  });

  it('has one adapter per CRM', () => {
    expect(ADAPTERS.map(a => a.id)).toEqual(['hubspot', 'salesforce', 'pipedrive', 'zoho', 'demo']);
  });
});

describe('CRM adapters on their fixtures', () => {
  it('HubSpot: phone properties as fields, the note as text, not the record id or date', async () => {
    expect(await find(hubspot, 'hubspot-contact.html')).toEqual([
      ['field', '+14155550134'], ['field', '+12125550188'], ['text', '+13125550142'],
    ]);
  });

  it('Salesforce: lightning-formatted-phone, with and without a tel: link inside', async () => {
    expect(await find(salesforce, 'salesforce-contact.html')).toEqual([
      ['tel', '+16465550006'], ['field', '+14155550003'],
    ]);
  });

  it('Pipedrive: the phone value, not the deal value or an editable note', async () => {
    expect(await find(pipedrive, 'pipedrive-person.html')).toEqual([['field', '+13125550007']]);
  });

  it('Zoho: detail-view phone fields, not the ZIP+4 or a textarea', async () => {
    expect(await find(zoho, 'zoho-contact.html')).toEqual([['field', '+14155559999'], ['field', '+14155550134']]);
  });
});

describe('merge fields on CRM fixtures', () => {
  it('takes the contact name from a HubSpot record title', async () => {
    const page = await loadPage('adapters/__fixtures__/hubspot-contact.html', 'https://app.hubspot.com/contacts/1/contact/2');
    close = page.close;
    const hit = hubspot.findPhones(page.document, { defaultCountry: 'US' })[0];
    expect(hubspot.contactFields(page.document, hit.anchor)).toEqual({ firstName: 'Maria', lastName: 'Lopez' });
  });

  it('gives no fields where the page has none (the thread name fills in)', async () => {
    const page = await loadPage('adapters/__fixtures__/zoho-contact.html', 'https://crm.zoho.com/');
    close = page.close;
    const hit = zoho.findPhones(page.document, { defaultCountry: 'US' })[0];
    expect(zoho.contactFields(page.document, hit.anchor)).toEqual({});
  });
});
