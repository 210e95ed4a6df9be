import type { Statement } from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { clusterModels } from '../../db/schema.js';
import { writeTransaction, type Database } from '../catalog/database.js';
import { MultiRowInsert } from '../catalog/multiRowInsert.js';
import type { CatalogProfile, ClusterMetrics, ClusterModel, ClusterProfile, FeatureSpec, Scaler } from '../types.js';

// Cluster models live in the database with every track's assignment, so any process can load
// the active one and a restart changes nothing.

export type NewClusterModel = Omit<ClusterModel, 'id' | 'createdAt'>;

export interface Assignments {
  trackIds: Int32Array;
  clusters: Int32Array;
  /** Squared distance to the cluster's centroid. */
  distances: Float64Array;
}

type ModelRow = typeof clusterModels.$inferSelect;

function toModel(row: ModelRow): ClusterModel {
  const profiles = JSON.parse(row.profiles) as {
    clusters: ClusterProfile[];
    catalog: CatalogProfile;
  };
  return {
    id: row.id,
    k: row.k,
    spec: JSON.parse(row.featureSpec) as FeatureSpec,
    scaler: JSON.parse(row.scaler) as Scaler,
    centroids: JSON.parse(row.centroids) as number[][],
    labels: JSON.parse(row.labels) as string[],
    profiles: profiles.clusters,
    catalogProfile: profiles.catalog,
    metrics: JSON.parse(row.metrics) as ClusterMetrics,
    trackCount: row.trackCount,
    createdAt: row.createdAt,
  };
}

export class ModelStore {
  /** Asked before every recommendation: prepared once (building it through drizzle each time was ~20 KB of garbage a pick). */
  private activeIdQuery: Statement<[], number> | null = null;

  constructor(private readonly database: Database) {}

  activeModelId(): number | null {
    this.activeIdQuery ??= this.database.sqlite.prepare<[], number>('SELECT id FROM cluster_models WHERE active = 1 LIMIT 1').pluck();
    return this.activeIdQuery.get() ?? null;
  }

  load(id: number): ClusterModel | null {
    const row = this.database.db.select().from(clusterModels).where(eq(clusterModels.id, id)).get();
    return row ? toModel(row) : null;
  }

  active(): ClusterModel | null {
    const id = this.activeModelId();
    return id == null ? null : this.load(id);
  }

  /**
   * Stores a model and every assignment, and (by default) makes it the active one, in one
   * transaction: readers see either the old complete model or the new complete model.
   */
  save(model: NewClusterModel, assignments: Assignments, options: { activate?: boolean } = {}): number {
    const { sqlite } = this.database;
    const insertAssignments = new MultiRowInsert(sqlite, 'INSERT INTO track_clusters (model_id, track_id, cluster, distance) VALUES', 4);
    return writeTransaction(sqlite, () => {
      const row = this.database.db
        .insert(clusterModels)
        .values({
          k: model.k,
          featureSpec: JSON.stringify(model.spec),
          scaler: JSON.stringify(model.scaler),
          centroids: JSON.stringify(model.centroids),
          labels: JSON.stringify(model.labels),
          profiles: JSON.stringify({ clusters: model.profiles, catalog: model.catalogProfile }),
          metrics: JSON.stringify(model.metrics),
          trackCount: model.trackCount,
          active: false,
        })
        .returning({ id: clusterModels.id })
        .get();
      const { trackIds, clusters, distances } = assignments;
      for (let i = 0; i < trackIds.length; i++) {
        insertAssignments.value(row.id);
        insertAssignments.value(trackIds[i]!);
        insertAssignments.value(clusters[i]!);
        insertAssignments.value(distances[i]!);
      }
      insertAssignments.finish();
      if (options.activate ?? true) this.activate(row.id);
      return row.id;
    });
  }

  activate(id: number): void {
    writeTransaction(this.database.sqlite, () => {
      this.database.db.update(clusterModels).set({ active: false }).where(eq(clusterModels.active, true)).run();
      this.database.db.update(clusterModels).set({ active: true }).where(eq(clusterModels.id, id)).run();
    });
  }

  /** Records where a track added after the model was built belongs. */
  assign(modelId: number, trackId: number, cluster: number, distance: number): void {
    this.database.sqlite
      .prepare(
        'INSERT INTO track_clusters (model_id, track_id, cluster, distance) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET cluster = excluded.cluster, distance = excluded.distance',
      )
      .run(modelId, trackId, cluster, distance);
  }

  /**
   * Deletes old model versions (and their assignments), keeping the newest `keep` and always the
   * active one. Returns the IDs deleted.
   */
  prune(keep: number): number[] {
    const { sqlite } = this.database;
    const doomed = sqlite
      .prepare('SELECT id FROM cluster_models WHERE active = 0 AND id NOT IN (SELECT id FROM cluster_models ORDER BY id DESC LIMIT ?)')
      .pluck()
      .all(keep) as number[];
    const remove = sqlite.prepare('DELETE FROM cluster_models WHERE id = ?');
    for (const id of doomed) writeTransaction(sqlite, () => remove.run(id));
    return doomed;
  }

  clusterSizes(modelId: number): number[] {
    const rows = this.database.sqlite
      .prepare('SELECT cluster, COUNT(*) AS n FROM track_clusters WHERE model_id = ? GROUP BY cluster ORDER BY cluster')
      .all(modelId) as { cluster: number; n: number }[];
    const model = this.load(modelId);
    const sizes = new Array<number>(model?.k ?? 0).fill(0);
    for (const row of rows) sizes[row.cluster] = row.n;
    return sizes;
  }
}
