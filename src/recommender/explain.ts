import { wordFor } from '../clustering/labels.js';
import { DESCRIBED_FEATURES, type AudioFeatureName, type AudioFeatures, type CatalogProfile, type DescribedFeature, type FeatureComparison, type FeatureSpec } from '../types.js';

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

function isDescribed(feature: AudioFeatureName): feature is DescribedFeature {
  return (DESCRIBED_FEATURES as readonly string[]).includes(feature);
}

/**
 * The features that match best and differ most. A feature the spec enters more than once (tempo
 * as BPM and as its place within an octave) is one comparison: its entries' distances combined.
 * With the model's catalog profile, each value carries the word the cluster labels would give it.
 */
export function compareFeatures(
  spec: FeatureSpec,
  seed: { features: AudioFeatures; vector: ArrayLike<number> },
  pick: { features: AudioFeatures; vector: ArrayLike<number> },
  catalog?: CatalogProfile,
): { matches: FeatureComparison[]; differences: FeatureComparison[] } {
  const entries = new Map<AudioFeatureName, number[]>();
  spec.features.forEach((entry, j) => {
    if (entry.weight !== 0) entries.set(entry.feature, [...(entries.get(entry.feature) ?? []), j]);
  });
  const norm = (values: number[]) => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
  const scored = [...entries]
    .map(([feature, columns]): { comparison: FeatureComparison; score: number } | null => {
      const query = seed.features[feature];
      const picked = pick.features[feature];
      if (query == null || picked == null) return null;
      const word = (value: number) => (catalog && isDescribed(feature) ? (wordFor(feature, value, catalog)?.word ?? null) : undefined);
      const comparison: FeatureComparison = {
        feature,
        label: FEATURE_LABELS[feature],
        query,
        pick: picked,
        scaledDifference: norm(columns.map((j) => seed.vector[j]! - pick.vector[j]!)),
        ...(catalog ? { queryWord: word(query), pickWord: word(picked) } : {}),
      };
      const seedAt = norm(columns.map((j) => seed.vector[j]!));
      const pickAt = norm(columns.map((j) => pick.vector[j]!));
      return { comparison, score: matchScore(comparison, seedAt, pickAt) };
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
