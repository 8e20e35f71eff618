// The adapter contract: a CRM adapter is data (which pages, which fields) plus pure functions over a
// ParentNode. Adapters never message, store or render; the content script does (STYLE "Adapters are pure").
import type { ContactFields } from './fields';
import type { CountryCode } from './phones';

export type { ContactFields };

export type PhoneKind = 'tel' | 'field' | 'text';

export interface PhoneHit {
  /** E.164. */
  phone: string;
  /** The badge goes right after this node: the tel: link, the field element, or the text node. */
  anchor: Node;
  kind: PhoneKind;
  /** The number as the page shows it, e.g. "(415) 555-0134". */
  display: string;
}

export interface FindOptions {
  defaultCountry: CountryCode;
  /** Told about every open shadow root the scan enters, so the caller can watch it for changes. */
  onShadowRoot?: (root: ShadowRoot) => void;
}

export interface CrmAdapter {
  id: string;
  matches(url: URL): boolean;
  findPhones(root: ParentNode, options: FindOptions): PhoneHit[];
  /** Merge fields of the record the phone belongs to (empty when the page does not say). */
  contactFields(root: ParentNode, phoneElement: Node): ContactFields;
}

export interface CrmAdapterConfig {
  id: string;
  /** Which pages this adapter handles. */
  matches(url: URL): boolean;
  /** The CRM's own phone fields, most specific first; each is tested against a committed fixture. */
  fieldSelectors: string[];
  /** Reads the record's merge fields; default: the cells of the phone's list row, if it is in a table. */
  contactFields?(root: ParentNode, phoneElement: Node): ContactFields | null;
}
