import { sampleIndices, seededRandom } from '../clustering/random.js';
import { sortedIndexOf } from '../recommender/clusterIndex.js';
import type { EvalContext } from './runner.js';
import { evalRecommender, pickFor } from './shipped.js';

// Does the bot learn? Simulated members, each a fan of one genre, ask for songs of their genre
// round after round, and vote 👍 on every pick of their genre and 👎 on every other one, all in one
// server (so they also hear each other's votes, as in a real guild). Round 0 is before any vote.
// Every query is also put to a recommender that ignores votes: the paired difference is what the
// votes did, free of the noise of which songs happened to be asked.

export interface FeedbackSimulationOptions {
  genres: number;
  membersPerGenre: number;
  queriesPerRound: number;
  rounds: number;
  seed: number;
}

export const DEFAULT_FEEDBACK_SIMULATION: FeedbackSimulationOptions = { genres: 6, membersPerGenre: 10, queriesPerRound: 40, rounds: 5, seed: 1 };

export interface FeedbackRound {
  round: number;
  /** Picks made this round (queries whose cluster had nothing left are not counted). */
  picks: number;
  /** Share of picks in the asking member's genre. */
  rate: number;
  /** The same for the same queries, with the votes ignored. */
  rateWithoutVotes: number;
  /** Share of picks the votes changed. */
  shaped: number;
  /** Votes stored before this round. */
  votesBefore: number;
}

export interface FeedbackSimulation {
  options: FeedbackSimulationOptions;
  genres: string[];
  members: number;
  rounds: FeedbackRound[];
  seconds: number;
}

const GUILD = 'simulated-guild';

/** Runs the simulation on the active model; the votes are deleted afterwards. */
export function simulateFeedback(context: EvalContext, options: FeedbackSimulationOptions = DEFAULT_FEEDBACK_SIMULATION): FeedbackSimulation {
  const started = performance.now();
  const { app } = context.catalog;
  const genres = context.labels.find((sets) => sets.kind === 'genre');
  if (!genres) throw new Error('The simulation needs genre labels.');
  // Rows of each genre, for the most common genres.
  const rowsOf = new Map<number, number[]>();
  for (let row = 0; row < context.trackIds.length; row++) {
    for (let i = genres.offsets[row]!; i < genres.offsets[row + 1]!; i++) {
      const genre = genres.values[i]!;
      let rows = rowsOf.get(genre);
      if (!rows) rowsOf.set(genre, (rows = []));
      rows.push(row);
    }
  }
  const chosen = [...rowsOf].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]).slice(0, options.genres);
  const rowOf = (trackId: number) => sortedIndexOf(context.trackIds, context.trackIds.length, trackId);
  const inGenre = (row: number, genre: number) => {
    for (let i = genres.offsets[row]!; i < genres.offsets[row + 1]!; i++) if (genres.values[i] === genre) return true;
    return false;
  };

  const recommender = evalRecommender(context, { feedback: app.feedback });
  const control = evalRecommender(context);
  const members = chosen.flatMap(([genre, rows], g) =>
    Array.from({ length: options.membersPerGenre }, (_, m) => ({ userId: `fan-${g}-${m}`, genre, rows })),
  );
  const random = seededRandom(options.seed);
  const rounds: FeedbackRound[] = [];
  let clock = Date.UTC(2026, 0, 1);
  app.feedback.forgetGuild(GUILD);
  try {
    for (let round = 0; round <= options.rounds; round++) {
      const votes: { userId: string; trackId: number; vote: 1 | -1 }[] = [];
      let picks = 0;
      let hits = 0;
      let controlHits = 0;
      let shaped = 0;
      for (const member of members) {
        for (const i of sampleIndices(member.rows.length, options.queriesPerRound, random)) {
          const asked = { guildId: GUILD, userId: member.userId };
          const trackId = context.trackIds[member.rows[i]!]!;
          const pick = pickFor(recommender, trackId, asked);
          const plain = pickFor(control, trackId, asked);
          if (!pick || !plain) continue;
          const hit = inGenre(rowOf(pick.pick.id), member.genre);
          picks++;
          if (hit) hits++;
          if (inGenre(rowOf(plain.pick.id), member.genre)) controlHits++;
          if (pick.shapedBy) shaped++;
          votes.push({ userId: member.userId, trackId: pick.pick.id, vote: hit ? 1 : -1 });
        }
      }
      rounds.push({
        round,
        picks,
        rate: picks > 0 ? hits / picks : 0,
        rateWithoutVotes: picks > 0 ? controlHits / picks : 0,
        shaped: picks > 0 ? shaped / picks : 0,
        votesBefore: app.feedback.count(GUILD),
      });
      // Members vote once the round's answers are in, on a simulated clock (a millisecond a vote):
      // which likes count as a member's latest must not depend on how fast this machine is.
      for (const vote of votes) app.feedback.vote(GUILD, vote.userId, vote.trackId, vote.vote, ++clock);
    }
  } finally {
    app.feedback.forgetGuild(GUILD);
  }
  return {
    options,
    genres: chosen.map(([genre]) => genres.names[genre] ?? `genre ${genre}`),
    members: members.length,
    rounds,
    seconds: (performance.now() - started) / 1000,
  };
}
