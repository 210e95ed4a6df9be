import type { AudioFeatures, TrackEntry, TrackInput, TrackLabel } from '../types.js';
import { FIELD_ALIASES, type ColumnMap, type Field } from './columns.js';
import { webUrl } from '../webUrl.js';

// Turns one CSV record into a track, its features and labels, or says why the row is skipped.
// A row is validated whole before anything is written, so no row is ever half-imported.

export type RowResult = { ok: true; row: TrackEntry } | { ok: false; reason: string };

const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;
// C0 controls (tab aside) and DEL.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
// The Spotify Hit Predictor's `decade` column: "1960s" … "2010s".
const DECADE = /^(?:19|20)\d0s$/;
const MISSING = new Set(['', 'na', 'nan', 'null', 'none', 'n/a', '-']);
const LONGEST_MISSING = Math.max(...[...MISSING].map((m) => m.length));
const PITCH_CLASSES: Record<string, number> = {
  c: 0, 'c#': 1, db: 1, d: 2, 'd#': 3, eb: 3, e: 4, f: 5, 'f#': 6, gb: 6, g: 7, 'g#': 8, ab: 8, a: 9, 'a#': 10, bb: 10, b: 11,
};

class RowError extends Error {}

/** The trimmed cell, or undefined when it is absent or says the value is missing. */
function present(cell: string | undefined): string | undefined {
  if (cell === undefined) return undefined;
  const value = cell.trim();
  // Imports read tens of millions of cells: only short ones can be markers, so most skip the lookup.
  return value.length <= LONGEST_MISSING && MISSING.has(value.toLowerCase()) ? undefined : value;
}

/** A track ID from a bare ID, a `spotify:track:` URI or an open.spotify.com link. */
export function extractTrackId(cell: string): string | null {
  const value = cell.trim();
  if (SPOTIFY_ID.test(value)) return value;
  const match = /(?:spotify:track:|open\.spotify\.com\/(?:intl-[a-z-]+\/)?track\/)([0-9A-Za-z]{22})/i.exec(value);
  return match?.[1] ?? null;
}

