import type { Statement } from 'better-sqlite3';
import type { SearchHit } from '../types.js';
import type { Database } from './database.js';
import { baseTitle, foldText, hasCoverLabel, primaryArtistOfKey, workTitle } from './normalize.js';

// Name search as people type it: "piano man", "Piano Man - Billy Joel", "billy joel piano man",
// "beyonce halo", "pianno man". The FTS5 index finds candidates; a small scorer ranks them by
// how well the words match, and songs that match equally well by which one a person most likely
// means (see workPrior).

const CANDIDATES = 200;
const MAX_TOKENS = 10;
// Words people put between title and artist; dropped when the exact words find nothing.
const CONNECTIVES = new Set(['by', 'from', 'feat', 'ft', 'featuring', 'with', 'the', 'and', 'song', 'track']);
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
// Typo correction looks up every one-edit neighbour of a word: about 74 × its length, built in
// time quadratic in it. Longer "words" are junk, not typos of titles, and one correction pass
// looks at 40 letters' worth of words at most, so gibberish cannot stall the process (a single
// 300-letter word took half a second on a small catalog; one of 4,000 letters, tens of seconds).
const MAX_TYPO_WORD = 32;
const TYPO_LETTER_BUDGET = 40;

/** id, spotify_id, name, artists (JSON), popularity: read as arrays, a title prefix reads a thousand rows. */
type CandidateRow = [id: number, spotifyId: string, name: string, artists: string, popularity: number | null];

/** What the catalog holds of a candidate's song: its stored work (every version), and its artist. */
interface CandidateFacts {
  releaseYear: number | null;
  workKey: string;
  /** Other Spotify IDs merged into this track (the same recording in more places). */
  aliases: number;
}

interface WorkFacts {
  versions: number;
  popularity: number | null;
  earliestYear: number | null;
}

interface ArtistFacts {
  tracks: number;
  popularity: number | null;
}

/** Matches this far below the best can still be lifted above it by the prior: they are weighed, at most MAX_WEIGHED. */
const MAX_WEIGHED = 30;
/** Artist presence and versions are counted up to these (a log scale reaches 1 there). */
const ARTIST_TRACKS_CAP = 500;
const VERSIONS_CAP = 8;

/** The signals of workPrior, each 0..1; null when the catalog does not know it. */
export interface PriorSignals {
  popularity: number | null;
  /** 1 for the earliest release among the songs weighed together, falling to 0 `yearSpan` years later. */
  earliness: number | null;
  /** The work's versions and sources in the catalog (tracks of the work, merged IDs), log-scaled. */
  versions: number;
  /** The artist's tracks in the catalog, log-scaled. */
  artistPresence: number;
  /** The artist's most popular track's popularity (how well known the artist is), when any is known. */
  artistPopularity: number | null;
}

export interface SearchPrior {
  /**
   * The prior's largest value: how far what is known of a song may lift it past a better match
   * of words. Below what naming the artist adds (2 and more), so "title artist" always finds that artist.
   */
  weight: number;
  yearSpan: number;
  /** How much a match of the base title counts beside one of the work's title: "Piano Man - Live", "Rocket Man (I Think…)" typed "piano man". */
  baseTitleShare: number;
  signals: Readonly<Record<keyof PriorSignals, number>>;
}

/**
 * Tuned on the shared datasets by `npm run eval -- --only search --tune-search` (see README,
 * "Search check"): what the catalog says of its members' fame (the artist's best-known track,
 * how many versions the work has) counts most; popularity counts half, as a merged ID's
 * popularity is lost and a compilation's is low; an earlier year counts within 15 years.
 */
export const SHIPPED_PRIOR: SearchPrior = {
  weight: 1.2,
  yearSpan: 15,
  baseTitleShare: 0.95,
  signals: { popularity: 0.5, earliness: 1, versions: 2, artistPresence: 1, artistPopularity: 2 },
};

/**
 * How likely a song is the one meant among songs that share its title, 0..prior.weight: a
 * weighted mean of the signals the catalog knows. An unknown popularity or year is left out of
 * the mean, not counted as some number (a cover with a popularity must not beat an original
 * without one for that alone).
 */
