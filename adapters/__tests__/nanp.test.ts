// The NANP fast path must say exactly what libphonenumber says. Two checks: the committed table against
// libphonenumber (every area code, at each edge of every exchange range and at random exchanges and line
// numbers), and the fast path against libphonenumber on generated texts in every shape it accepts and many
// it must leave alone, for every country that dials +1 and a few that do not.
import fc from 'fast-check';
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { LAST_AREA_CODE, validExchanges } from '../../scripts/nanpTable';
import { exchangeRanges, nanpNumber } from '../nanp';
import { mask, phonesInText } from '../phones';
import { AREA_CODE_SETS, EXCHANGE_SETS, FIRST_AREA_CODE } from '../nanpPrefixes';

function libphonenumber(text: string, country?: CountryCode): string | null {
  const n = parsePhoneNumberFromString(text, country);
  return n?.isValid() ? n.number : null;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const NANP = getCountries().filter(c => getCountryCallingCode(c) === '1');
const OTHERS: CountryCode[] = ['GB', 'DE', 'FR', 'IN', 'AU', 'MX', 'BR', 'JP'];

describe('the NANP validity table (nanpPrefixes.ts)', () => {
  it('covers every area code with a known set of exchanges', () => {
    expect(AREA_CODE_SETS).toHaveLength(LAST_AREA_CODE - FIRST_AREA_CODE + 1);
    for (const letter of AREA_CODE_SETS) expect(EXCHANGE_SETS[letter.charCodeAt(0) - 97]).toBeDefined();
  });

  it('agrees with libphonenumber at every range edge of every area code, and at random line numbers', () => {
    const rand = fc.sample(fc.integer({ min: 0, max: 9999 }), 4_000);
    let checked = 0;
    for (let area = FIRST_AREA_CODE; area <= LAST_AREA_CODE; area++) {
      const ranges = exchangeRanges(area);
      const edges = new Set<number>([0, 199, 200, 555, 999]);
      for (const [first, last] of ranges) [first - 1, first, last, last + 1].forEach(e => e >= 0 && e <= 999 && edges.add(e));
      for (const exchange of edges) {
        const line = pad(rand[checked++ % rand.length], 4);
        const e164 = `+1${area}${pad(exchange, 3)}${line}`;
        expect(nanpNumber(e164, 'US'), e164).toBe(libphonenumber(e164));
      }
    }
    expect(checked).toBeGreaterThan(4_000);
  });

  it('is what the generator derives today (a libphonenumber upgrade fails here: run `npm run gen:nanp`)', () => {
    // The full derivation takes ~40 s; a random 60 area codes per run, so every run checks another part.
    for (const area of fc.sample(fc.integer({ min: FIRST_AREA_CODE, max: LAST_AREA_CODE }), 60)) {
      const committed = exchangeRanges(area);
      expect(committed, `area code ${area}`).toEqual(validExchanges(area));
    }
  });
});

describe('nanpNumber', () => {
  const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map(v => pad(v, n));
  const wideSep = fc.constantFrom('', ' ', '-', '.', '\u00a0', '  ', ' - ', '/', '\t');
  const usualSep = fc.constantFrom('', ' ', '-', '.', '\u00a0');
  // Texts in the shapes the fast path takes, and texts around them (other prefixes, separators, lengths,
  // unbalanced brackets, extensions) that it must leave alone or answer the same way.
  const shaped = (wide: boolean) => fc.record({
    lead: wide ? fc.constantFrom('', ' ', '\u00a0', '\n') : fc.constantFrom('', ' '),
    prefix: wide ? fc.constantFrom('', '+1', '1', '+', '+1 ', '1 ', '+44 ', '011 ', '0') : fc.constantFrom('', '+1', '1', '+1 ', '1-'),
    brackets: wide ? fc.constantFrom(['', ''], ['(', ')'], ['(', ''], ['', ')']) : fc.constantFrom(['', ''], ['(', ')']),
    area: fc.oneof(digits(3), fc.integer({ min: 200, max: 999 }).map(String)),
    s1: wide ? wideSep : usualSep, exchange: digits(3), s2: wide ? wideSep : usualSep,
    line: wide ? fc.oneof(digits(4), digits(3), digits(5)) : digits(4),
    tail: wide ? fc.constantFrom('', ' ', ' ext. 12', 'x', '.') : fc.constantFrom('', ' '),
  }).map(p => `${p.lead}${p.prefix}${p.brackets[0]}${p.area}${p.brackets[1]}${p.s1}${p.exchange}${p.s2}${p.line}${p.tail}`);
  const text = fc.oneof(shaped(false), shaped(true));
  // Mostly the two countries the fast path reads national numbers for, so it decides often enough.
  const country = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<CountryCode>('US', 'CA') },
    { weight: 1, arbitrary: fc.constantFrom<CountryCode>(...NANP, ...OTHERS) },
  );

  it('answers exactly as libphonenumber does, or leaves the text to it', () => {
    let decided = 0;
    fc.assert(fc.property(text, country, (t, c) => {
      const fast = nanpNumber(t, c);
      if (fast === undefined) return;
      decided++;
      expect(fast, `${JSON.stringify(t)} in ${c}`).toBe(libphonenumber(t, c));
    }), { numRuns: 20_000 });
    // Not vacuous: most generated texts are in a shape the fast path decides.
    expect(decided).toBeGreaterThan(5_000);
  });

  it('shapes it decides hold nothing that masking would blank, so phonesInText may answer from it directly', () => {
    fc.assert(fc.property(text, country, (t, c) => {
      const fast = nanpNumber(t, c);
      if (!fast) return;
      expect(mask(t), JSON.stringify(t)).toBe(t);
      expect(phonesInText(t, c).map(p => p.phone)).toEqual([fast]);
    }), { numRuns: 5_000 });
  });

  it.each([
    ['(415) 555-0134', 'US', '+14155550134'],
    ['415.555.0134', 'CA', '+14155550134'],
    ['+1 415-555-0134', 'GB', '+14155550134'],
    ['1 (268) 460-1234', 'US', '+12684601234'],
    ['4155550134', 'US', '+14155550134'],
    ['(415) 155-0134', 'US', null],
  ] as const)('%s in %s → %s', (t, c, expected) => {
    expect(nanpNumber(t, c)).toBe(expected);
  });

  it.each([
    ['415 555 0134', 'GB'],
    ['020 7946 0958', 'GB'],
    ['415.555.0134 ext. 12', 'US'],
    ['(415) 555-013', 'US'],
    ['+44 20 7946 0958', 'US'],
    ['(115) 555-0134', 'US'],
  ] as const)('leaves %s in %s to libphonenumber', (t, c) => {
    expect(nanpNumber(t, c)).toBeUndefined();
  });
});
