import type { Database } from '../catalog/database.js';
import { rawVector } from '../clustering/featureSpec.js';
import { loadModelAssignmentsSince, loadModelFeatureMatrix, loadModelFeatureMatrixInPages, scaledVectors } from '../clustering/featureMatrix.js';
import { nearestCentroid } from '../clustering/nearestCentroid.js';
import { sampleIndices, seededRandom } from '../clustering/random.js';
import { scaleVector } from '../clustering/scaler.js';
import type { AudioFeatures, ClusterModel } from '../types.js';

// The active model in memory: every assigned track's scaled vector and cluster, so a
// recommendation is one pass over one cluster's members (no SQL in the inner loop).

export interface Placement {
  cluster: number;
  vector: Float32Array;
}

export interface Candidate {
  trackId: number;
  distance: number;
}

function maxAssignmentRowid(database: Database): number {
  return (database.sqlite.prepare('SELECT COALESCE(MAX(rowid), 0) FROM track_clusters').pluck().get() as number) ?? 0;
}

/** Where `value` sits in the first `length` entries of an ascending array, or -1. */
export function sortedIndexOf(sorted: Int32Array, length: number, value: number): number {
  let lo = 0;
  let hi = length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export class ClusterIndex {
  readonly d: number;
  private readonly centroids: Float64Array;
  private trackIds: Int32Array;
  private clusters: Int32Array;
  private vectors: Float32Array;
  private size: number;
  /** Rows loaded sorted by track ID can be binary-searched; rows added later are looked up here. */
  private readonly sortedLength: number;
  private readonly addedRows = new Map<number, number>();
  private readonly members: number[][];
  /** The highest track_clusters rowid seen, to pick up tracks other code or processes placed. */
  private seenRowid = 0;

  private constructor(
    readonly model: ClusterModel,
    trackIds: Int32Array,
    clusters: Int32Array,
    vectors: Float32Array,
  ) {
    this.d = model.spec.features.length;
    this.centroids = Float64Array.from(model.centroids.flat());
    this.trackIds = trackIds;
    this.clusters = clusters;
    this.vectors = vectors;
    this.size = trackIds.length;
    this.sortedLength = trackIds.length;
    this.members = Array.from({ length: model.k }, () => []);
    for (let row = 0; row < this.size; row++) this.members[clusters[row]!]!.push(row);
  }

  /** Builds the index of a stored model from the database. */
  static load(database: Database, model: ClusterModel): ClusterIndex {
    const seenRowid = maxAssignmentRowid(database);
    const matrix = loadModelFeatureMatrix(database, model.id);
    const { vectors } = scaledVectors(matrix, model.spec, model.scaler);
    const index = new ClusterIndex(model, matrix.trackIds, matrix.clusters, vectors);
    index.seenRowid = seenRowid;
    return index;
  }

  /** Builds the index page by page, yielding between pages: the process keeps serving meanwhile. */
  static async loadInBackground(database: Database, model: ClusterModel): Promise<ClusterIndex> {
    const seenRowid = maxAssignmentRowid(database);
    const pages: { trackIds: Int32Array; clusters: Int32Array; vectors: Float32Array }[] = [];
    await loadModelFeatureMatrixInPages(database, model.id, (page) => {
      pages.push({ trackIds: page.trackIds, clusters: page.clusters, vectors: scaledVectors(page, model.spec, model.scaler).vectors });
    });
    const concat = <T extends Int32Array | Float32Array>(make: (n: number) => T, parts: T[]): T => {
      const out = make(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const part of parts) {
        out.set(part, at);
        at += part.length;
      }
      return out;
    };
    const index = new ClusterIndex(
      model,
      concat((n) => new Int32Array(n), pages.map((p) => p.trackIds)),
      concat((n) => new Int32Array(n), pages.map((p) => p.clusters)),
      concat((n) => new Float32Array(n), pages.map((p) => p.vectors)),
    );
    index.seenRowid = seenRowid;
    return index;
  }

  /** Adds tracks placed in this model since the index was loaded (one indexed lookup when none were). */
  catchUp(database: Database): number {
    const latest = maxAssignmentRowid(database);
    if (latest <= this.seenRowid) return 0;
    const matrix = loadModelAssignmentsSince(database, this.model.id, this.seenRowid);
    const { vectors } = scaledVectors(matrix, this.model.spec, this.model.scaler);
    for (let i = 0; i < matrix.trackIds.length; i++) {
      this.add(matrix.trackIds[i]!, { cluster: matrix.clusters[i]!, vector: vectors.subarray(i * this.d, (i + 1) * this.d) });
    }
    this.seenRowid = latest;
    return matrix.trackIds.length;
  }

  get trackCount(): number {
    return this.size;
  }

  clusterSize(cluster: number): number {
    return this.members[cluster]?.length ?? 0;
  }

  private rowOf(trackId: number): number {
    const row = sortedIndexOf(this.trackIds, this.sortedLength, trackId);
    return row >= 0 ? row : (this.addedRows.get(trackId) ?? -1);
  }

  /** Where an indexed track sits, or null if the model has not placed it. */
  locate(trackId: number): Placement | null {
    const row = this.rowOf(trackId);
    if (row < 0) return null;
    return { cluster: this.clusters[row]!, vector: this.vectors.slice(row * this.d, (row + 1) * this.d) };
  }

  /** An indexed track's scaled vector (a view: do not modify), or null if the model has not placed it. */
  vectorOf(trackId: number): Float32Array | null {
    const row = this.rowOf(trackId);
    return row < 0 ? null : this.vectors.subarray(row * this.d, (row + 1) * this.d);
  }

  /** Scales features with the model's own scaler and finds the nearest centroid. */
  place(features: AudioFeatures): Placement & { distance: number } {
    const vector = new Float32Array(this.d);
    scaleVector(rawVector(features, this.model.spec), this.model.scaler, this.model.spec, vector);
    const { cluster, distance } = nearestCentroid(vector, this.centroids, this.model.k, this.d);
    return { cluster, vector, distance };
  }

  /** Adds a track placed after the model was built (the caller persists the assignment). */
  add(trackId: number, placement: Placement): void {
    if (this.rowOf(trackId) >= 0) return;
    if (this.size === this.trackIds.length) this.grow();
    const row = this.size++;
    this.trackIds[row] = trackId;
    this.clusters[row] = placement.cluster;
    this.vectors.set(placement.vector, row * this.d);
    this.addedRows.set(trackId, row);
    this.members[placement.cluster]!.push(row);
  }

  private grow(): void {
    const capacity = Math.max(16, this.trackIds.length * 2);
    const grow32 = (a: Int32Array, n: number) => {
      const next = new Int32Array(n);
      next.set(a);
      return next;
    };
    this.trackIds = grow32(this.trackIds, capacity);
    this.clusters = grow32(this.clusters, capacity);
    const vectors = new Float32Array(capacity * this.d);
    vectors.set(this.vectors);
    this.vectors = vectors;
  }

  /**
   * The cluster's members in order of distance to `vector`, lazily: the nearest few are found by
   * a bounded selection, and the full sort only happens if the caller keeps asking.
   */
  nearest(vector: Float32Array, cluster: number): Generator<Candidate> {
    const rows = this.members[cluster] ?? [];
    return this.inDistanceOrder(vector, rows.length, (m) => rows[m]!);
  }

  /**
   * Every indexed track in order of distance to `vector`, whatever its cluster (lazily, as
   * `nearest`). With `weights`, each dimension's squared difference counts that many times.
   */
  nearestInCatalog(vector: Float32Array, weights?: Float32Array): Generator<Candidate> {
    return this.inDistanceOrder(vector, this.size, (m) => m, weights);
  }

  private *inDistanceOrder(vector: Float32Array, count: number, rowAt: (m: number) => number, weights?: Float32Array): Generator<Candidate> {
    const distances = new Float64Array(count);
    const d = this.d;
    for (let m = 0; m < count; m++) {
      const base = rowAt(m) * d;
      let dist = 0;
      if (weights) {
        for (let j = 0; j < d; j++) {
          const diff = this.vectors[base + j]! - vector[j]!;
          dist += weights[j]! * diff * diff;
        }
      } else {
        for (let j = 0; j < d; j++) {
          const diff = this.vectors[base + j]! - vector[j]!;
          dist += diff * diff;
        }
      }
      distances[m] = dist;
    }
    const FIRST = 64;
    const firstOrder = selectSmallest(distances, Math.min(FIRST, count));
    for (const m of firstOrder) yield { trackId: this.trackIds[rowAt(m)]!, distance: Math.sqrt(distances[m]!) };
    if (count <= FIRST) return;
    // Past the first few, a heap: a caller that filters hard (a steer, a mix) pays per track it
    // reads, not for sorting the whole catalog.
    const seen = new Set(firstOrder);
    const heap = new MinHeap(distances, Array.from({ length: count }, (_, m) => m).filter((m) => !seen.has(m)));
    for (let m = heap.pop(); m >= 0; m = heap.pop()) yield { trackId: this.trackIds[rowAt(m)]!, distance: Math.sqrt(distances[m]!) };
  }

  /** Each dimension's smallest and largest value over the indexed tracks (how far a steer can go). */
  bounds(): { min: Float32Array; max: Float32Array } {
    const min = new Float32Array(this.d).fill(Infinity);
    const max = new Float32Array(this.d).fill(-Infinity);
    for (let row = 0; row < this.size; row++) {
      for (let j = 0; j < this.d; j++) {
        const v = this.vectors[row * this.d + j]!;
        if (v < min[j]!) min[j] = v;
        if (v > max[j]!) max[j] = v;
      }
    }
    return { min, max };
  }

  /** A seeded sample of indexed tracks' vectors and clusters (for the cluster map). */
  sample(count: number, seed: number): { vectors: Float32Array; clusters: Int32Array } {
    const rows = sampleIndices(this.size, count, seededRandom(seed));
    const vectors = new Float32Array(rows.length * this.d);
    const clusters = new Int32Array(rows.length);
    rows.forEach((row, i) => {
      vectors.set(this.vectors.subarray(row * this.d, (row + 1) * this.d), i * this.d);
      clusters[i] = this.clusters[row]!;
    });
    return { vectors, clusters };
  }

  /** The track closest to a cluster's centroid: its most representative song. */
  representatives(cluster: number): Generator<Candidate> {
    const centroid = Float32Array.from(this.centroids.subarray(cluster * this.d, (cluster + 1) * this.d));
    return this.nearest(centroid, cluster);
  }
}

/** Indices of the `count` smallest values, smallest first, in O(n · count) worst case but ~O(n) typically. */
function selectSmallest(values: Float64Array, count: number): number[] {
  const picked: number[] = [];
  let threshold = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (picked.length === count && v >= threshold) continue;
    let at = picked.length;
    while (at > 0 && values[picked[at - 1]!]! > v) at--;
    picked.splice(at, 0, i);
    if (picked.length > count) picked.pop();
    if (picked.length === count) threshold = values[picked[count - 1]!]!;
  }
  return picked;
}

/** A binary min-heap of indices into `keys`, built in O(n). */
class MinHeap {
  private readonly items: Int32Array;
  private length: number;

  constructor(
    private readonly keys: Float64Array,
    indices: number[],
  ) {
    this.items = Int32Array.from(indices);
    this.length = indices.length;
    for (let i = (this.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** The index with the smallest key, or -1 when empty. */
  pop(): number {
    if (this.length === 0) return -1;
    const top = this.items[0]!;
    this.items[0] = this.items[--this.length]!;
    this.down(0);
    return top;
  }

  /** Smaller key first; equal keys in index order (as a stable sort would give them). */
  private before(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    return ka < kb || (ka === kb && a < b);
  }

  private down(i: number): void {
    const { items } = this;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.length) return;
      const right = left + 1;
      const child = right < this.length && this.before(items[right]!, items[left]!) ? right : left;
      if (!this.before(items[child]!, items[i]!)) return;
      const swap = items[i]!;
      items[i] = items[child]!;
      items[child] = swap;
      i = child;
    }
  }
}