export function workPrior(signals: PriorSignals, prior: SearchPrior = SHIPPED_PRIOR): number {
  let sum = 0;
  let weight = 0;
  for (const key of Object.keys(prior.signals) as (keyof PriorSignals)[]) {
    const value = signals[key];
    if (value === null) continue;
    sum += prior.signals[key] * value;
    weight += prior.signals[key];
  }
  return weight === 0 ? 0 : (prior.weight * sum) / weight;
}

const logScale = (n: number, cap: number) => Math.min(1, Math.log1p(n) / Math.log1p(cap));

export interface SearchOptions {
  limit?: number;
  /** Treat the last word as a prefix (type-ahead). */
  prefix?: boolean;
}

export interface ResolveResult {
  hit: SearchHit | null;
  /** Closest names when nothing matched every word. */
  suggestions: SearchHit[];
  /**
   * With a hit: other songs (other works) the query matched about as well, most likely first;
   * empty when the query named one song only. What "Not this one?" offers.
   */
  alternatives?: SearchHit[];
}

/**
 * Other works this close to the hit's score count as matched as well: the prior and a base
 * title's lesser match (a subtitled original, a live take) are all that tell them apart.
 */
const ALTERNATIVE_MARGIN = 0.4;
const MAX_ALTERNATIVES = 5;

function quote(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

function tokenize(text: string): string[] {
  return foldText(text).split(' ').filter((t) => t !== '').slice(0, MAX_TOKENS);
}

/** Every string one edit (delete, swap, replace, insert) away from `word`. */
function oneEditAway(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail.length > 0) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of ALPHABET) {
      if (tail.length > 0) out.add(head + c + tail.slice(1));
      out.add(head + c + tail);
    }
  }
  out.delete(word);
  return [...out];
}

