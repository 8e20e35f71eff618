// The adapter contract: a CRM adapter is data (which pages, which fields, where badges go, where the
// merge fields are) plus pure functions over a ParentNode. Adapters never message, store or render; the
// content script does (STYLE "Adapters are pure"; per-CRM configuration as in RingCentral's CRM extensions).
import type { ContactFields } from './fields';
import type { CountryCode } from './phones';

export type { ContactFields };

export type PhoneKind = 'tel' | 'field' | 'text';

export type PageKind = 'list' | 'record' | 'other';

export interface PhoneHit {
  /** E.164. */
  phone: string;
  /** The badge goes right after this node: the tel: link, the field element, the text node, or the
   *  clipping wrapper around one of them (a truncated cell would hide a badge placed inside it). */
  anchor: Node;
  /** Where the number was read: the link, the field or the text node (the anchor, or inside it). */
  source: Node;
  kind: PhoneKind;
  /** The number as the page shows it, e.g. "(415) 555-0134". */
  display: string;
}

export interface FindOptions {
  defaultCountry: CountryCode;
  /** Told about every open shadow root the scan enters, so the caller can watch it for changes. */
  onShadowRoot?: (root: ShadowRoot) => void;
  /**
   * Only what follows this node (inside the root, with its whole subtree) in document order: the part of a
   * list scanned before, as the parser delivered it, is not walked again.
   */
  after?: Node;
  /**
   * The caller knows that no tel: link and no phone field is inside the root (anyFieldIn said so of a
   * container of it): texts alone are looked at, without a query per selector.
   */
  noFields?: boolean;
}

export interface CrmAdapter {
  id: string;
  matches(url: URL): boolean;
  /** A list of records, one record, or another page of the CRM (home, settings, reports). */
  pageKind(url: URL): PageKind;
  findPhones(root: ParentNode, options: FindOptions): PhoneHit[];
  /** Whether a tel: link or one of the CRM's phone fields is anywhere under `root` (its open shadow roots aside). */
  anyFieldIn(root: ParentNode): boolean;
  /**
   * Where a rescan of a changed node must start so that the badges it owns are seen: the outermost
   * clipping wrapper around it, if any (badges of phones inside a wrapper sit right after the wrapper).
   */
  scanRootFor(node: Node): Node;
  /** Merge fields of the record the phone belongs to (empty when the page does not say). */
  contactFields(root: ParentNode, phoneElement: Node): ContactFields;
}

/** Selectors tried in order, the first that matches wins: the current markup first, then older ones. */
export type Selectors = readonly string[];

/** A record page's merge fields. `name` is split into first and last where those have no own field. */
export interface RecordFieldsConfig {
  /** The record's container; default the whole page. The phone's own container wins where several show. */
  scope?: Selectors;
  name?: Selectors;
  firstName?: Selectors;
  lastName?: Selectors;
  company?: Selectors;
  owner?: Selectors;
}

/** A list page: rows, and which column holds what (by header text, or by a label the cell itself carries). */
export interface ListFieldsConfig {
  row: Selectors;
  /** The list's container, where its header cells are. */
  table: Selectors;
  /** Header cells inside `table`, in column order. */
  header: Selectors;
  /** Cells of a row, in column order (default: the row's element children). */
  cell?: string;
  /** Attribute of a cell naming its column (Lightning's `data-label`), used before header positions. */
  cellLabel?: string;
  columns: {
    name?: RegExp;
    firstName?: RegExp;
    lastName?: RegExp;
    company?: RegExp;
    owner?: RegExp;
  };
}

export interface CrmAdapterConfig {
  id: string;
  /** Host names this adapter handles; a leading dot means "this domain and its subdomains". */
  hosts: readonly string[];
  /** A further test of the URL (the demo pages live under /demo/ only). */
  matches?(url: URL): boolean;
  /** Page kinds by path (the first that matches wins); anything else is "other". */
  pages?: readonly { kind: 'list' | 'record'; path: RegExp }[];
  /** The CRM's own phone fields and phone cells, most specific first; each is tested against a committed fixture. */
  phoneFields: Selectors;
  /**
   * False for a CRM whose pages render no open shadow roots (React or Ember markup all the way down): the
   * scan then walks texts only, about half the cost on a long list. Default true (Lightning renders its
   * fields in shadow roots; any other site may).
   */
  openShadowRoots?: boolean;
  /** Wrappers that clip their content (truncated text): a badge for a phone inside goes right after the outermost one. */
  badgeAfter?: Selectors;
  record?: RecordFieldsConfig;
  list?: ListFieldsConfig;
}
