import type { AudioFeatures, TrackEntry, TrackLabel } from '../types.js';
import { trackKeys, type TrackKeys } from './normalize.js';
import { grown } from '../typedArrays.js';
import { StringTable } from './stringTable.js';
import { FEATURE_VALUE_COLUMNS, featureValues, trackMetadata } from './trackColumns.js';

// An import's rows in columns, as Catalog.upsertBatch writes them: the values already in the form
// the INSERTs bind (JSON lists, song keys), strings in one array and numbers in one Float64Array.
// The import parses in a worker thread and hands batches to the writing thread: copying a few
// arrays between threads costs a fraction of cloning 50,000 nested objects, and the writer copies
// values straight into its parameter arrays without building a row object first.

/**
 * String slots of a row. artists is a JSON array as tracks.artists stores it, artistIds a JSON
 * array or null; spotifyId … coverUrl are in TRACK_VALUE_COLUMNS order, the keys too.
 */
export const S = {
  spotifyId: 0, name: 1, artists: 2, artistIds: 3, album: 4, albumId: 5, coverUrl: 6,
  songKey: 7, workKey: 8, searchText: 9, width: 10,
} as const;

/**
 * Number slots of a row; NaN stands for null. explicit is 1, 0 or NaN; hasFeatures 1 when the
 * FEATURE_VALUE_COLUMNS values follow from `features` on (else they are NaN).
 */
export const N = {
  releaseYear: 0, popularity: 1, durationMs: 2, explicit: 3, hasFeatures: 4, features: 5,
  labelCount: 5 + FEATURE_VALUE_COLUMNS.length, width: 6 + FEATURE_VALUE_COLUMNS.length,
} as const;

export const LABEL_KINDS = ['genre', 'subgenre', 'playlist', 'decade'] as const satisfies readonly TrackLabel['kind'][];
const LABEL_KIND_CODE: Readonly<Record<TrackLabel['kind'], number>> = { genre: 0, subgenre: 1, playlist: 2, decade: 3 };

export interface TrackBatch {
  readonly size: number;
  /** Where the batch starts among the valid rows of its file (RepeatedRows). */
  readonly firstRow: number;
  /**
   * Two per row, as RepeatedRows found them among the file's rows before: the first row with its
   * Spotify ID, and the row that added its song key; -1 for none.
   */
  readonly sameAs: Int32Array;
  /** S.width per row; null for an absent value. */
  readonly strings: (string | null)[];
  /** N.width per row. */
  readonly numbers: Float64Array;
  /** Every row's labels in row order: value and kind (index in LABEL_KINDS). */
  readonly labelValues: string[];
  readonly labelKinds: Uint8Array;
}

/** A number slot's value as bound: NaN is null. */
export function nullable(value: number): number | null {
  return value === value ? value : null;
}

/**
 * Finds each row's repeats among the rows of its file before it, as an import into an empty
 * catalog resolves them: a row whose Spotify ID an earlier row had is that row's track; a row with
 * a new ID and the song key of a row that added a track merges into that track (its ID becomes an
 * alias); any other row adds a track, and its song key is the one later rows merge into. The
 * import's parsing thread does this while the writing thread writes the rows before (Catalog.upsertBatch).
 */
export class RepeatedRows {
  /** The first row with each Spotify ID (as a track's or an alias's). */
  private readonly idRows = new StringTable();
  /** The row that added each song key's track. */
  private readonly songKeyRows = new StringTable();
  /** Rows seen. */
  rows = 0;

  /** The next row's references, written at `sameAs[at]` and `sameAs[at + 1]`. */
  add(spotifyId: string, songKey: string, sameAs: Int32Array, at: number): void {
    const row = this.rows++;
    const sameId = this.idRows.getOrAdd(spotifyId, row);
    sameAs[at] = sameId;
    // A repeated ID is its first row's track, whatever its song key.
    sameAs[at + 1] = sameId >= 0 ? -1 : this.songKeyRows.getOrAdd(songKey, row);
  }
}

/** Builds a TrackBatch row by row. */
export class TrackBatchBuilder {
  private readonly strings: (string | null)[] = [];
  private numbers: Float64Array;
  private readonly labelValues: string[] = [];
  private labelKinds: Uint8Array;
  private sameAs: Int32Array;
  private size = 0;
  private readonly firstRow: number;

  /** `repeats` carries the file's rows from one batch to the next. */
  constructor(capacity = 1024, private readonly repeats = new RepeatedRows()) {
    this.numbers = new Float64Array(Math.max(1, capacity) * N.width);
    this.labelKinds = new Uint8Array(Math.max(1, capacity));
    this.sameAs = new Int32Array(Math.max(1, capacity) * 2);
    this.firstRow = repeats.rows;
  }

  get rows(): number {
    return this.size;
  }

