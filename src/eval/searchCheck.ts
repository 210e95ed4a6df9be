import type { TrackSearch } from '../catalog/search.js';
import { foldText } from '../catalog/normalize.js';
import type { FamousSong } from './famousSongs.js';

// The search check of `npm run eval`: famous songs typed by their title alone, on a catalog that
// also holds their covers and other songs of the same title. The first hit must be the original.

export const SEARCH_CHECK_TARGET = 0.95;

export interface SearchMiss {
  title: string;
  expected: string;
  /** The first hit, "title — artists", or null when nothing matched. */
  found: string | null;
}

export interface SearchCheck {
  /** The datasets imported together into the checked catalog. */
  datasets: string[];
  catalogTracks: number;
  songs: number;
  top1: number;
  share: number;
  target: number;
  passed: boolean;
  misses: SearchMiss[];
  /** The same question on titles the datasets answer themselves (see searchTuning.ts): what the prior was tuned on with the songs above. */
  charted: { titles: number; share: number } | null;
}

const FEATURING = /^ (?:featuring|feat|ft|with|and|x) /;

/** Whether a folded primary credit is the folded artist: exactly, or with featured artists after it ("jay z and alicia keys"). */
export function creditedTo(artist: string, credit: string): boolean {
  return credit === artist || (credit.startsWith(artist) && FEATURING.test(credit.slice(artist.length)));
}

function isOriginal(song: FamousSong, artists: readonly string[]): boolean {
  const credit = foldText(artists[0] ?? '');
  return [song.artist, ...(song.alsoCredited ?? [])].some((name) => creditedTo(foldText(name), credit));
}

/** Types each song's title alone and compares the first hit's artist with the original's. */
export function checkSearch(search: TrackSearch, songs: readonly FamousSong[], about: { datasets: string[]; catalogTracks: number }): SearchCheck {
  const misses: SearchMiss[] = [];
  for (const song of songs) {
    const { hit } = search.resolve(song.title);
    if (hit && isOriginal(song, hit.artists)) continue;
    misses.push({ title: song.title, expected: song.artist, found: hit ? `${hit.name} — ${hit.artists.join(', ')}` : null });
  }
  const top1 = songs.length - misses.length;
  const share = songs.length === 0 ? 0 : top1 / songs.length;
  return { ...about, songs: songs.length, top1, share, target: SEARCH_CHECK_TARGET, passed: share >= SEARCH_CHECK_TARGET, misses, charted: null };
}

export function searchCheckLines(check: SearchCheck): string[] {
  const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
  return [
    '### Search check: famous titles typed alone',
    '',
    `${check.songs} famous songs typed by their title alone, on ${check.datasets.join(', ')} imported together ` +
      `(${check.catalogTracks.toLocaleString('en')} tracks, each song beside covers or other songs of its title). ` +
      `The first hit must be the original's artist for at least ${percent(check.target)} of them.`,
    '',
    '| songs | top-1 is the original | target | |',
    '| ---: | ---: | ---: | --- |',
    `| ${check.songs} | ${check.top1} (${percent(check.share)}) | ${percent(check.target)} | ${check.passed ? 'PASS' : 'MISS'} |`,
    '',
    ...(check.charted
      ? [
          `Titles the datasets answer themselves (one song of the title charted: in MusicOSet or a hit-predictor hit; the rest never did, ` +
            `famous songs above left out): ${check.charted.titles.toLocaleString('en')} titles, the charting song first for ${percent(check.charted.share)}.`,
          '',
        ]
      : []),
    ...(check.misses.length === 0
      ? ['No misses.']
      : ['Misses:', '', ...check.misses.map((m) => `- "${m.title}" (${m.expected}) → ${m.found ?? 'nothing found'}`)]),
  ];
}

