// Zoho CRM (crm.zoho.com and its regional hosts). Fixtures: adapters/__fixtures__/zoho-*.html.
import { defineCrmAdapter } from './define';
import { GENERIC_FIELDS } from './generic';

export const ZOHO_HOSTS = ['crm.zoho.com', 'crm.zoho.eu', 'crm.zoho.in', 'crm.zoho.com.au', 'crm.zoho.jp', 'crm.zohocloud.ca'] as const;

export const zoho = defineCrmAdapter({
  id: 'zoho',
  hosts: ZOHO_HOSTS,
  pages: [
    { kind: 'list', path: /^\/crm\/(?:[^/]+\/)?tab\/[A-Za-z_]+\/custom-view\/\d+\/list/ },
    { kind: 'record', path: /^\/crm\/(?:[^/]+\/)?tab\/[A-Za-z_]+\/\d+/ },
  ],
  // Phone, Home_Phone, Other_Phone, Asst_Phone …, and Mobile.
  phoneFields: ['[data-zcqa^="value_"][data-zcqa$="Phone"]', '[data-zcqa="value_Mobile"]', ...GENERIC_FIELDS],
  // lyte-text truncates with an ellipsis.
  badgeAfter: ['lyte-text'],
  record: {
    scope: ['crux-detailpage-wrapper'],
    name: ['#recHeader1'],
    firstName: ['[data-zcqa="value_First_Name"]'],
    lastName: ['[data-zcqa="value_Last_Name"]'],
    company: ['#value_ACCOUNTID', '[data-zcqa="value_Account_Name"]'],
    owner: ['[data-zcqa="value_Owner"]'],
  },
  list: {
    row: ['lyte-exptable-tr[id^="table_row_"]'],
    table: ['lyte-exptable'],
    header: ['lyte-exptable-th'],
    cell: 'lyte-exptable-td',
    columns: { name: /^(contact |lead )?name$/i, company: /^(account|company)( name)?$/i, owner: /^(contact |lead )?owner$/i },
  },
});
