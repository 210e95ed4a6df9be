import type { Statement } from 'better-sqlite3';
import type { SearchHit } from '../types.js';
import type { Database } from './database.js';
import { foldText } from './normalize.js';

// Name search as people type it: "piano man", "Piano Man - Billy Joel", "billy joel piano man",
// "beyonce halo", "pianno man". The FTS5 index finds candidates; a small scorer ranks them.

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

interface CandidateRow {
  id: number;
  spotify_id: string;
  name: string;
  artists: string;
  popularity: number | null;
}

export interface SearchOptions {
  limit?: number;
  /** Treat the last word as a prefix (type-ahead). */
  prefix?: boolean;
}

export interface ResolveResult {
  hit: SearchHit | null;
  /** Closest names when nothing matched every word. */
  suggestions: SearchHit[];
}

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
  private readonly keyRange: Statement<[string, string, number], CandidateRow>;
  private readonly termDocs: Statement<[string], { doc: number }>;
  private readonly termDocsIn: Statement<[string], [string, number]>;
  private readonly indexVersion: Statement<[], string>;
  /** Known neighbours per word, valid while the index is unchanged (a query is resolved more than once). */
  private neighbourCache = { version: '', words: new Map<string, { term: string; docs: number }[]>() };

  constructor(private readonly database: Database) {
    this.match = database.sqlite.prepare(
      `SELECT t.id, t.spotify_id, t.name, t.artists, t.popularity
       FROM track_search s JOIN tracks t ON t.id = s.rowid
       WHERE track_search MATCH ? ORDER BY s.rank LIMIT ?`,
    );
    // song_key is "folded title|folded primary artist" with an index: exact titles and title
    // prefixes are range scans, far cheaper than ranking a full-text match on a big catalog.
    this.keyRange = database.sqlite.prepare(
      `SELECT id, spotify_id, name, artists, popularity FROM tracks WHERE song_key >= ? AND song_key < ? LIMIT ?`,
    );
    this.termDocs = database.sqlite.prepare(`SELECT doc FROM track_search_vocab WHERE term = ?`);
    // One statement for all of a word's neighbours: the per-statement cost dominates single lookups.
    this.termDocsIn = database.sqlite
      .prepare<[string], [string, number]>(`SELECT j.value, v.doc FROM json_each(?) j CROSS JOIN track_search_vocab v ON v.term = j.value`)
      .raw();
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
      const hits = this.run(attempt, tokens, prefix, 'and');
      if (hits.length > 0) return mergeHits(exact, hits).slice(0, limit);
    }
    return exact;
  }

  /**
   * Tracks whose title is exactly the query, or the query minus its first or last words when
   * those name the primary artist ("piano man billy joel", "billy joel piano man"); with
   * `prefix`, also titles that start with the query (type-ahead).
   */
  private byTitle(tokens: string[], prefix: boolean, limit: number): SearchHit[] {
    const content = tokens.filter((t) => !CONNECTIVES.has(t));
    const words = content.length > 0 ? content : tokens;
    const ranges: [string, number][] = [];
    for (let i = words.length; i >= 1; i--) {
      const title = words.slice(0, i).join(' ');
      const rest = words.slice(i).join(' ');
      ranges.push([rest ? `${title}|${rest}` : `${title}|`, rest ? 50 : 500]);
      if (i < words.length) ranges.push([`${words.slice(i).join(' ')}|${words.slice(0, i).join(' ')}`, 50]);
    }
    if (prefix) ranges.push([words.join(' '), Math.max(limit * 40, 200)]);
    const rows = new Map<number, CandidateRow>();
    for (const [start, max] of ranges) {
      for (const row of this.keyRange.all(start, prefixEnd(start), max)) rows.set(row.id, row);
    }
    return this.score([...rows.values()], tokens, tokens, prefix);
  }

  /**
   * Finds the track a user means. Every word must match (after dropping connectives and
   * correcting one-letter typos); otherwise there is no hit, only suggestions.
   */
  resolve(query: string, suggestionCount = 5): ResolveResult {
    // An exact title (with or without its artist) is the answer; the full-text search is for the rest.
    const exact = this.byTitle(tokenize(query), false, suggestionCount);
    const hits = exact.length > 0 ? exact : this.search(query, { limit: suggestionCount, prefix: true });
    if (hits[0]) return { hit: hits[0], suggestions: hits.slice(1) };
    const tokens = tokenize(query);
    if (tokens.length === 0) return { hit: null, suggestions: [] };
    const corrected = this.correctTypos(tokens, true);
    const suggestions = this.run(corrected, tokens, true, 'or').slice(0, suggestionCount);
    return { hit: null, suggestions };
  }

  /** The word lists to try in order: as typed, without connectives, with typos corrected. */
  private *attempts(tokens: string[], prefix: boolean): Generator<string[]> {
    yield tokens;
    const content = tokens.filter((t) => !CONNECTIVES.has(t));
    if (content.length > 0 && content.length < tokens.length) yield content;
    const base = content.length > 0 ? content : tokens;
    const corrected = this.correctTypos(base, prefix);
    if (corrected.some((t, i) => t !== base[i])) yield corrected;
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
    return this.match.get(this.ftsQuery(tokens, prefix, 'and'), 1) !== undefined;
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
    return this.match.get(`${quote(token)}*`, 1) !== undefined;
  }

  private run(tokens: string[], typed: string[], prefix: boolean, op: 'and' | 'or'): SearchHit[] {
    return this.score(this.match.all(this.ftsQuery(tokens, prefix, op), CANDIDATES), typed, tokens, prefix);
  }

  private score(rows: CandidateRow[], typed: string[], tokens: string[], prefix: boolean): SearchHit[] {
    return rows
      .map((row) => {
        const artists = JSON.parse(row.artists) as string[];
        return {
          trackId: row.id,
          spotifyId: row.spotify_id,
          name: row.name,
          artists,
          popularity: row.popularity,
          score: scoreCandidate(typed, tokens, row.name, artists, row.popularity, prefix),
        };
      })
      .sort((a, b) => b.score - a.score || a.trackId - b.trackId);
  }
}

