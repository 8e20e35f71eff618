// A badge's look drawn as one image: the pill, its dot and its word, as an SVG data URL. In a CRM list a
// pill whose look arrives as new content costs the page a layout of its whole table (inline content is
// laid out with the row, and a table cell cannot be a relayout boundary): ~100 ms per frame on 5,000
// rows, measured (docs/benchmarks-page.md). A pill whose look is its background image changes by paint
// alone, so first render and every status change move nothing and lay nothing out.
//
// Colours and sizes are components/badge.css's (the side panel's pill); a test keeps the two the same.
import type { Tone } from '../../components/badgeText';

export type PillTone = Tone | 'loading';

/** Background, text and border colour per tone, as in badge.css. */
export const TONE_PAINT: Record<PillTone, { bg: string; fg: string; border: string }> = {
  good: { bg: '#e7f6ec', fg: '#17713a', border: '#c3e8cf' },
  info: { bg: '#e8f0fe', fg: '#1d4ed8', border: '#c9dafc' },
  pending: { bg: '#f1f3f6', fg: '#52606d', border: '#dde2e8' },
  warn: { bg: '#fff5e0', fg: '#a15c00', border: '#fadfa8' },
  bad: { bg: '#fdecec', fg: '#b42318', border: '#f7c8c4' },
  muted: { bg: '#f6f7f9', fg: '#7b8794', border: '#e4e7eb' },
  loading: { bg: '#f6f7f9', fg: '#9aa5b1', border: '#eef0f3' },
};

export const PILL_FONT_FAMILY = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const FONT_SIZE = 11.5;
const FONT_WEIGHT = 600;
const LETTER_SPACING = 0.1;
export const PILL_HEIGHT = 20;
/** badge.css: 1 px border, 7 px padding, a 7 px dot, 5 px gap before the word, 8 px padding after it. */
const DOT_X = 1 + 7;
const WORD_X = DOT_X + 7 + 5;
const AFTER_WORD = 8 + 1;
/** The keyboard focus ring, drawn as the pill's border (the focus colour of badge.css). */
const FOCUS_RING = '#2563eb';
/** The loading pill ("…") has no dot and a minimum width, centred. */
const LOADING_WIDTH = 34;

/** Width of `word` in the pill's font: measured by the browser where it can, estimated otherwise. */
export type MeasureWord = (word: string) => number;

export function canvasMeasure(doc: Document): MeasureWord {
  let ctx: CanvasRenderingContext2D | null | undefined;
  return word => {
    if (ctx === undefined) {
      try {
        ctx = doc.createElement('canvas').getContext('2d');
        if (ctx) ctx.font = `${FONT_WEIGHT} ${FONT_SIZE}px ${PILL_FONT_FAMILY}`;
      } catch {
        ctx = null;
      }
    }
    // The estimate (an average glyph of this font at this size) serves only where there is no canvas.
    const width = ctx ? ctx.measureText(word).width : word.length * 6.6;
    return width + LETTER_SPACING * word.length;
  };
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The SVG of a pill: a rounded box, a dot (a ring for muted tones, none while loading) and the word;
 * `focused`: with the keyboard focus ring as its border, so the ring follows the pill's own shape (the
 * browser's outline would surround the host's whole fixed box).
 */
export function pillSvg(tone: PillTone, word: string, measure: MeasureWord, focused = false): { svg: string; width: number } {
  const paint = TONE_PAINT[tone];
  const text = `font-family='${PILL_FONT_FAMILY.replace(/"/g, '')}' font-size='${FONT_SIZE}' font-weight='${FONT_WEIGHT}' letter-spacing='${LETTER_SPACING}' fill='${paint.fg}' dominant-baseline='central'`;
  const loading = tone === 'loading';
  const width = loading ? LOADING_WIDTH : Math.ceil(WORD_X + measure(word) + AFTER_WORD);
  const half = PILL_HEIGHT / 2;
  const dot = loading ? ''
    : tone === 'muted' ? `<circle cx='${DOT_X + 3.5}' cy='${half}' r='3.25' fill='none' stroke='${paint.fg}' stroke-width='1.5'/>`
    : `<circle cx='${DOT_X + 3.5}' cy='${half}' r='3.5' fill='${paint.fg}'/>`;
  const words = loading
    ? `<text x='${width / 2}' y='${half}' text-anchor='middle' ${text}>${xmlText(word)}</text>`
    : `<text x='${WORD_X}' y='${half}' ${text}>${xmlText(word)}</text>`;
  const svg = `<svg xmlns='http://www.w3.org/2000/svg' width='${width}' height='${PILL_HEIGHT}'>`
    + (focused
      ? `<rect x='1' y='1' width='${width - 2}' height='${PILL_HEIGHT - 2}' rx='${half - 1}' fill='${paint.bg}' stroke='${FOCUS_RING}' stroke-width='2'/>`
      : `<rect x='0.5' y='0.5' width='${width - 1}' height='${PILL_HEIGHT - 1}' rx='${half - 0.5}' fill='${paint.bg}' stroke='${paint.border}'/>`)
    + `${dot}${words}</svg>`;
  return { svg, width };
}

/** The CSS `background-image` value of a pill's look (quotes and brackets escaped too: any CSS parser reads it). */
export function pillImage(tone: PillTone, word: string, measure: MeasureWord, focused = false): string {
  const data = encodeURIComponent(pillSvg(tone, word, measure, focused).svg).replace(/['()]/g, c => `%${c.charCodeAt(0).toString(16)}`);
  return `url("data:image/svg+xml,${data}")`;
}
