import type { AudioFeatures, TrackInput } from '../types.js';
import type { ColumnValue } from './multiRowInsert.js';
import type { TrackKeys } from './normalize.js';

// How a track and its features are laid out in columns, in one place for the one-row statements
// of Catalog (upsertTrack, setFeatures) and the multi-row ones of its bulk path (upsertBatch).

export type { ColumnValue } from './multiRowInsert.js';

/** The `tracks` columns a track fills, in bind order; `source` follows them. */
export const TRACK_VALUE_COLUMNS = [
  'spotify_id', 'name', 'artists', 'artist_ids', 'album', 'album_id', 'cover_url', 'release_year',
  'popularity', 'duration_ms', 'explicit', 'song_key', 'work_key', 'search_text',
] as const;

/** The `audio_features` columns after `track_id`, in bind order; `provider` follows them. */
export const FEATURE_VALUE_COLUMNS = [
  'danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness', 'acousticness', 'instrumentalness',
  'liveness', 'valence', 'tempo', 'duration_ms', 'time_signature',
] as const;

/** What an update may fill or refresh: `tracks` columns artist_ids … explicit. */
export type TrackMetadata = readonly [
  string | null, string | null, string | null, string | null, number | null, number | null, number | null, number | null,
];

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

/** A track's TRACK_VALUE_COLUMNS values. */
export function trackValues(input: TrackInput, keys: TrackKeys): ColumnValue[] {
  return [input.spotifyId, input.name, JSON.stringify(input.artists), ...trackMetadata(input), keys.songKey, keys.workKey, keys.searchText];
}

/** Features' FEATURE_VALUE_COLUMNS values. */
export function featureValues(f: AudioFeatures): (number | null)[] {
  return [
    f.danceability, f.energy, f.key, f.loudness, f.mode, f.speechiness, f.acousticness, f.instrumentalness,
    f.liveness, f.valence, f.tempo, f.durationMs, f.timeSignature,
  ];
}
