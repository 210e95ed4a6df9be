import { ClusterExhaustedError } from '../errors.js';
import { sortedIndexOf } from '../recommender/clusterIndex.js';
import { Recommender, type RecommenderDeps } from '../recommender/recommender.js';
import type { RecommendContext, Recommendation } from '../types.js';
import type { EvalContext } from './runner.js';

// The recommender's own picks, asked the way the bot asks ("recommend from this catalog track"),
// as dry runs so nothing is logged and no pick is held back as a recent repeat.

/**
 * A fresh recommender on the evaluation catalog: it loads the newly active model at once, and
 * counts its own picks for the hub guard. `extra` adds a variant's policy and draws, or votes.
 */
export function evalRecommender(context: EvalContext, extra: Pick<RecommenderDeps, 'policy' | 'random' | 'feedback'> = {}): Recommender {
  const { app } = context.catalog;
  return new Recommender({
    database: app.database,
    catalog: app.catalog,
    search: app.search,
    models: app.models,
    log: app.recommendations,
    settings: app.config.recommend,
    logger: app.logger,
    ...extra,
  });
}

/** The recommender's dry-run pick for a catalog track, or null when its cluster has nothing left to give. */
export function pickFor(recommender: Recommender, trackId: number, context: Omit<RecommendContext, 'dryRun'> = {}): Recommendation | null {
  try {
    return recommender.recommendForTrack(trackId, { ...context, dryRun: true });
  } catch (error) {
    if (error instanceof ClusterExhaustedError) return null;
    throw error;
  }
}

/** Fills picks[row] with the matrix row of the recommender's pick for every asked row (-1: none). */
export function recommenderPicks(recommender: Recommender, trackIds: Int32Array, rows: Int32Array, picks: Int32Array): void {
  for (const q of rows) {
    const recommendation = pickFor(recommender, trackIds[q]!);
    picks[q] = recommendation ? sortedIndexOf(trackIds, trackIds.length, recommendation.pick.id) : -1;
  }
}
