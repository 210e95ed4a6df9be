import { clusterCatalog } from '../clustering/clusterCatalog.js';
import { sampleIndices, seededRandom } from '../clustering/random.js';
import type { EvalDataset } from './datasets.js';
import type { EvalCatalog } from './evalCatalog.js';
import { loadLabelSets } from './labels.js';
import { evaluateMixing, type MixEvaluation } from './mixing.js';
import { evaluateSteering, type SteerEvaluation } from './steering.js';

// The steer and mix sections of `npm run eval`: they run on the shipped model of the dataset
// (clustering it when the quality section has not), with the app's own recommender and mixer,
// as dry runs.

export type EvalSection = 'quality' | 'steer' | 'mix' | 'search';
export const EVAL_SECTIONS: readonly EvalSection[] = ['quality', 'steer', 'mix', 'search'];

/** The datasets each section runs on: steering on TidyTuesday's every track, mixes on its playlists. */
export const SECTION_DATASETS: Record<Exclude<EvalSection, 'quality' | 'search'>, string> = { steer: 'TidyTuesday', mix: 'TidyTuesday' };

function modelTrackIds(catalog: EvalCatalog): Int32Array {
  const { app } = catalog;
  if (app.models.activeModelId() === null) clusterCatalog({ database: app.database, settings: app.config.clustering, logger: app.logger });
  return Int32Array.from(
    app.database.sqlite.prepare('SELECT track_id FROM track_clusters WHERE model_id = ? ORDER BY track_id').pluck().all(app.models.activeModelId()) as number[],
  );
}

function genresOf(catalog: EvalCatalog, trackIds: Int32Array): (trackId: number) => string[] {
  const sets = loadLabelSets(catalog.app.database, trackIds, 'genre');
  const rowOf = new Map<number, number>();
  trackIds.forEach((id, row) => rowOf.set(id, row));
  return (trackId) => {
    const row = rowOf.get(trackId);
    return row === undefined ? [] : Array.from(sets.values.subarray(sets.offsets[row], sets.offsets[row + 1]), (label) => sets.names[label]!);
  };
}

/**
 * Every track as a query, or (while tuning) a seeded sample of `queries` of them: tune on a
 * sample, then report the whole catalog.
 */
export function steerSection(
  catalog: EvalCatalog,
  dataset: EvalDataset,
  onProgress: (message: string) => void,
  options: { queries?: number | undefined; seed: number } = { seed: 1 },
): SteerEvaluation {
  const all = modelTrackIds(catalog);
  const sampled = options.queries !== undefined && options.queries < all.length;
  const trackIds = sampled ? sampleIndices(all.length, options.queries!, seededRandom(options.seed)).sort().map((row) => all[row]!) : all;
  onProgress(`${dataset.name}: steering ${trackIds.length.toLocaleString('en')} queries in every direction`);
  return evaluateSteering(dataset.name, catalog.app.recommender, trackIds, {
    onProgress,
    catalogSize: all.length,
    sampleSeed: sampled ? options.seed : null,
    ...(dataset.measures.includes('genre') ? { genresOf: genresOf(catalog, all) } : {}),
  });
}

export function mixSection(catalog: EvalCatalog, dataset: EvalDataset, seed: number, onProgress: (message: string) => void): MixEvaluation | null {
  if (!dataset.measures.includes('playlist')) return null;
  const trackIds = modelTrackIds(catalog);
  const { app } = catalog;
  const playlists = loadLabelSets(app.database, trackIds, 'playlist');
  return evaluateMixing(dataset.name, app.mixer, app.recommender.currentIndex(), trackIds, playlists, { seed, onProgress });
}
