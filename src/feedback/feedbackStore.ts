import type { Statement } from 'better-sqlite3';
import type { Database } from '../catalog/database.js';
import type { Taste } from '../types.js';
import { isPersonal } from './scope.js';

export type Vote = 1 | -1;

export interface TasteVotes {
  liked: number[];
  disliked: number[];
}

// How many of a member's and a guild's likes shape a pick: the most recent / best liked.
const LIKES_USED = 100;

interface GuildTaste {
  liked: number[];
  demoted: Set<number>;
}

/**
 * Votes on picks, always inside one scope (a guild, or a member's personal scope: see scope.ts).
 * Methods take the scope key where the column says guild_id.
 */
export class FeedbackStore {
  /** A guild's aggregate votes, read on every pick: cached until the guild's votes change. */
  private readonly guildTastes = new Map<string, GuildTaste>();
  // Prepared once: a member's votes are read on every pick.
  private readonly voteOf: Statement<[string, string, number], number>;
  private readonly upsertVote: Statement<[string, string, number, Vote, number, number]>;
  private readonly memberVotes: Statement<[string, string], { trackId: number; vote: number }>;
  private readonly demoted: Statement<[string, number], number>;
  private readonly favourites: Statement<[string, number], { trackId: number; likes: number; score: number }>;

  constructor(
    private readonly database: Database,
    /** A track sinks in a guild once this many members disliked it (and more disliked than liked it). */
    private readonly demoteAfter = 3,
  ) {
    const { sqlite } = database;
    this.voteOf = sqlite.prepare<[string, string, number], number>('SELECT vote FROM feedback WHERE guild_id = ? AND user_id = ? AND track_id = ?').pluck();
    this.upsertVote = sqlite.prepare(
      `INSERT INTO feedback (guild_id, user_id, track_id, vote, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(guild_id, user_id, track_id) DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at`,
    );
    this.memberVotes = sqlite.prepare(
      'SELECT track_id AS trackId, vote FROM feedback WHERE guild_id = ? AND user_id = ? ORDER BY updated_at DESC, rowid DESC',
    );
    this.demoted = sqlite
      .prepare<[string, number], number>(
        `SELECT track_id FROM feedback WHERE guild_id = ? GROUP BY track_id
         HAVING SUM(vote < 0) >= ? AND SUM(vote) < 0`,
      )
      .pluck();
    this.favourites = sqlite.prepare(
      `SELECT track_id AS trackId, SUM(vote > 0) AS likes, SUM(vote) AS score FROM feedback WHERE guild_id = ?
       GROUP BY track_id HAVING score > 0 ORDER BY score DESC, likes DESC, track_id LIMIT ?`,
    );
  }

  /** What the votes say for a member asking in a guild (see Taste). */
  tasteOf(guildId: string, userId: string | null | undefined): Taste {
    const guild = this.guildTaste(guildId);
    const own = userId ? this.votesOf(guildId, userId) : { liked: [], disliked: [] };
    return { disliked: new Set(own.disliked), liked: own.liked.slice(0, LIKES_USED), guildLiked: guild.liked, guildDemoted: guild.demoted };
  }

  private guildTaste(guildId: string): GuildTaste {
    // Personal votes belong to one member each: there is no "server" to pool them in.
    if (isPersonal(guildId)) return { liked: [], demoted: new Set() };
    let taste = this.guildTastes.get(guildId);
    if (!taste) {
      taste = { liked: this.guildFavourites(guildId, LIKES_USED).map((f) => f.trackId), demoted: this.guildDemoted(guildId, this.demoteAfter) };
      // Bounded: a bot in many guilds keeps only the recently asked ones.
      if (this.guildTastes.size >= 1_000) this.guildTastes.delete(this.guildTastes.keys().next().value!);
      this.guildTastes.set(guildId, taste);
    }
    return taste;
  }

  /** Records a vote; returns what changed ("same" when it was already that vote). */
  vote(guildId: string, userId: string, trackId: number, vote: Vote, now = Date.now()): 'new' | 'changed' | 'same' {
    const previous = this.voteOf.get(guildId, userId, trackId);
    if (previous === vote) return 'same';
    this.upsertVote.run(guildId, userId, trackId, vote, now, now);
    this.guildTastes.delete(guildId);
    return previous === undefined ? 'new' : 'changed';
  }

  /** A member's votes in a guild. */
  votesOf(guildId: string, userId: string): TasteVotes {
    const rows = this.memberVotes.all(guildId, userId);
    return { liked: rows.filter((r) => r.vote > 0).map((r) => r.trackId), disliked: rows.filter((r) => r.vote < 0).map((r) => r.trackId) };
  }

  /**
   * Tracks a guild has turned against: disliked by at least `minVoters` members and more
   * disliked than liked.
   */
  guildDemoted(guildId: string, minVoters = this.demoteAfter): Set<number> {
    if (isPersonal(guildId)) return new Set();
    return new Set(this.demoted.all(guildId, minVoters));
  }

  /** The guild's most liked tracks, with their net score. */
  guildFavourites(guildId: string, limit = 5): { trackId: number; likes: number; score: number }[] {
    if (isPersonal(guildId)) return [];
    return this.favourites.all(guildId, limit);
  }

  /** Deletes a member's votes in a guild (/taste reset). Returns how many. */
  resetMember(guildId: string, userId: string): number {
    this.guildTastes.delete(guildId);
    return this.database.sqlite.prepare('DELETE FROM feedback WHERE guild_id = ? AND user_id = ?').run(guildId, userId).changes;
  }

  /** Deletes every vote in a guild (the bot left it). Returns how many. */
  forgetGuild(guildId: string): number {
    this.guildTastes.delete(guildId);
    return this.database.sqlite.prepare('DELETE FROM feedback WHERE guild_id = ?').run(guildId).changes;
  }

  count(guildId?: string): number {
    return (guildId
      ? this.database.sqlite.prepare('SELECT COUNT(*) FROM feedback WHERE guild_id = ?').pluck().get(guildId)
      : this.database.sqlite.prepare('SELECT COUNT(*) FROM feedback').pluck().get()) as number;
  }
}
