import type { Database } from '../catalog/database.js';
import type { Config } from '../config.js';
import { NotEnoughTracksError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ClusterModel, FeatureSpec } from '../types.js';
import { DEFAULT_FEATURE_SPEC } from './featureSpec.js';
import { loadFeatureMatrix, profileClusters, scaledVectors, type FeatureMatrix } from './featureMatrix.js';
import { fitKMeans, type KMeansFit } from './kmeans.js';
import { labelClusters } from './labels.js';
import { ModelStore } from './modelStore.js';
import { sampleIndices, seededRandom } from './random.js';
import { silhouette } from './silhouette.js';

export interface ClusterRunOptions {
  k?: 'auto' | number;
  spec?: FeatureSpec;
  /** Leave the current model active (evaluation and benchmarks). */
  activate?: boolean;
  /** Do not store anything; return the fit only (evaluation). */
  dryRun?: boolean;
}

export interface ClusterRun {
  model: ClusterModel;
  fit: KMeansFit;
  matrix: FeatureMatrix;
  vectors: Float32Array;
}

const SILHOUETTE_SAMPLE = 2_000;
const K_SEARCH_SAMPLE = 20_000;
const K_SEARCH_CANDIDATES = 6;

/** Candidate ks spread over [min, max]: at most a handful, since each costs a fit. */
export function kCandidates(min: number, max: number, count = K_SEARCH_CANDIDATES): number[] {
  if (max <= min) return [min];
  const step = Math.max(1, Math.round((max - min) / (count - 1)));
  const out: number[] = [];
  for (let k = min; k < max; k += step) out.push(k);
  out.push(max);
  return [...new Set(out)];
}

/** Picks k by silhouette, each candidate fitted on the same seeded sample. */
function chooseK(vectors: Float32Array, d: number, settings: Config['clustering']): { k: number; scores: { k: number; silhouette: number }[] } {
  const n = vectors.length / d;
  const sample = sampleIndices(n, Math.min(n, K_SEARCH_SAMPLE), seededRandom(settings.seed + 1));
  const subset = new Float32Array(sample.length * d);
  sample.forEach((i, s) => subset.set(vectors.subarray(i * d, i * d + d), s * d));
  const scores = kCandidates(settings.kMin, Math.min(settings.kMax, Math.floor(sample.length / 10)))
    .filter((k) => k >= 2)
    .map((k) => {
      const fit = fitKMeans(subset, d, k, { seed: settings.seed });
      return { k, silhouette: silhouette(subset, d, fit.labels, k, { sampleSize: SILHOUETTE_SAMPLE, seed: settings.seed }) };
    });
  const best = scores.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
  return { k: best.k, scores };
}

/**
 * Clusters every track that has audio features and stores the result as a new model version,
 * made active atomically unless told otherwise.
 */
export function clusterCatalog(
  deps: { database: Database; settings: Config['clustering']; logger: Logger },
  options: ClusterRunOptions = {},
): ClusterRun {
  const { database, settings, logger } = deps;
  const spec = options.spec ?? DEFAULT_FEATURE_SPEC;
  const started = performance.now();
  const matrix = loadFeatureMatrix(database);
  const n = matrix.trackIds.length;
  const requested = options.k ?? settings.k;
  const minTracks = Math.max(20, requested === 'auto' ? settings.kMin * 5 : requested * 5);
  if (n < minTracks) throw new NotEnoughTracksError(n, minTracks);
  const { vectors, scaler } = scaledVectors(matrix, spec);
  const d = spec.features.length;
  const loadedMs = performance.now() - started;

  const choice = requested === 'auto' ? chooseK(vectors, d, settings) : { k: requested, scores: undefined };
  const fitStarted = performance.now();
  const fit = fitKMeans(vectors, d, choice.k, { seed: settings.seed });
  const fitMs = performance.now() - fitStarted;
  const { profiles, catalog } = profileClusters(matrix, fit.labels, fit.k);
  const sil = silhouette(vectors, d, fit.labels, fit.k, { sampleSize: SILHOUETTE_SAMPLE, seed: settings.seed });

  const centroids: number[][] = [];
  for (let c = 0; c < fit.k; c++) centroids.push(Array.from(fit.centroids.subarray(c * d, c * d + d)));
  const draft = {
    k: fit.k,
    spec,
    scaler,
    centroids,
    labels: labelClusters(profiles, catalog),
    profiles,
    catalogProfile: catalog,
    metrics: {
      inertia: fit.inertia,
      silhouette: sil,
      sizes: profiles.map((p) => p.size),
      iterations: fit.iterations,
      fitMs,
      kCandidates: choice.scores,
    },
    trackCount: n,
  };

  let id = 0;
  let createdAt = Date.now();
  if (!options.dryRun) {
    const store = new ModelStore(database);
    id = store.save(
      draft,
      { trackIds: matrix.trackIds, clusters: fit.labels, distances: fit.distances },
      { activate: options.activate ?? true },
    );
    createdAt = store.load(id)?.createdAt ?? createdAt;
  }
  logger.info(
    { modelId: id, k: fit.k, tracks: n, inertia: fit.inertia, silhouette: sil, loadedMs, fitMs },
    'clustered the catalog',
  );
  return { model: { ...draft, id, createdAt }, fit, matrix, vectors };
}
