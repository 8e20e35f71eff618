// The adapter registry: the first adapter whose `matches` accepts the page wins; generic is the fallback.
import { demo } from './demo';
import { generic } from './generic';
import { hubspot } from './hubspot';
import { pipedrive } from './pipedrive';
import { salesforce } from './salesforce';
import type { CrmAdapter } from './types';
import { zoho } from './zoho';

export const ADAPTERS: CrmAdapter[] = [hubspot, salesforce, pipedrive, zoho, demo];

export function adapterFor(url: URL): CrmAdapter {
  return ADAPTERS.find(a => a.matches(url)) ?? generic;
}

export type { CrmAdapter, PhoneHit, FindOptions, PageKind } from './types';
export { BADGE_TAG, follows, phonesAt, type KnownPlace } from './scan';
export { isBadgeHost, pageShadowRoot } from './badgeTag';
