import type { Database } from '../catalog/database.js';

// A track picked for far more songs than its share of its cluster is a "hub": k-means clusters
// have a few tracks near the middle of many neighbourhoods, which would otherwise answer for half
// the cluster. Counting is per distinct song asked, so a popular song asked again and again does
// not make its answer a hub.

/** Picks a track may take before it is damped: this many times its cluster's average... */
const HUB_FACTOR = 3;
/** ...and never fewer than this (a young model's counts are noise). */
const HUB_MIN_PICKS = 3;

/** How often each track has been picked under one model, from the log and since. */
export class PickCounts {
  private readonly seedsOf = new Map<number, Set<number>>();
  private readonly perCluster = new Map<number, number>();

  constructor(readonly modelId: number) {}

  /** The counts so far for a model, from the recommendation log (dry runs are not logged). */
  static fromLog(database: Database, modelId: number): PickCounts {
    const counts = new PickCounts(modelId);
    const rows = database.sqlite
      .prepare(
        `SELECT DISTINCT cluster, query_track_id AS seedId, track_id AS trackId FROM recommendations
         WHERE model_id = ? AND cluster IS NOT NULL AND query_track_id IS NOT NULL`,
      )
      .iterate(modelId) as IterableIterator<{ cluster: number; seedId: number; trackId: number }>;
    for (const row of rows) counts.record(row.cluster, row.seedId, row.trackId);
    return counts;
  }

  record(cluster: number, seedId: number, trackId: number): void {
    let seeds = this.seedsOf.get(trackId);
    if (!seeds) this.seedsOf.set(trackId, (seeds = new Set()));
    if (seeds.has(seedId)) return;
    seeds.add(seedId);
    this.perCluster.set(cluster, (this.perCluster.get(cluster) ?? 0) + 1);
  }

  /** Distinct songs this track was picked for. */
  picks(trackId: number): number {
    return this.seedsOf.get(trackId)?.size ?? 0;
  }

  /**
   * How far a track is over its share: 0 within it, rising to 1 at twice the allowance (the
   * allowance being HUB_FACTOR times the cluster's picks per member, at least HUB_MIN_PICKS).
   */
  excess(cluster: number, clusterSize: number, trackId: number): number {
    const picks = this.picks(trackId);
    if (picks <= HUB_MIN_PICKS) return 0;
    const allowance = Math.max(HUB_MIN_PICKS, (HUB_FACTOR * (this.perCluster.get(cluster) ?? 0)) / Math.max(1, clusterSize));
    return Math.min(1, Math.max(0, (picks - allowance) / allowance));
  }
}
