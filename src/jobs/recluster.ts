import type { App } from '../app.js';
import { clusterCatalog } from '../clustering/clusterCatalog.js';
import { stableNumbering } from '../clustering/identity.js';
import type { NewClusterModel } from '../clustering/modelStore.js';
import type { ClusterModel } from '../types.js';

export type ReclusterOutcome =
  | { status: 'skipped'; reason: string; newTracks: number }
  | { status: 'done'; modelId: number; k: number; tracks: number; renumbered: number; pruned: number[]; seconds: number };

export interface ReclusterOptions {
  /** Re-cluster even if the catalog has hardly changed (`cli cluster --force`). */
  force?: boolean;
  k?: 'auto' | number;
}

/** Tracks with features that the active model did not cluster (placed later, or not at all). */
function newSinceModel(app: Pick<App, 'catalog' | 'models'>, model: ClusterModel | null): { withFeatures: number; fresh: number } {
  const withFeatures = app.catalog.counts().withFeatures;
  return { withFeatures, fresh: model ? Math.max(0, withFeatures - model.trackCount) : withFeatures };
}

function renumber(model: ClusterModel, numbering: number[]): NewClusterModel {
  const move = <T>(items: T[]): T[] => {
    const out = new Array<T>(items.length);
    items.forEach((item, c) => (out[numbering[c]!] = item));
    return out;
  };
  return {
    ...model,
    centroids: move(model.centroids),
    labels: move(model.labels),
    profiles: move(model.profiles),
    metrics: { ...model.metrics, sizes: move(model.metrics.sizes) },
  };
}

/**
 * Builds a new model version when the catalog changed enough (or when forced), numbers its
 * clusters after the ones they sound like in the active model, switches to it in one
 * transaction, and prunes old versions.
 */
export function reclusterCatalog(app: App, options: ReclusterOptions = {}): ReclusterOutcome {
  const started = performance.now();
  const previous = app.models.active();
  const { withFeatures, fresh } = newSinceModel(app, previous);
  const threshold = app.config.jobs.reclusterMinChange;
  if (!options.force && previous && fresh < threshold * Math.max(1, previous.trackCount)) {
    return {
      status: 'skipped',
      reason: `${fresh} of ${withFeatures} tracks are new since model ${previous.id} (re-clustering from ${Math.round(threshold * 100)} %)`,
      newTracks: fresh,
    };
  }
  const logger = app.logger.child({ job: 'recluster' });
  const { model, fit, matrix } = clusterCatalog({ database: app.database, settings: app.config.clustering, logger }, { k: options.k, dryRun: true });
  const numbering = previous ? stableNumbering(previous, model) : model.labels.map((_, c) => c);
  const clusters = fit.labels.map((c) => numbering[c]!);
  const modelId = app.models.save(renumber(model, numbering), { trackIds: matrix.trackIds, clusters, distances: fit.distances });
  // Tracks that gained features while the fit ran join the new model at once.
  app.placeNewTracks();
  const pruned = app.models.prune(app.config.jobs.keepModelVersions);
  return {
    status: 'done',
    modelId,
    k: model.k,
    tracks: matrix.trackIds.length,
    renumbered: numbering.filter((n, c) => n !== c).length,
    pruned,
    seconds: (performance.now() - started) / 1000,
  };
}
