import { fieldsFromRow } from './fields';
import { findPhonesIn } from './scan';
import type { CrmAdapter, CrmAdapterConfig } from './types';

export function defineCrmAdapter(config: CrmAdapterConfig): CrmAdapter {
  return {
    id: config.id,
    matches: config.matches,
    findPhones: (root, options) => findPhonesIn(root, config.fieldSelectors, options),
    contactFields: (root, el) => {
      try {
        return config.contactFields?.(root, el) ?? fieldsFromRow(el) ?? {};
      } catch {
        return {}; // a page that changed under us: no fields, the agent fills them in
      }
    },
  };
}

/** Matches when the page's host is one of `hosts` or ends with one that starts with a dot. */
export function hostIs(url: URL, hosts: string[]): boolean {
  return hosts.some(h => (h.startsWith('.') ? url.hostname.endsWith(h) : url.hostname === h));
}
