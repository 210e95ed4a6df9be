import { clusterCatalog, type ClusterRun } from '../clustering/clusterCatalog.js';
import { scaledVectors } from '../clustering/featureMatrix.js';
import { sampleIndices, seededRandom } from '../clustering/random.js';
import { SHIPPED_PICK_POLICY, type PickPolicy } from '../recommender/recommender.js';
import type { FeatureSpec } from '../types.js';
import { nearestNeighbourPicks, NINE_FEATURES, randomPicks, sameClusterRandomPicks, unscaledVectors } from './baselines.js';
import type { EvalDataset, LabelKind } from './datasets.js';
import type { EvalCatalog } from './evalCatalog.js';
import { simulateFeedback, type FeedbackSimulation, type FeedbackSimulationOptions } from './feedbackSimulation.js';
import { hasLabel, loadLabelSets, type LabelSets } from './labels.js';
import { hitRate, reach, sameArtistShare, sizeSpread, type HitRate, type Reach, type SizeSpread } from './metrics.js';
import { evalRecommender, recommenderPicks } from './shipped.js';
import { NEAREST_IN_SHIPPED_SPACE, qualityTargets, type QualityTarget } from './targets.js';
import { loadTrackKeys, type TrackKeys } from './trackKeys.js';

// One dataset's evaluation: the shipped clustering and recommender against the baselines, on the
// same catalog tracks and the same seeded queries.

export interface EvalOptions {
  /** Queries for the hit rates: a seeded sample of the tracks that carry a label. */
  queries: number;
  seed: number;
  /** Reach is measured with every catalog track as a query ('catalog'), or the sample only (fast). */
  reachOver: 'catalog' | 'sample';
  /** The simulated-feedback run's size, or null to skip it. */
  feedback: FeedbackSimulationOptions | null;
  onProgress?: ((message: string) => void) | undefined;
}

export interface MethodResult {
  id: string;
  name: string;
  /** Over the seeded queries. */
  hitRates: Partial<Record<LabelKind, HitRate>>;
  /** Over every catalog track that carries the label (when reach is measured over the catalog): no sampling noise. */
  hitRatesAllTracks: Partial<Record<LabelKind, HitRate>> | null;
  reach: Reach;
  /** Share of picks by the query's own (primary) artist, over the reach queries. */
  sameArtistShare: number;
  /** The most-picked tracks over the reach queries, most first. */
  topPicks: { name: string; artists: string[]; picks: number }[];
  seconds: number;
}

export interface ModelSummary {
  k: number;
  kChosenBy: 'silhouette' | 'setting';
  kCandidates: { k: number; silhouette: number }[] | null;
  silhouette: number | null;
  clusterSizes: SizeSpread;
  features: string[];
  scaling: string;
}

export interface DatasetResult {
  dataset: string;
  file: string;
  rowsRead: number;
  skippedRows: number;
  /** Distinct track IDs among the rows read. */
  distinctIds: number;
  /** IDs merged into a track already imported under another ID (same normalised title and primary artist). */
  mergedDuplicates: number;
  /** Catalog tracks with features: fewer than the file's distinct IDs, as the same recording merges. */
  catalogTracks: number;
  measures: LabelKind[];
  distinctLabels: Partial<Record<LabelKind, number>>;
  queries: number;
  seed: number;
  reachOver: EvalOptions['reachOver'];
  model: ModelSummary;
  methods: MethodResult[];
  /** Issue 16's targets, PASS or MISS (empty when hit rates were not measured over every track). */
  targets: QualityTarget[];
  feedback: FeedbackSimulation | null;
}

/** What every method is scored on: the catalog's rows, their labels, and the queries. */
export interface EvalContext {
  catalog: EvalCatalog;
  trackIds: Int32Array;
  labels: LabelSets[];
  queries: Int32Array;
  /** Rows asked for reach: every row, or the queries. */
  reachRows: Int32Array;
  keys: TrackKeys;
}

export function createContext(catalog: EvalCatalog, run: ClusterRun, dataset: EvalDataset, options: EvalOptions): EvalContext {
  const { trackIds } = run.matrix;
  const labels = dataset.measures.map((kind) => loadLabelSets(catalog.app.database, trackIds, kind));
  const everyRow = Int32Array.from({ length: trackIds.length }, (_, row) => row);
  // Queries come from the tracks that carry the first measure's label (the genre).
  const labelled = everyRow.filter((row) => hasLabel(labels[0]!, row));
  const sample = sampleIndices(labelled.length, options.queries, seededRandom(options.seed));
  const queries = Int32Array.from(sample, (i) => labelled[i]!).sort();
  const reachRows = options.reachOver === 'catalog' ? everyRow : queries;
  return { catalog, trackIds, labels, queries, reachRows, keys: loadTrackKeys(catalog.app.database, trackIds) };
}

/** Scores one way of picking: fill(rows, picks) sets picks[row] for every asked row. */
export function score(context: EvalContext, id: string, name: string, fill: (rows: Int32Array, picks: Int32Array) => void): MethodResult {
  const started = performance.now();
  const picks = new Int32Array(context.trackIds.length).fill(-1);
  fill(context.reachRows, picks);
  const rates = (rows: Int32Array) => Object.fromEntries(context.labels.map((sets) => [sets.kind, hitRate(sets, rows, picks)]));
  return {
    id,
    name,
    hitRates: rates(context.queries),
    hitRatesAllTracks: context.reachRows === context.queries ? null : rates(context.reachRows),
    reach: reach(picks, context.reachRows, context.trackIds.length),
    sameArtistShare: sameArtistShare(context.keys, context.reachRows, picks),
    topPicks: topPicks(context, picks, 3),
    seconds: (performance.now() - started) / 1000,
  };
}

