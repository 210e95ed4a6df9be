import type { App } from '../app.js';
import { describeCluster, typicalValue } from '../clustering/labels.js';
import { isUserError } from '../errors.js';
import type { CatalogProfile, ClusterProfile, DescribedFeature, TrackWithFeatures } from '../types.js';

export interface ClusterTrait {
  feature: DescribedFeature;
  word: string;
  /** The cluster's typical (median) value and the catalog's, in raw units (the share in major, for mode). */
  cluster: number;
  catalog: number;
}

/** The song of the cluster for one guild today. */
export interface DailyPick {
  modelId: number;
  cluster: { id: number; label: string; size: number; profile: ClusterProfile; traits: ClusterTrait[] };
  track: TrackWithFeatures;
}

/** How a cluster's typical song differs from the catalog's, strongest first, with the numbers. */
export function clusterTraits(profile: ClusterProfile, catalog: CatalogProfile): ClusterTrait[] {
  return describeCluster(profile, catalog)
    .slice(0, 4)
    .map((d) => ({ feature: d.feature, word: d.word, cluster: typicalValue(profile, d.feature), catalog: typicalValue(catalog, d.feature) }));
}

/**
 * Today's pick for a guild: the cluster it has waited longest for (every cluster gets its day in
 * turn), and that cluster's most representative song (nearest its centroid) not yet posted there
 * and not one the guild dislikes.
 */
export function pickDaily(app: App, guildId: string): DailyPick | null {
  let index;
  try {
    index = app.recommender.currentIndex();
  } catch (error) {
    if (isUserError(error)) return null; // empty or unclustered catalog: nothing to post yet
    throw error;
  }
  const model = index.model;
  const history = app.database.sqlite
    .prepare("SELECT cluster, track_id AS trackId, MAX(date) AS last FROM daily_posts WHERE guild_id = ? AND status = 'sent' GROUP BY cluster, track_id")
    .all(guildId) as { cluster: number | null; trackId: number | null; last: string }[];
  const posted = new Set(history.map((h) => h.trackId));
  const disliked = app.feedback.guildDemoted(guildId);
  const lastByCluster = new Map<number, string>();
  for (const h of history) if (h.cluster !== null && (lastByCluster.get(h.cluster) ?? '') < h.last) lastByCluster.set(h.cluster, h.last);
  const order = Array.from({ length: model.k }, (_, c) => c)
    .filter((c) => index.clusterSize(c) > 0)
    .sort((a, b) => (lastByCluster.get(a) ?? '').localeCompare(lastByCluster.get(b) ?? '') || a - b);
  for (const cluster of order) {
    for (const candidate of index.representatives(cluster)) {
      if (posted.has(candidate.trackId) || disliked.has(candidate.trackId)) continue;
      const track = app.catalog.getTrack(candidate.trackId);
      if (!track) continue;
      const profile = model.profiles[cluster]!;
      return {
        modelId: model.id,
        cluster: {
          id: cluster,
          label: model.labels[cluster] ?? `cluster ${cluster}`,
          size: index.clusterSize(cluster),
          profile,
          traits: clusterTraits(profile, model.catalogProfile),
        },
        track,
      };
    }
  }
  return null;
}
