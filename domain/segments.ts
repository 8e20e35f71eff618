// SMS segments as the composer shows them while the agent types. A text that fits the GSM 03.38 alphabet
// goes out in 7-bit units (160 a part, 153 when split, the rest carries the concatenation header); any
// other character switches the whole text to UCS-2 (70 a part, 67 when split). Characters of the GSM
// extension table are sent as ESC + char and count 2. A part never splits an escape pair or a surrogate pair.
// https://en.wikipedia.org/wiki/GSM_03.38 · https://www.twilio.com/docs/glossary/what-sms-character-limit

export type Encoding = 'GSM-7' | 'UCS-2';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export const SINGLE = { 'GSM-7': 160, 'UCS-2': 70 } as const;
export const MULTI = { 'GSM-7': 153, 'UCS-2': 67 } as const;

export interface SegmentCount {
  encoding: Encoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  segments: number;
  /** Units per part at the current length: 160/153 or 70/67. */
  perSegment: number;
  /** Units left in the last part before another part starts. */
  remaining: number;
  /** The distinct characters that forced UCS-2 (empty for GSM-7), in order of appearance. */
  nonGsm: string[];
}

/** The cost of one character (a code point) in GSM-7 septets, or null when GSM-7 cannot carry it. */
export function gsmCost(ch: string): 1 | 2 | null {
  if (BASIC.has(ch)) return 1;
  if (EXTENDED.has(ch)) return 2;
  return null;
}

/** Packs unit costs into parts of `size`, never splitting one character's units across two parts. */
function pack(costs: number[], size: number): number {
  let parts = 1, used = 0;
  for (const c of costs) {
    if (used + c > size) { parts++; used = 0; }
    used += c;
  }
  return parts;
}

export function countSegments(text: string): SegmentCount {
  const chars = [...text]; // code points: an emoji is one character of two UTF-16 units
  const nonGsm: string[] = [];
  for (const ch of chars) if (gsmCost(ch) === null && !nonGsm.includes(ch)) nonGsm.push(ch);
  const encoding: Encoding = nonGsm.length ? 'UCS-2' : 'GSM-7';
  const costs = chars.map(ch => (encoding === 'GSM-7' ? gsmCost(ch)! : ch.length));
  const units = costs.reduce((a, b) => a + b, 0);
  if (units === 0) return { encoding, units, segments: 0, perSegment: SINGLE[encoding], remaining: SINGLE[encoding], nonGsm };
  if (units <= SINGLE[encoding]) {
    return { encoding, units, segments: 1, perSegment: SINGLE[encoding], remaining: SINGLE[encoding] - units, nonGsm };
  }
  const size = MULTI[encoding];
  const segments = pack(costs, size);
  // Units in the last part: replay the packing to find where it starts.
  let used = 0;
  for (const c of costs) { if (used + c > size) used = 0; used += c; }
  return { encoding, units, segments, perSegment: size, remaining: size - used, nonGsm };
}
