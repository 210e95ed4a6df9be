import { escapeMarkdown } from 'discord.js';

// Discord's limits and text hygiene for anything a user or a dataset wrote.

export const LIMITS = { title: 256, description: 4096, fieldValue: 1024, footer: 2048, author: 256, choiceName: 100, content: 2000 } as const;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A zero-width space after @ keeps "@everyone" in a track name from reading as a mention anywhere
 * (in any letter case: "@Here" is defused too, whatever a client makes of it).
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<(@[!&]?)(\d+)>/g, '<$1\u200b$2>');
}

/** Text from outside (track names, queries): no Markdown, no line breaks, no pings, bounded. */
export function safe(text: string, max: number = LIMITS.title): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
  return truncate(neutralizeMentions(escapeMarkdown(flat)), max);
}

/** For fields that do not render Markdown (footer, author, choice names): flatten, defuse, bound. */
export function plain(text: string, max: number): string {
  return truncate(neutralizeMentions(text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim()), max);
}

export const COLORS = { brand: 0x1db954, warning: 0xf5a623, error: 0xe74c3c, neutral: 0x5865f2 } as const;

/** A stable colour per cluster, the same in embeds and pictures. */
export { clusterColor } from '../../src/charts/theme.js';

export function percent(value: number): string {
  return `${Math.round(value * 100)} %`;
}