  /** Appends a row; `keys` are trackKeys(name, artists), computed here when not given. */
  add(entry: TrackEntry, keys: TrackKeys = trackKeys(entry.track.name, entry.track.artists)): void {
    const { track, features, labels } = entry;
    const metadata = trackMetadata(track);
    this.strings.push(
      track.spotifyId, track.name, JSON.stringify(track.artists), metadata[0], metadata[1], metadata[2], metadata[3],
      keys.songKey, keys.workKey, keys.searchText,
    );
    if ((this.size + 1) * N.width > this.numbers.length) {
      this.numbers = grown(this.numbers, this.numbers.length * 2);
      this.sameAs = grown(this.sameAs, this.sameAs.length * 2);
    }
    this.repeats.add(track.spotifyId, keys.songKey, this.sameAs, this.size * 2);
    const at = this.size * N.width;
    const numbers = this.numbers;
    numbers[at + N.releaseYear] = metadata[4] ?? Number.NaN;
    numbers[at + N.popularity] = metadata[5] ?? Number.NaN;
    numbers[at + N.durationMs] = metadata[6] ?? Number.NaN;
    numbers[at + N.explicit] = metadata[7] ?? Number.NaN;
    numbers[at + N.hasFeatures] = features ? 1 : 0;
    if (features) {
      const values = featureValues(features);
      for (let i = 0; i < values.length; i++) numbers[at + N.features + i] = values[i] ?? Number.NaN;
    } else {
      numbers.fill(Number.NaN, at + N.features, at + N.labelCount);
    }
    numbers[at + N.labelCount] = labels.length;
    for (const label of labels) {
      if (this.labelValues.length === this.labelKinds.length) {
        this.labelKinds = grown(this.labelKinds, this.labelKinds.length * 2);
      }
      this.labelKinds[this.labelValues.length] = LABEL_KIND_CODE[label.kind];
      this.labelValues.push(label.value);
    }
    this.size++;
  }

  /** The rows added so far; the builder is not used after this. */
  build(): TrackBatch {
    return {
      size: this.size,
      firstRow: this.firstRow,
      sameAs: this.sameAs.slice(0, this.size * 2),
      strings: this.strings,
      numbers: this.numbers.slice(0, this.size * N.width),
      labelValues: this.labelValues,
      labelKinds: this.labelKinds.slice(0, this.labelValues.length),
    };
  }
}

/** A batch of these rows (tests and callers with rows in hand). */
export function trackBatch(entries: readonly TrackEntry[]): TrackBatch {
  const builder = new TrackBatchBuilder(entries.length);
  for (const entry of entries) builder.add(entry);
  return builder.build();
}

/** Where each row's labels start in labelValues (one more entry: the end). */
export function labelOffsets(batch: TrackBatch): Int32Array {
  const offsets = new Int32Array(batch.size + 1);
  for (let row = 0; row < batch.size; row++) offsets[row + 1] = offsets[row]! + batch.numbers[row * N.width + N.labelCount]!;
  return offsets;
}

/** Row `row` as the object form upsertTrack takes, with its keys (the rows that merge or update). */
export function batchEntry(batch: TrackBatch, row: number, labelsFrom: number): { entry: TrackEntry; keys: TrackKeys } {
  const s = row * S.width;
  const n = row * N.width;
  const { strings, numbers } = batch;
  const text = (slot: number) => strings[s + slot] ?? null;
  const number = (slot: number) => nullable(numbers[n + slot]!);
  const artistIds = text(S.artistIds);
  const explicit = number(N.explicit);
  let features: AudioFeatures | null = null;
  if (numbers[n + N.hasFeatures] === 1) {
    const f = (i: number) => number(N.features + i);
    features = {
      danceability: f(0)!, energy: f(1)!, key: f(2), loudness: f(3)!, mode: f(4), speechiness: f(5)!,
      acousticness: f(6)!, instrumentalness: f(7)!, liveness: f(8)!, valence: f(9)!, tempo: f(10)!,
      durationMs: f(11), timeSignature: f(12),
    };
  }
  const labels: TrackLabel[] = [];
  const labelCount = numbers[n + N.labelCount]!;
  for (let i = labelsFrom; i < labelsFrom + labelCount; i++) labels.push({ kind: LABEL_KINDS[batch.labelKinds[i]!]!, value: batch.labelValues[i]! });
  const entry: TrackEntry = {
    track: {
      spotifyId: text(S.spotifyId)!,
      name: text(S.name)!,
      artists: JSON.parse(text(S.artists)!) as string[],
      artistIds: artistIds === null ? undefined : (JSON.parse(artistIds) as string[]),
      album: text(S.album),
      albumId: text(S.albumId),
      coverUrl: text(S.coverUrl),
      releaseYear: number(N.releaseYear),
      popularity: number(N.popularity),
      durationMs: number(N.durationMs),
      explicit: explicit === null ? null : explicit === 1,
    },
    features,
    labels,
  };
  return { entry, keys: { songKey: text(S.songKey)!, workKey: text(S.workKey)!, searchText: text(S.searchText)! } };
}
