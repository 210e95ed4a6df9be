import type { App } from './app.js';
import type { CatalogCounts } from './catalog/catalog.js';

// What the catalog holds, for `cli stats` and /stats. Reads the database only; never the network.

export interface CatalogStats extends CatalogCounts {
  seeds: number;
  recommendationsGiven: number;
  model: {
    id: number;
    k: number;
    createdAt: number;
    trackCount: number;
    inertia: number;
    silhouette: number | null;
    clusters: { id: number; label: string; size: number }[];
  } | null;
}

export function catalogStats(app: Pick<App, 'catalog' | 'models' | 'database'>): CatalogStats {
  const counts = app.catalog.counts();
  const count = (sql: string) => app.database.sqlite.prepare(sql).pluck().get() as number;
  const model = app.models.active();
  const sizes = model ? app.models.clusterSizes(model.id) : [];
  return {
    ...counts,
    seeds: count('SELECT COUNT(*) FROM seeds'),
    recommendationsGiven: count('SELECT COUNT(*) FROM recommendations'),
    model: model
      ? {
          id: model.id,
          k: model.k,
          createdAt: model.createdAt,
          trackCount: sizes.reduce((a, b) => a + b, 0),
          inertia: model.metrics.inertia,
          silhouette: model.metrics.silhouette,
          clusters: model.labels.map((label, id) => ({ id, label, size: sizes[id] ?? 0 })),
        }
      : null,
  };
}
