import type { Recommendation, TrackWithFeatures } from '../../src/types.js';

/** A Recommendation of `pick` for `seed` with plain defaults (cluster 3, 80 % similar, no steer), for renderer tests. */
export function recommendationOf(seed: TrackWithFeatures, pick: TrackWithFeatures, more: Partial<Recommendation> = {}): Recommendation {
  return {
    query: seed.name,
    seed,
    pick,
    cluster: { id: 3, label: 'calm', size: 10 },
    similarity: 0.8,
    distance: 1,
    matches: [],
    differences: [],
    modelId: 1,
    repeated: false,
    shapedBy: null,
    steer: null,
    ...more,
  };
}
