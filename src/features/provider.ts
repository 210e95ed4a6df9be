import type { Caller } from '../http/httpClient.js';
import type { AudioFeatures } from '../types.js';

/** A source of audio features keyed by Spotify track ID. */
export interface FeatureProvider {
  /** Recorded with every feature row it supplies. */
  readonly name: string;
  /** The most IDs one request may carry. */
  readonly batchSize: number;
  /** False once the provider has said it will not serve this app (e.g. Spotify's 403). */
  available(): boolean;
  /** Features for the IDs it knows; unknown IDs are simply absent from the map. */
  fetch(spotifyIds: string[], caller?: Caller): Promise<Map<string, AudioFeatures>>;
}

const inUnit = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;

/** Shapes a provider's numbers into AudioFeatures, or null when a required value is missing or absurd. */
export function toAudioFeatures(raw: Record<string, unknown>): AudioFeatures | null {
  const unit = ['danceability', 'energy', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence'] as const;
  if (!unit.every((k) => inUnit(raw[k]))) return null;
  const { loudness, tempo, mode, key } = raw;
  if (typeof loudness !== 'number' || typeof tempo !== 'number' || tempo <= 0 || typeof mode !== 'number') return null;
  const optional = (v: unknown) => (typeof v === 'number' && v > 0 ? v : null);
  return {
    danceability: raw.danceability as number,
    energy: raw.energy as number,
    key: typeof key === 'number' && key >= 0 && key <= 11 ? key : null,
    loudness,
    mode: mode >= 0.5 ? 1 : 0,
    speechiness: raw.speechiness as number,
    acousticness: raw.acousticness as number,
    instrumentalness: raw.instrumentalness as number,
    liveness: raw.liveness as number,
    valence: raw.valence as number,
    tempo,
    durationMs: optional(raw.duration_ms),
    timeSignature: optional(raw.time_signature),
  };
}
