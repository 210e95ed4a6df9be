import type { AudioFeatures, FeatureSpec, FeatureTransform } from '../types.js';

/**
 * What ships. Nine features describe how a track sounds; each is standardised so loudness in dB
 * and tempo in BPM do not drown out the 0–1 features. Key is left out (a pitch class is not
 * "closer" to its neighbour, and the same song in C or C# sounds alike), as are duration (length
 * is not sound) and time signature (almost always 4). Mode and the choices here are measured in
 * `npm run eval`; see the README's quality table.
 */
export const DEFAULT_FEATURE_SPEC: FeatureSpec = {
  scaling: 'standard',
  features: [
    { feature: 'danceability', transform: 'identity', weight: 1 },
    { feature: 'energy', transform: 'identity', weight: 1 },
    { feature: 'loudness', transform: 'identity', weight: 1 },
    { feature: 'speechiness', transform: 'identity', weight: 1 },
    { feature: 'acousticness', transform: 'identity', weight: 1 },
    { feature: 'instrumentalness', transform: 'identity', weight: 1 },
    { feature: 'liveness', transform: 'identity', weight: 1 },
    { feature: 'valence', transform: 'identity', weight: 1 },
    { feature: 'tempo', transform: 'identity', weight: 1 },
  ],
};

export function transformValue(value: number, kind: FeatureTransform): number {
  switch (kind) {
    case 'identity':
      return value;
    case 'log':
      // The 0–1 features that are mostly near zero (speechiness, instrumentalness) spread out on a log scale.
      return Math.log10(value + 0.001);
    case 'sqrt':
      return Math.sqrt(Math.max(0, value));
  }
}

/**
 * The spec's features of one track, transformed but not yet scaled. Missing optional values
 * (no key detected, no duration from ReccoBeats) come back as NaN and are imputed by the scaler.
 */
export function rawVector(features: AudioFeatures, spec: FeatureSpec, out: Float64Array = new Float64Array(spec.features.length)): Float64Array {
  spec.features.forEach((entry, j) => {
    const value = features[entry.feature];
    out[j] = value == null ? Number.NaN : transformValue(value, entry.transform);
  });
  return out;
}
