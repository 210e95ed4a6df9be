// Text folding shared by search, import deduplication and the "same song, other version" rule.

const LIGATURES: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const FOLDED = /^[a-z0-9]+(?: [a-z0-9]+)*$/;

/** Lower case, no accents, letters and digits only, single spaces: "Beyoncé – Halo!" → "beyonce halo". */
export function foldText(text: string): string {
  // Most titles are plain ASCII; imports fold millions of strings, so they skip the Unicode work,
  // and most of those are plain words that lower-casing alone folds.
  if (PRINTABLE_ASCII.test(text)) {
    const lower = text.toLowerCase();
    if (FOLDED.test(lower)) return lower;
    return lower
      .replace(/&/g, ' and ')
      .replace(/['`]/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => LIGATURES[c] ?? c)
    .replace(/&/g, ' and ')
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// Parts of a title that name the same recording: a remaster, a mono/stereo mix, a featured artist.
const REMASTER = String.raw`(?:\d{4}\s+)?(?:digital(?:ly)?\s+)?remaster(?:ed)?(?:\s+version)?(?:\s+\d{4})?`;
const SAME_RECORDING_NOISE = [
  new RegExp(String.raw`\s*[([]\s*${REMASTER}\s*[)\]]`, 'giu'),
  new RegExp(String.raw`\s+[-–]\s+${REMASTER}\s*$`, 'giu'),
  /\s*[([](?:feat\.?|ft\.?|featuring|with)\s[^)\]]*[)\]]/giu,
  /\s*[([](?:mono|stereo)(?:\s+(?:version|mix))?[)\]]/giu,
  /\s+[-–]\s+(?:mono|stereo)(?:\s+(?:version|mix))?\s*$/giu,
  /\s+[-–]\s+(?:single|album)\s+version\s*$/giu,
];

const MAY_HAVE_NOISE = /[([]|\s[-–—]\s/;
// Every SAME_RECORDING_NOISE pattern contains one of these words.
const NOISE_WORD = /remaster|feat|ft|with|mono|stereo|version/iu;

/** The title with remaster and featured-artist noise removed (the title itself if nothing is left). */
export function recordingTitle(name: string): string {
  if (!MAY_HAVE_NOISE.test(name) || !NOISE_WORD.test(name)) return name;
  let title = name;
  for (const pattern of SAME_RECORDING_NOISE) title = title.replace(pattern, '');
  return foldText(title) === '' ? name : title;
}

// Labels of another version of the same work, not the same recording: a new mix or an edit of it
// ("2011 Mix", "Radio Edit", "Original Mix"). A remix, a live or acoustic take, another artist's
// recording are other works. (The catalog keeps these as their own rows; search groups them.)
const VERSION_QUALIFIERS = ['original', 'radio', 'single', 'short', 'video', 'album', 'stereo', 'mono', 'ultimate', 'ipod'] as const;
const VERSION_LABEL = String.raw`(?:(?:\d{4}|${VERSION_QUALIFIERS.join('|')}|7")(?:\s+(?:radio|single))?\s+(?:mix|edit|version)(?:\s+edit)?|edit)`;
const SAME_WORK_VERSION = [new RegExp(String.raw`\s*[([]\s*${VERSION_LABEL}\s*[)\]]`, 'giu'), new RegExp(String.raw`\s+[-–]\s+${VERSION_LABEL}\s*$`, 'giu')];
const VERSION_WORD = /mix|edit|version/iu;

/**
 * The title of the work a track is a version of: the recording's title without a new mix's or
 * an edit's label ("Bohemian Rhapsody - 2011 Mix" → "Bohemian Rhapsody"); a remix or live take keeps its label.
 */
export function workTitle(name: string): string {
  const recording = recordingTitle(name);
  if (!MAY_HAVE_NOISE.test(recording) || !VERSION_WORD.test(recording)) return recording;
  let title = recording;
  for (const pattern of SAME_WORK_VERSION) title = title.replace(pattern, '');
  return foldText(title) === '' ? recording : title;
}

// Labels saying a track is a cover of someone else's song, not a version of the artist's own.
const COVER_LABEL = /karaoke|made (?:popular|famous) by|originally (?:performed|recorded|by)|in the style of|tribute|\bcover\b|\bcast version\b|\bas made famous\b/iu;

/** Whether the title's labels say it is a cover ("[Karaoke Version]", "(Glee Cast Version)", "Originally Performed By…"). */
export function hasCoverLabel(name: string): boolean {
  return MAY_HAVE_NOISE.test(name) && COVER_LABEL.test(name);
}

/** The song's base title: no bracketed parts and nothing after " - " (live, remix, edit...). */
export function baseTitle(name: string): string {
  if (!MAY_HAVE_NOISE.test(name)) return name;
  const withoutBrackets = name.replace(/\s*[([][^)\]]*[)\]]/g, ' ');
  const dash = withoutBrackets.search(/\s[-–—]\s/);
  const base = dash > 0 ? withoutBrackets.slice(0, dash) : withoutBrackets;
  return base.trim() === '' ? name : base;
}

export interface TrackKeys {
  /** Folded "title|primary artist" without remaster/feat. noise: one recording, one catalog row. */
  songKey: string;
  /** Folded "base title|primary artist": every version of a song (live, remix, edit) shares it. */
  workKey: string;
  /** Folded title and artists: what the full-text index holds. */
  searchText: string;
}

/** The folded primary artist a song or work key ends with (folded text never holds "|"). */
export function primaryArtistOfKey(key: string): string {
  return key.slice(key.lastIndexOf('|') + 1);
}

/** The keys a track is stored under, folding each string once (imports compute millions). */
export function trackKeys(name: string, artists: readonly string[]): TrackKeys {
  const foldedName = foldText(name);
  const foldedArtists = artists.map(foldText);
  const artist = foldedArtists[0] ?? '';
  const recording = recordingTitle(name);
  const base = baseTitle(name);
  return {
    songKey: `${recording === name ? foldedName : foldText(recording)}|${artist}`,
    workKey: `${base === name ? foldedName : foldText(base)}|${artist}`,
    searchText: [foldedName, ...foldedArtists].join(' '),
  };
}
