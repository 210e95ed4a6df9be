import type { Statement } from 'better-sqlite3';
import type { Database } from '../catalog/database.js';
import { rawVector } from '../clustering/featureSpec.js';
import { loadModelAssignmentsSince, modelClusterSizes, modelFeaturePages, scaledVectors, type FeatureMatrix } from '../clustering/featureMatrix.js';
import { nearestCentroid } from '../clustering/nearestCentroid.js';
import { sampleIndices, seededRandom } from '../clustering/random.js';
import { scaleVector } from '../clustering/scaler.js';
import type { AudioFeatures, ClusterModel } from '../types.js';

// The active model in memory: every assigned track's scaled vector, stored cluster by cluster.
// A recommendation is one pass over one cluster's members, and each cluster's vectors sit side by
// side in memory (no SQL in the inner loop, no jumping around a million-row matrix): at a million
// tracks the pass reads one contiguous ~2 MB block instead of 50,000 scattered rows.

export interface Placement {
  cluster: number;
  vector: Float32Array;
}

export interface Candidate {
  trackId: number;
  distance: number;
}

function maxAssignmentRowidQuery(database: Database): Statement<[], number> {
  return database.sqlite.prepare<[], number>('SELECT COALESCE(MAX(rowid), 0) FROM track_clusters').pluck();
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

/** One cluster's members: track IDs and scaled vectors (size × d), with room to grow. */
class ClusterMembers {
  trackIds: Int32Array;
  vectors: Float32Array;
  size = 0;

  constructor(
    private readonly d: number,
    capacity: number,
  ) {
    this.trackIds = new Int32Array(capacity);
    this.vectors = new Float32Array(capacity * d);
  }

  /** Appends a member; returns its slot. */
  push(trackId: number, vector: ArrayLike<number>, from = 0): number {
    if (this.size === this.trackIds.length) this.grow();
    const slot = this.size++;
    this.trackIds[slot] = trackId;
    const base = slot * this.d;
    for (let j = 0; j < this.d; j++) this.vectors[base + j] = vector[from + j]!;
    return slot;
  }

  private grow(): void {
    const capacity = Math.max(16, Math.ceil(this.trackIds.length * 1.5));
    const ids = new Int32Array(capacity);
    ids.set(this.trackIds);
    const vectors = new Float32Array(capacity * this.d);
    vectors.set(this.vectors);
    this.trackIds = ids;
    this.vectors = vectors;
  }

  get bytes(): number {
    return this.trackIds.byteLength + this.vectors.byteLength;
  }
}

/** Track ID → (cluster, slot) for the tracks loaded in track-ID order: three flat arrays, binary-searched. */
interface LoadedOrder {
  trackIds: Int32Array;
  clusters: Int32Array;
  slots: Int32Array;
  length: number;
}

/** How many nearest members `nearest` sorts first; later rounds take four times as many. */
const FIRST_ROUND = 64;

export class ClusterIndex {
  readonly d: number;
  private readonly centroids: Float64Array;
  private readonly members: ClusterMembers[];
  private loaded: LoadedOrder;
  /** Tracks added after loading: where each went, and in what order they came. */
  private readonly added = new Map<number, { cluster: number; slot: number }>();
  private readonly addedOrder: number[] = [];
  /** Reused by `nearest` for the distances of a cluster's members (null while a caller holds it). */
  private scratch: Float64Array | null = new Float64Array(0);
  /** The highest track_clusters rowid seen, to pick up tracks other code or processes placed. */
  private seenRowid = 0;
  /** Asked before every recommendation: prepared once, not per call. */
  private latestRowid: { database: Database; query: Statement<[], number> } | null = null;

  private constructor(
    readonly model: ClusterModel,
    expectedSizes: Int32Array,
  ) {
    this.d = model.spec.features.length;
    this.centroids = Float64Array.from(model.centroids.flat());
    this.members = Array.from({ length: model.k }, (_, c) => new ClusterMembers(this.d, expectedSizes[c] ?? 0));
    const n = expectedSizes.reduce((sum, size) => sum + size, 0);
    this.loaded = { trackIds: new Int32Array(n), clusters: new Int32Array(n), slots: new Int32Array(n), length: 0 };
  }

  /** Builds the index of a stored model from the database. */
  static load(database: Database, model: ClusterModel): ClusterIndex {
    const index = ClusterIndex.start(database, model);
    for (const page of modelFeaturePages(database, model.id)) index.appendLoaded(page);
    index.finishLoading();
    return index;
  }

  /** Builds the index page by page, yielding between pages: the process keeps serving meanwhile. */
  static async loadInBackground(database: Database, model: ClusterModel): Promise<ClusterIndex> {
    const index = ClusterIndex.start(database, model);
    for (const page of modelFeaturePages(database, model.id)) {
      index.appendLoaded(page);
      await new Promise((resolve) => setImmediate(resolve));
    }
    index.finishLoading();
    return index;
  }

  private static start(database: Database, model: ClusterModel): ClusterIndex {
    const latestRowid = maxAssignmentRowidQuery(database);
    const seenRowid = latestRowid.get() ?? 0;
    const index = new ClusterIndex(model, modelClusterSizes(database, model.id, model.k));
    index.seenRowid = seenRowid;
    index.latestRowid = { database, query: latestRowid };
    return index;
  }

  /** Adds a page of rows read in track-ID order (tracks placed meanwhile may make it more than counted). */
  private appendLoaded(page: FeatureMatrix & { clusters: Int32Array }): void {
    const { vectors } = scaledVectors(page, this.model.spec, this.model.scaler);
    for (let i = 0; i < page.trackIds.length; i++) {
      const cluster = page.clusters[i]!;
      const members = this.members[cluster];
      if (!members) continue;
      const slot = members.push(page.trackIds[i]!, vectors, i * this.d);
      this.appendOrder(page.trackIds[i]!, cluster, slot);
    }
  }

  private appendOrder(trackId: number, cluster: number, slot: number): void {
    const order = this.loaded;
    if (order.length === order.trackIds.length) {
      const capacity = Math.max(1024, order.length * 2);
      const grow = (a: Int32Array) => {
        const next = new Int32Array(capacity);
        next.set(a);
        return next;
      };
      this.loaded = { trackIds: grow(order.trackIds), clusters: grow(order.clusters), slots: grow(order.slots), length: order.length };
    }
    const at = this.loaded.length++;
    this.loaded.trackIds[at] = trackId;
    this.loaded.clusters[at] = cluster;
    this.loaded.slots[at] = slot;
  }

  private finishLoading(): void {
    const { trackIds, clusters, slots, length } = this.loaded;
    // Fewer rows than counted (tracks deleted meanwhile): drop the spare room.
    if (length < trackIds.length) this.loaded = { trackIds: trackIds.slice(0, length), clusters: clusters.slice(0, length), slots: slots.slice(0, length), length };
  }

  /** Adds tracks placed in this model since the index was loaded (one indexed lookup when none were). */
  catchUp(database: Database): number {
    if (this.latestRowid?.database !== database) this.latestRowid = { database, query: maxAssignmentRowidQuery(database) };
    const latest = this.latestRowid.query.get() ?? 0;
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
    return this.loaded.length + this.addedOrder.length;
  }

  /** Bytes the index holds in typed arrays (vectors and track IDs), for the memory metrics. */
  get bytes(): number {
    const order = this.loaded.trackIds.byteLength + this.loaded.clusters.byteLength + this.loaded.slots.byteLength;
    return this.members.reduce((sum, m) => sum + m.bytes, order + (this.scratch?.byteLength ?? 0));
  }

  clusterSize(cluster: number): number {
    return this.members[cluster]?.size ?? 0;
  }

  private where(trackId: number): { cluster: number; slot: number } | null {
    const { trackIds, clusters, slots, length } = this.loaded;
    const at = sortedIndexOf(trackIds, length, trackId);
    if (at >= 0) return { cluster: clusters[at]!, slot: slots[at]! };
    return this.added.get(trackId) ?? null;
  }

  private view(cluster: number, slot: number): Float32Array {
    return this.members[cluster]!.vectors.subarray(slot * this.d, (slot + 1) * this.d);
  }

  /** Where an indexed track sits, or null if the model has not placed it. */
  locate(trackId: number): Placement | null {
    const at = this.where(trackId);
    return at ? { cluster: at.cluster, vector: this.view(at.cluster, at.slot).slice() } : null;
  }

  /** An indexed track's scaled vector (a view: do not modify), or null if the model has not placed it. */
  vectorOf(trackId: number): Float32Array | null {
    const at = this.where(trackId);
    return at ? this.view(at.cluster, at.slot) : null;
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
    const members = this.members[placement.cluster];
    if (!members || this.where(trackId)) return;
    const slot = members.push(trackId, placement.vector);
    this.added.set(trackId, { cluster: placement.cluster, slot });
    this.addedOrder.push(trackId);
  }

  /**
   * The cluster's members in order of distance to `vector` (ties by when they joined), lazily:
   * one pass over the cluster's contiguous vectors, then the nearest 64 in order, and only if the
   * caller keeps asking, the next 256, 1,024… (each round one more pass, never a full sort up front).
   */
  *nearest(vector: Float32Array, cluster: number): Generator<Candidate> {
    const members = this.members[cluster];
    if (!members || members.size === 0) return;
    const count = members.size;
    const distances = this.takeScratch(count);
    try {
      if (this.d !== 12) {
        squaredDistances(members.vectors, count, this.d, vector, distances);
        yield* this.inOrder(distances, count, (m) => members.trackIds[m]!);
        return;
      }
      // What ships: the first round (almost always all a pick reads) in the same pass as the
      // distances, leaving out early every member already past the round's furthest.
      const first = nearestRound12(members.vectors, count, vector, distances, FIRST_ROUND);
      for (const m of first) yield { trackId: members.trackIds[m]!, distance: Math.sqrt(distances[m]!) };
      if (first.length === count) return;
      // The caller wants more: every distance in full, then on past the first round as usual.
      squaredDistances(members.vectors, count, this.d, vector, distances);
      const last = first[first.length - 1]!;
      const order = new MinOrder(distances, count, { value: distances[last]!, index: last, handedOut: first.length });
      for (let round = FIRST_ROUND * 4; !order.done; round *= 4) {
        for (const m of order.next(round)) yield { trackId: members.trackIds[m]!, distance: Math.sqrt(distances[m]!) };
      }
    } finally {
      this.scratch = distances;
    }
  }

  /**
   * Every indexed track in order of distance to `vector`, whatever its cluster (lazily, as
   * `nearest`; ties in track-ID order, then in the order tracks were added). With `weights`, each
   * dimension's squared difference counts that many times.
   */
  *nearestInCatalog(vector: Float32Array, weights?: Float32Array): Generator<Candidate> {
    const count = this.trackCount;
    const distances = new Float64Array(count);
    const clusters = new Int32Array(count);
    const slots = new Int32Array(count);
    for (let row = 0; row < count; row++) {
      const at = this.rowAt(row);
      clusters[row] = at.cluster;
      slots[row] = at.slot;
    }
    const d = this.d;
    for (let row = 0; row < count; row++) {
      const rows = this.members[clusters[row]!]!.vectors;
      const base = slots[row]! * d;
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const diff = rows[base + j]! - vector[j]!;
        dist += (weights ? weights[j]! : 1) * diff * diff;
      }
      distances[row] = dist;
    }
    yield* this.inOrder(distances, count, (row) => this.members[clusters[row]!]!.trackIds[slots[row]!]!);
  }

  private *inOrder(distances: Float64Array, count: number, trackAt: (m: number) => number): Generator<Candidate> {
    const order = new MinOrder(distances, count);
    for (let round = FIRST_ROUND; !order.done; round *= 4) {
      for (const m of order.next(round)) yield { trackId: trackAt(m), distance: Math.sqrt(distances[m]!) };
    }
  }

  /** The least and most of `along · vector` over the indexed tracks (how far a steer can go that way). */
  rangeAlong(along: Float32Array): { min: number; max: number } {
    let min = Infinity;
    let max = -Infinity;
    const d = this.d;
    for (const members of this.members) {
      for (let base = 0; base < members.size * d; base += d) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += along[j]! * members.vectors[base + j]!;
        if (dot < min) min = dot;
        if (dot > max) max = dot;
      }
    }
    return { min, max };
  }

  /** The scratch buffer, or a new one if a caller still holds it (two lazy scans at once). */
  private takeScratch(count: number): Float64Array {
    let buffer = this.scratch;
    this.scratch = null;
    if (!buffer || buffer.length < count) buffer = new Float64Array(Math.max(count, (buffer?.length ?? 0) * 2));
    return buffer;
  }

  /** Where the row-th indexed track is: rows count in track-ID order, then in the order tracks were added. */
  private rowAt(row: number): { cluster: number; slot: number } {
    const { loaded } = this;
    return row < loaded.length ? { cluster: loaded.clusters[row]!, slot: loaded.slots[row]! } : this.added.get(this.addedOrder[row - loaded.length]!)!;
  }

  /** A seeded sample of indexed tracks' vectors and clusters (for the cluster map). */
  sample(count: number, seed: number): { vectors: Float32Array; clusters: Int32Array } {
    const rows = sampleIndices(this.trackCount, count, seededRandom(seed));
    const vectors = new Float32Array(rows.length * this.d);
    const clusters = new Int32Array(rows.length);
    rows.forEach((row, i) => {
      const at = this.rowAt(row);
      vectors.set(this.view(at.cluster, at.slot), i * this.d);
      clusters[i] = at.cluster;
    });
    return { vectors, clusters };
  }

  /** The track closest to a cluster's centroid: its most representative song. */
  representatives(cluster: number): Generator<Candidate> {
    const centroid = Float32Array.from(this.centroids.subarray(cluster * this.d, (cluster + 1) * this.d));
    return this.nearest(centroid, cluster);
  }
}