/** The smallest string greater than every string that starts with `prefix` (for index range scans). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

export class TrackSearch {
  private readonly match: Statement<[string, number], CandidateRow>;
  private readonly anyMatch: Statement<[string], number>;
  private readonly keyRange: Statement<[string, string, number], CandidateRow>;
  private readonly workRangeIds: Statement<[string, string, number], number>;
  private readonly rowsById: Statement<[string], CandidateRow>;
  private readonly termDocs: Statement<[string], { doc: number }>;
  private readonly termDocsIn: Statement<[string], [string, number]>;
  private readonly indexVersion: Statement<[], string>;
  private readonly candidateFacts: Statement<[string], CandidateFacts & { id: number }>;
  private readonly workFacts: Statement<[string], WorkFacts & { workKey: string }>;
  private readonly artistFacts: Statement<[string], ArtistFacts & { artist: string }>;
  /** Known neighbours per word, valid while the index is unchanged (a query is resolved more than once). */
  private neighbourCache = { version: '', words: new Map<string, { term: string; docs: number }[]>() };

  constructor(
    private readonly database: Database,
    private readonly prior: SearchPrior = SHIPPED_PRIOR,
  ) {
    // Whether anything matches: unranked, so FTS5 stops at the first row instead of ranking every
    // match first ("love*" matches 50,000 tracks of a million; ranked, a typo's check took 80 ms).
    this.anyMatch = database.sqlite.prepare<[string], number>('SELECT 1 FROM track_search WHERE track_search MATCH ? LIMIT 1').pluck();
    this.match = database.sqlite
      .prepare<[string, number], CandidateRow>(
        `SELECT t.id, t.spotify_id, t.name, t.artists, t.popularity
         FROM track_search s JOIN tracks t ON t.id = s.rowid
         WHERE track_search MATCH ? ORDER BY s.rank LIMIT ?`,
      )
      .raw();
    // song_key is "folded title|folded primary artist" with an index: exact titles and title
    // prefixes are range scans, far cheaper than ranking a full-text match on a big catalog.
    this.keyRange = database.sqlite
      .prepare<[string, string, number], CandidateRow>(`SELECT id, spotify_id, name, artists, popularity FROM tracks WHERE song_key >= ? AND song_key < ? LIMIT ?`)
      .raw();
    // work_key is "base title|primary artist": every version of a title's works, subtitled ones too.
    // Its IDs alone are read from the index; most are the song_key range's rows already, and the
    // rest are read by ID in one statement (reading every row from the table took a third of an
    // autocomplete at 1M tracks).
    this.workRangeIds = database.sqlite
      .prepare<[string, string, number], number>(`SELECT id FROM tracks WHERE work_key >= ? AND work_key < ? LIMIT ?`)
      .pluck();
    this.rowsById = database.sqlite
      .prepare<[string], CandidateRow>(`SELECT t.id, t.spotify_id, t.name, t.artists, t.popularity FROM json_each(?) j CROSS JOIN tracks t ON t.id = j.value`)
      .raw();
    this.termDocs = database.sqlite.prepare(`SELECT doc FROM track_search_vocab WHERE term = ?`);
    // One statement for all of a word's neighbours: the per-statement cost dominates single lookups.
    this.termDocsIn = database.sqlite
      .prepare<[string], [string, number]>(`SELECT j.value, v.doc FROM json_each(?) j CROSS JOIN track_search_vocab v ON v.term = j.value`)
      .raw();
    // The prior's facts, each for all the weighed candidates in one statement (JSON arrays of
    // IDs, work keys, artists): one statement per candidate cost more than the lookups themselves.
    this.candidateFacts = database.sqlite.prepare(
      `SELECT t.id, t.release_year AS releaseYear, t.work_key AS workKey, (SELECT count(*) FROM track_aliases a WHERE a.track_id = t.id) AS aliases
       FROM json_each(?) j CROSS JOIN tracks t ON t.id = j.value`,
    );
    // Read from tracks_work_key_idx and tracks_primary_artist_idx, and the labels' primary key for a
    // decade: a year after the decade a dataset files the recording under is a re-release's
    // (Good Vibrations on a 2011 compilation, filed under the 1960s), so it counts as the decade's
    // last year. A decade alone is no year: filling missing years from it made the search worse
    // (README, "Search check").
    this.workFacts = database.sqlite.prepare(
      `SELECT j.value AS workKey, count(*) AS versions, max(t.popularity) AS popularity,
         min(coalesce(min(t.release_year, (SELECT min(CAST(substr(l.value, 1, 4) AS INTEGER)) + 9 FROM track_labels l
           WHERE l.track_id = t.id AND l.kind = 'decade')), t.release_year)) AS earliestYear
       FROM json_each(?) j CROSS JOIN tracks t ON t.work_key = j.value GROUP BY j.value`,
    );
    this.artistFacts = database.sqlite.prepare(
      `SELECT j.value AS artist,
         (SELECT count(*) FROM (SELECT 1 FROM tracks WHERE substr(work_key, instr(work_key, '|') + 1) = j.value LIMIT ${ARTIST_TRACKS_CAP})) AS tracks,
         (SELECT popularity FROM tracks WHERE substr(work_key, instr(work_key, '|') + 1) = j.value AND popularity IS NOT NULL
          ORDER BY popularity DESC LIMIT 1) AS popularity
       FROM json_each(?) j`,
    );
    // Changes when this connection writes anything, or another one commits.
    this.indexVersion = database.sqlite
      .prepare<[], string>(`SELECT (SELECT data_version FROM pragma_data_version) || ':' || total_changes()`)
      .pluck();
  }

  /** Type-ahead and general search: best matches first. */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? 10;
    const prefix = options.prefix ?? false;
    const tokens = tokenize(query);
    if (tokens.length === 0) return [];
    const exact = this.byTitle(tokens, prefix, limit);
    if (exact.length >= limit) return exact.slice(0, limit);
    for (const attempt of this.attempts(tokens, prefix)) {
      if (attempt.corrected) {
        // A corrected word reads like a typed one: its titles first ("lvoe" is the titles "Love…"),
        // full-text ranking only when they are too few (ranking every "love*" match took 50 ms).
        const titled = this.byTitle(attempt.words, prefix, limit, tokens);
        if (titled.length >= limit) return mergeHits(exact, titled).slice(0, limit);
      }
      const hits = this.run(attempt.words, tokens, prefix, 'and');
      if (hits.length > 0) return mergeHits(exact, hits).slice(0, limit);
    }
    return exact;
  }

  /**
   * Tracks whose title is exactly the query, or the query minus its first or last words when
   * those name the primary artist ("piano man billy joel", "billy joel piano man"); with
   * `prefix`, also titles that start with the query (type-ahead), leaving out those that cannot
   * be among the first `limit` (the caller reads no further).
   */
  private byTitle(tokens: string[], prefix: boolean, limit: number, typed: string[] = tokens): SearchHit[] {
    const content = tokens.filter((t) => !CONNECTIVES.has(t));
    const words = content.length > 0 ? content : tokens;
    const ranges: [string, number][] = [];
    for (let i = words.length; i >= 1; i--) {
      const title = words.slice(0, i).join(' ');
      const rest = words.slice(i).join(' ');
      ranges.push([rest ? `${title}|${rest}` : `${title}|`, rest ? 50 : 500]);
      if (i < words.length) ranges.push([`${words.slice(i).join(' ')}|${words.slice(0, i).join(' ')}`, 50]);
    }
    const rows = new Map<number, CandidateRow>();
    const workIds: number[] = [];
    for (const [start, max] of ranges) {
      for (const row of this.keyRange.all(start, prefixEnd(start), max)) rows.set(row[0], row);
      // The same title as a work's base title: "Bohemian Rhapsody - 2011 Mix", "Rocket Man (I Think…)".
      workIds.push(...this.workRangeIds.all(start, prefixEnd(start), max));
    }
    const missing = [...new Set(workIds.filter((id) => !rows.has(id)))];
    if (missing.length > 0) for (const row of this.rowsById.all(JSON.stringify(missing))) rows.set(row[0], row);
    const candidates = new Candidates(new QueryMatcher(typed, tokens, prefix, this.prior.baseTitleShare));
    const hits = candidates.hits(rows.values());
    if (prefix) hits.push(...this.titlePrefixHits(words.join(' '), Math.max(limit * 40, 200), rows, hits, Math.max(limit, MAX_WEIGHED), candidates));
    return this.ranked(hits);
  }

  /**
   * The hits of the first `max` titles starting with `start` (in song_key order) that `known`
   * does not hold. When `known` has `keep` hits already, a title whose best possible score (with
   * any artist) ranks below the keep-th of them cannot reach the first `keep`, nor change the
   * prior (it weighs the first MAX_WEIGHED at most): its artists are not matched and it is left
   * out. An exact title outranks most of the thousand titles that start with it.
   */
  private titlePrefixHits(start: string, max: number, known: ReadonlyMap<number, unknown>, knownHits: SearchHit[], keep: number, candidates: Candidates): SearchHit[] {
    const bar = knownHits.length >= keep ? knownHits.sort(byScore)[keep - 1] : undefined;
    const { matcher } = candidates;
    return candidates.hits(
      this.keyRange.all(start, prefixEnd(start), max).filter(([id, , name]) => {
        if (known.has(id)) return false;
        if (!bar) return true;
        const best = matcher.bestScore(matcher.title(name));
        return best > bar.score || (best === bar.score && id < bar.trackId);
      }),
    );
  }

  /**
   * Finds the track a user means. Every word must match (after dropping connectives and
   * correcting one-letter typos); otherwise there is no hit, only suggestions.
   */
  resolve(query: string, suggestionCount = 5): ResolveResult {
    // An exact title (with or without its artist) is the answer; the full-text search is for the rest.
    const exact = this.byTitle(tokenize(query), false, suggestionCount);
    const hits = exact.length > 0 ? exact : this.search(query, { limit: Math.max(suggestionCount, MAX_ALTERNATIVES + 1), prefix: true });
    if (hits[0]) return { hit: hits[0], suggestions: hits.slice(1, suggestionCount + 1), alternatives: alternativesTo(hits, this.prior.weight) };
    const tokens = tokenize(query);
    if (tokens.length === 0) return { hit: null, suggestions: [] };
    const corrected = this.correctTypos(tokens, true);
    const suggestions = this.run(corrected, tokens, true, 'or').slice(0, suggestionCount);
    return { hit: null, suggestions };
  }

  /** The word lists to try in order: as typed, without connectives, with typos corrected. */
  private *attempts(tokens: string[], prefix: boolean): Generator<{ words: string[]; corrected: boolean }> {
    yield { words: tokens, corrected: false };
    const content = tokens.filter((t) => !CONNECTIVES.has(t));
    if (content.length > 0 && content.length < tokens.length) yield { words: content, corrected: false };
    const base = content.length > 0 ? content : tokens;
    const corrected = this.correctTypos(base, prefix);
    if (corrected.some((t, i) => t !== base[i])) yield { words: corrected, corrected: true };
  }

  /**
   * Corrects one-letter typos in context: a word is swapped for a one-edit neighbour when that
   * makes every word match ("bohemian rapsody" → "rhapsody", although Rapsody is an artist);
   * an unknown word otherwise becomes its most common neighbour.
   */
  private correctTypos(tokens: string[], prefix: boolean): string[] {
    const out = [...tokens];
    let budget = TYPO_LETTER_BUDGET;
    for (let i = 0; i < out.length; i++) {
      const token = out[i] ?? '';
      if (token.length < 4 || token.length > MAX_TYPO_WORD || token.length > budget) continue;
      budget -= token.length;
      const neighbours = this.knownNeighbours(token);
      const fitting = neighbours.find((n) => this.matchesAll(out.with(i, n.term), prefix));
      if (fitting) return out.with(i, fitting.term);
      const isHalfTyped = prefix && i === out.length - 1 && this.hasPrefix(token);
      if (neighbours[0] && this.docs(token) === 0 && !isHalfTyped) out[i] = neighbours[0].term;
    }
    return out;
  }

  private matchesAll(tokens: string[], prefix: boolean): boolean {
    return this.anyMatch.get(this.ftsQuery(tokens, prefix, 'and')) !== undefined;
  }

  private ftsQuery(tokens: string[], prefix: boolean, op: 'and' | 'or'): string {
    return tokens
      .map((t, i) => (prefix && i === tokens.length - 1 && t.length >= 2 ? `${quote(t)}*` : quote(t)))
      .join(op === 'and' ? ' ' : ' OR ');
  }

  /** The one-edit neighbours of `word` the index knows, most documents first (ties in edit order). */
  private knownNeighbours(word: string): { term: string; docs: number }[] {
    const version = this.indexVersion.get()!;
    if (version !== this.neighbourCache.version || this.neighbourCache.words.size >= 1_000) {
      this.neighbourCache = { version, words: new Map() };
    }
    const cached = this.neighbourCache.words.get(word);
    if (cached) return cached;
    const candidates = oneEditAway(word);
    const docs = new Map(this.termDocsIn.all(JSON.stringify(candidates)));
    const known: { term: string; docs: number }[] = [];
    for (const term of candidates) {
      const n = docs.get(term);
      if (n) known.push({ term, docs: n });
    }
    known.sort((a, b) => b.docs - a.docs);
    this.neighbourCache.words.set(word, known);
    return known;
  }

  private docs(term: string): number {
    return this.termDocs.get(term)?.doc ?? 0;
  }

  private hasPrefix(token: string): boolean {
    return this.anyMatch.get(`${quote(token)}*`) !== undefined;
  }

  private run(tokens: string[], typed: string[], prefix: boolean, op: 'and' | 'or'): SearchHit[] {
    return this.score(this.match.all(this.ftsQuery(tokens, prefix, op), CANDIDATES), typed, tokens, prefix);
  }

  private score(rows: CandidateRow[], typed: string[], tokens: string[], prefix: boolean): SearchHit[] {
    return this.ranked(new Candidates(new QueryMatcher(typed, tokens, prefix, this.prior.baseTitleShare)).hits(rows));
  }

  /** Best first, the prior added to those it could reorder. */
  private ranked(hits: SearchHit[]): SearchHit[] {
    hits.sort(byScore);
    this.weigh(hits);
    return hits.sort(byScore);
  }

  /**
   * Adds the prior to the matches it could still reorder (those within its weight of the best,
   * at most MAX_WEIGHED): versions of one work share one prior, measured over the whole work.
   */
  private weigh(hits: SearchHit[]): void {
    const best = hits[0]?.score ?? 0;
    const weighed = hits.filter((h) => h.score >= best - this.prior.weight).slice(0, MAX_WEIGHED);
    if (weighed.length === 0) return;
    const facts = new Map<number, CandidateFacts>();
    for (const fact of this.candidateFacts.all(JSON.stringify(weighed.map((h) => h.trackId)))) facts.set(fact.id, fact);
    for (const hit of weighed) {
      const fact = facts.get(hit.trackId);
      if (fact) hit.releaseYear = fact.releaseYear;
    }
    // One work, one set of facts: its stored work key (every version by its artist) and merged IDs.
    const works = new Map<string, WorkFacts & { aliases: number; artist: string }>();
    const byWorkKey = new Map<string, WorkFacts>();
    const workKeys = [...new Set([...facts.values()].map((f) => f.workKey))];
    if (workKeys.length > 0) for (const stored of this.workFacts.all(JSON.stringify(workKeys))) byWorkKey.set(stored.workKey, stored);
    for (const hit of weighed) {
      const fact = facts.get(hit.trackId);
      if (!fact) continue;
      const stored = byWorkKey.get(fact.workKey) ?? { versions: 0, popularity: null, earliestYear: null };
      const work = works.get(hit.work) ?? { versions: 0, popularity: null, earliestYear: null, aliases: 0, artist: primaryArtistOfKey(fact.workKey) };
      work.versions = Math.max(work.versions, stored.versions);
      work.popularity = maxKnown(work.popularity, stored.popularity);
      work.earliestYear = minKnown(work.earliestYear, stored.earliestYear);
      work.aliases += fact.aliases;
      works.set(hit.work, work);
    }
    let earliest: number | null = null;
    for (const work of works.values()) earliest = minKnown(earliest, work.earliestYear);
    const artists = new Map<string, ArtistFacts>();
    const artistNames = [...new Set([...works.values()].map((w) => w.artist))];
    if (artistNames.length > 0) for (const known of this.artistFacts.all(JSON.stringify(artistNames))) artists.set(known.artist, known);
    const priors = new Map<string, number>();
    for (const [key, work] of works) {
      const artist = artists.get(work.artist);
      const tracks = artist?.tracks ?? 0;
      const bestKnown = artist?.popularity ?? null;
      priors.set(
        key,
        workPrior({
          popularity: work.popularity === null ? null : work.popularity / 100,
          earliness: work.earliestYear === null || earliest === null ? null : Math.max(0, 1 - (work.earliestYear - earliest) / this.prior.yearSpan),
          versions: logScale(work.versions + work.aliases, VERSIONS_CAP),
          artistPresence: logScale(tracks, ARTIST_TRACKS_CAP),
          artistPopularity: bestKnown === null ? null : bestKnown / 100,
        }, this.prior),
      );
    }
    for (const hit of weighed) {
      // Within one work, the version people play most comes first.
      hit.score += (priors.get(hit.work) ?? 0) + (hit.popularity ?? 0) / 10_000;
    }
  }
}

