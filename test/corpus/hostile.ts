import { readFileSync } from 'node:fs';

// The hostile-input corpus for the `song` and `playlist` options: the hand-written nasties in
// hostile-inputs.json, as they are and combined (links of every kind with odd query strings,
// wrapped in invisible characters, mentions, Markdown and SQL, and very long strings). Pure and
// deterministic: the same IDs give the same list, in the same order.
//
// Size: 1,583 distinct inputs with the default IDs: 442 hand-written inputs in 7 categories
// (mentions, Markdown, SQL/LIKE/FTS5 syntax, Unicode, non-Spotify URLs, Spotify links of every
// kind, plausible names), 606 links of 6 kinds × 3 forms × 34 hand-written query-string suffixes,
// 515 inputs wrapped in 8 hostile ways, and 22 very long ones (a few combinations coincide).
// test/hostileInputs.test.ts checks that it stays at least 1,000 and is the same every time.

interface CorpusFile {
  categories: Record<string, { note: string; inputs: string[] }>;
}

const FILE = new URL('./hostile-inputs.json', import.meta.url);

/** IDs the placeholders stand for; any valid-looking IDs work (defaults are made up). */
export interface CorpusIds {
  /** A track (the bot tests pass one from the catalog). */
  track: string;
  /** A playlist that does not exist. */
  missing: string;
  album: string;
  artist: string;
  episode: string;
  show: string;
  /** An ID nothing has. */
  id: string;
}

const DEFAULT_IDS: CorpusIds = {
  track: '4uLU6hMCjMI75M1A2tKUQC',
  missing: 'MissingPlaylist0000001',
  album: '2noRn2Aes5aoNVsU6iWThc',
  artist: '0LcJLqbBmaGUft1e9Mm8HV',
  episode: '512ojhOuo1ktJprKbVcKyQ',
  show: '4rOoJ6Egrf8K2IrywzwOMk',
  id: 'ZzZzZzZzZzZzZzZzZzZzZz',
};

export interface HostileInput {
  /** The corpus category (or combination) it comes from. */
  category: string;
  text: string;
}

function substitute(template: string, ids: CorpusIds): string {
  const values: Record<string, string> = {
    ...ids,
    tracklink: `https://open.spotify.com/track/${ids.track}`,
    lower: ids.track.toLowerCase(),
    upper: ids.track.toUpperCase(),
    track21: ids.track.slice(0, 21),
    track23: `${ids.track}A`,
    track_dash: `${ids.track.slice(0, 10)}-${ids.track.slice(11)}`,
    track_underscore: `${ids.track.slice(0, 10)}_${ids.track.slice(11)}`,
    role: '123456789012345678',
    user: '876543210987654321',
  };
  // Only known placeholders: "{name}: piano" and "{}" are inputs in their own right.
  return template.replace(/\{([a-z_0-9]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Wrappers applied to plain names and links: each hides the input in something hostile. */
const WRAPPERS: [string, (text: string) => string][] = [
  ['zero-width', (t) => `\u200b${t}\u200b`],
  ['rtl-override', (t) => `\u202e${t}`],
  ['markdown', (t) => `**${t}**`],
  ['everyone', (t) => `@everyone ${t}`],
  ['role-mention', (t) => `${t} <@&123456789012345678>`],
  ['whitespace', (t) => `  \t${t}\n`],
  ['sql', (t) => `${t}'; DROP TABLE tracks; --`],
  ['like', (t) => `${t}%_`],
];

/** Very long inputs: Discord caps the options at 300 characters, but the bot must answer whatever arrives. */
function longInputs(ids: CorpusIds): string[] {
  const link = `https://open.spotify.com/track/${ids.track}`;
  return [
    'a'.repeat(299),
    'a'.repeat(300),
    'a'.repeat(301),
    'a'.repeat(4_000),
    'piano '.repeat(50),
    'piano man '.repeat(400),
    'qwertyuiopasdfghjklz'.repeat(15),
    'Synthetic Song 1-1 '.repeat(16),
    '\ud83c\udfb9'.repeat(150),
    '@everyone '.repeat(30),
    '<@&123456789012345678>'.repeat(14),
    '\u200b'.repeat(300),
    'e\u0301'.repeat(150),
    '%'.repeat(300),
    '"'.repeat(300),
    '*'.repeat(300),
    '\\'.repeat(300),
    `${link}?si=${'x'.repeat(3_000)}`,
    `${link}?si=${'@everyone'.repeat(30)}`,
    `${'https://open.spotify.com/playlist/'}${'A'.repeat(300)}`,
    `${ids.track} `.repeat(12),
    Array.from({ length: 60 }, (_, i) => `w${i}`).join(' '),
  ];
}

/** The whole corpus, deduplicated, in a fixed order. */
export function hostileInputs(overrides: Partial<CorpusIds> = {}): HostileInput[] {
  const ids = { ...DEFAULT_IDS, ...overrides };
  const file = JSON.parse(readFileSync(FILE, 'utf8')) as CorpusFile;
  const out = new Map<string, string>();
  const add = (category: string, text: string) => {
    if (!out.has(text)) out.set(text, category);
  };
  const { query_suffixes: suffixes, ...categories } = file.categories;

  for (const [category, { inputs }] of Object.entries(categories)) for (const input of inputs) add(category, substitute(input, ids));

  // Links of every kind (tracks to /seed, playlists to /recommend...) with odd query strings.
  const kinds: [string, string][] = [
    ['track', ids.track],
    ['playlist', ids.missing],
    ['album', ids.album],
    ['artist', ids.artist],
    ['episode', ids.episode],
    ['show', ids.show],
  ];
  for (const [kind, id] of kinds) {
    for (const form of [`https://open.spotify.com/${kind}/${id}`, `https://open.spotify.com/intl-fr/${kind}/${id}`, `open.spotify.com/embed/${kind}/${id}`]) {
      for (const suffix of suffixes?.inputs ?? []) add(`link+query:${kind}`, `${form}${substitute(suffix, ids)}`);
    }
  }

  // Plain names and links, hidden in invisible characters, mentions, Markdown and SQL.
  const wrapped = [...(categories.names?.inputs ?? []), ...(categories.spotify_kinds?.inputs ?? []).slice(0, 12)];
  for (const [name, wrap] of WRAPPERS) for (const input of wrapped) add(`wrapped:${name}`, wrap(substitute(input, ids)));

  for (const text of longInputs(ids)) add('long', text);
  return [...out].map(([text, category]) => ({ category, text }));
}