/** Squared distance from `vector` to each of `count` contiguous rows of `rows` (count × d). */
function squaredDistances(rows: Float32Array, count: number, d: number, vector: Float32Array, out: Float64Array): void {
  if (d === 12) {
    // What ships (ten features, tempo in three columns): unrolled, as below.
    const v0 = vector[0]!, v1 = vector[1]!, v2 = vector[2]!, v3 = vector[3]!, v4 = vector[4]!, v5 = vector[5]!;
    const v6 = vector[6]!, v7 = vector[7]!, v8 = vector[8]!, v9 = vector[9]!, v10 = vector[10]!, v11 = vector[11]!;
    for (let m = 0, base = 0; m < count; m++, base += 12) {
      const a = rows[base]! - v0, b = rows[base + 1]! - v1, c = rows[base + 2]! - v2, e = rows[base + 3]! - v3, f = rows[base + 4]! - v4, g = rows[base + 5]! - v5;
      const h = rows[base + 6]! - v6, i = rows[base + 7]! - v7, j = rows[base + 8]! - v8, k = rows[base + 9]! - v9, l = rows[base + 10]! - v10, n = rows[base + 11]! - v11;
      out[m] = a * a + b * b + c * c + e * e + f * f + g * g + h * h + i * i + j * j + k * k + l * l + n * n;
    }
    return;
  }
  if (d === 9 || d === 10) {
    // Earlier shipped feature specs: unrolled, the pass runs about twice as fast as the generic loop.
    const v0 = vector[0]!, v1 = vector[1]!, v2 = vector[2]!, v3 = vector[3]!, v4 = vector[4]!;
    const v5 = vector[5]!, v6 = vector[6]!, v7 = vector[7]!, v8 = vector[8]!, v9 = d === 10 ? vector[9]! : 0;
    for (let m = 0, base = 0; m < count; m++, base += d) {
      const a = rows[base]! - v0, b = rows[base + 1]! - v1, c = rows[base + 2]! - v2, e = rows[base + 3]! - v3, f = rows[base + 4]! - v4;
      const g = rows[base + 5]! - v5, h = rows[base + 6]! - v6, i = rows[base + 7]! - v7, j = rows[base + 8]! - v8;
      const k = d === 10 ? rows[base + 9]! - v9 : 0;
      out[m] = a * a + b * b + c * c + e * e + f * f + g * g + h * h + i * i + j * j + k * k;
    }
    return;
  }
  for (let m = 0, base = 0; m < count; m++, base += d) {
    let dist = 0;
    for (let j = 0; j < d; j++) {
      const diff = rows[base + j]! - vector[j]!;
      dist += diff * diff;
    }
    out[m] = dist;
  }
}