/**
 * A stored artists array (JSON): most are one artist with nothing to unescape, read without
 * JSON.parse (a title prefix has a thousand candidates; this is what JSON.parse returns for them).
 */
function parseArtists(json: string): string[] {
  const inner = json.slice(2, -2);
  if (json.length >= 4 && json.startsWith('["') && json.endsWith('"]') && !inner.includes('"') && !inner.includes('\\')) return [inner];
  return JSON.parse(json) as string[];
}

const byScore = (a: SearchHit, b: SearchHit) => b.score - a.score || a.trackId - b.trackId;
const maxKnown = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const minKnown = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** The next best works after the hit's, one version each, when they matched the query about as well. */
function alternativesTo(hits: readonly SearchHit[], priorWeight: number): SearchHit[] {
  const margin = priorWeight + ALTERNATIVE_MARGIN;
  const [hit] = hits;
  if (!hit) return [];
  const seen = new Set([hit.work]);
  const out: SearchHit[] = [];
  for (const other of hits) {
    if (out.length >= MAX_ALTERNATIVES || other.score < hit.score - margin) break;
    if (seen.has(other.work)) continue;
    seen.add(other.work);
    out.push(other);
  }
  return out;
}

function mergeHits(first: SearchHit[], second: SearchHit[]): SearchHit[] {
  const seen = new Set(first.map((h) => h.trackId));
  return [...first, ...second.filter((h) => !seen.has(h.trackId))].sort(byScore);
}

