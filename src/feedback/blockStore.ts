import type { Statement } from 'better-sqlite3';
import { writeTransaction, type Database } from '../catalog/database.js';
import { foldText } from '../catalog/normalize.js';
import type { Track } from '../types.js';

// "Not for me": what a member never wants picked for them again in a scope (see scope.ts). An
// artist is matched on any of a track's artists, folded (case and accents); a song on its work
// key, so a live version or a remaster of a blocked song stays out too.

export type BlockKind = 'artist' | 'song';

export interface Block {
  id: number;
  kind: BlockKind;
  key: string;
  label: string;
  trackId: number | null;
  createdAt: number;
}

/** What the recommender leaves out for one member: folded artist names and work keys. */
export interface Blocked {
  artists: ReadonlySet<string>;
  songs: ReadonlySet<string>;
}

export const NOTHING_BLOCKED: Blocked = { artists: new Set(), songs: new Set() };

/** How many blocks a member keeps per scope: enough for any taste, bounded for the store and /taste. */
export const MAX_BLOCKS = 200;

export class BlockStore {
  private readonly insert: Statement<[string, string, BlockKind, string, string, number | null, number]>;
  private readonly listOf: Statement<[string, string], Block>;
  private readonly workKeyOf: Statement<[number], string>;

  constructor(private readonly database: Database) {
    const { sqlite } = database;
    this.insert = sqlite.prepare(
      `INSERT INTO blocks (scope, user_id, kind, key, label, track_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(scope, user_id, kind, key) DO NOTHING`,
    );
    this.listOf = sqlite.prepare(
      'SELECT id, kind, key, label, track_id AS trackId, created_at AS createdAt FROM blocks WHERE scope = ? AND user_id = ? ORDER BY created_at DESC, id DESC',
    );
    this.workKeyOf = sqlite.prepare<[number], string>('SELECT work_key FROM tracks WHERE id = ?').pluck();
  }

  /** Blocks an artist of a pick (any of its artists) for a member. */
  blockArtist(scope: string, userId: string, artist: string, track: Pick<Track, 'id'>, now = Date.now()): 'new' | 'same' {
    return this.add(scope, userId, 'artist', foldText(artist), artist, track.id, now);
  }

  /** Blocks a song, every version of it, for a member. */
  blockSong(scope: string, userId: string, track: Pick<Track, 'id' | 'name' | 'artists'>, now = Date.now()): 'new' | 'same' {
    const work = this.workKeyOf.get(track.id);
    if (work === undefined) throw new Error(`No catalog track ${track.id}`);
    return this.add(scope, userId, 'song', work, `${track.name} — ${track.artists.join(', ')}`, track.id, now);
  }

  private add(scope: string, userId: string, kind: BlockKind, key: string, label: string, trackId: number, now: number): 'new' | 'same' {
    return writeTransaction(this.database.sqlite, () => {
      const changes = this.insert.run(scope, userId, kind, key, label, trackId, now).changes;
      if (changes === 0) return 'same' as const;
      // Keep the newest MAX_BLOCKS: a member who blocks without end does not grow the table without end.
      this.database.sqlite
        .prepare('DELETE FROM blocks WHERE scope = ? AND user_id = ? AND id NOT IN (SELECT id FROM blocks WHERE scope = ? AND user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?)')
        .run(scope, userId, scope, userId, MAX_BLOCKS);
      return 'new' as const;
    });
  }

  /** Undoes one block; null when it is not this member's (or no longer exists). */
  unblock(scope: string, userId: string, id: number): Block | null {
    const block = this.list(scope, userId).find((b) => b.id === id) ?? null;
    if (block) this.database.sqlite.prepare('DELETE FROM blocks WHERE id = ?').run(id);
    return block;
  }

  /** A member's blocks in a scope, newest first. */
  list(scope: string, userId: string): Block[] {
    return this.listOf.all(scope, userId);
  }

  /** What to leave out of a member's picks in a scope. */
  blockedFor(scope: string, userId: string | null | undefined): Blocked {
    if (!userId) return NOTHING_BLOCKED;
    const blocks = this.listOf.all(scope, userId);
    if (blocks.length === 0) return NOTHING_BLOCKED;
    return {
      artists: new Set(blocks.filter((b) => b.kind === 'artist').map((b) => b.key)),
      songs: new Set(blocks.filter((b) => b.kind === 'song').map((b) => b.key)),
    };
  }

  /** Deletes every block in a scope (the bot left the guild). Returns how many. */
  forgetScope(scope: string): number {
    return this.database.sqlite.prepare('DELETE FROM blocks WHERE scope = ?').run(scope).changes;
  }
}

/** Whether a track is blocked: its work key, or any of its artists. */
export function isBlocked(blocked: Blocked, workKey: string, artists: () => readonly string[]): boolean {
  if (blocked.songs.has(workKey)) return true;
  if (blocked.artists.size === 0) return false;
  return artists().some((artist) => blocked.artists.has(foldText(artist)));
}