/**
 * The `take` nearest of `count` contiguous 12-dimensional rows, ascending (ties by index), as
 * MinOrder's first round over squaredDistances would hand them out, in one pass: once `take` are
 * kept, a row whose first six squared differences already pass the furthest kept is dropped
 * without the other six. Only the kept rows' entries of `out` are set, to exactly the value
 * squaredDistances gives (the same sum in the same order; a partial sum never exceeds the whole).
 */
function nearestRound12(rows: Float32Array, count: number, vector: Float32Array, out: Float64Array, take: number): Int32Array {
  const size = Math.min(take, count);
  const heap = new Int32Array(size);
  const v0 = vector[0]!, v1 = vector[1]!, v2 = vector[2]!, v3 = vector[3]!, v4 = vector[4]!, v5 = vector[5]!;
  const v6 = vector[6]!, v7 = vector[7]!, v8 = vector[8]!, v9 = vector[9]!, v10 = vector[10]!, v11 = vector[11]!;
  let filled = 0;
  // The heap's root is the furthest kept (the largest value, on a tie the largest index).
  let rootValue = Infinity;
  for (let m = 0, base = 0; m < count; m++, base += 12) {
    const a = rows[base]! - v0, b = rows[base + 1]! - v1, c = rows[base + 2]! - v2, e = rows[base + 3]! - v3, f = rows[base + 4]! - v4, g = rows[base + 5]! - v5;
    const partial = a * a + b * b + c * c + e * e + f * f + g * g;
    if (partial > rootValue) continue;
    const h = rows[base + 6]! - v6, i = rows[base + 7]! - v7, j = rows[base + 8]! - v8, k = rows[base + 9]! - v9, l = rows[base + 10]! - v10, n = rows[base + 11]! - v11;
    const value = partial + h * h + i * i + j * j + k * k + l * l + n * n;
    if (filled === size) {
      // Later rows lose ties: only a strictly nearer one displaces the root.
      if (value >= rootValue) continue;
      out[m] = value;
      siftDownMax(heap, out, size, m);
    } else {
      out[m] = value;
      siftUpMax(heap, out, filled++, m);
    }
    if (filled === size) rootValue = out[heap[0]!]!;
  }
  sortMaxHeapAscending(heap, out, size);
  return heap;
}