// Folded text is words joined by single spaces: its words are found in place, not split out
// (a title prefix scores a thousand titles and artists per keystroke).

/** How many of `tokens` are words of `text`; with `prefix`, the last one counts 0.8 when it only starts a word. */
function covered(tokens: readonly string[], text: string, prefix: boolean): number {
  let hits = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (hasWord(text, t, true)) hits++;
    else if (prefix && i === tokens.length - 1 && hasWord(text, t, false)) hits += 0.8;
  }
  return hits;
}

/** Whether `word` (no spaces) is a word of `text`, or with `whole` false starts one. */
function hasWord(text: string, word: string, whole: boolean): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (at > 0 && text.charCodeAt(at - 1) !== SPACE) continue;
    const end = at + word.length;
    if (!whole || end === text.length || text.charCodeAt(end) === SPACE) return true;
  }
  return false;
}

/** The words of `text` that are among `tokens`, and all its words. */
function wordsAmong(text: string, tokens: readonly string[]): { among: number; words: number } {
  let among = 0;
  let words = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf(' ', start);
    if (end < 0) end = text.length;
    if (end > start) {
      words++;
      if (tokens.some((t) => t.length === end - start && text.startsWith(t, start))) among++;
    }
    start = end + 1;
  }
  return { among, words };
}

