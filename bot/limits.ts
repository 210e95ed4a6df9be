import { InvalidOptionError } from '../src/errors.js';

/** Discord enforces max_length in its client; the bot checks again, as for permissions. */
export function requireMaxLength(value: string, max: number, option: string): string {
  if (value.length > max) throw new InvalidOptionError(option, `That ${option} is too long (${value.length} characters; at most ${max}).`);
  return value;
}

export const MAX_SONG_QUERY = 300;
export const MAX_PLAYLIST_LINK = 300;
