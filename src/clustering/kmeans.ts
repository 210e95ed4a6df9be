import { distanceKernels, type DistanceKernels } from './kernels.js';
import { kmeansPlusPlus } from './kmeansPlusPlus.js';
import { seededRandom } from './random.js';

export { nearestCentroid } from './nearestCentroid.js';

// k-means over a row-major Float32Array, the job scikit-learn's KMeans does with n_init=1: greedy
// k-means++ seeding over every point, then Lloyd iterations until no label changes or the
// centroids move less than a tolerance. Hamerly's bounds skip most distance computations: once a
// point's distance to its centroid is known to be below half the gap to any other centroid, or
// below a lower bound on its distance to the runner-up, it cannot change cluster. (Elkan's k
// bounds per point prune more, but checking them costs as much as the distances they save.)

export interface KMeansOptions {
  seed: number;
  /** At most this many Lloyd iterations (scikit-learn's max_iter). */
  maxIterations?: number;
  /** Stop once the centroids' total squared move is below this share of the data's mean variance (scikit-learn's tol). */
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
  iterations: number;
  /** False when maxIterations ran out first. */
  converged: boolean;
}

const DEFAULT_MAX_ITERATIONS = 300;
const DEFAULT_TOLERANCE = 1e-4;

/** Mean of the columns' variances: the scale the tolerance is relative to, as in scikit-learn. */
function meanVariance(data: Float32Array, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const v = data[i * d + j]!;
      sum += v;
      squares += v * v;
    }
    const mean = sum / n;
    total += Math.max(0, squares / n - mean * mean);
  }
  return total / d;
}

/** Where Lloyd's iterations stand: labels, per-cluster sums, and Hamerly's bounds (true distances, not squared). */
class LloydState {
  readonly labels: Int32Array;
  readonly sums: Float64Array;
  readonly counts: Int32Array;
  /** Upper bound on each point's distance to its own centroid. */
  readonly upper: Float64Array;
  /** Lower bound on each point's distance to every other centroid. */
  readonly lower: Float64Array;
  private readonly scratch = new Float64Array(3);