/** Adds `moving` as the max-heap's leaf at `leaf` (keyed by value, then index) and sifts it up. */
function siftUpMax(heap: Int32Array, values: Float64Array, leaf: number, moving: number): void {
  const movingValue = values[moving]!;
  let at = leaf;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    const p = heap[parent]!;
    if (values[p]! > movingValue || (values[p] === movingValue && p > moving)) break;
    heap[at] = p;
    at = parent;
  }
  heap[at] = moving;
}

/** Max-heap order to ascending order, in place: repeatedly moves the largest to the end. */
function sortMaxHeapAscending(heap: Int32Array, values: Float64Array, size: number): void {
  for (let end = size - 1; end > 0; end--) {
    const largest = heap[0]!;
    heap[0] = heap[end]!;
    heap[end] = largest;
    siftDownMax(heap, values, end, heap[0]);
  }
}

/** Puts `moving` at the root of the max-heap's first `limit` entries (keyed by value, then index) and sifts it down. */
function siftDownMax(heap: Int32Array, values: Float64Array, limit: number, moving: number): void {
  const movingValue = values[moving]!;
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= limit) break;
    let child = left;
    const right = left + 1;
    if (right < limit) {
      const l = heap[left]!;
      const r = heap[right]!;
      if (values[r]! > values[l]! || (values[r] === values[l] && r > l)) child = right;
    }
    const c = heap[child]!;
    if (values[c]! < movingValue || (values[c] === movingValue && c < moving)) break;
    heap[at] = c;
    at = child;
  }
  heap[at] = moving;
}