const SPACE = 0x20;

/** Whether `text` is `${first} ${second}` (compared in place: this runs for every candidate). */
function joins(text: string, first: string, second: string): boolean {
  return text.length === first.length + 1 + second.length && text.charCodeAt(first.length) === SPACE && text.startsWith(first) && text.endsWith(second);
}

/** Whether `text` is `${part} ` or ` ${part}` followed or preceded by more: what joins(text, part, anything) or joins(text, anything, part) needs. */
function joinsSomething(text: string, part: string): boolean {
  const rest = text.length - part.length - 1;
  return rest >= 0 && ((text.charCodeAt(part.length) === SPACE && text.startsWith(part)) || (text.charCodeAt(rest) === SPACE && text.endsWith(part)));
}

/**
 * One query's candidate rows as hits, scored by its matcher. A title prefix's candidates share
 * titles and artists ("Love" by hundreds of artists, an artist's many songs): each title and
 * artist list is folded and matched once per query.
 */
class Candidates {
  private readonly artistLists = new Map<string, { artists: string[]; words: ArtistWords }>();

  constructor(readonly matcher: QueryMatcher) {}

  hits(rows: Iterable<CandidateRow>): SearchHit[] {
    const hits: SearchHit[] = [];
    for (const [trackId, spotifyId, name, artistsJson, popularity] of rows) {
      let artistList = this.artistLists.get(artistsJson);
      if (!artistList) {
        const artists = parseArtists(artistsJson);
        this.artistLists.set(artistsJson, (artistList = { artists, words: this.matcher.artistWords(artists) }));
      }
      const title = this.matcher.title(name);
      hits.push({
        trackId,
        spotifyId,
        name,
        artists: artistList.artists,
        popularity,
        releaseYear: null,
        work: `${title.forms.work}|${artistList.words.primaryFolded}`,
        score: this.matcher.score(title, artistList.words),
      });
    }
    return hits;
  }
}

