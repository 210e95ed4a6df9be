import type { Database } from '../catalog/database.js';
import {
  AUDIO_FEATURE_NAMES,
  DESCRIBED_FEATURES,
  type AudioFeatureName,
  type AudioFeatures,
  type CatalogProfile,
  type ClusterProfile,
  type DescribedFeature,
  type FeatureSpec,
  type Scaler,
} from '../types.js';
import { transformValue } from './featureSpec.js';
import { fitScaler, scaleVector } from './scaler.js';
import { grown } from '../typedArrays.js';

// Every track's 13 raw features as one typed matrix: loaded once per clustering run or index
// build, so a million tracks cost ~50 MB and no per-track objects.

const WIDTH = AUDIO_FEATURE_NAMES.length;
const COLUMN: Record<AudioFeatureName, number> = Object.fromEntries(
  AUDIO_FEATURE_NAMES.map((name, i) => [name, i]),
) as Record<AudioFeatureName, number>;

export interface FeatureMatrix {
  trackIds: Int32Array;
  /** n × 13 in AUDIO_FEATURE_NAMES order; NaN where a provider had no value. */
  raw: Float32Array;
}

const SELECT_FEATURES = `SELECT track_id, danceability, energy, key, loudness, mode, speechiness, acousticness,
  instrumentalness, liveness, valence, tempo, duration_ms, time_signature FROM audio_features`;

/**
 * Streams rows of (track_id, 13 features[, cluster]) into typed arrays: a million tracks never
 * exist as a million JS arrays at once.
 */
function readMatrix(database: Database, sql: string, params: unknown[], withCluster: boolean): FeatureMatrix & { clusters: Int32Array } {
  const statement = database.sqlite.prepare(sql).raw();
  let capacity = 1024;
  let trackIds = new Int32Array(capacity);
  let clusters = new Int32Array(withCluster ? capacity : 0);
  let raw = new Float32Array(capacity * WIDTH);
  let n = 0;
  for (const row of statement.iterate(...params) as IterableIterator<(number | null)[]>) {
    if (n === capacity) {
      capacity *= 2;
      trackIds = grown(trackIds, capacity);
      raw = grown(raw, capacity * WIDTH);
      if (withCluster) clusters = grown(clusters, capacity);
    }
    trackIds[n] = row[0]!;
    for (let j = 0; j < WIDTH; j++) raw[n * WIDTH + j] = row[j + 1] ?? Number.NaN;
    if (withCluster) clusters[n] = row[WIDTH + 1]!;
    n++;
  }
  return { trackIds: trackIds.slice(0, n), raw: raw.slice(0, n * WIDTH), clusters: clusters.slice(0, withCluster ? n : 0) };
}

/** Loads the features of every track that has them (or of the given query's tracks), ordered by track ID. */
export function loadFeatureMatrix(database: Database, sql = `${SELECT_FEATURES} ORDER BY track_id`, params: unknown[] = []): FeatureMatrix {
  const { trackIds, raw } = readMatrix(database, sql, params, false);
  return { trackIds, raw };
}

const MODEL_ROWS = `SELECT f.track_id, f.danceability, f.energy, f.key, f.loudness, f.mode, f.speechiness, f.acousticness,
    f.instrumentalness, f.liveness, f.valence, f.tempo, f.duration_ms, f.time_signature, tc.cluster
  FROM track_clusters tc JOIN audio_features f ON f.track_id = tc.track_id`;

/**
 * A model's tracks page by page (keyset on track ID, in track-ID order): a million-track index
 * is built from pages of a few megabytes rather than from one matrix of every feature.
 */
export function* modelFeaturePages(database: Database, modelId: number, pageSize = 20_000): Generator<FeatureMatrix & { clusters: Int32Array }> {
  let after = -1;
  for (;;) {
    const page = readMatrix(database, `${MODEL_ROWS} WHERE tc.model_id = ? AND tc.track_id > ? ORDER BY tc.track_id LIMIT ?`, [modelId, after, pageSize], true);
    if (page.trackIds.length === 0) return;
    yield page;
    after = page.trackIds[page.trackIds.length - 1]!;
  }
}

/** How many tracks a model placed in each cluster (from the (model, cluster) index). */
export function modelClusterSizes(database: Database, modelId: number, k: number): Int32Array {
  const sizes = new Int32Array(k);
  const rows = database.sqlite.prepare('SELECT cluster, COUNT(*) FROM track_clusters WHERE model_id = ? GROUP BY cluster').raw().all(modelId) as [number, number][];
  for (const [cluster, count] of rows) if (cluster >= 0 && cluster < k) sizes[cluster] = count;
  return sizes;
}

/**
 * Assignments added to a model after a given rowid (tracks placed since an index was loaded).
 * The unary + keeps SQLite on the rowid range instead of scanning the model's million rows.
 */
export function loadModelAssignmentsSince(database: Database, modelId: number, afterRowid: number): FeatureMatrix & { clusters: Int32Array } {
  return readMatrix(database, `${MODEL_ROWS} WHERE tc.rowid > ? AND +tc.model_id = ? ORDER BY tc.rowid`, [afterRowid, modelId], true);
}

