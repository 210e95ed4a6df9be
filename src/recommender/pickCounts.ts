import type { Database } from '../catalog/database.js';

// A track picked for far more songs than its share of its cluster is a "hub": k-means clusters
// have a few tracks near the middle of many neighbourhoods, which would otherwise answer for half
// the cluster. Counting is per distinct song asked, so a popular song asked again and again does
// not make its answer a hub.

/** Picks a track may take before it is damped: this many times its cluster's average... */
const HUB_FACTOR = 3;
/** ...and never fewer than this (a young model's counts are noise). */
const HUB_MIN_PICKS = 3;

// Track IDs up to 2^26 and seed IDs up to 2^27 pack into one exact double; beyond that (never in
// practice), a string key keeps the pair exact.
const TRACK_SPAN = 2 ** 26;
const SEED_LIMIT = 2 ** 27;

/**
 * How often each track has been picked under one model, from the log and since. Held as one set
 * of (seed, pick) pairs and one count per picked track, not a set of seeds per track: a model's
 * million logged picks took 120 MB that way, 61 MB this way.
 */
export class PickCounts {
  private readonly pairs = new Set<number | string>();
  private readonly picksOf = new Map<number, number>();
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
    const pair = trackId >= 0 && trackId < TRACK_SPAN && seedId >= 0 && seedId < SEED_LIMIT ? seedId * TRACK_SPAN + trackId : `${seedId}:${trackId}`;
    if (this.pairs.has(pair)) return;
    this.pairs.add(pair);
    this.picksOf.set(trackId, (this.picksOf.get(trackId) ?? 0) + 1);
    this.perCluster.set(cluster, (this.perCluster.get(cluster) ?? 0) + 1);
  }

  /** Distinct songs this track was picked for. */
  picks(trackId: number): number {
    return this.picksOf.get(trackId) ?? 0;
  }

  /** Distinct (song asked, track picked) pairs held. */
  get size(): number {
    return this.pairs.size;
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
