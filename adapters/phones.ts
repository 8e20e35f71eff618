// Phone parsing for adapters: whole values (tel: links, phone fields) and numbers inside visible text.
// libphonenumber-js with its "min" metadata: every country, the smallest metadata that still validates
// (https://gitlab.com/catamphetamine/libphonenumber-js#min-vs-max-vs-mobile-vs-core).
import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { nanpNumber } from './nanp';

export type { CountryCode };

/** Cheap pre-check before libphonenumber: at least 7 digits with short separators between them. */
const MAYBE_PHONE = /\d(?:[^\d\n]{0,3}\d){6}/;

// Digit runs that are something else, masked with spaces (same length, so offsets hold) before
// libphonenumber looks. CRM lists are full of them; masking them first also spares libphonenumber
// most of its work on a long list.
const NEVER_PHONES = new RegExp([
  // ISO dates, with a time: 2025-03-12, 2025-03-12T09:41:00.000Z
  String.raw`\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?\b`,
  // Day/month/year either way round, with slashes or dots: 3/12/2025, 12.03.2025
  String.raw`\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b`,
  // Times: 09:41, 9:41:07
  String.raw`\b\d{1,2}:\d{2}(?::\d{2})?\b`,
  // IPv4 addresses: 192.168.100.200
  String.raw`\b\d{1,3}(?:\.\d{1,3}){3}\b`,
  // US ZIP+4: 94105-1234
  String.raw`\b\d{5}-\d{4}\b`,
  // Amounts with thousands separators: 1,234,567 and 1,234,567.89
  String.raw`\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b`,
].join('|'), 'g');

/** `text` with what is never a phone blanked out (exported for tests). */
export function mask(text: string): string {
  // libphonenumber reads ", 212…" after a number as an extension (a comma is a dialling pause), which
  // swallows the second number of "415-555-0134, 212-555-0188": a line break separates them for it.
  return text.replace(NEVER_PHONES, m => ' '.repeat(m.length)).replace(/,/g, '\n');
}

/** The cheapest test: seven digits with short separators (a text without them holds no phone). */
export function maybePhone(text: string): boolean {
  return MAYBE_PHONE.test(text);
}

export function mayHoldPhone(text: string): boolean {
  return MAYBE_PHONE.test(text) && MAYBE_PHONE.test(mask(text));
}

// What libphonenumber said about a whole value, by country and text. A single-page CRM rescans its view
// on every route change and shows the same numbers in several places (list, record, activity): each text
// is parsed once. Cleared when full rather than kept in order: a page rarely shows this many numbers.
const PARSED_LIMIT = 20_000;
const parsed = new Map<string, string | null>();

/** What `parse` gives for `key`, computed once. */
function remembered(key: string, parse: () => string | null): string | null {
  const known = parsed.get(key);
  if (known !== undefined) return known;
  const value = parse();
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(key, value);
  return value;
}

/** A whole value that is one phone number, as E.164; null unless valid. */
export function parsePhone(raw: string, defaultCountry: CountryCode): string | null {
  if (raw.length > 64) return parseWholeValue(raw, defaultCountry); // long texts are never remembered
  return remembered(`p${defaultCountry}|${raw}`, () => parseWholeValue(raw, defaultCountry));
}

function parseWholeValue(raw: string, defaultCountry: CountryCode): string | null {
  const value = raw.replace(/^tel:/i, '').trim();
  if (!value || value.length > 40) return null;
  let decoded = value;
  try { decoded = decodeURIComponent(value); } catch { /* keep as is */ }
  const nanp = nanpNumber(decoded, defaultCountry);
  if (nanp !== undefined) return nanp;
  const number = parsePhoneNumberFromString(decoded, defaultCountry);
  return number?.isValid() ? number.number : null;
}

export interface TextPhone {
  phone: string;
  start: number;
  end: number;
}