/** A candidate's artists as QueryMatcher.score reads them. */
interface ArtistWords {
  /** The primary artist folded ("" when there is none). */
  primaryFolded: string;
  /** How much of the query the artists cover, 0..1. */
  queryInArtists: number;
  primaryNamed: 0 | 1;
}

/** A candidate's title as QueryMatcher.score reads it: the parts that depend on the title and query alone. */
interface TitleWords {
  forms: TitleForms;
  /** How much of the query the full title covers, 0..1. */
  queryInTitle: number;
  /** The share of the work's (and the base title's) words the query has. */
  workCoverage: number;
  baseCoverage: number;
}

/**
 * Ranks a query's candidates on their words: how much of the title the query covers, whether the
 * primary artist was named, exact title or "title artist" matches. The title is the work's:
 * "Bohemian Rhapsody - Remastered 2011" is exactly "bohemian rhapsody", as the cover titled so is.
 * The query's side is computed once for all of its candidates.
 */
class QueryMatcher {
  private readonly queryText: string;
  /** Words the user typed that we had to correct or drop. */
  private readonly corrected: boolean;
  private readonly titles = new Map<string, TitleWords>();

  constructor(
    typed: readonly string[],
    private readonly tokens: readonly string[],
    private readonly prefix: boolean,
    private readonly baseTitleShare: number,
  ) {
    this.queryText = tokens.join(' ');
    this.corrected = typed.length !== tokens.length || typed.some((t, i) => t !== tokens[i]);
  }

  /** A stored title's words, each name folded and matched once per query. */
  title(name: string): TitleWords {
    let known = this.titles.get(name);
    if (!known) this.titles.set(name, (known = this.titleOf(titleForms(name))));
    return known;
  }

  private titleOf(forms: TitleForms): TitleWords {
    // Words the query has beyond the work's title may still be the version's ("… 2011 mix").
    return {
      forms,
      queryInTitle: covered(this.tokens, forms.full, this.prefix) / this.tokens.length,
      workCoverage: this.coverage(forms.work),
      baseCoverage: forms.base === null ? 0 : this.coverage(forms.base),
    };
  }

