import type { App } from '../app.js';
import type { Track } from '../types.js';

export interface ClusterTally {
  cluster: number;
  label: string;
  count: number;
}

export interface TasteSummary {
  liked: ClusterTally[];
  disliked: ClusterTally[];
  likedTracks: Track[];
  dislikedTracks: Track[];
}

/** Votes grouped by the active model's clusters, each track counting `weight` times: what a member likes, in words. */
function tally(app: App, votes: readonly { trackId: number; weight: number }[]): ClusterTally[] {
  const model = app.models.active();
  if (!model || votes.length === 0) return [];
  const clusterOf = app.database.sqlite.prepare('SELECT cluster FROM track_clusters WHERE model_id = ? AND track_id = ?').pluck();
  const counts = new Map<number, number>();
  for (const { trackId, weight } of votes) {
    const cluster = clusterOf.get(model.id, trackId) as number | undefined;
    if (cluster !== undefined) counts.set(cluster, (counts.get(cluster) ?? 0) + weight);
  }
  return [...counts]
    .map(([cluster, count]) => ({ cluster, label: model.labels[cluster] ?? `cluster ${cluster}`, count }))
    .sort((a, b) => b.count - a.count || a.cluster - b.cluster);
}

function tracks(app: App, ids: readonly number[], limit: number): Track[] {
  return ids
    .slice(0, limit)
    .map((id) => app.catalog.getTrack(id))
    .filter((t): t is NonNullable<typeof t> => t !== null);
}

export function tasteSummary(app: App, guildId: string, userId: string): TasteSummary {
  const { liked, disliked } = app.feedback.votesOf(guildId, userId);
  const once = (ids: readonly number[]) => ids.map((trackId) => ({ trackId, weight: 1 }));
  return { liked: tally(app, once(liked)), disliked: tally(app, once(disliked)), likedTracks: tracks(app, liked, 5), dislikedTracks: tracks(app, disliked, 5) };
}

/** A guild's most liked clusters and songs, for /stats. */
export function guildFavourites(app: App, guildId: string): { clusters: ClusterTally[]; tracks: (Track & { likes: number })[] } {
  const favourites = app.feedback.guildFavourites(guildId, 50);
  const top = favourites.slice(0, 5).flatMap((f) => {
    const track = app.catalog.getTrack(f.trackId);
    return track ? [{ ...track, likes: f.likes }] : [];
  });
  // A track counts by its net score (positive: the store returns only those).
  return { clusters: tally(app, favourites.map((f) => ({ trackId: f.trackId, weight: f.score }))).slice(0, 3), tracks: top };
}
