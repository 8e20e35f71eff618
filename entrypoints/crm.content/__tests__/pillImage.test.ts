import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATUS_LOOK } from '../../../components/badgeText';
import { TONE_PAINT, pillImage, pillSvg, type PillTone } from '../pillImage';

const badgeCss = fs.readFileSync(path.resolve(__dirname, '../../../components/badge.css'), 'utf8');
/** Fixed-width "font": every glyph 6 px, so widths are exact. */
const sixEach = (word: string) => word.length * 6;

describe('pill image', () => {
  it('paints every tone with the side panel\'s colours (badge.css)', () => {
    for (const [tone, paint] of Object.entries(TONE_PAINT)) {
      const rule = new RegExp(`\\.tt-${tone}\\s*\\{([^}]*)\\}`).exec(badgeCss)?.[1];
      expect(rule, `badge.css has .tt-${tone}`).toBeDefined();
      expect(rule).toContain(`background: ${paint.bg}`);
      expect(rule).toContain(`color: ${paint.fg}`);
      expect(rule).toContain(`border-color: ${paint.border}`);
    }
  });

  it('fits the pill to its word, and every status word fits the 106 px host', () => {
    expect(pillSvg('good', 'Sent', sixEach).width).toBe(29 + 24);
    expect(pillSvg('good', 'Delivered', sixEach).width).toBe(29 + 54);
    // The longest word at ~6.6 px a glyph (the estimate where there is no canvas) still fits.
    for (const { word, tone } of Object.values(STATUS_LOOK)) expect(pillSvg(tone, word, w => w.length * 6.6).width).toBeLessThanOrEqual(106);
  });

  it('draws a solid dot, a ring for muted tones, and no dot while loading', () => {
    expect(pillSvg('bad', 'Failed', sixEach).svg).toMatch(/<circle [^>]*fill='#b42318'/);
    expect(pillSvg('muted', 'No texts', sixEach).svg).toMatch(/<circle [^>]*fill='none' stroke='#7b8794'/);
    const loading = pillSvg('loading', '…', sixEach);
    expect(loading.svg).not.toContain('<circle');
    expect(loading.width).toBe(34);
  });

  it('draws the keyboard focus ring as the pill\'s own border, same size', () => {
    const plain = pillSvg('good', 'Delivered', sixEach);
    const focused = pillSvg('good', 'Delivered', sixEach, true);
    expect(focused.width).toBe(plain.width);
    expect(focused.svg).toMatch(/<rect [^>]*stroke='#2563eb' stroke-width='2'/);
    expect(plain.svg).not.toContain('#2563eb');
    expect(pillImage('good', 'Delivered', sixEach, true)).not.toBe(pillImage('good', 'Delivered', sixEach));
  });

  it('escapes the word as XML and the URL for any CSS parser', () => {
    expect(pillSvg('info' as PillTone, 'a<b&c', sixEach).svg).toContain('>a&lt;b&amp;c</text>');
    const css = pillImage('good', "It's (ok)", sixEach);
    expect(css).toMatch(/^url\("data:image\/svg\+xml,[^"'()]*"\)$/);
    expect(decodeURIComponent(css.slice(5, -2)).slice('data:image/svg+xml,'.length)).toBe(pillSvg('good', "It's (ok)", sixEach).svg);
  });
});