  artistWords(artists: readonly string[]): ArtistWords {
    const primaryFolded = foldText(artists[0] ?? '');
    const allArtists = artists.length === 1 ? primaryFolded : foldText(artists.join(' '));
    const primary = wordsAmong(primaryFolded, this.tokens);
    return {
      primaryFolded,
      queryInArtists: covered(this.tokens, allArtists, this.prefix) / this.tokens.length,
      primaryNamed: primary.words > 0 && primary.among === primary.words ? 1 : 0,
    };
  }

  score(title: TitleWords, artist: ArtistWords): number {
    return this.scoreWith(title, artist.primaryFolded, artist.queryInArtists, artist.primaryNamed);
  }

  /** The most a track of this title can score, whatever its artists: score() is never above it. */
  bestScore(title: TitleWords): number {
    return this.scoreWith(title, null, 1, 1);
  }

  /** `primaryText` null: any artist ("title artist" may match). */
  private scoreWith(title: TitleWords, primaryText: string | null, queryInArtists: number, primaryNamed: number): number {
    // The work's title, or (a little less) the base title under a live, remix or subtitle label;
    // a cover's label ("Karaoke Version") is part of its title.
    const { forms } = title;
    const titleScore = Math.max(
      this.titleMatch(forms.work, title.workCoverage, primaryText),
      forms.base === null ? 0 : this.baseTitleShare * this.titleMatch(forms.base, title.baseCoverage, primaryText),
    );
    let score = titleScore + title.queryInTitle + 0.5 * queryInArtists + 0.6 * primaryNamed;
    // Words the user typed that we had to correct or drop cost a little: an exact hit should win.
    if (this.corrected) score -= 0.2;
    return score;
  }

  private coverage(titleText: string): number {
    const { among, words } = wordsAmong(titleText, this.tokens);
    return words === 0 ? 0 : among / words;
  }

  /** How well the query names one title: its coverage, and exact "title", "title artist" or typed-from-the-start matches. */
  private titleMatch(titleText: string, coverage: number, primaryText: string | null): number {
    const queryText = this.queryText;
    let score = 2 * coverage;
    if (queryText === titleText) score += 1.5;
    else if (primaryText === null ? joinsSomething(queryText, titleText) : joins(queryText, titleText, primaryText) || joins(queryText, primaryText, titleText)) score += 1.5;
    else if (this.prefix && titleText.startsWith(queryText)) score += 0.5; // typing a title from its start
    else if (queryText.startsWith(titleText) || queryText.endsWith(titleText)) score += 0.3;
    return score;
  }
}

/** A title folded three ways: as it is, as its work's ("… - 2011 Mix" dropped), and as its base title when that differs and is not a cover's. */
interface TitleForms {
  full: string;
  work: string;
  base: string | null;
}

function titleForms(name: string): TitleForms {
  const full = foldText(name);
  const work = workTitle(name);
  const base = baseTitle(name);
  const workFolded = work === name ? full : foldText(work);
  return { full, work: workFolded, base: base === work || hasCoverLabel(name) ? null : foldText(base) };
}

export interface NamedCandidate {
  name: string;
  artists: readonly string[];
  popularity?: number | null | undefined;
}

/**
 * Ranks outside candidates (Spotify search results) for a typed query by the same scorer as the
 * catalog search, keeping only those that contain most of the query's words: a search engine's
 * first hit is not always the song that was asked for.
 */
export function rankByName<T extends NamedCandidate>(query: string, candidates: readonly T[]): T[] {
  const tokens = tokenize(query).filter((t) => !CONNECTIVES.has(t));
  if (tokens.length === 0) return [];
  const matcher = new QueryMatcher(tokens, tokens, true, SHIPPED_PRIOR.baseTitleShare);
  return candidates
    .map((candidate) => {
      const coverage = covered(tokens, foldText(`${candidate.name} ${candidate.artists.join(' ')}`), true) / tokens.length;
      // A little popularity breaks ties: it is all that is known of Spotify's results.
      const popularity = candidate.popularity ?? null;
      const score = matcher.score(matcher.title(candidate.name), matcher.artistWords(candidate.artists)) + (popularity === null ? 0 : (popularity / 100) * 0.4);
      return { candidate, coverage, score };
    })
    .filter((c) => c.coverage >= 0.6)
    .sort((a, b) => b.score - a.score)
    .map((c) => c.candidate);
}
