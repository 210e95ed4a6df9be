import type { Database } from '../catalog/database.js';

export type Vote = 1 | -1;

export interface TasteVotes {
  liked: number[];
  disliked: number[];
}

/** Votes on picks, always inside one guild: nothing identifies a member outside it. */
export class FeedbackStore {
  constructor(private readonly database: Database) {}

  /** Records a vote; returns what changed ("same" when it was already that vote). */
  vote(guildId: string, userId: string, trackId: number, vote: Vote, now = Date.now()): 'new' | 'changed' | 'same' {
    const sqlite = this.database.sqlite;
    const previous = sqlite.prepare('SELECT vote FROM feedback WHERE guild_id = ? AND user_id = ? AND track_id = ?').pluck().get(guildId, userId, trackId) as number | undefined;
    if (previous === vote) return 'same';
    sqlite
      .prepare(
        `INSERT INTO feedback (guild_id, user_id, track_id, vote, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(guild_id, user_id, track_id) DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at`,
      )
      .run(guildId, userId, trackId, vote, now, now);
    return previous === undefined ? 'new' : 'changed';
  }

  /** A member's votes in a guild. */
  votesOf(guildId: string, userId: string): TasteVotes {
    const rows = this.database.sqlite.prepare('SELECT track_id AS trackId, vote FROM feedback WHERE guild_id = ? AND user_id = ? ORDER BY updated_at DESC').all(guildId, userId) as { trackId: number; vote: number }[];
    return { liked: rows.filter((r) => r.vote > 0).map((r) => r.trackId), disliked: rows.filter((r) => r.vote < 0).map((r) => r.trackId) };
  }

  /**
   * Tracks a guild has turned against: disliked by at least `minVoters` members and more
   * disliked than liked.
   */
  guildDemoted(guildId: string, minVoters = 3): Set<number> {
    const rows = this.database.sqlite
      .prepare(
        `SELECT track_id FROM feedback WHERE guild_id = ? GROUP BY track_id
         HAVING SUM(vote < 0) >= ? AND SUM(vote) < 0`,
      )
      .pluck()
      .all(guildId, minVoters) as number[];
    return new Set(rows);
  }

  /** The guild's most liked tracks, with their net score. */
  guildFavourites(guildId: string, limit = 5): { trackId: number; likes: number; score: number }[] {
    return this.database.sqlite
      .prepare(
        `SELECT track_id AS trackId, SUM(vote > 0) AS likes, SUM(vote) AS score FROM feedback WHERE guild_id = ?
         GROUP BY track_id HAVING score > 0 ORDER BY score DESC, likes DESC, track_id LIMIT ?`,
      )
      .all(guildId, limit) as { trackId: number; likes: number; score: number }[];
  }

  /** Deletes a member's votes in a guild (/taste reset). Returns how many. */
  resetMember(guildId: string, userId: string): number {
    return this.database.sqlite.prepare('DELETE FROM feedback WHERE guild_id = ? AND user_id = ?').run(guildId, userId).changes;
  }

  count(guildId?: string): number {
    return (guildId
      ? this.database.sqlite.prepare('SELECT COUNT(*) FROM feedback WHERE guild_id = ?').pluck().get(guildId)
      : this.database.sqlite.prepare('SELECT COUNT(*) FROM feedback').pluck().get()) as number;
  }
}
