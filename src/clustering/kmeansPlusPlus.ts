import type { DistanceKernels } from './kernels.js';
import type { Random } from './random.js';

/** The first index whose running total passes `target` (binary search over a prefix sum). */
function searchSorted(cumulative: Float64Array, n: number, target: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Greedy k-means++ seeding over every point, as scikit-learn does it: each new centre is the best
 * of 2 + ln k candidates drawn in proportion to the squared distance to the nearest centre so far,
 * "best" meaning the one that lowers the total the most. Returns k × d centroids, row-major.
 */
export function kmeansPlusPlus(data: Float32Array, n: number, k: number, kernels: DistanceKernels, random: Random): Float64Array {
  const { d } = kernels;
  const centroids = new Float64Array(k * d);
  const point = new Float64Array(d);
  const take = (row: number, c: number) => {
    for (let j = 0; j < d; j++) point[j] = data[row * d + j]!;
    centroids.set(point, c * d);
  };
  take(Math.floor(random() * n), 0);
  // Squared distance of every point to its nearest centre so far.
  let closest = new Float64Array(n);
  kernels.distancesTo(data, n, point, closest);

  const trials = 2 + Math.floor(Math.log(k));
  const cumulative = new Float64Array(n);
  let candidate = new Float64Array(n);
  let best = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) cumulative[i] = running += closest[i]!;
    let bestRow = -1;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      const row = searchSorted(cumulative, n, random() * running);
      for (let j = 0; j < d; j++) point[j] = data[row * d + j]!;
      kernels.distancesTo(data, n, point, candidate);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const nearer = Math.min(closest[i]!, candidate[i]!);
        candidate[i] = nearer;
        total += nearer;
      }
      if (total < bestPotential) {
        bestPotential = total;
        bestRow = row;
        [best, candidate] = [candidate, best];
      }
    }
    take(bestRow, c);
    [closest, best] = [best, closest];
  }
  return centroids;
}
