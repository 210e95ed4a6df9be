import type { AudioFeatures, TrackInput, TrackLabel } from '../types.js';
import type { TrackKeys } from './normalize.js';

// How a track is laid out in the `tracks` columns, in one place for Catalog.upsertTrack and the
// bulk import. A TrackBatch holds many rows as flat arrays of plain values: the import parses on a
// worker thread, and flat arrays cross threads several times faster than one object per row.

export type ColumnValue = string | number | null;

/** The `tracks` columns a row fills, in bind order; `source` follows them. */
export const TRACK_COLUMNS = [
  'spotify_id', 'name', 'artists', 'artist_ids', 'album', 'album_id', 'cover_url', 'release_year',
  'popularity', 'duration_ms', 'explicit', 'song_key', 'work_key', 'search_text',
] as const;
export const TRACK_WIDTH = TRACK_COLUMNS.length;
const SPOTIFY_ID = 0;
const SONG_KEY = 11;

/** The `audio_features` columns after `track_id`, in bind order; `provider` follows them. */
export const FEATURE_COLUMNS = [
  'danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness', 'acousticness', 'instrumentalness',
  'liveness', 'valence', 'tempo', 'duration_ms', 'time_signature',
] as const;
export const FEATURE_WIDTH = FEATURE_COLUMNS.length;

/** What an update may fill or refresh: `tracks` columns artist_ids … explicit. */
export type TrackMetadata = readonly [string | null, string | null, string | null, string | null, number | null, number | null, number | null, number | null];

export function trackMetadata(input: TrackInput): TrackMetadata {
  return [
    input.artistIds && input.artistIds.length > 0 ? JSON.stringify(input.artistIds) : null,
    input.album ?? null,
    input.albumId ?? null,
    input.coverUrl ?? null,
    input.releaseYear ?? null,
    input.popularity ?? null,
    input.durationMs ?? null,
    input.explicit == null ? null : input.explicit ? 1 : 0,
  ];
}

/** A track's TRACK_COLUMNS values. */
export function trackValues(input: TrackInput, keys: TrackKeys): ColumnValue[] {
  return [input.spotifyId, input.name, JSON.stringify(input.artists), ...trackMetadata(input), keys.songKey, keys.workKey, keys.searchText];
}

export function featureValues(f: AudioFeatures): ColumnValue[] {
  return [
    f.danceability, f.energy, f.key, f.loudness, f.mode, f.speechiness, f.acousticness, f.instrumentalness,
    f.liveness, f.valence, f.tempo, f.durationMs, f.timeSignature,
  ];
}

/** Rows of tracks with their features and labels, in file order. */
export interface TrackBatch {
  /** TRACK_WIDTH values per row. */
  tracks: ColumnValue[];
  /** FEATURE_WIDTH values per row; all null for a row without features. */
  features: ColumnValue[];
  /** [row, kind, value] per label. */
  labels: (number | string)[];
}

export function emptyBatch(): TrackBatch {
  return { tracks: [], features: [], labels: [] };
}

export function batchSize(batch: TrackBatch): number {
  return batch.tracks.length / TRACK_WIDTH;
}

export function addToBatch(
  batch: TrackBatch,
  track: TrackInput,
  keys: TrackKeys,
  features: AudioFeatures | null,
  labels: readonly TrackLabel[],
): void {
  const row = batchSize(batch);
  batch.tracks.push(...trackValues(track, keys));
  if (features) batch.features.push(...featureValues(features));
  else for (let i = 0; i < FEATURE_WIDTH; i++) batch.features.push(null);
  for (const label of labels) batch.labels.push(row, label.kind, label.value);
}

export function spotifyIdAt(batch: TrackBatch, row: number): string {
  return batch.tracks[row * TRACK_WIDTH + SPOTIFY_ID] as string;
}

export function songKeyAt(batch: TrackBatch, row: number): string {
  return batch.tracks[row * TRACK_WIDTH + SONG_KEY] as string;
}

/** Row `row` as the TrackInput it was made from (for Catalog.upsertTrack). */
export function trackAt(batch: TrackBatch, row: number): TrackInput {
  const v = batch.tracks.slice(row * TRACK_WIDTH, (row + 1) * TRACK_WIDTH);
  return {
    spotifyId: v[0] as string,
    name: v[1] as string,
    artists: JSON.parse(v[2] as string) as string[],
    artistIds: v[3] == null ? undefined : (JSON.parse(v[3] as string) as string[]),
    album: v[4] as string | null,
    albumId: v[5] as string | null,
    coverUrl: v[6] as string | null,
    releaseYear: v[7] as number | null,
    popularity: v[8] as number | null,
    durationMs: v[9] as number | null,
    explicit: v[10] == null ? null : v[10] === 1,
  };
}

export function featuresAt(batch: TrackBatch, row: number): AudioFeatures | null {
  const v = batch.features.slice(row * FEATURE_WIDTH, (row + 1) * FEATURE_WIDTH) as (number | null)[];
  if (v[0] == null) return null; // danceability is never null in real features
  const [danceability, energy, key, loudness, mode, speechiness, acousticness, instrumentalness, liveness, valence, tempo, durationMs, timeSignature] = v;
  return {
    danceability, energy: energy!, key: key ?? null, loudness: loudness!, mode: mode!, speechiness: speechiness!,
    acousticness: acousticness!, instrumentalness: instrumentalness!, liveness: liveness!, valence: valence!,
    tempo: tempo!, durationMs: durationMs ?? null, timeSignature: timeSignature ?? null,
  };
}

/** Labels per row (only rows that have some). */
export function labelsByRow(batch: TrackBatch): Map<number, TrackLabel[]> {
  const byRow = new Map<number, TrackLabel[]>();
  for (let i = 0; i < batch.labels.length; i += 3) {
    const row = batch.labels[i] as number;
    const label = { kind: batch.labels[i + 1] as TrackLabel['kind'], value: batch.labels[i + 2] as string };
    const list = byRow.get(row);
    if (list) list.push(label);
    else byRow.set(row, [label]);
  }
  return byRow;
}
