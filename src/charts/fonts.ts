import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FontWeight } from './svg.js';
import { graphemes } from '../truncate.js';

// The charts' one font, Inter, from the @expo-google-fonts/inter package (so every machine and
// every Docker image draws the same glyphs), plus just enough of a TrueType reader (cmap, hmtx)
// to measure text for layout and to know which characters Inter can draw.
//
// Characters Inter lacks (CJK, emoji, most scripts beyond Latin, Greek and Cyrillic) would be
// drawn as Inter's empty-box glyph, one per character, and emoji sequences as several boxes.
// Instead, each run of characters Inter cannot draw becomes one "□", zero-width joiners,
// variation selectors and bidi controls are dropped, and the alt text keeps the real name.

export const FONT_FAMILY = 'Inter';

const FACES: Record<FontWeight, string> = {
  400: '400Regular/Inter_400Regular.ttf',
  600: '600SemiBold/Inter_600SemiBold.ttf',
  700: '700Bold/Inter_700Bold.ttf',
};

const require = createRequire(import.meta.url);

/** Absolute paths of the three Inter faces the charts use, resolved from node_modules. */
export function fontFiles(): string[] {
  return Object.values(FACES).map((face) => require.resolve(`@expo-google-fonts/inter/${face}`));
}

interface FontMetrics {
  unitsPerEm: number;
  /** Advance width (font units) by code point. */
  advances: Map<number, number>;
  fallbackAdvance: number;
}

function tables(font: Buffer): Map<string, { offset: number; length: number }> {
  const count = font.readUInt16BE(4);
  const out = new Map<string, { offset: number; length: number }>();
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    out.set(font.toString('latin1', at, at + 4), { offset: font.readUInt32BE(at + 8), length: font.readUInt32BE(at + 12) });
  }
  return out;
}

/** Code point → glyph ID from the best Unicode cmap subtable (format 12, else format 4). */
function readCmap(font: Buffer, cmapOffset: number): Map<number, number> {
  const count = font.readUInt16BE(cmapOffset + 2);
  let format4 = -1;
  let format12 = -1;
  for (let i = 0; i < count; i++) {
    const at = cmapOffset + 4 + i * 8;
    const platform = font.readUInt16BE(at);
    const encoding = font.readUInt16BE(at + 2);
    const sub = cmapOffset + font.readUInt32BE(at + 4);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = font.readUInt16BE(sub);
    if (format === 12 && format12 < 0) format12 = sub;
    if (format === 4 && format4 < 0) format4 = sub;
  }
  const map = new Map<number, number>();
  if (format12 >= 0) {
    const groups = font.readUInt32BE(format12 + 12);
    for (let g = 0; g < groups; g++) {
      const at = format12 + 16 + g * 12;
      const start = font.readUInt32BE(at);
      const end = font.readUInt32BE(at + 4);
      const glyph = font.readUInt32BE(at + 8);
      for (let c = start; c <= end; c++) map.set(c, glyph + (c - start));
    }
    return map;
  }
  if (format4 < 0) throw new Error('font has no Unicode cmap');
  const segments = font.readUInt16BE(format4 + 6) / 2;
  const ends = format4 + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const end = font.readUInt16BE(ends + s * 2);
    const start = font.readUInt16BE(starts + s * 2);
    const delta = font.readInt16BE(deltas + s * 2);
    const rangeOffset = font.readUInt16BE(rangeOffsets + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const raw = font.readUInt16BE(rangeOffsets + s * 2 + rangeOffset + (c - start) * 2);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) map.set(c, glyph);
    }
  }
  return map;
}

function readMetrics(path: string): FontMetrics {
  const font = readFileSync(path);
  const t = tables(font);
  const head = t.get('head');
  const hhea = t.get('hhea');
  const hmtx = t.get('hmtx');
  const cmap = t.get('cmap');
  if (!head || !hhea || !hmtx || !cmap) throw new Error(`${path} is not a TrueType font with head, hhea, hmtx and cmap`);
  const unitsPerEm = font.readUInt16BE(head.offset + 18);
  const longMetrics = font.readUInt16BE(hhea.offset + 34);
  const advanceOf = (glyph: number) => font.readUInt16BE(hmtx.offset + Math.min(glyph, longMetrics - 1) * 4);
  const advances = new Map<number, number>();
  for (const [codePoint, glyph] of readCmap(font, cmap.offset)) advances.set(codePoint, advanceOf(glyph));
  return { unitsPerEm, advances, fallbackAdvance: advanceOf(0) };
}

const metricsByWeight = new Map<FontWeight, FontMetrics>();

function metrics(weight: FontWeight): FontMetrics {
  let m = metricsByWeight.get(weight);
  if (!m) {
    m = readMetrics(require.resolve(`@expo-google-fonts/inter/${FACES[weight]}`));
    metricsByWeight.set(weight, m);
  }
  return m;
}

/** Whether Inter has a glyph for this code point. */
export function canDraw(codePoint: number): boolean {
  return metrics(400).advances.has(codePoint);
}

const PLACEHOLDER = '\u25A1'; // □
/** Zero-width and formatting characters that draw nothing: joiners, variation selectors, bidi controls, tags. */
const IGNORABLE: readonly [number, number][] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfff8],
  [0xe0000, 0xe0fff],
];

function isIgnorable(cp: number): boolean {
  return IGNORABLE.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/**
 * Text as the charts draw it: NFC, one line, no invisible formatting characters, and each run
 * of characters Inter cannot draw replaced by one "□".
 */
export function drawableText(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = raw.normalize('NFC').replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\s]+/g, ' ').trim();
  const placeholder = canDraw(PLACEHOLDER.codePointAt(0)!) ? PLACEHOLDER : '?';
  let out = '';
  let inRun = false;
  for (const ch of flat) {
    const cp = ch.codePointAt(0)!;
    // Lone surrogates are not characters at all; skip them, and the invisible ones, rather than box them.
    if ((cp >= 0xd800 && cp <= 0xdfff) || isIgnorable(cp)) continue;
    if (canDraw(cp)) {
      out += ch;
      inRun = false;
    } else if (!inRun) {
      out += placeholder;
      inRun = true;
    }
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** Width in pixels of a line of drawable text: advances only. Inter's kerning mostly tightens, so this errs wide. */
export function textWidth(text: string, size: number, weight: FontWeight = 400): number {
  const m = metrics(weight);
  let units = 0;
  for (const ch of text) units += m.advances.get(ch.codePointAt(0)!) ?? m.fallbackAdvance;
  return (units * size) / m.unitsPerEm;
}

/** Drawable text cut (at a character, with "…") to fit `maxWidth` pixels. */
export function fitText(raw: string, maxWidth: number, size: number, weight: FontWeight = 400): string {
  const text = drawableText(raw);
  if (textWidth(text, size, weight) <= maxWidth) return text;
  const chars = graphemes(text);
  let lo = 0;
  let hi = chars.length;
  // Longest prefix that fits with the ellipsis.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(`${chars.slice(0, mid).join('').trimEnd()}…`, size, weight) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '…' : `${chars.slice(0, lo).join('').trimEnd()}…`;
}
