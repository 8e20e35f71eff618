// Any page the user enabled: tel: links, tel inputs, schema.org telephone markup and numbers in visible
// text; merge fields from a table row with named columns.
import { defineCrmAdapter } from './define';

export const GENERIC_FIELDS = ['input[type="tel" i]', '[itemprop="telephone"]'] as const;

export const generic = defineCrmAdapter({
  id: 'generic',
  hosts: [],
  matches: () => true,
  phoneFields: GENERIC_FIELDS,
});
