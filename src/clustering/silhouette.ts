import { distanceKernels } from './kernels.js';
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
  // The sample's rows side by side, so one kernel call gives a point's distance to all of them.
  const rows = new Float32Array(m * d);
  const sampleLabels = new Int32Array(m);
  for (let s = 0; s < m; s++) {
    rows.set(data.subarray(sample[s]! * d, sample[s]! * d + d), s * d);
    sampleLabels[s] = labels[sample[s]!]!;
  }
  const kernels = distanceKernels(d);
  const point = new Float64Array(d);
  const distances = new Float64Array(m);
  const clusterSums = new Float64Array(k);
  const clusterCounts = new Int32Array(k);
  for (let s = 0; s < m; s++) clusterCounts[sampleLabels[s]!]!++;
  let total = 0;
  let counted = 0;
  for (let a = 0; a < m; a++) {
    const own = sampleLabels[a]!;
    if (clusterCounts[own]! < 2) continue;
    for (let j = 0; j < d; j++) point[j] = rows[a * d + j]!;
    kernels.distancesTo(rows, m, point, distances);
    clusterSums.fill(0);
    // The point's distance to itself is 0, so it adds nothing to its own cluster's sum.
    for (let b = 0; b < m; b++) clusterSums[sampleLabels[b]!]! += Math.sqrt(distances[b]!);
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
