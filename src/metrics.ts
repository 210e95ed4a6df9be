import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

// Prometheus metrics for /metrics. One registry per app (no global default registry), so tests
// and two apps in one process never share counters.

export interface Metrics {
  registry: Registry;
  /** Interactions by command (or button) and outcome: ok, user_error, error. */
  interactions: Counter<'command' | 'outcome'>;
  /** Time from a /recommend (or "Another one") arriving to its answer being sent, in seconds. */
  recommendSeconds: Histogram<'source'>;
  /** Outgoing HTTP requests by host and status ("timeout", "network" for failed attempts). */
  httpRequests: Counter<'host' | 'status'>;
  /** Crawls by outcome, and the tracks they added. */
  crawls: Counter<'outcome'>;
  crawledTracks: Counter;
  /** Background job runs by job and status. */
  jobRuns: Counter<'job' | 'status'>;
  /** Tracks in the catalog and with features (sampled when /metrics is read, at most every 5 minutes). */
  catalogTracks: Gauge<'with_features'>;
  /** What the recommender holds in memory: the cluster index's typed arrays, the hub guard's pick pairs. */
  recommenderMemory: Gauge<'part'>;
}

/** What the recommender holds, for the memory gauge. */
export interface RecommenderFootprint {
  indexBytes: number;
  pickPairs: number;
}

// Counting a million-track catalog takes about 0.4 s of SQLite on the event loop: a scrape every
// 15 s must not stall interactions that often.
const CATALOG_COUNT_TTL_MS = 5 * 60_000;

export function createMetrics(
  catalogCounts?: () => { tracks: number; withFeatures: number },
  recommenderFootprint?: () => RecommenderFootprint,
): Metrics {
  let counted: { at: number; tracks: number; withFeatures: number } | null = null;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cluster_dj_' });
  const metrics: Metrics = {
    registry,
    interactions: new Counter({ name: 'cluster_dj_interactions_total', help: 'Discord interactions by command and outcome', labelNames: ['command', 'outcome'], registers: [registry] }),
    recommendSeconds: new Histogram({
      name: 'cluster_dj_recommend_seconds',
      help: 'Time from a recommendation request to its answer',
      labelNames: ['source'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers: [registry],
    }),
    httpRequests: new Counter({ name: 'cluster_dj_http_requests_total', help: 'Outgoing HTTP requests by host and status', labelNames: ['host', 'status'], registers: [registry] }),
    crawls: new Counter({ name: 'cluster_dj_crawls_total', help: 'Playlist crawls by outcome', labelNames: ['outcome'], registers: [registry] }),
    crawledTracks: new Counter({ name: 'cluster_dj_crawled_tracks_total', help: 'Tracks playlist crawls added to the catalog', registers: [registry] }),
    jobRuns: new Counter({ name: 'cluster_dj_job_runs_total', help: 'Background job runs by job and status', labelNames: ['job', 'status'], registers: [registry] }),
    catalogTracks: new Gauge({
      name: 'cluster_dj_catalog_tracks',
      help: 'Tracks in the catalog',
      labelNames: ['with_features'],
      registers: [registry],
      collect() {
        if (!catalogCounts) return;
        if (!counted || Date.now() - counted.at > CATALOG_COUNT_TTL_MS) counted = { at: Date.now(), ...catalogCounts() };
        this.set({ with_features: 'true' }, counted.withFeatures);
        this.set({ with_features: 'false' }, counted.tracks - counted.withFeatures);
      },
    }),
    recommenderMemory: new Gauge({
      name: 'cluster_dj_recommender_memory',
      help: 'What the recommender holds in memory: index_bytes (cluster index vectors and IDs), pick_pairs (hub guard entries)',
      labelNames: ['part'],
      registers: [registry],
      collect() {
        if (!recommenderFootprint) return;
        const footprint = recommenderFootprint();
        this.set({ part: 'index_bytes' }, footprint.indexBytes);
        this.set({ part: 'pick_pairs' }, footprint.pickPairs);
      },
    }),
  };
  return metrics;
}
