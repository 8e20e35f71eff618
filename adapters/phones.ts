// Phone parsing for adapters: whole values (tel: links, phone fields) and numbers inside visible text.
import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export type { CountryCode };

/** Cheap pre-check before libphonenumber: at least 7 digits with short separators between them. */
const MAYBE_PHONE = /\d(?:[^\d\n]{0,3}\d){6}/;
// Dates and times are everywhere in CRM lists ("2025-03-12 09:41", "3/12/2025"); taking them out first
// spares libphonenumber most of its work on a long list.
const DATES_AND_TIMES = /\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{1,2}:\d{2}\b/g;

export function mayHoldPhone(text: string): boolean {
  if (!MAYBE_PHONE.test(text)) return false;
  return MAYBE_PHONE.test(text.replace(DATES_AND_TIMES, ' '));
}

/** A whole value that is one phone number, as E.164; null unless valid. */
export function parsePhone(raw: string, defaultCountry: CountryCode): string | null {
  const value = raw.replace(/^tel:/i, '').trim();
  if (!value || value.length > 40) return null;
  let decoded = value;
  try { decoded = decodeURIComponent(value); } catch { /* keep as is */ }
  const parsed = parsePhoneNumberFromString(decoded, defaultCountry);
  return parsed?.isValid() ? parsed.number : null;
}

export interface TextPhone {
  phone: string;
  start: number;
  end: number;
}

// Things that look like phones in CRM pages but are not: "$4155550134", "#4155550134" (an order number),
// "4155550134.00" (an amount). Dates, prices with separators and ZIP+4 codes libphonenumber already rejects.
const NOT_BEFORE = /[#$€£¥]\s*$/;
const NOT_AFTER = /^[.,]\d/;

/** Valid phone numbers inside a piece of visible text. */
export function phonesInText(text: string, defaultCountry: CountryCode): TextPhone[] {
  if (!mayHoldPhone(text)) return [];
  const out: TextPhone[] = [];
  for (const found of findPhoneNumbersInText(text, defaultCountry)) {
    if (!found.number.isValid()) continue;
    if (NOT_BEFORE.test(text.slice(Math.max(0, found.startsAt - 3), found.startsAt))) continue;
    if (NOT_AFTER.test(text.slice(found.endsAt, found.endsAt + 2))) continue;
    out.push({ phone: found.number.number, start: found.startsAt, end: found.endsAt });
  }
  return out;
}
