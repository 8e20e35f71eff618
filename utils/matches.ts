// The CRMs we work on out of the box (CONTRACT "The extension's outside"), plus the demo CRM pages the
// server serves. Chrome match patterns without a port match every port, so the demo works on any port.
export const CRM_MATCHES = [
  'https://app.hubspot.com/*',
  'https://app-eu1.hubspot.com/*',
  'https://app-na2.hubspot.com/*',
  'https://*.lightning.force.com/*',
  'https://*.pipedrive.com/*',
  'https://crm.zoho.com/*',
  'https://crm.zoho.eu/*',
  'https://crm.zoho.in/*',
  'https://crm.zoho.com.au/*',
  'https://crm.zoho.jp/*',
  'https://crm.zohocloud.ca/*',
  'http://127.0.0.1/demo/*',
  'http://localhost/demo/*',
];

/**
 * Whether `url` matches a Chrome match pattern (https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns):
 * scheme (`*` is http or https), host (`*.` covers the domain and its subdomains), path with `*` wildcards.
 * A pattern without a port matches any port.
 */
export function matchesPattern(pattern: string, url: string | URL): boolean {
  const m = pattern.match(/^(\*|https?):\/\/(\*|(?:\*\.)?[^/*:]+)(?::(\d+))?(\/.*)$/);
  if (!m) return pattern === '<all_urls>' && /^https?:$/.test(new URL(url).protocol);
  const u = typeof url === 'string' ? new URL(url) : url;
  const [, scheme, host, port, path] = m;
  const protocol = u.protocol.slice(0, -1);
  if (scheme === '*' ? protocol !== 'http' && protocol !== 'https' : protocol !== scheme) return false;
  if (host !== '*') {
    if (host.startsWith('*.')) {
      const domain = host.slice(2);
      if (u.hostname !== domain && !u.hostname.endsWith(`.${domain}`)) return false;
    } else if (u.hostname !== host) return false;
  }
  if (port && u.port !== port) return false;
  const glob = new RegExp(`^${path.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return glob.test(u.pathname + u.search);
}

/** True on the pages the extension works on out of the box. */
export function isBuiltInPage(url: string | URL): boolean {
  return CRM_MATCHES.some(p => matchesPattern(p, url));
}
