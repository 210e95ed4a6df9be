import type { Database } from '../catalog/database.js';
import type { RecommendContext } from '../types.js';

// The log of recommendations given: what keeps the bot from repeating itself to a user or a guild.

export interface LoggedRecommendation {
  guildId: string | null;
  userId: string | null;
  query: string;
  queryTrackId: number | null;
  trackId: number;
  modelId: number;
  cluster: number;
  similarity: number;
}

export interface RecentPicks {
  byUser: Set<number>;
  byGuild: Set<number>;
}

export class RecommendationLog {
  constructor(private readonly database: Database) {}

  record(entry: LoggedRecommendation, at = Date.now()): void {
    this.database.sqlite
      .prepare(
        `INSERT INTO recommendations (guild_id, user_id, query, query_track_id, track_id, model_id, cluster, similarity, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(entry.guildId, entry.userId, entry.query, entry.queryTrackId, entry.trackId, entry.modelId, entry.cluster, entry.similarity, at);
  }

  /** Tracks given to this user (within `userWindowMs`) and in this guild (within `guildWindowMs`). */
  recent(context: RecommendContext, userWindowMs: number, guildWindowMs: number, now = Date.now()): RecentPicks {
    const ids = (column: 'user_id' | 'guild_id', value: string | null | undefined, windowMs: number) =>
      value && windowMs > 0
        ? new Set(
            this.database.sqlite
              .prepare(`SELECT DISTINCT track_id FROM recommendations WHERE ${column} = ? AND created_at > ?`)
              .pluck()
              .all(value, now - windowMs) as number[],
          )
        : new Set<number>();
    return {
      byUser: ids('user_id', context.userId, userWindowMs),
      byGuild: ids('guild_id', context.guildId, guildWindowMs),
    };
  }
}
