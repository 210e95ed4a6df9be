import type { AudioFeatureName, AudioFeatures, FeatureComparison, FeatureSpec } from '../types.js';

// Why a pick was chosen, in the terms the recommender actually used: the spec's features,
// compared in its transformed, scaled, weighted space (the space the pick was ranked in), shown
// in their own units.

export const FEATURE_LABELS: Record<AudioFeatureName, string> = {
  danceability: 'danceability',
  energy: 'energy',
  key: 'key',
  loudness: 'loudness',
  mode: 'major/minor',
  speechiness: 'spoken words',
  acousticness: 'acoustic sound',
  instrumentalness: 'instrumental',
  liveness: 'live feel',
  valence: 'mood',
  tempo: 'tempo',
  durationMs: 'length',
  timeSignature: 'time signature',
};

/**
 * Expected distance between two random tracks in a standardised, weighted space: each dimension
 * has variance weight², so E|a − b|² = 2 Σ weight². (Exact for standard scaling, which ships.)
 */
export function typicalDistance(spec: FeatureSpec): number {
  return Math.sqrt(2 * spec.features.reduce((sum, f) => sum + f.weight * f.weight, 0));
}

/**
 * 1 for identical sound, 0 at (or beyond) the distance between two random tracks: a linear
 * reading of the distance the recommender ranks by.
 */
export function similarityOf(distance: number, spec: FeatureSpec): number {
  return Math.max(0, Math.min(1, 1 - distance / typicalDistance(spec)));
}

/**
 * Matches worth mentioning are close AND distinctive: two tracks that both have no
 * instrumental parts match trivially, two that are both very acoustic say something.
 * Vectors are standardised and weighted, so a difference is what the feature added to the
 * ranking distance, and |v| is how far from typical a value is, in the same weighted units.
 */
function matchScore(c: FeatureComparison, seedValue: number, pickValue: number): number {
  return c.scaledDifference - 0.5 * Math.min(Math.abs(seedValue), Math.abs(pickValue));
}

export function compareFeatures(
  spec: FeatureSpec,
  seed: { features: AudioFeatures; vector: ArrayLike<number> },
  pick: { features: AudioFeatures; vector: ArrayLike<number> },
): { matches: FeatureComparison[]; differences: FeatureComparison[] } {
  const scored = spec.features
    .map((entry, j): { comparison: FeatureComparison; score: number } | null => {
      const query = seed.features[entry.feature];
      const picked = pick.features[entry.feature];
      if (query == null || picked == null || entry.weight === 0) return null;
      const comparison: FeatureComparison = {
        feature: entry.feature,
        label: FEATURE_LABELS[entry.feature],
        query,
        pick: picked,
        scaledDifference: Math.abs(seed.vector[j]! - pick.vector[j]!),
      };
      return { comparison, score: matchScore(comparison, seed.vector[j]!, pick.vector[j]!) };
    })
    .filter((c) => c !== null);
  const matches = [...scored].sort((a, b) => a.score - b.score).slice(0, 3).map((s) => s.comparison);
  const differences = scored
    .map((s) => s.comparison)
    .filter((c) => !matches.includes(c))
    .sort((a, b) => b.scaledDifference - a.scaledDifference)
    .slice(0, 2);
  return { matches, differences };
}
