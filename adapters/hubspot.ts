// HubSpot (app.hubspot.com and its regional hosts). Pages and hooks as committed in
// adapters/__fixtures__/hubspot-*.html, where each is traced to the public material it is modelled on.
import { defineCrmAdapter } from './define';
import { GENERIC_FIELDS } from './generic';

export const HUBSPOT_HOSTS = ['app.hubspot.com', 'app-eu1.hubspot.com', 'app-na2.hubspot.com'] as const;

export const hubspot = defineCrmAdapter({
  id: 'hubspot',
  hosts: HUBSPOT_HOSTS,
  pages: [
    // /contacts/{portal}/record/0-1/{id} (current), /contacts/{portal}/contact/{id} (classic)
    { kind: 'record', path: /^\/contacts\/\d+\/(?:record\/0-1|contact)\/\d+/ },
    // /contacts/{portal}/objects/0-1/views/{view}/list, /contacts/{portal}/contacts/list/view/all
    { kind: 'list', path: /^\/contacts\/\d+\/(?:objects\/0-1\/views\/[^/]+\/list|contacts\/list)/ },
  ],
  phoneFields: [
    '[data-selenium-test="property-input-phone"]',
    '[data-selenium-test="property-input-mobilephone"]',
    ...GENERIC_FIELDS,
  ],
  // Its list and record markup (the fixtures, and the public material they follow) has no shadow roots.
  openShadowRoots: false,
  // Table cells and titles truncate with an ellipsis: a badge inside would be cut off.
  badgeAfter: ['.private-truncated-string', '[class*="TruncateStringOuter"]'],
  record: {
    scope: ['[data-test-id="record-page"]', '.private-page'],
    name: ['[data-selenium-test="highlightTitle"]', '[data-selenium-test="contact-highlight-title"]'],
    firstName: ['[data-selenium-test="property-input-firstname"]'],
    lastName: ['[data-selenium-test="property-input-lastname"]'],
    company: ['[data-selenium-test="property-input-company"]'],
    owner: ['[data-selenium-test="property-input-hubspot_owner_id"]'],
  },
  list: {
    row: ['tr[data-test-id^="row-"]'],
    table: ['[data-test-id="framework-data-table"]'],
    header: ['thead th'],
    columns: { name: /^name$/i, company: /^(primary |associated )?company( name)?$/i, owner: /^contact owner$/i },
  },
});
