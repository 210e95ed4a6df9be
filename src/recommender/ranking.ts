// How the nearest eligible members of a cluster are ranked once votes and pick counts are known.
// Every adjustment is a fraction of the neighbourhood's own scale (the median distance among the
// candidates), so it means the same in a dense cluster as in a sparse one, and a pick can only
// come from the seed's neighbourhood in its own cluster: it stays explainable.

/** A like pulls a candidate forward by up to this many neighbourhood scales (member's own likes)... */
const LIKE_PULL = 1;
/** ...and by up to this many for the guild's likes (weaker: a server's likes span many tastes). */
const GUILD_LIKE_PULL = 0.25;
/** A track the guild dislikes on balance sinks by this many scales: behind every other nearby track. */
const DEMOTE_PUSH = 2;
/** A hub at twice its allowance sinks by this many scales. */
const HUB_PUSH = 1;
/** A like counts as "near" (the pull is worth shaping a pick) from this closeness up (0..1). */
const NEAR_LIKE = 0.05;

export interface RankCandidate {
  trackId: number;
  /** Distance to the seed in the model's scaled space. */
  distance: number;
  vector: Float32Array;
  /** The asking member disliked it: never picked, but counted as what would have been picked. */
  disliked: boolean;
  /** The guild dislikes it on balance. */
  demoted: boolean;
  /** 0..1, how far it is over its share of picks (PickCounts.excess). */
  hubExcess: number;
  /** Years between its release and the seed's; null when either is unknown (then sound alone ranks it). */
  yearGap?: number | null;
}

export interface LikedPoint {
  trackId: number;
  vector: Float32Array;
}

export interface RankInput {
  /** Nearest first. */
  candidates: readonly RankCandidate[];
  liked: readonly LikedPoint[];
  guildLiked: readonly LikedPoint[];
  /** How much a decade between the releases counts, as one more dimension of the scaled space (0: sound alone). */
  eraWeight?: number;
}

export interface RankedCandidate {
  trackId: number;
  distance: number;
  score: number;
  /** The member's like that pulls it most (when that pull is more than a trace). */
  nearestLike: number | null;
  /** Whether the guild's likes pull it (more than a trace). */
  guildPulled: boolean;
}

export interface Ranking {
  /** Candidates the member may get, best first. */
  ranked: RankedCandidate[];
  /** What would have been picked with no votes at all (the hub guard still applies), or null. */
  withoutVotes: number | null;
}

function squaredDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) {
    const diff = a[j]! - b[j]!;
    sum += diff * diff;
  }
  return sum;
}

/** 0..1: how close the candidate is to the nearest of the points (1 = on it), and which one. */
function closeness(vector: Float32Array, points: readonly LikedPoint[], self: number, scale: number): { value: number; trackId: number | null } {
  let best = 0;
  let bestId: number | null = null;
  const width = scale * scale;
  for (const point of points) {
    // A liked track does not pull itself: the member has it already.
    if (point.trackId === self) continue;
    const value = Math.exp(-squaredDistance(vector, point.vector) / width);
    if (value > best) {
      best = value;
      bestId = point.trackId;
    }
  }
  return { value: best, trackId: bestId };
}

/** The neighbourhood's scale: the median candidate distance (1 when they all coincide). */
function scaleOf(candidates: readonly RankCandidate[]): number {
  const distances = candidates.map((c) => c.distance).sort((a, b) => a - b);
  const median = distances[Math.floor(distances.length / 2)] ?? 0;
  if (median > 1e-9) return median;
  const mean = distances.reduce((sum, d) => sum + d, 0) / Math.max(1, distances.length);
  return mean > 1e-9 ? mean : 1;
}

/**
 * Ranks candidates by distance (with the era, when weighed), pulled forward by closeness to liked tracks, pushed back when the
 * guild dislikes them or they are picked far over their share; the member's dislikes are left out.
 */
export function rankCandidates({ candidates, liked, guildLiked, eraWeight = 0 }: RankInput): Ranking {
  const eligible = candidates.filter((c) => !c.disliked);
  const scale = scaleOf(eligible.length > 0 ? eligible : candidates);
  // Sound and era: the release year as one more dimension (a decade weighs eraWeight standard
  // deviations), so of two songs that sound as close, the one from the seed's time comes first.
  const near = (c: RankCandidate) => (eraWeight > 0 && c.yearGap != null ? Math.hypot(c.distance, (eraWeight * c.yearGap) / 10) : c.distance);
  let withoutVotes: { trackId: number; score: number } | null = null;
  for (const c of candidates) {
    const score = near(c) + scale * HUB_PUSH * c.hubExcess;
    if (!withoutVotes || score < withoutVotes.score) withoutVotes = { trackId: c.trackId, score };
  }
  const ranked = eligible.map((c): RankedCandidate => {
    const own = liked.length > 0 ? closeness(c.vector, liked, c.trackId, scale) : { value: 0, trackId: null };
    const guild = guildLiked.length > 0 ? closeness(c.vector, guildLiked, c.trackId, scale).value : 0;
    const score =
      near(c) + scale * (HUB_PUSH * c.hubExcess + (c.demoted ? DEMOTE_PUSH : 0) - LIKE_PULL * own.value - GUILD_LIKE_PULL * guild);
    return {
      trackId: c.trackId,
      distance: c.distance,
      score,
      nearestLike: own.value >= NEAR_LIKE ? own.trackId : null,
      guildPulled: guild >= NEAR_LIKE,
    };
  });
  ranked.sort((a, b) => a.score - b.score || a.distance - b.distance);
  return { ranked, withoutVotes: withoutVotes?.trackId ?? null };
}
