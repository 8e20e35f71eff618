// Zoho CRM (crm.zoho.com and its regional hosts). Thin for now: detail-view phone fields; issue 4 deepens it.
import { defineCrmAdapter, hostIs } from './define';
import { GENERIC_FIELDS } from './generic';

export const ZOHO_HOSTS = ['crm.zoho.com', 'crm.zoho.eu', 'crm.zoho.in', 'crm.zoho.com.au', 'crm.zoho.jp', 'crm.zohocloud.ca'];

export const zoho = defineCrmAdapter({
  id: 'zoho',
  matches: url => hostIs(url, ZOHO_HOSTS),
  fieldSelectors: ['[data-zcqa="detailView_Phone"]', '[data-zcqa="detailView_Mobile"]', ...GENERIC_FIELDS],
});
