import { sampleIndices, seededRandom } from './random.js';

/**
 * Mean silhouette of a seeded sample of points (O(m² d), so m stays in the low thousands).
 * 1 is tight, well-separated clusters; 0 is overlapping ones.
 */
export function silhouette(
  data: Float32Array,
  d: number,
  labels: Int32Array,
  k: number,
  options: { sampleSize: number; seed: number },
): number {
  const n = labels.length;
  const sample = sampleIndices(n, options.sampleSize, seededRandom(options.seed ^ 0x5bd1e995));
  const m = sample.length;
  const clusterSums = new Float64Array(k);
  const clusterCounts = new Int32Array(k);
  for (let s = 0; s < m; s++) clusterCounts[labels[sample[s]!]!]!++;
  let total = 0;
  let counted = 0;
  for (let a = 0; a < m; a++) {
    const i = sample[a]!;
    const own = labels[i]!;
    if (clusterCounts[own]! < 2) continue;
    clusterSums.fill(0);
    for (let b = 0; b < m; b++) {
      if (a === b) continue;
      const j = sample[b]!;
      let dist = 0;
      for (let f = 0; f < d; f++) {
        const diff = data[i * d + f]! - data[j * d + f]!;
        dist += diff * diff;
      }
      clusterSums[labels[j]!]! += Math.sqrt(dist);
    }
    const within = clusterSums[own]! / (clusterCounts[own]! - 1);
    let nearest = Infinity;
    for (let c = 0; c < k; c++) {
      if (c !== own && clusterCounts[c]! > 0) nearest = Math.min(nearest, clusterSums[c]! / clusterCounts[c]!);
    }
    if (!Number.isFinite(nearest)) continue;
    total += (nearest - within) / Math.max(nearest, within);
    counted++;
  }
  return counted === 0 ? 0 : total / counted;
}
