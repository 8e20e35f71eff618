// Any page: tel: links, tel inputs, schema.org telephone markup and numbers in visible text.
import { defineCrmAdapter } from './define';

export const GENERIC_FIELDS = ['input[type="tel" i]', '[itemprop="telephone"]'];

export const generic = defineCrmAdapter({
  id: 'generic',
  matches: () => true,
  fieldSelectors: GENERIC_FIELDS,
});
