// The common case of a CRM list, answered without libphonenumber: a North American number written in one
// of its usual shapes ("(415) 555-0134", "415.555.0134", "+1 415-555-0134", "4155550134"). Its validity is
// read from a table derived from libphonenumber's own metadata (nanpPrefixes.ts), so the answer is exactly
// libphonenumber's. Why: libphonenumber decides which of the 25 countries sharing +1 a number belongs to by
// trying their patterns one by one, ~45 µs per number; on a list of 5,000 numbers that was a third of the
// content script's time. This takes about a microsecond. Anything else goes to libphonenumber as before.
import type { CountryCode } from 'libphonenumber-js/min';
import { AREA_CODE_SETS, EXCHANGE_SETS, FIRST_AREA_CODE } from './nanpPrefixes';

// Separators libphonenumber treats as punctuation; one at most between the groups.
const NANP_SHAPE = /^[ \u00a0]*(\+)?(1[ .\-\u00a0]?)?(?:\((\d{3})\)|(\d{3}))[ .\-\u00a0]?(\d{3})[ .\-\u00a0]?(\d{4})[ \u00a0]*$/;

// Without "+1", libphonenumber reads a number nobody claims by the default country's own patterns. For the
// US and Canada that gives what the table says (both are tried first and claim by type); most other +1
// countries claim by leading digits and would accept more, so their numbers go to libphonenumber.
const TABLE_DEFAULTS: ReadonlySet<string> = new Set(['US', 'CA']);

/** The valid exchanges after `areaCode` (FIRST_AREA_CODE–999), as inclusive ranges. */
export function exchangeRanges(areaCode: number): readonly (readonly [number, number])[] {
  return EXCHANGE_SETS[AREA_CODE_SETS.charCodeAt(areaCode - FIRST_AREA_CODE) - 97];
}

/** True when the exchange (000–999) makes a valid number after `areaCode`. */
function validAfter(areaCode: number, exchange: number): boolean {
  for (const [first, last] of exchangeRanges(areaCode)) if (exchange >= first && exchange <= last) return true;
  return false;
}

/**
 * What libphonenumber would say of `text` as one whole number, when `text` is a NANP number in a usual
 * shape: its E.164 form if valid, null if not. Undefined when this cannot tell (ask libphonenumber).
 */
export function nanpNumber(text: string, defaultCountry: CountryCode): string | null | undefined {
  const m = NANP_SHAPE.exec(text);
  if (!m) return undefined;
  const [, plus, trunk, bracketed, bare, exchange, line] = m;
  // "+1 …" is North American whatever the default country; without "+", see TABLE_DEFAULTS.
  if (plus ? !trunk : !TABLE_DEFAULTS.has(defaultCountry)) return undefined;
  const area = bracketed ?? bare;
  const areaCode = Number(area);
  if (areaCode < FIRST_AREA_CODE) return undefined;
  return validAfter(areaCode, Number(exchange)) ? `+1${area}${exchange}${line}` : null;
}
