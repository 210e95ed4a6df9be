import { kmeans } from 'ml-kmeans';
import { sampleIndices, seededRandom } from './random.js';

// k-means over a row-major Float32Array. ml-kmeans (k-means++ seeding) fits a sample; lean
// typed-array Lloyd passes then refine the centroids on every track. The hot loops allocate nothing.

export interface KMeansOptions {
  seed: number;
  /** Points ml-kmeans sees; the refinement uses all of them. */
  sampleSize: number;
  maxRefineIterations?: number;
  /** Stop refining when inertia improves by less than this fraction. */
  tolerance?: number;
}

export interface KMeansFit {
  k: number;
  d: number;
  /** k × d, row-major. */
  centroids: Float64Array;
  labels: Int32Array;
  /** Squared distance of each point to its centroid. */
  distances: Float64Array;
  inertia: number;
  refineIterations: number;
}

/** Assigns every point to its nearest centroid; returns the inertia (sum of squared distances). */
export function assignNearest(
  data: Float32Array,
  d: number,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  distances: Float64Array,
): number {
  const n = labels.length;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const base = i * d;
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < k; c++) {
      const cb = c * d;
      let dist = 0;
      for (let j = 0; j < d && dist < bestDist; j++) {
        const diff = data[base + j]! - centroids[cb + j]!;
        dist += diff * diff;
      }
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    labels[i] = best;
    distances[i] = bestDist;
    inertia += bestDist;
  }
  return inertia;
}

/** The nearest centroid of one vector, and the squared distance to it. */
export function nearestCentroid(vector: ArrayLike<number>, centroids: Float64Array, k: number, d: number): { cluster: number; distance: number } {
  let best = 0;
  let bestDist = Infinity;
  for (let c = 0; c < k; c++) {
    let dist = 0;
    for (let j = 0; j < d; j++) {
      const diff = vector[j]! - centroids[c * d + j]!;
      dist += diff * diff;
    }
    if (dist < bestDist) {
      bestDist = dist;
      best = c;
    }
  }
  return { cluster: best, distance: bestDist };
}

/** Moves each centroid to the mean of its points; an emptied cluster takes the worst-fitting point. */
function updateCentroids(
  data: Float32Array,
  d: number,
  k: number,
  labels: Int32Array,
  distances: Float64Array,
  centroids: Float64Array,
): void {
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    counts[c]!++;
    const base = i * d;
    const cb = c * d;
    for (let j = 0; j < d; j++) sums[cb + j]! += data[base + j]!;
  }
  for (let c = 0; c < k; c++) {
    if (counts[c]! > 0) {
      for (let j = 0; j < d; j++) centroids[c * d + j] = sums[c * d + j]! / counts[c]!;
      continue;
    }
    let worst = 0;
    for (let i = 1; i < n; i++) if (distances[i]! > distances[worst]!) worst = i;
    for (let j = 0; j < d; j++) centroids[c * d + j] = data[worst * d + j]!;
    distances[worst] = 0;
  }
}

/** Runs Lloyd iterations from the given centroids until inertia stops improving. */
export function refine(
  data: Float32Array,
  d: number,
  centroids: Float64Array,
  k: number,
  options: { maxIterations: number; tolerance: number },
): KMeansFit {
  const n = data.length / d;
  const labels = new Int32Array(n);
  const distances = new Float64Array(n);
  let inertia = assignNearest(data, d, centroids, k, labels, distances);
  let iterations = 0;
  while (iterations < options.maxIterations) {
    iterations++;
    updateCentroids(data, d, k, labels, distances, centroids);
    const next = assignNearest(data, d, centroids, k, labels, distances);
    const improved = inertia - next;
    inertia = next;
    if (improved <= options.tolerance * inertia) break;
  }
  return { k, d, centroids, labels, distances, inertia, refineIterations: iterations };
}

function rowsOf(data: Float32Array, d: number, indices: ArrayLike<number>): number[][] {
  const rows: number[][] = [];
  for (let s = 0; s < indices.length; s++) {
    const i = indices[s]!;
    rows.push(Array.from(data.subarray(i * d, i * d + d)));
  }
  return rows;
}

/** Fits k-means: ml-kmeans with k-means++ on a seeded sample, then refinement on every point. */
export function fitKMeans(data: Float32Array, d: number, k: number, options: KMeansOptions): KMeansFit {
  const n = data.length / d;
  if (n < k) throw new Error(`Cannot make ${k} clusters from ${n} tracks.`);
  const sample = sampleIndices(n, options.sampleSize, seededRandom(options.seed));
  const result = kmeans(rowsOf(data, d, sample), k, {
    initialization: 'kmeans++',
    seed: options.seed,
    maxIterations: 100,
  });
  const centroids = new Float64Array(k * d);
  result.centroids.forEach((centroid, c) => centroids.set(centroid, c * d));
  return refine(data, d, centroids, k, {
    maxIterations: options.maxRefineIterations ?? 30,
    tolerance: options.tolerance ?? 1e-4,
  });
}