/**
 * Hands out the indices of `values` from smallest to largest (ties by index), a round at a time:
 * each round keeps the next `take` in a bounded max-heap over one pass, skipping everything
 * already handed out.
 */
class MinOrder {
  private lastValue = -Infinity;
  private lastIndex = -1;
  private handedOut = 0;

  constructor(
    private readonly values: Float64Array,
    private readonly count: number,
    /** Where an earlier round over the same values stopped: the last it handed out, and how many. */
    after?: { value: number; index: number; handedOut: number },
  ) {
    if (after) {
      this.lastValue = after.value;
      this.lastIndex = after.index;
      this.handedOut = after.handedOut;
    }
  }

  get done(): boolean {
    return this.handedOut >= this.count;
  }

  next(take: number): Int32Array {
    const { values, count, lastValue, lastIndex } = this;
    const size = Math.min(take, count - this.handedOut);
    const heap = new Int32Array(size);
    let filled = 0;
    // The heap's root is the largest kept so far: a value at or past it is skipped at once.
    let rootValue = Infinity;
    let rootIndex = 0;
    for (let i = 0; i < count; i++) {
      const v = values[i]!;
      if (v < lastValue || (v === lastValue && i <= lastIndex)) continue;
      if (filled === size) {
        if (v > rootValue || (v === rootValue && i > rootIndex)) continue;
        siftDownMax(heap, values, filled, i);
      } else {
        siftUpMax(heap, values, filled++, i);
      }
      if (filled === size) {
        rootIndex = heap[0]!;
        rootValue = values[rootIndex]!;
      }
    }
    sortMaxHeapAscending(heap, values, filled);
    if (size > 0) {
      this.lastIndex = heap[size - 1]!;
      this.lastValue = values[this.lastIndex]!;
    }
    this.handedOut += size;
    return heap;
  }
}
