// Salesforce Lightning Experience (*.lightning.force.com). Phones render through the
// lightning-formatted-phone base component
// (https://developer.salesforce.com/docs/component-library/bundle/lightning-formatted-phone), inside an
// open shadow root where the org runs native shadow DOM. Fixtures: adapters/__fixtures__/salesforce-*.html.
import { defineCrmAdapter } from './define';
import { GENERIC_FIELDS } from './generic';

export const salesforce = defineCrmAdapter({
  id: 'salesforce',
  hosts: ['.lightning.force.com'],
  pages: [
    { kind: 'record', path: /^\/lightning\/r\/(?:[A-Za-z0-9_]+\/)?[A-Za-z0-9]{15,18}\/view/ },
    { kind: 'list', path: /^\/lightning\/o\/[A-Za-z0-9_]+\/list/ },
  ],
  phoneFields: ['lightning-formatted-phone', ...GENERIC_FIELDS],
  // Datatable cells truncate their value; the badge goes beside the truncating box.
  badgeAfter: ['.slds-truncate'],
  record: {
    scope: ['one-record-home-flexipage2'],
    name: ['records-highlights2 lightning-formatted-name', 'records-highlights2 h1'],
    company: ['records-record-layout-item[field-label="Account Name"] a'],
    owner: ['records-record-layout-item[field-label$="Owner"] a'],
  },
  list: {
    row: ['tr[data-row-key-value]'],
    table: ['lightning-datatable'],
    header: ['thead th'],
    cellLabel: 'data-label',
    columns: { name: /^(full )?name$/i, company: /^(account name|company)$/i, owner: /^(contact |lead )?owner( name| full name)?$/i },
  },
});
