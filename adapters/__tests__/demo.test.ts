import { afterEach, describe, expect, it } from 'vitest';
import { adapterFor } from '..';
import { demo } from '../demo';
import { loadPage } from './page';

const CONTACTS = ['+14155550134', '+14155550003', '+16465550006', '+13125550007', '+14155551610', '+14155559999', '+12125550188', '+13125550142'];
let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

describe('demo adapter on the demo CRM pages', () => {
  it('is picked for /demo/ on loopback only', () => {
    expect(adapterFor(new URL('http://127.0.0.1:8787/demo/')).id).toBe('demo');
    expect(adapterFor(new URL('http://localhost:3000/demo/contact.html?id=x')).id).toBe('demo');
    expect(adapterFor(new URL('http://127.0.0.1:8787/other')).id).toBe('generic');
  });

  it('finds each contact phone in the list once, as a phone field, in its cell', async () => {
    const page = await loadPage('server/demo/contacts.html');
    close = page.close;
    const hits = demo.findPhones(page.document, { defaultCountry: 'US' });
    expect(hits.map(h => h.phone)).toEqual(CONTACTS);
    expect(new Set(hits.map(h => h.kind))).toEqual(new Set(['field']));
    expect(hits[0].display).toBe('(415) 555-0134');
    for (const h of hits) expect((h.anchor as Element).closest('td')?.className).toBe('phone');
  });

  it('finds the record page phones: tel: link, field, shadow-root field and note text', async () => {
    const page = await loadPage('server/demo/contact.html', 'http://127.0.0.1:8787/demo/contact.html?id=priya-shah');
    close = page.close;
    const roots: ShadowRoot[] = [];
    const hits = demo.findPhones(page.document, { defaultCountry: 'US', onShadowRoot: r => roots.push(r) });
    expect(hits.map(h => [h.kind, h.phone, h.display])).toEqual([
      ['tel', '+16465550006', '+1 646 555 0006'],
      ['field', '+16465550006', '+1 646 555 0006'],
      ['text', '+16465550006', '+1 646 555 0006'],
      ['field', '+16465550006', '(646) 555-0006'],
    ]);
    // The last one lives in <crm-phone>'s open shadow root, and the caller was told about that root.
    const inShadow = hits[3].anchor;
    expect((inShadow.getRootNode() as ShadowRoot).host.localName).toBe('crm-phone');
    expect(roots).toHaveLength(1);
    // Nothing from dates, amounts, the estimate number or the ZIP+4 of the address.
    expect(hits.every(h => h.phone === '+16465550006')).toBe(true);
  });

  it('skips what is already a badge and what is inside controls', async () => {
    const page = await loadPage('server/demo/contacts.html');
    close = page.close;
    const { document } = page;
    const cell = document.querySelector('td.phone')!;
    const badge = document.createElement('texttrail-badge');
    badge.textContent = '(212) 555-0188';
    cell.append(badge);
    const input = document.createElement('textarea');
    input.textContent = '(212) 555-0188';
    cell.append(input);
    expect(demo.findPhones(cell, { defaultCountry: 'US' }).map(h => h.phone)).toEqual(['+14155550134']);
  });
});

describe('merge fields from the demo CRM pages', () => {
  it('reads a list row under its column headers, without the avatar initials', async () => {
    const page = await loadPage('server/demo/contacts.html');
    close = page.close;
    const hits = demo.findPhones(page.document, { defaultCountry: 'US' });
    const tom = hits.find(h => h.phone === '+13125550007')!;
    expect(demo.contactFields(page.document, tom.anchor)).toEqual({ firstName: 'Tom', lastName: 'Becker', company: 'Lakeshore Logistics', owner: 'Ben Brooks' });
    const maria = hits.find(h => h.phone === '+14155550134')!;
    expect(demo.contactFields(page.document, maria.anchor)).toMatchObject({ firstName: 'Maria', company: 'Bayview Orthodontics' });
  });

  it('reads the record page for every phone on it, inside the field component\'s shadow root too', async () => {
    const page = await loadPage('server/demo/contact.html', 'http://127.0.0.1:8787/demo/contact.html?id=priya-shah');
    close = page.close;
    const expected = { firstName: 'Priya', lastName: 'Shah', company: 'Shah Design Studio', owner: 'Sue Sato' };
    for (const hit of demo.findPhones(page.document, { defaultCountry: 'US' })) {
      expect(demo.contactFields(page.document, hit.anchor)).toEqual(expected);
    }
  });

  it('gives nothing it cannot see: a missing field stays missing', async () => {
    const page = await loadPage('server/demo/contact.html', 'http://127.0.0.1:8787/demo/contact.html?id=emma-johnson');
    close = page.close;
    page.document.getElementById('company')!.textContent = '  ';
    const hit = demo.findPhones(page.document, { defaultCountry: 'US' })[0];
    expect(demo.contactFields(page.document, hit.anchor)).toEqual({ firstName: 'Emma', lastName: 'Johnson', owner: 'Sue Sato' });
  });
});
