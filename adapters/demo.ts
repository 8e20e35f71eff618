// The demo CRM pages the server serves under /demo/ (server/demo/*.html).
import { defineCrmAdapter, hostIs } from './define';
import { GENERIC_FIELDS } from './generic';

export const demo = defineCrmAdapter({
  id: 'demo',
  matches: url => hostIs(url, ['127.0.0.1', 'localhost']) && url.pathname.startsWith('/demo/'),
  fieldSelectors: ['[data-field="phone"]', '[data-field="mobile"]', ...GENERIC_FIELDS],
});