function splitList(cell: string, separator: RegExp): string[] {
  const value = cell.trim();
  // Some datasets store Python lists: "['Artist A', 'Artist B']" (but "[bsd.u]" is an artist's name).
  if (/^\[\s*(['"]).*\1\s*\]$/.test(value)) {
    return [...value.slice(1, -1).matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)]
      .map((m) => (m[1] ?? m[2] ?? '').trim())
      .filter((s) => s !== '');
  }
  return value
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export class RowParser {
  /** Column per field; -1 for fields the file lacks. */
  private readonly at: Readonly<Record<Field, number>>;

  constructor(private readonly map: ColumnMap) {
    const at: Partial<Record<Field, number>> = {};
    for (const field of Object.keys(FIELD_ALIASES) as Field[]) at[field] = map.index[field] ?? -1;
    this.at = at as Record<Field, number>;
  }

  private cell(cells: readonly string[], field: Field): string | undefined {
    const at = this.at[field];
    return at < 0 ? undefined : present(cells[at]);
  }

  private required(cells: readonly string[], field: Field): string {
    const value = this.cell(cells, field);
    if (value === undefined) throw new RowError(`missing ${field}`);
    return value;
  }

  private number(value: string, field: Field, min: number, max: number): number {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new RowError(`${field} out of range`);
    return n;
  }

  private optionalNumber(cells: readonly string[], field: Field, min: number, max: number): number | null {
    const value = this.cell(cells, field);
    return value === undefined ? null : this.number(value, field, min, max);
  }

  private unit(cells: readonly string[], field: Field): number {
    return this.number(this.required(cells, field), field, 0, 1);
  }

  private key(cells: readonly string[]): number | null {
    const value = this.cell(cells, 'key');
    if (value === undefined) return null;
    // Own keys only: a cell like "constructor" must not find Object.prototype's.
    const note = value.toLowerCase();
    const named = Object.hasOwn(PITCH_CLASSES, note) ? PITCH_CLASSES[note] : undefined;
    if (named !== undefined) return named;
    const key = this.number(value, 'key', -1, 11);
    if (!Number.isInteger(key)) throw new RowError('key out of range');
    return key === -1 ? null : key;
  }

  private mode(cells: readonly string[]): number | null {
    const value = this.cell(cells, 'mode')?.toLowerCase();
    if (value === undefined) return null;
    if (value === 'major' || value === '1' || value === '1.0') return 1;
    if (value === 'minor' || value === '0' || value === '0.0') return 0;
    throw new RowError('mode out of range');
  }

  private timeSignature(cells: readonly string[]): number | null {
    const value = this.cell(cells, 'timeSignature');
    if (value === undefined) return null;
    const beats = this.number(value.split('/')[0] ?? value, 'timeSignature', 0, 7);
    if (!Number.isInteger(beats)) throw new RowError('timeSignature out of range');
    return beats === 0 ? null : beats;
  }

  private features(cells: readonly string[]): AudioFeatures | null {
    if (!this.map.hasFeatures) return null;
    const tempo = this.number(this.required(cells, 'tempo'), 'tempo', 0, 300);
    // Spotify reports tempo 0 when it found no beat: not a measurement, and a huge outlier.
    if (tempo === 0) throw new RowError('tempo out of range');
    const duration = this.optionalNumber(cells, 'durationMs', 1_000, 24 * 3_600_000);
    return {
      danceability: this.unit(cells, 'danceability'),
      energy: this.unit(cells, 'energy'),
      key: this.key(cells),
      loudness: this.number(this.required(cells, 'loudness'), 'loudness', -70, 10),
      mode: this.mode(cells),
      speechiness: this.unit(cells, 'speechiness'),
      acousticness: this.unit(cells, 'acousticness'),
      instrumentalness: this.unit(cells, 'instrumentalness'),
      liveness: this.unit(cells, 'liveness'),
      valence: this.unit(cells, 'valence'),
      tempo,
      durationMs: duration === null ? null : Math.round(duration),
      timeSignature: this.timeSignature(cells),
    };
  }

  private releaseYear(cells: readonly string[]): number | null {
    const value = this.cell(cells, 'releaseDate');
    if (value === undefined) return null;
    const year = Number(/^(\d{4})/.exec(value)?.[1]);
    return Number.isInteger(year) && year >= 1900 && year <= 2100 ? year : null;
  }

  private explicit(cells: readonly string[]): boolean | null {
    const value = this.cell(cells, 'explicit')?.toLowerCase();
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return null;
  }

  private labels(cells: readonly string[]): TrackLabel[] {
    const labels: TrackLabel[] = [];
    const genre = this.cell(cells, 'genre');
    if (genre !== undefined) {
      for (const value of splitList(genre, /\s*[,;]\s*/)) labels.push({ kind: 'genre', value: value.toLowerCase() });
    }
    const subgenre = this.cell(cells, 'subgenre');
    if (subgenre !== undefined) labels.push({ kind: 'subgenre', value: subgenre.toLowerCase() });
    const playlist = this.cell(cells, 'playlist');
    if (playlist !== undefined) labels.push({ kind: 'playlist', value: playlist });
    const decade = this.cell(cells, 'decade')?.toLowerCase();
    if (decade !== undefined && DECADE.test(decade)) labels.push({ kind: 'decade', value: decade });
    return labels;
  }

  parse(cells: readonly string[]): RowResult {
    try {
      const spotifyId = extractTrackId(this.required(cells, 'spotifyId'));
      if (spotifyId === null) throw new RowError('invalid Spotify track ID');
      const artists = splitList(this.required(cells, 'artists'), this.map.artistSeparator);
      if (artists.length === 0) throw new RowError('missing artists');
      const artistIdsCell = this.cell(cells, 'artistIds');
      const artistIds = artistIdsCell
        ? splitList(artistIdsCell, /\s*[,;]\s*/).map((id) => id.replace(/^spotify:artist:/, ''))
        : undefined;
      const albumId = this.cell(cells, 'albumId')?.replace(/^spotify:album:/, '') ?? null;
      const popularity = this.optionalNumber(cells, 'popularity', 0, 100);
      const features = this.features(cells);
      const name = this.required(cells, 'name');
      // Control characters are not part of a name (a NUL even cuts SQLite's text functions short).
      if (CONTROL.test(name) || artists.some((a) => CONTROL.test(a))) throw new RowError('control characters in name');
      const track: TrackInput = {
        spotifyId,
        name,
        artists,
        artistIds,
        album: this.cell(cells, 'album') ?? null,
        albumId,
        // A cover that is not an http(s) address is dropped; the track is kept.
        coverUrl: webUrl(this.cell(cells, 'coverUrl')),
        releaseYear: this.releaseYear(cells),
        popularity: popularity === null ? null : Math.round(popularity),
        durationMs: features?.durationMs ?? null,
        explicit: this.explicit(cells),
      };
      return { ok: true, row: { track, features, labels: this.labels(cells) } };
    } catch (error) {
      if (error instanceof RowError) return { ok: false, reason: error.message };
      throw error;
    }
  }
}
