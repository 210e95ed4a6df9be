import type { Database } from '../catalog/database.js';

// Tracks stored without features: a later crawl asks the providers again, least recently tried first.

export class FeatureBacklog {
  constructor(private readonly database: Database) {}

  /** Records a failed attempt for each track (first attempt or another one). */
  mark(trackIds: readonly number[], now = Date.now()): void {
    const statement = this.database.sqlite.prepare(
      `INSERT INTO feature_backlog (track_id, attempts, last_tried_at) VALUES (?, 1, ?)
       ON CONFLICT(track_id) DO UPDATE SET attempts = attempts + 1, last_tried_at = excluded.last_tried_at`,
    );
    for (const id of trackIds) statement.run(id, now);
  }

  clear(trackIds: readonly number[]): void {
    const statement = this.database.sqlite.prepare('DELETE FROM feature_backlog WHERE track_id = ?');
    for (const id of trackIds) statement.run(id);
  }

  /** Tracks due for another try: not tried within `minAgeMs`, oldest attempt first. */
  due(limit: number, minAgeMs: number, now = Date.now()): { trackId: number; spotifyId: string }[] {
    return this.database.sqlite
      .prepare(
        `SELECT b.track_id AS trackId, t.spotify_id AS spotifyId FROM feature_backlog b JOIN tracks t ON t.id = b.track_id
         WHERE b.last_tried_at <= ? ORDER BY b.last_tried_at, b.track_id LIMIT ?`,
      )
      .all(now - minAgeMs, limit) as { trackId: number; spotifyId: string }[];
  }

  size(): number {
    return this.database.sqlite.prepare('SELECT COUNT(*) FROM feature_backlog').pluck().get() as number;
  }
}
