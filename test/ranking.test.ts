import { describe, expect, it } from 'vitest';
import { PickCounts } from '../src/recommender/pickCounts.js';
import { rankCandidates, type RankCandidate } from '../src/recommender/ranking.js';

// The pure ranking behind 👍/👎 and the hub guard, on hand-made points in a 2-D feature space.

const at = (x: number, y: number) => Float32Array.of(x, y);

/** Candidates on a line from the seed at (0, 0): track i sits at (i, 0), distance i. */
function line(n: number, overrides: Partial<Record<number, Partial<RankCandidate>>> = {}): RankCandidate[] {
  return Array.from({ length: n }, (_, k) => {
    const trackId = k + 1;
    return { trackId, distance: trackId, vector: at(trackId, 0), disliked: false, demoted: false, hubExcess: 0, ...overrides[trackId] };
  });
}

const order = (candidates: RankCandidate[], liked: { trackId: number; vector: Float32Array }[] = [], guildLiked: typeof liked = []) =>
  rankCandidates({ candidates, liked, guildLiked }).ranked.map((r) => r.trackId);

describe('rankCandidates', () => {
  it('is plain distance order when there are no votes and no hubs', () => {
    const ranking = rankCandidates({ candidates: line(6), liked: [], guildLiked: [] });
    expect(ranking.ranked.map((r) => r.trackId)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ranking.withoutVotes).toBe(1);
    expect(ranking.ranked.every((r) => r.nearestLike === null && !r.guildPulled)).toBe(true);
  });

  it('with the era weighed, of two songs about as near, puts the one from the seed\'s time first', () => {
    // Track 1 is nearer but 50 years apart; track 2 is from the same year; track 3's year is unknown.
    const candidates = line(3, { 1: { yearGap: 50 }, 2: { yearGap: 0 }, 3: { yearGap: null } });
    expect(rankCandidates({ candidates, liked: [], guildLiked: [], eraWeight: 0.45 }).ranked.map((r) => r.trackId)).toEqual([2, 1, 3]);
    // The distance reported stays the sound's.
    expect(rankCandidates({ candidates, liked: [], guildLiked: [], eraWeight: 0.45 }).ranked[0]!.distance).toBe(2);
    // Sound alone, or a few years apart: the nearest.
    expect(order(candidates)).toEqual([1, 2, 3]);
    expect(rankCandidates({ candidates: line(3, { 1: { yearGap: 3 }, 2: { yearGap: 0 } }), liked: [], guildLiked: [], eraWeight: 0.45 }).ranked[0]!.trackId).toBe(1);
  });

  it('never ranks the member\'s dislikes, but reports them as what would have been picked', () => {
    const ranking = rankCandidates({ candidates: line(4, { 1: { disliked: true } }), liked: [], guildLiked: [] });
    expect(ranking.ranked.map((r) => r.trackId)).toEqual([2, 3, 4]);
    expect(ranking.withoutVotes).toBe(1);
  });

  it('sinks what the guild dislikes behind every nearby track', () => {
    expect(order(line(6, { 1: { demoted: true } }))).toEqual([2, 3, 4, 5, 6, 1]);
  });

  it('pulls a liked track\'s neighbours forward, and names the like that did it', () => {
    // Candidates around the seed in different directions; a liked track (not a candidate) sits
    // next to candidate 4, on the far side from the nearest ones.
    const directions = [at(1, 0), at(0, 1), at(0, -1), at(-1, 0), at(1, 0), at(0, 1)];
    const candidates = line(6).map((c, k) => ({ ...c, vector: at(directions[k]![0]! * c.distance, directions[k]![1]! * c.distance) }));
    const liked = [{ trackId: 99, vector: at(-4.2, 0) }];
    const ranking = rankCandidates({ candidates, liked, guildLiked: [] });
    expect(ranking.ranked[0]).toMatchObject({ trackId: 4, nearestLike: 99 });
    expect(ranking.withoutVotes).toBe(1);
  });

  it('leaves the order alone when the like is far from every candidate', () => {
    expect(order(line(6), [{ trackId: 99, vector: at(0, 40) }])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('does not let a liked candidate pull itself', () => {
    // Track 2 is liked: it gains nothing from being "close to a like", so track 1 stays first.
    expect(order(line(4), [{ trackId: 2, vector: at(2, 0) }])[0]).toBe(1);
  });

  it('pulls less for the guild\'s likes than for the member\'s own', () => {
    const near3 = [{ trackId: 99, vector: at(3, 0.1) }];
    const own = rankCandidates({ candidates: line(6), liked: near3, guildLiked: [] }).ranked;
    const guild = rankCandidates({ candidates: line(6), liked: [], guildLiked: near3 }).ranked;
    const scoreOf = (ranked: typeof own, id: number) => ranked.find((r) => r.trackId === id)!.score;
    expect(scoreOf(own, 3)).toBeLessThan(scoreOf(guild, 3));
    expect(scoreOf(guild, 3)).toBeLessThan(3);
    expect(guild.find((r) => r.trackId === 3)!.guildPulled).toBe(true);
  });

  it('damps a hub in proportion to how far it is over its share', () => {
    expect(order(line(4, { 1: { hubExcess: 1 } }))[0]).toBe(2);
    // The guard applies with or without votes: it is part of "what would have been picked".
    expect(rankCandidates({ candidates: line(4, { 1: { hubExcess: 1 } }), liked: [], guildLiked: [] }).withoutVotes).toBe(2);
    expect(order(line(4, { 1: { hubExcess: 0.1 } }))[0]).toBe(1);
  });

  it('copes with candidates that all coincide with the seed', () => {
    const same = line(3).map((c) => ({ ...c, distance: 0, vector: at(0, 0) }));
    expect(order(same)).toHaveLength(3);
  });
});

describe('PickCounts', () => {
  it('counts distinct songs asked, not repeats of one song', () => {
    const counts = new PickCounts(1);
    for (let i = 0; i < 5; i++) counts.record(0, 100, 7);
    expect(counts.picks(7)).toBe(1);
    counts.record(0, 101, 7);
    expect(counts.picks(7)).toBe(2);
  });

  it('leaves a track alone within its allowance, and measures how far over it a hub is', () => {
    const counts = new PickCounts(1);
    // 100 picks over a 50-track cluster: 2 per member, an allowance of 3 × 2 = 6 each.
    for (let seed = 0; seed < 82; seed++) counts.record(0, seed, 1000 + (seed % 41));
    for (let seed = 82; seed < 91; seed++) counts.record(0, seed, 8);
    for (let seed = 91; seed < 100; seed++) counts.record(0, seed, 9);
    expect(counts.excess(0, 50, 1000)).toBe(0);
    // 9 picks: half an allowance over.
    expect(counts.excess(0, 50, 8)).toBeCloseTo(0.5);
    // Capped at 1 (twice the allowance and beyond).
    for (let seed = 100; seed < 120; seed++) counts.record(0, seed, 9);
    expect(counts.excess(0, 50, 9)).toBe(1);
    // A young model's handful of picks is never called a hub.
    const young = new PickCounts(2);
    for (let seed = 0; seed < 3; seed++) young.record(0, seed, 5);
    expect(young.excess(0, 1000, 5)).toBe(0);
  });
});