function topPicks(context: EvalContext, picks: Int32Array, count: number): MethodResult['topPicks'] {
  const counts = new Map<number, number>();
  for (const q of context.reachRows) if (picks[q]! >= 0) counts.set(picks[q]!, (counts.get(picks[q]!) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, count)
    .flatMap(([row, n]) => {
      const track = context.catalog.app.catalog.getTrack(context.trackIds[row]!);
      return track ? [{ name: track.name, artists: track.artists, picks: n }] : [];
    });
}

/** Scores a recommender (the shipped one, or a variant's policy) on the active model. */
export function scoreRecommender(context: EvalContext, id: string, name: string, policy?: PickPolicy, seed = 0): MethodResult {
  const recommender = evalRecommender(context, { policy, random: seededRandom(seed) });
  return score(context, id, name, (rows, picks) => recommenderPicks(recommender, context.trackIds, rows, picks));
}

/** "speechiness (sqrt) ×2": a spec entry as the tables show it. */
export function describeFeature(entry: FeatureSpec['features'][number]): string {
  return `${entry.feature}${entry.transform === 'identity' ? '' : ` (${entry.transform})`}${entry.weight === 1 ? '' : ` ×${Number(entry.weight.toFixed(2))}`}`;
}

function summariseModel(run: ClusterRun): ModelSummary {
  const { model } = run;
  const { spec } = model;
  return {
    k: model.k,
    kChosenBy: model.metrics.kCandidates ? 'silhouette' : 'setting',
    kCandidates: model.metrics.kCandidates ?? null,
    silhouette: model.metrics.silhouette,
    clusterSizes: sizeSpread(model.metrics.sizes),
    features: spec.features.map(describeFeature),
    scaling: spec.scaling,
  };
}

/** Clusters the catalog as shipped and scores the recommender and the four baselines. */
export function evaluateCatalog(catalog: EvalCatalog, dataset: EvalDataset, options: EvalOptions): DatasetResult {
  const { app, imported } = catalog;
  const progress = options.onProgress ?? (() => {});
  progress(`${dataset.name}: clustering ${app.catalog.counts().withFeatures.toLocaleString('en')} tracks`);
  const run = clusterCatalog({ database: app.database, settings: app.config.clustering, logger: app.logger });
  const context = createContext(catalog, run, dataset, options);
  const { matrix, fit } = run;
  const d = NINE_FEATURES.features.length;
  const methods: MethodResult[] = [];
  const add = (result: MethodResult) => {
    methods.push(result);
    progress(`${dataset.name}: ${result.name} (${result.seconds.toFixed(1)} s)`);
  };

  add(score(context, 'random', 'random track', (rows, picks) => randomPicks(matrix.trackIds.length, rows, seededRandom(options.seed + 1), picks)));
  add(score(context, 'same-cluster-random', 'random track from the same cluster', (rows, picks) =>
    sameClusterRandomPicks(fit.labels, fit.k, rows, seededRandom(options.seed + 2), picks)));
  const raw = unscaledVectors(matrix);
  add(score(context, 'nearest-raw', 'nearest neighbour, nine raw features (unscaled)', (rows, picks) => nearestNeighbourPicks(raw, d, rows, picks)));
  const standardised = scaledVectors(matrix, NINE_FEATURES).vectors;
  add(score(context, 'nearest-standardised', 'nearest neighbour, nine standardised features', (rows, picks) =>
    nearestNeighbourPicks(standardised, d, rows, picks)));
  // What the targets compare with: the nearest neighbour in the recommender's own space, by the recommender's rules.
  add(score(context, NEAREST_IN_SHIPPED_SPACE, 'nearest neighbour, shipped features, another artist', (rows, picks) =>
    nearestNeighbourPicks(run.vectors, run.model.spec.features.length, rows, picks, context.keys)));
  add(scoreRecommender(context, 'recommender-no-hub-guard', 'the recommender without the hub guard', { ...SHIPPED_PICK_POLICY, hubGuard: false }));
  add(scoreRecommender(context, 'recommender', 'the recommender as shipped'));
  let feedback: FeedbackSimulation | null = null;
  if (options.feedback && dataset.measures.includes('genre')) {
    feedback = simulateFeedback(context, options.feedback);
    progress(`${dataset.name}: simulated feedback (${feedback.seconds.toFixed(1)} s)`);
  }

  return {
    dataset: dataset.name,
    file: dataset.file,
    rowsRead: imported.rowsRead,
    skippedRows: imported.skipped,
    distinctIds: imported.tracksAdded + imported.mergedDuplicates,
    mergedDuplicates: imported.mergedDuplicates,
    catalogTracks: matrix.trackIds.length,
    measures: dataset.measures,
    distinctLabels: Object.fromEntries(context.labels.map((sets) => [sets.kind, sets.distinct])),
    queries: context.queries.length,
    seed: options.seed,
    reachOver: options.reachOver,
    model: summariseModel(run),
    methods,
    targets: qualityTargets(methods, dataset.measures),
    feedback,
  };
}
