// The options page's "Other sites": turning a site on by its address and off again, through the same
// Chrome calls the popup makes (faked at the API boundary: permissions and scripting).
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeChrome } from '../../../utils/__tests__/fakeSitesApi';
import { CONTENT_SCRIPT_FILE } from '../../../utils/sites';
import { SitesCard } from '../SitesCard';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let host: HTMLElement;
beforeEach(() => { host = document.createElement('div'); document.body.append(host); root = createRoot(host); });
afterEach(async () => { await act(async () => root.unmount()); host.remove(); });

const settle = () => act(async () => { for (let i = 0; i < 5; i++) await new Promise(r => setTimeout(r, 0)); });

async function type(value: string) {
  const input = host.querySelector<HTMLInputElement>('#site')!;
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => { host.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })); });
  await settle();
}

const listed = () => [...host.querySelectorAll('.sites li span')].map(s => s.textContent);

describe('options page: other sites', () => {
  it('turns a site on by its address: asks Chrome for that origin only and registers the content script', async () => {
    const chrome = fakeChrome();
    await act(async () => root.render(<SitesCard api={chrome.api} />));
    await settle();
    expect(host.textContent).toContain('No other site is turned on.');

    await type('crm.clinicdesk.example/patients');
    expect([...chrome.granted]).toEqual(['https://crm.clinicdesk.example/*']);
    expect([...chrome.scripts.values()]).toEqual([expect.objectContaining({
      id: 'texttrail-site:https://crm.clinicdesk.example', matches: ['https://crm.clinicdesk.example/*'], js: [CONTENT_SCRIPT_FILE], persistAcrossSessions: true,
    })]);
    expect(listed()).toEqual(['crm.clinicdesk.example']);
    expect(host.querySelector('[role="status"]')!.textContent).toMatch(/^Badges are on for crm\.clinicdesk\.example/);
    expect(host.querySelector<HTMLInputElement>('#site')!.value).toBe('');
  });

  it('turns a site off again: script unregistered, permission given back, gone from the list', async () => {
    const chrome = fakeChrome();
    await act(async () => root.render(<SitesCard api={chrome.api} />));
    await type('https://crm.clinicdesk.example');
    await act(async () => { host.querySelector<HTMLButtonElement>('button[aria-label="Turn off on crm.clinicdesk.example"]')!.click(); });
    await settle();
    expect(chrome.scripts.size).toBe(0);
    expect(chrome.granted.size).toBe(0);
    expect(listed()).toEqual([]);
    expect(host.querySelector('[role="status"]')!.textContent).toBe('TextTrail is off for crm.clinicdesk.example.');
  });

  it('says why nothing happened: a built-in CRM, a wrong address, a refused permission', async () => {
    const chrome = fakeChrome();
    await act(async () => root.render(<SitesCard api={chrome.api} />));
    await type('app.hubspot.com');
    expect(host.querySelector('[role="alert"]')!.textContent).toBe('TextTrail already runs on app.hubspot.com: nothing to turn on.');
    await type('not an address');
    expect(host.querySelector('[role="alert"]')!.textContent).toMatch(/is not a web address/);
    chrome.refuse();
    await type('crm.clinicdesk.example');
    expect(host.querySelector('[role="alert"]')!.textContent).toBe('Chrome did not give TextTrail access to crm.clinicdesk.example.');
    expect(chrome.scripts.size).toBe(0);
    expect(listed()).toEqual([]);
  });
});
