// Pipedrive (*.pipedrive.com). Thin for now: person phone values; issue 4 deepens it.
import { defineCrmAdapter, hostIs } from './define';
import { GENERIC_FIELDS } from './generic';

export const pipedrive = defineCrmAdapter({
  id: 'pipedrive',
  matches: url => hostIs(url, ['.pipedrive.com']),
  fieldSelectors: ['[data-test="phone-value"]', '[data-testid="phone-value"]', ...GENERIC_FIELDS],
});