  constructor(
    private readonly data: Float32Array,
    readonly n: number,
    readonly k: number,
    private readonly kernels: DistanceKernels,
    readonly centroids: Float64Array,
  ) {
    this.labels = new Int32Array(n);
    this.sums = new Float64Array(k * kernels.d);
    this.counts = new Int32Array(k);
    this.upper = new Float64Array(n);
    this.lower = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.scan(i);
      this.add(i, this.labels[i]!, 1);
    }
  }

  /** Assigns point i by scanning every centroid; returns its cluster. */
  private scan(i: number): number {
    const out = this.scratch;
    this.kernels.nearestTwo(this.data, i, this.centroids, this.k, out);
    const best = out[0]!;
    this.labels[i] = best;
    this.upper[i] = Math.sqrt(out[1]!);
    this.lower[i] = Math.sqrt(out[2]!);
    return best;
  }

  private add(i: number, c: number, sign: 1 | -1): void {
    const { d } = this.kernels;
    this.counts[c]! += sign;
    for (let j = 0; j < d; j++) this.sums[c * d + j]! += sign * this.data[i * d + j]!;
  }

  /**
   * Moves each centroid to its points' mean and loosens the bounds by how far the centroids moved.
   * An emptied cluster takes the point farthest from its centroid, as scikit-learn's does.
   * Returns the total squared move.
   */
  moveCentroids(): number {
    const { d } = this.kernels;
    const { k, centroids, sums, counts } = this;
    for (let c = 0; c < k; c++) if (counts[c] === 0) this.relocate(c);
    const moved = new Float64Array(k);
    let total = 0;
    for (let c = 0; c < k; c++) {
      let squared = 0;
      for (let j = 0; j < d; j++) {
        const next = sums[c * d + j]! / counts[c]!;
        const step = next - centroids[c * d + j]!;
        squared += step * step;
        centroids[c * d + j] = next;
      }
      moved[c] = Math.sqrt(squared);
      total += squared;
    }
    let largest = 0;
    let runnerUp = 0;
    let largestAt = -1;
    for (let c = 0; c < k; c++) {
      const m = moved[c]!;
      if (m > largest) {
        runnerUp = largest;
        largest = m;
        largestAt = c;
      } else if (m > runnerUp) runnerUp = m;
    }
    const { labels, upper, lower } = this;
    for (let i = 0; i < this.n; i++) {
      const c = labels[i]!;
      upper[i]! += moved[c]!;
      lower[i]! -= c === largestAt ? runnerUp : largest;
    }
    return total;
  }

  private relocate(empty: number): void {
    let far = -1;
    let farthest = -1;
    for (let i = 0; i < this.n; i++) {
      const c = this.labels[i]!;
      if (this.counts[c]! < 2) continue;
      const dist = this.kernels.squaredDistance(this.data, i, this.centroids, c);
      if (dist > farthest) {
        farthest = dist;
        far = i;
      }
    }
    if (far < 0) return;
    this.add(far, this.labels[far]!, -1);
    this.add(far, empty, 1);
    this.labels[far] = empty;
    // The bounds hold whatever the new centroid's place: 0 below, the old distance plus its move above.
    this.lower[far] = 0;
  }

  /** Reassigns every point the bounds cannot rule out; returns how many changed cluster. */
  assign(): number {
    const { d } = this.kernels;
    const { k, centroids, labels, upper, lower, data, kernels } = this;
    // Half the distance from each centroid to its nearest other one.
    const half = new Float64Array(k).fill(Infinity);
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        let squared = 0;
        for (let j = 0; j < d; j++) {
          const t = centroids[a * d + j]! - centroids[b * d + j]!;
          squared += t * t;
        }
        const h = Math.sqrt(squared) / 2;
        if (h < half[a]!) half[a] = h;
        if (h < half[b]!) half[b] = h;
      }
    }
    let changed = 0;
    for (let i = 0; i < this.n; i++) {
      const own = labels[i]!;
      const bound = Math.max(half[own]!, lower[i]!);
      if (upper[i]! <= bound) continue;
      upper[i] = Math.sqrt(kernels.squaredDistance(data, i, centroids, own));
      if (upper[i]! <= bound) continue;
      const best = this.scan(i);
      if (best !== own) {
        this.add(i, own, -1);
        this.add(i, best, 1);
        changed++;
      }
    }
    return changed;
  }

  /** Exact squared distances to the final centroids, and their sum. */
  distances(): { distances: Float64Array; inertia: number } {
    const distances = new Float64Array(this.n);
    let inertia = 0;
    for (let i = 0; i < this.n; i++) {
      const dist = this.kernels.squaredDistance(this.data, i, this.centroids, this.labels[i]!);
      distances[i] = dist;
      inertia += dist;
    }
    return { distances, inertia };
  }
}

/** Lloyd iterations from the given centroids (updated in place) until they settle. */
export function lloyd(
  data: Float32Array,
  d: number,
  centroids: Float64Array,
  k: number,
  options: { maxIterations?: number; tolerance?: number } = {},
): KMeansFit {
  const n = data.length / d;
  const kernels = distanceKernels(d);
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const tolerance = (options.tolerance ?? DEFAULT_TOLERANCE) * meanVariance(data, n, d);
  const state = new LloydState(data, n, k, kernels, centroids);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const moved = state.moveCentroids();
    const changed = state.assign();
    // No label changed: the centroids are already their points' means.
    if (changed === 0 || moved <= tolerance) {
      converged = true;
      break;
    }
  }
  const { distances, inertia } = state.distances();
  return { k, d, centroids, labels: state.labels, distances, inertia, iterations, converged };
}

/** Fits k-means with seeded k-means++ on every point. */
export function fitKMeans(data: Float32Array, d: number, k: number, options: KMeansOptions): KMeansFit {
  const n = data.length / d;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive whole number, not ${k}.`);
  if (n < k) throw new Error(`Cannot make ${k} clusters from ${n} tracks.`);
  const centroids = kmeansPlusPlus(data, n, k, distanceKernels(d), seededRandom(options.seed));
  return lloyd(data, d, centroids, k, options);
}
