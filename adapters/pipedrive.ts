// Pipedrive (*.pipedrive.com). Fixtures: adapters/__fixtures__/pipedrive-*.html.
import { defineCrmAdapter } from './define';
import { GENERIC_FIELDS } from './generic';

export const pipedrive = defineCrmAdapter({
  id: 'pipedrive',
  hosts: ['.pipedrive.com'],
  pages: [
    { kind: 'record', path: /^\/person\/\d+/ },
    { kind: 'list', path: /^\/persons\/list\// },
  ],
  phoneFields: ['[data-test="phone-number-button"]', 'td[data-field="person.phone"]', ...GENERIC_FIELDS],
  // Its list and record markup (the fixtures, and the public material they follow) has no shadow roots.
  openShadowRoots: false,
  record: {
    scope: ['.viewContainer'],
    name: ['.personDetails [data-test="person-name"]'],
    company: ['.personDetails [data-test="organization-link"]'],
    owner: ['.personDetails [data-test="owner-name"]'],
  },
  list: {
    row: ['tr.gridRow', '.gridContent__table tbody tr'],
    table: ['.gridContent__table'],
    header: ['thead th'],
    cellLabel: 'data-field',
    columns: { name: /^(person\.name|name)$/i, company: /^(person\.org_id|organization)$/i, owner: /^(person\.owner_id|owner)$/i },
  },
});
