import { escapeMarkdown } from 'discord.js';
import { truncate } from '../../src/truncate.js';
import { webUrl } from '../../src/webUrl.js';

// Discord's limits and text hygiene for anything a user or a dataset wrote.

export const LIMITS = { title: 256, description: 4096, fieldValue: 1024, footer: 2048, author: 256, choiceName: 100, content: 2000 } as const;

/** Grapheme-safe: an emoji or accented letter is never cut in two. */
export { truncate };

const LINE_BREAKS = /[\r\n\u2028\u2029]+/g;
const ZWSP = '\u200b';

/**
 * A zero-width space after @ keeps "@everyone" in a track name from reading as a mention anywhere
 * (in any letter case: "@Here" is defused too, whatever a client makes of it).
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<(@[!&]?)(\d+)>/g, `<$1${ZWSP}$2>`);
}

/**
 * For outside text: no mention, and no other Discord tag either (`<#channel>`, `</command:id>`,
 * `<:emoji:id>`, `<t:…>`), which would render as a link or break a masked link around it.
 */
function neutralizeTags(text: string): string {
  return neutralizeMentions(text).replace(/<(?=[#/:]|(?:a|t|id):)/gi, `<${ZWSP}`);
}

/** `https://x` → `https:\u200b//x`: no client autolinks it (any scheme: steam://, discord://…). */
export function breakUrls(text: string): string {
  return text.replace(/([a-z][a-z\d+.-]*):(?=\/\/)/gi, `$1:${ZWSP}`);
}

/**
 * Text from outside (track, artist, album, playlist and cluster names, user queries) for any
 * Markdown field: no formatting, no line breaks, no pings, bounded, and never a link: `[`, `]`,
 * `(` and `)` are escaped, so neither `[Free Nitro](https://evil.example)` nor
 * `x](https://evil.example) [y` (which would break out of a `[name](url)` around it) is a link
 * under any reading of Discord's rules, and bare URLs are broken. Inside the bot's own links use
 * `link()`: Discord shows backslashes there.
 */
export function safe(text: string, max: number = LIMITS.title): string {
  const flat = text.replace(LINE_BREAKS, ' ').trim();
  const escaped = escapeMarkdown(flat, { heading: true, bulletedList: true, numberedList: true }).replace(/[[\]()]/g, '\\$&');
  return truncate(breakUrls(neutralizeTags(escaped)), max);
}

/**
 * The bot's own masked link `[name](url)` around outside text. Discord shows escapes literally in
 * link text, so instead of escaping: square brackets become round ones (nothing left to close the
 * link early or open another), backslashes a look-alike (none can escape the closing bracket),
 * URLs and tags are broken. Formatting inside the link text stays inside it.
 */
export function link(name: string, url: string, max: number): string {
  const flat = name.replace(LINE_BREAKS, ' ').trim().replace(/\[/g, '(').replace(/]/g, ')').replace(/\\/g, '\uff3c');
  return `[${truncate(breakUrls(neutralizeTags(flat)), max) || '…'}](${url})`;
}

/** For fields that do not render Markdown (footer, author, choice names, select labels): flatten, defuse, bound. */
export function plain(text: string, max: number): string {
  return truncate(neutralizeTags(text.replace(LINE_BREAKS, ' ').trim()), max);
}

/**
 * Our own Markdown (error texts, notices) that may quote outside text: its formatting and its
 * channel tags are kept, but nothing in it can ping or render as a link.
 */
export function defuse(text: string): string {
  // `](` stays apart even where escapes are ignored (as Discord does inside masked links).
  return breakUrls(neutralizeMentions(text.replace(/[\\[\]]/g, '\\$&').replace(/\]\(/g, ']\\(')));
}

/** An embed's thumbnail for a track's cover, or nothing when the stored address is not http(s) (Discord would refuse the message). */
export function coverThumbnail(coverUrl: string | null): { thumbnail?: { url: string } } {
  const url = webUrl(coverUrl);
  return url ? { thumbnail: { url } } : {};
}

export const COLORS = { brand: 0x1db954, warning: 0xf5a623, error: 0xe74c3c, neutral: 0x5865f2 } as const;

/** A stable colour per cluster, the same in embeds and pictures. */
export { clusterColor } from '../../src/charts/theme.js';

export function percent(value: number): string {
  return `${Math.round(value * 100)} %`;
}
