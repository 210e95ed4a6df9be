import { InvalidLinkError } from '../errors.js';
import type { SpotifyKind, SpotifyRef } from '../types.js';

// Spotify references as people paste them: open.spotify.com links (with intl-xx/, embed/,
// ?si= and trailing slashes), spotify: URIs, and bare 22-character IDs.

const ID = '[0-9A-Za-z]{22}';
const KINDS = ['track', 'playlist', 'album', 'artist', 'episode', 'show', 'user'] as const;
type AnyKind = (typeof KINDS)[number];

const WEB_LINK = new RegExp(
  String.raw`^(?:https?:\/\/)?(?:open|play)\.spotify\.com\/(?:intl-[a-z]{2}(?:-[a-z]{2})?\/)?(?:embed\/)?(?:user\/[^/?#]+\/)?(${KINDS.join('|')})\/(${ID})\/?(?:[?#].*)?$`,
  'i',
);
const URI = new RegExp(String.raw`^spotify:(?:user:[^:]+:)?(${KINDS.join('|')}):(${ID})$`, 'i');
const BARE_ID = new RegExp(String.raw`^${ID}$`);
const SHORT_LINK = /^(?:https?:\/\/)?(?:spotify\.link|spoti\.fi)\//i;
const ANY_URL = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S*$/i;

const ARTICLE: Record<AnyKind, string> = {
  track: 'a track',
  playlist: 'a playlist',
  album: 'an album',
  artist: 'an artist',
  episode: 'a podcast episode',
  show: 'a podcast',
  user: 'a user profile',
};

export interface ParsedSpotifyInput {
  kind: AnyKind | null;
  id: string;
}

// What people paste around a link: invisible format characters (zero-width spaces, bidirectional
// marks) that some apps copy along, and Discord's <…> that stops a link's preview, or quotes.
const FORMAT_CHARACTERS = /\p{Cf}/gu;
const WRAPPERS: readonly [string, string][] = [['<', '>'], ['"', '"'], ["'", "'"], ['`', '`'], ['(', ')']];

/** The input without invisible characters and without (up to three layers of) wrapping. */
function unwrap(input: string): string {
  let value = input.replace(FORMAT_CHARACTERS, '').trim();
  for (let layer = 0; layer < 3; layer++) {
    if (!WRAPPERS.some(([open, close]) => value.length > 2 && value.startsWith(open) && value.endsWith(close))) break;
    value = value.slice(1, -1).trim();
  }
  return value;
}

function parse(input: string): ParsedSpotifyInput | null {
  const value = unwrap(input);
  const match = WEB_LINK.exec(value) ?? URI.exec(value);
  if (match) return { kind: match[1]!.toLowerCase() as AnyKind, id: match[2]! };
  if (BARE_ID.test(value)) return { kind: null, id: value };
  return null;
}

/** True when the input is a URL or URI of any kind (so it must not be searched as a song name). */
export function looksLikeLink(input: string): boolean {
  const value = input.replace(FORMAT_CHARACTERS, '').trim();
  return ANY_URL.test(value) || /^spotify:/i.test(value) || /(?:^|\/\/)(?:open|play)\.spotify\.com\//i.test(value);
}

/**
 * Reads a Spotify reference of the expected kind. Returns null when the input is not a link, URI
 * or ID at all (so it can be treated as a name); throws InvalidLinkError when it is a link of
 * another kind, a short link, or a link that is not Spotify's.
 */
export function parseSpotifyRef(input: string, expected: SpotifyKind): SpotifyRef | null {
  const parsed = parse(input);
  if (parsed) {
    if (parsed.kind !== null && parsed.kind !== expected) {
      throw new InvalidLinkError(input, `${ARTICLE[expected]} link`, ARTICLE[parsed.kind].replace(/^an? /, ''));
    }
    return { kind: expected, id: parsed.id };
  }
  if (SHORT_LINK.test(unwrap(input))) {
    throw new InvalidLinkError(
      input,
      `a Spotify ${expected} link`,
      null,
      'Short spotify.link addresses cannot be followed here: open it in a browser and paste the open.spotify.com address it leads to.',
    );
  }
  if (looksLikeLink(input)) throw new InvalidLinkError(input, `a Spotify ${expected} link (open.spotify.com/${expected}/…)`);
  return null;
}

/** Like parseSpotifyRef, but a plain name is an error too: for options that only take links. */
export function requireSpotifyRef(input: string, expected: SpotifyKind): SpotifyRef {
  const ref = parseSpotifyRef(input, expected);
  if (!ref) throw new InvalidLinkError(input, `a Spotify ${expected} link (open.spotify.com/${expected}/…)`);
  return ref;
}

export function spotifyUrl(ref: SpotifyRef): string {
  return `https://open.spotify.com/${ref.kind}/${ref.id}`;
}
