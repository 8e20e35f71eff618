// HubSpot (app.hubspot.com, app-eu1.hubspot.com). Thin for now: record-page phone properties; lists are
// covered by the shared text scan. Issue 4 deepens this with per-page configuration.
import { defineCrmAdapter, hostIs } from './define';
import { compact, splitFullName, textOf } from './fields';
import { GENERIC_FIELDS } from './generic';

export const hubspot = defineCrmAdapter({
  id: 'hubspot',
  matches: url => hostIs(url, ['app.hubspot.com', 'app-eu1.hubspot.com']),
  fieldSelectors: [
    '[data-selenium-test="property-input-phone"]',
    '[data-selenium-test="property-input-mobilephone"]',
    '[data-test-id="phone-number-value"]',
    ...GENERIC_FIELDS,
  ],
  // A record page's highlight title is the contact's name; list rows fall back to the column reader.
  contactFields: root => {
    const title = root.querySelector('[data-selenium-test="contact-highlight-title"]');
    return title ? compact(splitFullName(textOf(title))) : null;
  },
});
