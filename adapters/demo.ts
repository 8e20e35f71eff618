// The demo CRM pages the server serves under /demo/ (server/demo/*.html).
import { defineCrmAdapter, hostIs } from './define';
import { closestAcross, compact, fieldsFromRow, splitFullName, textOf, type ContactFields } from './fields';
import { GENERIC_FIELDS } from './generic';

/** The record page: the name heading and the labelled fields of the record the phone sits in. */
function recordFields(root: ParentNode, phoneElement: Node): ContactFields | null {
  const record = closestAcross(phoneElement, '.record') ?? root.querySelector('.record');
  if (!record) return null;
  const labelled = (label: string) => {
    const field = [...record.querySelectorAll('.field')].find(f => textOf(f.querySelector('label')).toLowerCase() === label);
    return textOf(field?.querySelector('label + *'));
  };
  return compact({
    ...splitFullName(textOf(record.querySelector('h1'))),
    company: labelled('company'),
    owner: labelled('contact owner'),
  });
}

export const demo = defineCrmAdapter({
  id: 'demo',
  matches: url => hostIs(url, ['127.0.0.1', 'localhost']) && url.pathname.startsWith('/demo/'),
  fieldSelectors: ['[data-field="phone"]', '[data-field="mobile"]', ...GENERIC_FIELDS],
  contactFields: (root, el) => fieldsFromRow(el) ?? recordFields(root, el),
});
