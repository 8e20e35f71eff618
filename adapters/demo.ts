// The demo CRM pages the server serves under /demo/ (server/demo/*.html).
import { defineCrmAdapter } from './define';
import { GENERIC_FIELDS } from './generic';

export const demo = defineCrmAdapter({
  id: 'demo',
  hosts: ['127.0.0.1', 'localhost'],
  matches: url => url.pathname.startsWith('/demo/'),
  pages: [
    { kind: 'record', path: /^\/demo\/contact\.html/ },
    { kind: 'list', path: /^\/demo\/(?:contacts\.html|index\.html)?(?:[?#]|$)/ },
  ],
  phoneFields: ['[data-field="phone"]', '[data-field="mobile"]', ...GENERIC_FIELDS],
  record: { scope: ['.record'], name: ['h1'], company: ['#company'], owner: ['#owner'] },
});
