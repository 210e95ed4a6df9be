import { specMatrix, type FeatureMatrix } from '../clustering/featureMatrix.js';
import type { Random } from '../clustering/random.js';
import { sortedIndexOf } from '../recommender/clusterIndex.js';
import type { FeatureSpec } from '../types.js';
import type { TrackKeys } from './trackKeys.js';

// What the recommender is compared with, computed straight on the feature matrix. Each picker
// fills picks[row] (a matrix row, or -1 when there is none) for every asked row.

/** The nine features the project started with, equally weighted: the baseline spec. */
export const NINE_FEATURES: FeatureSpec = {
  scaling: 'standard',
  features: (['danceability', 'energy', 'loudness', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo'] as const).map(
    (feature) => ({ feature, transform: 'identity' as const, weight: 1 }),
  ),
};

/** The nine features in their own units (dB, BPM, 0–1): what a nearest neighbour without scaling sees. */
export function unscaledVectors(matrix: FeatureMatrix): Float32Array {
  const values = specMatrix(matrix, NINE_FEATURES);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number.isNaN(values[i]!) ? 0 : values[i]!;
  return out;
}

/** Any other track, uniformly. */
export function randomPicks(n: number, rows: Int32Array, random: Random, picks: Int32Array): void {
  for (const q of rows) {
    if (n < 2) {
      picks[q] = -1;
      continue;
    }
    const r = Math.floor(random() * (n - 1));
    picks[q] = r >= q ? r + 1 : r;
  }
}

/** Any other member of the query's cluster, uniformly. */
export function sameClusterRandomPicks(clusters: Int32Array, k: number, rows: Int32Array, random: Random, picks: Int32Array): void {
  const lists: number[][] = Array.from({ length: k }, () => []);
  clusters.forEach((c, row) => lists[c]!.push(row));
  // Ascending, so the query's position is a binary search.
  const members = lists.map((list) => Int32Array.from(list));
  for (const q of rows) {
    const own = members[clusters[q]!]!;
    if (own.length < 2) {
      picks[q] = -1;
      continue;
    }
    const at = sortedIndexOf(own, own.length, q);
    const r = Math.floor(random() * (own.length - 1));
    picks[q] = own[r >= at ? r + 1 : r]!;
  }
}

/**
 * The nearest other track over the whole catalog (brute force, O(n·d) per query). With `keys`,
 * the recommender's own exclusions apply: no other version of the song, and another artist
 * unless only the same artist is left.
 */
export function nearestNeighbourPicks(vectors: Float32Array, d: number, rows: Int32Array, picks: Int32Array, keys?: TrackKeys): void {
  const n = vectors.length / d;
  for (const q of rows) {
    const base = q * d;
    let best = -1;
    let bestDist = Infinity;
    let sameArtist = -1;
    let sameArtistDist = Infinity;
    for (let i = 0; i < n; i++) {
      if (i === q) continue;
      const same = keys !== undefined && keys.artist[i] === keys.artist[q];
      const bound = same ? Math.min(bestDist, sameArtistDist) : bestDist;
      const ib = i * d;
      let dist = 0;
      for (let j = 0; j < d && dist < bound; j++) {
        const diff = vectors[ib + j]! - vectors[base + j]!;
        dist += diff * diff;
      }
      if (dist >= bound) continue;
      if (keys !== undefined && keys.work[i] === keys.work[q]) continue;
      if (same) {
        sameArtist = i;
        sameArtistDist = dist;
      } else {
        best = i;
        bestDist = dist;
      }
    }
    picks[q] = best >= 0 ? best : sameArtist;
  }
}
