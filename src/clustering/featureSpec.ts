import type { AudioFeatures, FeatureSpec, FeatureTransform } from '../types.js';

/**
 * What ships, chosen with `npm run eval -- --decisions` (the README's quality table has each
 * choice's measured effect). Ten features, standardised so dB, BPM and milliseconds do not drown
 * the 0–1 features, and equally weighted:
 * - the 0–1 features that are mostly near zero (speechiness, acousticness, instrumentalness,
 *   liveness) are compared on a square-root scale, so "a little" and "none" are told apart without
 *   blowing up the noise below 1 % as a log scale would; duration, with its long tail, on a log scale;
 * - duration is in: styles differ in song length, and it measured the largest single gain;
 * - key (a pitch class is not "closer" to its neighbour) and mode are out: both measured worse;
 *   time signature is almost always 4, and missing from some datasets;
 * - weights tuned on one dataset did better there but worse on the other, and made k-means settle
 *   in different clusters from run to run (so cluster numbers and labels would not stay put);
 * - tempo is read at half or double time often (a 3/4 or 5/4 song at 170 BPM, a ballad at 150):
 *   it keeps one feature's weight, half of it (√½) on the BPM, half on its place within the octave
 *   (cosine and sine at ½ each), where 85 and 170 BPM coincide. The BPM stays, so "faster" and
 *   "slower" still mean something and 60 is not 120; it measured better than BPM alone, a lower
 *   weight, or the octave alone.
 */
export const DEFAULT_FEATURE_SPEC: FeatureSpec = {
  scaling: 'standard',
  features: [
    { feature: 'danceability', transform: 'identity', weight: 1 },
    { feature: 'energy', transform: 'identity', weight: 1 },
    { feature: 'loudness', transform: 'identity', weight: 1 },
    { feature: 'speechiness', transform: 'sqrt', weight: 1 },
    { feature: 'acousticness', transform: 'sqrt', weight: 1 },
    { feature: 'instrumentalness', transform: 'sqrt', weight: 1 },
    { feature: 'liveness', transform: 'sqrt', weight: 1 },
    { feature: 'valence', transform: 'identity', weight: 1 },
    { feature: 'tempo', transform: 'identity', weight: Math.SQRT1_2 },
    { feature: 'tempo', transform: 'octaveCos', weight: 0.5 },
    { feature: 'tempo', transform: 'octaveSin', weight: 0.5 },
    { feature: 'durationMs', transform: 'log', weight: 1 },
  ],
};

export function transformValue(value: number, kind: FeatureTransform): number {
  switch (kind) {
    case 'identity':
      return value;
    case 'log':
      // A long tail (duration) spreads out evenly on a log scale.
      return Math.log10(value + 0.001);
    case 'sqrt':
      // Values mostly near zero (speechiness, instrumentalness) spread out, the noise floor does not.
      return Math.sqrt(Math.max(0, value));
    case 'octaveCos':
    case 'octaveSin': {
      // No tempo detected (0 BPM) has no place in an octave: missing, imputed as typical.
      if (!(value > 0)) return Number.NaN;
      const angle = 2 * Math.PI * Math.log2(value);
      return kind === 'octaveCos' ? Math.cos(angle) : Math.sin(angle);
    }
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