export function rowFeatures(raw: Float32Array, i: number): AudioFeatures {
  const at = (name: AudioFeatureName) => raw[i * WIDTH + COLUMN[name]]!;
  const orNull = (v: number) => (Number.isNaN(v) ? null : v);
  return {
    danceability: at('danceability'),
    energy: at('energy'),
    key: orNull(at('key')),
    loudness: at('loudness'),
    mode: orNull(at('mode')),
    speechiness: at('speechiness'),
    acousticness: at('acousticness'),
    instrumentalness: at('instrumentalness'),
    liveness: at('liveness'),
    valence: at('valence'),
    tempo: at('tempo'),
    durationMs: orNull(at('durationMs')),
    timeSignature: orNull(at('timeSignature')),
  };
}

/** The spec's transformed (unscaled) features, n × d. */
export function specMatrix(matrix: FeatureMatrix, spec: FeatureSpec): Float64Array {
  const n = matrix.trackIds.length;
  const d = spec.features.length;
  const out = new Float64Array(n * d);
  const columns = spec.features.map((entry) => COLUMN[entry.feature]);
  const transforms = spec.features.map((entry) => entry.transform);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = matrix.raw[i * WIDTH + columns[j]!]!;
      out[i * d + j] = Number.isNaN(v) ? Number.NaN : transformValue(v, transforms[j]!);
    }
  }
  return out;
}

/** Learns the scaler from the catalog and returns the scaled, weighted vectors (n × d). */
export function scaledVectors(matrix: FeatureMatrix, spec: FeatureSpec, scaler?: Scaler): { vectors: Float32Array; scaler: Scaler } {
  const n = matrix.trackIds.length;
  const d = spec.features.length;
  const transformed = specMatrix(matrix, spec);
  const fitted = scaler ?? fitScaler(transformed, n, d, spec.scaling);
  const vectors = new Float32Array(n * d);
  for (let i = 0; i < n; i++) scaleVector(transformed.subarray(i * d, i * d + d), fitted, spec, vectors, i * d);
  return { vectors, scaler: fitted };
}

/** The median of a column's present values (NaN skipped; the mean of the two middle ones when even), sorting in place. */
export function medianOf(values: Float32Array | Float64Array): number {
  const sorted = values.sort();
  // NaN sorts last in typed arrays.
  let count = sorted.length;
  while (count > 0 && Number.isNaN(sorted[count - 1]!)) count--;
  if (count === 0) return Number.NaN;
  const mid = count >> 1;
  return count % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Raw-unit means and medians per cluster and for the whole catalog (with standard deviations), for
 * labels and pictures: a label word must hold for a cluster's typical (median) song, not only for
 * its average, which a few outliers can pull. A value a source did not give (mode, from some
 * datasets) is left out; a cluster with none of it takes the catalog's.
 */
export function profileClusters(matrix: FeatureMatrix, labels: Int32Array, k: number): { profiles: ClusterProfile[]; catalog: CatalogProfile } {
  const n = labels.length;
  const m = DESCRIBED_FEATURES.length;
  const columns = DESCRIBED_FEATURES.map((f) => COLUMN[f]);
  // Sums in typed arrays: records keyed by feature name cost a lookup per value on a million tracks.
  const sizes = new Float64Array(k);
  const sums = new Float64Array(k * m);
  const counts = new Float64Array(k * m);
  const total = new Float64Array(m);
  const squares = new Float64Array(m);
  const present = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    sizes[c]!++;
    for (let f = 0; f < m; f++) {
      const v = matrix.raw[i * WIDTH + columns[f]!]!;
      if (Number.isNaN(v)) continue;
      sums[c * m + f]! += v;
      counts[c * m + f]!++;
      total[f]! += v;
      squares[f]! += v * v;
      present[f]!++;
    }
  }
  // Medians: one feature at a time, its column laid out cluster by cluster (a counting sort), each
  // cluster's run sorted on its own; n floats of scratch, not n × m.
  const starts = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) starts[c + 1] = starts[c]! + sizes[c]!;
  const column = new Float32Array(n);
  const fill = new Int32Array(k);
  const clusterMedians = new Float64Array(k * m);
  const catalogMedians = new Float64Array(m);
  for (let f = 0; f < m; f++) {
    fill.set(starts.subarray(0, k));
    for (let i = 0; i < n; i++) column[fill[labels[i]!]!++] = matrix.raw[i * WIDTH + columns[f]!]!;
    for (let c = 0; c < k; c++) clusterMedians[c * m + f] = medianOf(column.subarray(starts[c], starts[c + 1]));
    catalogMedians[f] = medianOf(column);
  }
  const record = (value: (f: number) => number) =>
    Object.fromEntries(DESCRIBED_FEATURES.map((name, f) => [name, value(f)])) as Record<DescribedFeature, number>;
  const mean = (f: number) => (present[f]! > 0 ? total[f]! / present[f]! : 0);
  const catalogMedian = (f: number) => (Number.isNaN(catalogMedians[f]!) ? 0 : catalogMedians[f]!);
  const means = record(mean);
  const stds = record((f) => (present[f]! > 0 ? Math.sqrt(Math.max(0, squares[f]! / present[f]! - mean(f) ** 2)) : 0));
  const profiles: ClusterProfile[] = Array.from({ length: k }, (_, c) => ({
    size: sizes[c]!,
    means: record((f) => (counts[c * m + f]! > 0 ? sums[c * m + f]! / counts[c * m + f]! : sizes[c]! > 0 ? mean(f) : 0)),
    medians: record((f) => (counts[c * m + f]! > 0 ? clusterMedians[c * m + f]! : catalogMedian(f))),
  }));
  return { profiles, catalog: { means, stds, medians: record(catalogMedian) } };
}
