import { FONT_SIZE, THEME } from './theme.js';
import { drawableText, fitText, textWidth } from './fonts.js';
import { el, escapeXml, rect, type FontWeight } from './svg.js';
import { truncate } from '../truncate.js';

// What every picture returns, and the pieces they share: the card, track lines, alt text.

export interface ChartImage {
  png: Buffer;
  width: number;
  height: number;
  /** The picture in words, for screen readers and the attachment's description (≤ 1000 characters). */
  alt: string;
}

/** A song as the pictures name it. */
export interface TrackTitle {
  name: string;
  artists?: readonly string[] | undefined;
}

export const ALT_MAX = 1000;

/** Plain one-line text for alt text: real characters kept (no glyph limits there), controls removed. */
export function plainText(raw: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = raw.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\s]+/g, ' ').trim();
  return truncate(flat, max);
}

export function boundAlt(alt: string): string {
  return plainText(alt, ALT_MAX);
}

export function trackTitle(track: TrackTitle): string {
  const artists = (track.artists ?? []).filter((a) => a.trim() !== '');
  return artists.length > 0 ? `${track.name} — ${artists.join(', ')}` : track.name;
}

/** The opaque card every picture is drawn on, with an accent stripe in the cluster's colour. */
export function card(width: number, height: number, accent?: string): string[] {
  const out = [rect(0, 0, width, height, { fill: THEME.background })];
  out.push(rect(0.5, 0.5, width - 1, height - 1, { fill: 'none', stroke: THEME.border, 'stroke-width': 1 }));
  if (accent) out.push(rect(0, 0, 8, height, { fill: accent }));
  return out;
}

/**
 * A track on one line, the name bold and the artists lighter, cut to `maxWidth`: the artists
 * give way first, down to a few characters, then the name.
 */
export function trackLine(
  x: number,
  y: number,
  track: TrackTitle,
  maxWidth: number,
  options: { size?: number; nameWeight?: FontWeight; nameFill?: string; artistFill?: string } = {},
): string {
  const size = options.size ?? FONT_SIZE.label;
  const nameWeight = options.nameWeight ?? 600;
  const artists = drawableText((track.artists ?? []).filter((a) => a.trim() !== '').join(', '));
  const separator = ' — ';
  const separatorWidth = textWidth(separator, size);
  const minArtists = artists ? Math.min(textWidth(artists, size), size * 5) + separatorWidth : 0;
  const name = fitText(track.name, Math.max(size * 2, maxWidth - minArtists), size, nameWeight);
  const room = maxWidth - textWidth(name, size, nameWeight) - separatorWidth;
  const artistText = artists && room >= Math.min(textWidth(artists, size), size * 2) ? fitText(artists, room, size) : '';
  const parts = [el('tspan', { 'font-weight': nameWeight, fill: options.nameFill ?? THEME.text }, escapeXml(name))];
  if (artistText) parts.push(el('tspan', { fill: options.artistFill ?? THEME.secondary }, escapeXml(`${separator}${artistText}`)));
  return el('text', { x, y, 'font-size': size }, parts);
}
