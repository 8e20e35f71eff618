import { describe, expect, it } from 'vitest';
import { countSegments, gsmCost } from '../segments';

describe('countSegments', () => {
  it('counts an empty text as no part', () => {
    expect(countSegments('')).toMatchObject({ encoding: 'GSM-7', units: 0, segments: 0, remaining: 160 });
  });

  it('fits 160 GSM-7 characters in one part and splits 161 into 153 + 8', () => {
    expect(countSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1, perSegment: 160, remaining: 0 });
    expect(countSegments('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153, remaining: 153 - 8 });
    expect(countSegments('a'.repeat(306))).toMatchObject({ segments: 2, remaining: 0 });
    expect(countSegments('a'.repeat(307))).toMatchObject({ segments: 3 });
  });

  it('counts extension characters as two septets', () => {
    expect(gsmCost('€')).toBe(2);
    expect(gsmCost('[')).toBe(2);
    expect(gsmCost('é')).toBe(1);
    expect(countSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('€'.repeat(80) + 'a')).toMatchObject({ units: 161, segments: 2 });
  });

  it('never splits an escape pair across two parts', () => {
    // 152 plain septets, then "€" (2): it cannot start in the 153rd septet, so it opens part two.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(10);
    const c = countSegments(text);
    expect(c.units).toBe(164);
    expect(c.segments).toBe(2);
    expect(c.remaining).toBe(153 - 12);
  });

  it('switches the whole text to UCS-2 for one character outside GSM-7', () => {
    const c = countSegments('Hi Zoë, see you at 10:30 — thanks');
    expect(c.encoding).toBe('UCS-2');
    expect(c.nonGsm).toEqual(['ë', '—']);
    expect(c.perSegment).toBe(70);
    expect(countSegments('ç'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1, remaining: 0 });
    expect(countSegments('ç'.repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
  });

  it('counts an emoji as two UTF-16 units and keeps its pair in one part', () => {
    expect(countSegments('😀')).toMatchObject({ encoding: 'UCS-2', units: 2, segments: 1, nonGsm: ['😀'] });
    // 66 units then an emoji: 68 > 67, so the emoji starts part two.
    const c = countSegments('x'.repeat(66) + '😀' + 'x'.repeat(4));
    expect(c.units).toBe(72);
    expect(c.segments).toBe(2);
    expect(c.remaining).toBe(67 - 6);
  });

  it('counts GSM-7 line breaks and accented capitals of the alphabet as one', () => {
    expect(countSegments('Ä\nÖ\rÑ')).toMatchObject({ encoding: 'GSM-7', units: 5 });
  });
});
