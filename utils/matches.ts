// The CRMs we work on out of the box (CONTRACT "The extension's outside"), plus the demo CRM pages the
// server serves. Chrome match patterns without a port match every port, so the demo works on any port.
export const CRM_MATCHES = [
  'https://app.hubspot.com/*',
  'https://app-eu1.hubspot.com/*',
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
