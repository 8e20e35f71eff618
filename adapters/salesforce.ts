// Salesforce Lightning (*.lightning.force.com). Lightning renders phones with the lightning-formatted-phone
// base component (https://developer.salesforce.com/docs/component-library/bundle/lightning-formatted-phone).
import { defineCrmAdapter, hostIs } from './define';
import { GENERIC_FIELDS } from './generic';

export const salesforce = defineCrmAdapter({
  id: 'salesforce',
  matches: url => hostIs(url, ['.lightning.force.com']),
  fieldSelectors: ['lightning-formatted-phone', ...GENERIC_FIELDS],
});