// Numbers that look like phones but are labelled as something else ("Order #4155550134", "INV-4155550134",
// "$4155550134", "4155550134.00 USD"). Checked on the text right before and right after each match.
const MONEY_BEFORE = /(?:[#$€£¥₹]|\b(?:USD|EUR|GBP|CAD|AUD|INR|CHF|JPY))\s*$/i;
const MONEY_AFTER = /^(?:[.,]\d{1,2}(?!\d)|\s*(?:%|[$€£¥₹]|(?:USD|EUR|GBP|CAD|AUD|INR|CHF|JPY)\b))/i;
const LABEL_BEFORE = /\b(?:order|invoice|inv|po|ref|reference|sku|case|ticket|tracking|serial|confirmation|conf|transaction|txn|receipt|quote|estimate|claim|policy|account|acct|(?<!caller\s)id)\.?\s*(?:#|no\.?|num\.?|number|id)?\s*[:#]?\s*$/i;
// Glued to other characters of a code: "INV-4155550134", "A4155550134", "415-555-0134-X".
const GLUED_BEFORE = /(?:[A-Za-z0-9][-_/]|[A-Za-z_])$/;
const GLUED_AFTER = /^(?:[-_/][A-Za-z0-9]|[A-Za-z_])/;

// A text that is one number and nothing else: a list cell, a field's value. By far the most common case,
// and parsing it as one value costs half of searching it for numbers.
const ONLY_A_NUMBER = /^[\s\d()+.\-\u00a0]{7,28}$/;

function wholeNumber(text: string, defaultCountry: CountryCode): TextPhone[] | null {
  const phone = remembered(`w${defaultCountry}|${text}`, () => wholeNumberPhone(text, defaultCountry));
  return phone ? [{ phone, start: text.search(/\S/), end: text.trimEnd().length }] : null;
}

function wholeNumberPhone(text: string, defaultCountry: CountryCode): string | null {
  const number = parsePhoneNumberFromString(text, defaultCountry);
  if (!number?.isValid()) return null;
  // Every digit of the text must belong to the number (a trunk or country prefix at most): "4155550134.00"
  // is an amount, not a phone with something after it.
  const digits = text.replace(/\D/g, '');
  if (!digits.endsWith(number.nationalNumber) || digits.length - number.nationalNumber.length > 3) return null;
  return number.number;
}

// Short texts with seven digits that hold no phone, by country: a CRM list repeats them in every row (dates
// and times of the same day, amounts), and masking them again costs more than one look-up. Only the
// answer "none" is kept, so nothing found is ever handed out twice; cleared when full.
const NO_PHONE_LIMIT = 20_000;
const NO_PHONE_MAX_LENGTH = 64;
const noPhone = new Map<CountryCode, Set<string>>();

/** Valid phone numbers inside a piece of visible text. */
export function phonesInText(text: string, defaultCountry: CountryCode): TextPhone[] {
  if (!MAYBE_PHONE.test(text)) return [];
  // A North American number alone, in a usual shape (a list's phone cell): nothing in it is masked (no
  // date, time, amount or code fits that shape) and every digit is the number's, so its answer is the
  // whole-value one, without masking or remembering (each costs more than this look-up).
  const alone = ONLY_A_NUMBER.test(text);
  const nanp = alone ? nanpNumber(text, defaultCountry) : undefined;
  if (nanp) return [{ phone: nanp, start: text.search(/\S/), end: text.trimEnd().length }];
  if (text.length > NO_PHONE_MAX_LENGTH) return searchText(text, defaultCountry, alone, nanp);
  let none = noPhone.get(defaultCountry);
  if (!none) noPhone.set(defaultCountry, (none = new Set()));
  if (none.has(text)) return [];
  const out = searchText(text, defaultCountry, alone, nanp);
  if (!out.length) {
    if (none.size >= NO_PHONE_LIMIT) none.clear();
    none.add(text);
  }
  return out;
}

/** phonesInText past its fast path: `nanp` is what the NANP table said of a text that is `alone` a number. */
function searchText(text: string, defaultCountry: CountryCode, alone: boolean, nanp: string | null | undefined): TextPhone[] {
  const masked = mask(text);
  if (!MAYBE_PHONE.test(masked)) return [];
  // Decided above when NANP-shaped (null: invalid, nothing to find as one value).
  if (alone && nanp === undefined && masked === text) {
    const whole = wholeNumber(text, defaultCountry);
    if (whole) return whole;
  }
  const out: TextPhone[] = [];
  for (const found of findPhoneNumbersInText(masked, defaultCountry)) {
    if (!found.number.isValid()) continue;
    const before = text.slice(Math.max(0, found.startsAt - 30), found.startsAt);
    const after = text.slice(found.endsAt, found.endsAt + 6);
    if (MONEY_BEFORE.test(before) || MONEY_AFTER.test(after)) continue;
    if (LABEL_BEFORE.test(before) || GLUED_BEFORE.test(before) || GLUED_AFTER.test(after)) continue;
    out.push({ phone: found.number.number, start: found.startsAt, end: found.endsAt });
  }
  return out;
}