function mergeHits(first: SearchHit[], second: SearchHit[]): SearchHit[] {
  const seen = new Set(first.map((h) => h.trackId));
  return [...first, ...second.filter((h) => !seen.has(h.trackId))].sort((a, b) => b.score - a.score || a.trackId - b.trackId);
}

function covered(tokens: readonly string[], words: ReadonlySet<string>, prefix: boolean): number {
  let hits = 0;
  tokens.forEach((t, i) => {
    if (words.has(t)) hits++;
    else if (prefix && i === tokens.length - 1 && [...words].some((w) => w.startsWith(t))) hits += 0.8;
  });
  return hits;
}

/**
 * Ranks a candidate: how much of its title the query covers, whether its primary artist was
 * named, exact title or "title artist" matches, and a little popularity to break ties.
 */
export function scoreCandidate(
  typed: readonly string[],
  tokens: readonly string[],
  name: string,
  artists: readonly string[],
  popularity: number | null,
  prefix: boolean,
): number {
  const nameWords = foldText(name).split(' ').filter(Boolean);
  const primaryWords = foldText(artists[0] ?? '').split(' ').filter(Boolean);
  const allArtistWords = new Set(foldText(artists.join(' ')).split(' ').filter(Boolean));
  const nameSet = new Set(nameWords);
  const queryText = tokens.join(' ');
  const titleText = nameWords.join(' ');
  const primaryText = primaryWords.join(' ');

  const titleCoverage = nameWords.length === 0 ? 0 : covered(nameWords, new Set(tokens), false) / nameWords.length;
  const queryInTitle = covered(tokens, nameSet, prefix) / tokens.length;
  const queryInArtists = covered(tokens, allArtistWords, prefix) / tokens.length;
  const primaryNamed = primaryWords.length > 0 && primaryWords.every((w) => tokens.includes(w)) ? 1 : 0;

  let score = 2 * titleCoverage + queryInTitle + 0.5 * queryInArtists + 0.6 * primaryNamed;
  if (queryText === titleText) score += 1.5;
  else if (queryText === `${titleText} ${primaryText}` || queryText === `${primaryText} ${titleText}`) score += 1.5;
  else if (prefix && titleText.startsWith(queryText)) score += 0.5; // typing a title from its start
  else if (queryText.startsWith(titleText) || queryText.endsWith(titleText)) score += 0.3;
  // Words the user typed that we had to correct or drop cost a little: an exact hit should win.
  if (typed.length !== tokens.length || typed.some((t, i) => t !== tokens[i])) score -= 0.2;
  return score + ((popularity ?? 30) / 100) * 0.4;
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
  return candidates
    .map((candidate) => {
      const words = new Set(foldText(`${candidate.name} ${candidate.artists.join(' ')}`).split(' '));
      const coverage = covered(tokens, words, true) / tokens.length;
      return { candidate, coverage, score: scoreCandidate(tokens, tokens, candidate.name, candidate.artists, candidate.popularity ?? null, true) };
    })
    .filter((c) => c.coverage >= 0.6)
    .sort((a, b) => b.score - a.score)
    .map((c) => c.candidate);
}
