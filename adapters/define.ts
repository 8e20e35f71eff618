import { fieldsFromList, fieldsFromRecord, PLAIN_TABLE } from './fields';
import { anyFieldIn, findPhonesIn, outermostWrapper, type ScanConfig } from './scan';
import type { CrmAdapter, CrmAdapterConfig, PageKind } from './types';

/** Matches when the page's host is one of `hosts`, or a subdomain of one that starts with a dot. */
export function hostIs(url: URL, hosts: readonly string[]): boolean {
  return hosts.some(h => (h.startsWith('.') ? url.hostname.endsWith(h) : url.hostname === h));
}

/** Turns a CRM's configuration (data) into the adapter the content script uses. */
export function defineCrmAdapter(config: CrmAdapterConfig): CrmAdapter & { config: CrmAdapterConfig } {
  const scan: ScanConfig = { fields: config.phoneFields, badgeAfter: (config.badgeAfter ?? []).join(','), shadowRoots: config.openShadowRoots ?? true };
  return {
    id: config.id,
    config,
    matches: url => (config.hosts.length === 0 || hostIs(url, config.hosts)) && (config.matches?.(url) ?? true),
    pageKind: (url): PageKind => config.pages?.find(p => p.path.test(url.pathname + url.search + url.hash))?.kind ?? 'other',
    findPhones: (root, options) => findPhonesIn(root, scan, options),
    anyFieldIn: root => anyFieldIn(root, scan),
    scanRootFor: node => outermostWrapper(node, scan.badgeAfter) ?? node,
    contactFields: (root, el) => {
      try {
        // The phone's own list row first (a list page, or a related list on a record page), then the record.
        return (config.list && fieldsFromList(el, config.list))
          ?? fieldsFromList(el, PLAIN_TABLE)
          ?? (config.record && fieldsFromRecord(root, el, config.record))
          ?? {};
      } catch {
        return {}; // a page that changed under us: no fields, the agent fills them in
      }
    },
  };
}
