import type { UnknownSongError } from '../../src/errors.js';
import { COLORS, defuse, LIMITS, safe, truncate } from './format.js';
import { NO_MENTIONS, type MessageData } from './types.js';

// Short replies: user mistakes (ephemeral), the apology for our own, and simple confirmations.

/** Our own error text (it may quote user input, but embeds never ping and the text is bounded). */
export function errorMessage(text: string): MessageData {
  return { embeds: [{ description: truncate(defuse(text), LIMITS.description), color: COLORS.warning }], allowedMentions: NO_MENTIONS };
}

export function unknownSongMessage(error: UnknownSongError): MessageData {
  const lines = [`I couldn't find **${safe(error.query, 200)}** in the catalog${error.suggestions.length > 0 ? '. Did you mean:' : '.'}`];
  for (const suggestion of error.suggestions.slice(0, 5)) lines.push(`• ${safe(suggestion, 150)}`);
  if (error.hint) lines.push(safe(error.hint, 300));
  else if (error.suggestions.length === 0) lines.push('Try the song\'s exact title, or paste its Spotify link.');
  return { embeds: [{ description: lines.join('\n'), color: COLORS.warning }], allowedMentions: NO_MENTIONS };
}

/** The bot is still loading its starter catalog: a calm notice, not a warning. */
export function warmingUpMessage(text: string): MessageData {
  return { embeds: [{ description: `⏳ ${truncate(defuse(text), LIMITS.description - 2)}`, color: COLORS.neutral }], allowedMentions: NO_MENTIONS };
}

export const APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again in a moment.";

export function apologyMessage(): MessageData {
  return { embeds: [{ description: APOLOGY, color: COLORS.error }], allowedMentions: NO_MENTIONS };
}

export function successMessage(text: string): MessageData {
  return { embeds: [{ description: text, color: COLORS.brand }], allowedMentions: NO_MENTIONS };
}
