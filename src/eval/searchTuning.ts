import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { App } from '../app.js';
import { foldText, primaryArtistOfKey, workTitle } from '../catalog/normalize.js';
import type { TrackSearch, SearchPrior } from '../catalog/search.js';
import { csvRecords } from '../import/csvRecords.js';
import { creditedTo } from './searchCheck.js';

// Where the search prior's weights come from, apart from the famous songs they are checked on:
// titles the shared datasets themselves say which song is meant. MusicOSet holds Billboard
// charting songs and the hit predictor marks Hot 100 hits (target = 1); a title that one charting
// song shares with songs that never charted (covers, namesakes) should find the charting one.

export interface ChartedTitle {
  /** The folded title, typed alone. */
  query: string;
  /** The charting song's folded primary artist. */
  artist: string;
}

/** Spotify IDs of a CSV's rows that pass `keep` (given the row's cells and its header). */
async function idsOf(path: string, keep: (cells: string[], column: (name: string) => number) => boolean): Promise<Set<string>> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const ids = new Set<string>();
  let header: string[] | null = null;
  const column = (name: string) => header!.indexOf(name);
  for await (const batch of csvRecords(input)) {
    for (const { cells } of batch) {
      if (!cells) continue;
      if (!header) header = cells;
      else if (keep(cells, column)) ids.add(cells[column('track_id')] ?? '');
    }
  }
  return ids;
}

/** Titles with exactly one charting song among several songs of that title in the catalog; `skip` holds folded titles to leave out. */
export async function chartedTitles(app: App, paths: { musicoset: string; hitPredictor: string }, skip: ReadonlySet<string>): Promise<ChartedTitle[]> {
  const charted = new Set([
    ...(await idsOf(paths.musicoset, () => true)),
    ...(await idsOf(paths.hitPredictor, (cells, column) => cells[column('target')] === '1')),
  ]);
  const sqlite = app.database.sqlite;
  const trackOf = sqlite.prepare<[string, string], number>(
    'SELECT id FROM tracks WHERE spotify_id = ? UNION SELECT track_id FROM track_aliases WHERE spotify_id = ?',
  ).pluck();
  const rowOf = sqlite.prepare<[number], { name: string; work_key: string }>('SELECT name, work_key FROM tracks WHERE id = ?');
  const sameTitle = sqlite.prepare<[string, string], { id: number; name: string; work_key: string }>(
    'SELECT id, name, work_key FROM tracks WHERE work_key >= ? AND work_key < ?',
  );
  const chartedTracks = new Set<number>();
  const artistsByTitle = new Map<string, Set<string>>();
  for (const spotifyId of charted) {
    const id = trackOf.get(spotifyId, spotifyId);
    if (id === undefined) continue;
    chartedTracks.add(id);
    const row = rowOf.get(id)!;
    const title = foldText(workTitle(row.name));
    if (title === '' || skip.has(title)) continue;
    const artists = artistsByTitle.get(title) ?? new Set();
    artists.add(primaryArtistOfKey(row.work_key));
    artistsByTitle.set(title, artists);
  }
  const titles: ChartedTitle[] = [];
  for (const [query, artists] of artistsByTitle) {
    if (artists.size !== 1) continue;
    const [artist] = artists as Set<string> & [string];
    // Another artist's song titled exactly so, that never charted: what makes the title a test.
    const rivals = sameTitle
      .all(`${query}|`, `${query}}`)
      .filter((row) => {
        const credit = primaryArtistOfKey(row.work_key);
        return !chartedTracks.has(row.id) && !creditedTo(artist, credit) && !creditedTo(credit, artist) && foldText(workTitle(row.name)) === query;
      });
    if (rivals.length > 0) titles.push({ query, artist });
  }
  return titles.sort((a, b) => a.query.localeCompare(b.query));
}

/** Share of titles whose first hit is by the charting song's artist. */
export function chartedTop1(search: TrackSearch, titles: readonly ChartedTitle[]): number {
  let hits = 0;
  for (const { query, artist } of titles) {
    const { hit } = search.resolve(query);
    const credit = foldText(hit?.artists[0] ?? '');
    if (hit && (creditedTo(artist, credit) || creditedTo(credit, artist))) hits++;
  }
  return titles.length === 0 ? 0 : hits / titles.length;
}

const GRID = {
  weight: [0.2, 0.35, 0.5, 0.7, 0.9, 1.2],
  yearSpan: [15, 25, 40, 60, 100],
  baseTitleShare: [0.8, 0.85, 0.9, 0.95],
  signal: [0, 0.5, 1, 2, 4],
};

/**
 * Coordinate search over the prior's settings: each in turn takes the grid value that scores
 * best, the others held, for two passes. Returns every setting tried, best first.
 */
export function tunePrior(
  measure: (prior: SearchPrior) => number,
  start: SearchPrior,
  onProgress: (message: string) => void,
): { prior: SearchPrior; share: number }[] {
  const tried = new Map<string, { prior: SearchPrior; share: number }>();
  const run = (prior: SearchPrior) => {
    const key = JSON.stringify(prior);
    let result = tried.get(key);
    if (!result) {
      result = { prior, share: measure(prior) };
      tried.set(key, result);
      onProgress(`search tuning: ${(result.share * 100).toFixed(1)} % with ${key}`);
    }
    return result;
  };
  let best = run(start);
  for (let pass = 0; pass < 2; pass++) {
    for (const value of GRID.weight) best = better(best, run({ ...best.prior, weight: value }));
    for (const value of GRID.yearSpan) best = better(best, run({ ...best.prior, yearSpan: value }));
    for (const value of GRID.baseTitleShare) best = better(best, run({ ...best.prior, baseTitleShare: value }));
    for (const signal of Object.keys(start.signals) as (keyof SearchPrior['signals'])[]) {
      for (const value of GRID.signal) best = better(best, run({ ...best.prior, signals: { ...best.prior.signals, [signal]: value } }));
    }
  }
  return [...tried.values()].sort((a, b) => b.share - a.share);
}

const better = <T extends { share: number }>(a: T, b: T) => (b.share > a.share ? b : a);
