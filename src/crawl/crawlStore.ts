import { and, eq } from 'drizzle-orm';
import { crawlAlbums, crawlItems, crawlRuns } from '../../db/schema.js';
import { writeTransaction, type Database } from '../catalog/database.js';
import { SeedRemovedError } from '../errors.js';
import type { AudioFeatures, TrackInput } from '../types.js';
import { emptyCounts, emptyState, type CrawlCounts, type CrawlStage, type CrawlState } from './types.js';

export interface CrawlRun {
  id: number;
  seedId: number;
  stage: CrawlStage;
  state: CrawlState;
  counts: CrawlCounts;
}

export interface StagedItem {
  spotifyId: string;
  track: TrackInput;
  inPlaylist: boolean;
  addedAt: string | null;
  features: AudioFeatures | null;
  provider: string | null;
}

type RunRow = typeof crawlRuns.$inferSelect;

function toRun(row: RunRow): CrawlRun {
  return {
    id: row.id,
    seedId: row.seedId,
    stage: row.stage as CrawlStage,
    state: JSON.parse(row.state) as CrawlState,
    counts: JSON.parse(row.counts) as CrawlCounts,
  };
}

const isForeignKeyFailure = (error: unknown) => (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';

/** Crawl runs and their staged tracks. Every write that moves a crawl forward is one transaction. */
export class CrawlStore {
  constructor(private readonly database: Database) {}

  transaction<T>(fn: () => T): T {
    return writeTransaction(this.database.sqlite, fn);
  }

  /** The unfinished run of a seed, if a previous process stopped in the middle of one. */
  unfinished(seedId: number): CrawlRun | null {
    const row = this.database.db
      .select()
      .from(crawlRuns)
      .where(and(eq(crawlRuns.seedId, seedId), eq(crawlRuns.status, 'running')))
      .get();
    return row ? toRun(row) : null;
  }

  /** A new run of a seed; SeedRemovedError when the seed is gone (removed since it was listed). */
  start(seedId: number): CrawlRun {
    try {
      return this.insertRun(seedId);
    } catch (error) {
      if (isForeignKeyFailure(error)) throw new SeedRemovedError(seedId);
      throw error;
    }
  }

  /** False once the run's row is gone: its seed was removed, and the run with it (ON DELETE CASCADE). */
  exists(runId: number): boolean {
    return this.database.sqlite.prepare('SELECT 1 FROM crawl_runs WHERE id = ?').get(runId) !== undefined;
  }

  private insertRun(seedId: number): CrawlRun {
    const row = this.database.db
      .insert(crawlRuns)
      .values({
        seedId,
        status: 'running',
        stage: 'playlist',
        state: JSON.stringify(emptyState()),
        counts: JSON.stringify(emptyCounts()),
        updatedAt: Date.now(),
      })
      .returning()
      .get();
    return toRun(row);
  }

  /** Saves where the run is. Call inside the transaction that stored the step's results. */
  save(run: CrawlRun): void {
    this.database.db
      .update(crawlRuns)
      .set({ stage: run.stage, state: JSON.stringify(run.state), counts: JSON.stringify(run.counts), updatedAt: Date.now() })
      .where(eq(crawlRuns.id, run.id))
      .run();
  }

  finish(run: CrawlRun, status: 'done' | 'failed', error: string | null = null): void {
    this.database.db
      .update(crawlRuns)
      .set({
        status,
        stage: run.stage,
        counts: JSON.stringify(run.counts),
        state: JSON.stringify(run.state),
        error,
        updatedAt: Date.now(),
        finishedAt: Date.now(),
      })
      .where(eq(crawlRuns.id, run.id))
      .run();
    // Staged rows are only a means to the commit.
    this.database.db.delete(crawlItems).where(eq(crawlItems.runId, run.id)).run();
    this.database.db.delete(crawlAlbums).where(eq(crawlAlbums.runId, run.id)).run();
  }

  /** Stages tracks; a track seen again keeps its first row (a playlist row wins over an album row). */
  stage(runId: number, items: readonly Omit<StagedItem, 'features' | 'provider'>[]): number {
    let added = 0;
    for (const item of items) {
      const result = this.database.db
        .insert(crawlItems)
        .values({
          runId,
          spotifyId: item.spotifyId,
          track: JSON.stringify(item.track),
          inPlaylist: item.inPlaylist,
          addedAt: item.addedAt,
        })
        .onConflictDoNothing()
        .run();
      added += result.changes;
    }
    return added;
  }

  albumVisited(runId: number, albumId: string, trackCount: number): void {
    this.database.db.insert(crawlAlbums).values({ runId, albumId, trackCount }).onConflictDoNothing().run();
  }

  /** At commit: this run's albums are now fully in the catalog, so later crawls skip them. */
  commitVisitedAlbums(runId: number, now: number): void {
    this.database.sqlite
      .prepare(
        `INSERT INTO crawled_albums (album_id, track_count, crawled_at)
         SELECT album_id, track_count, ? FROM crawl_albums WHERE run_id = ? ON CONFLICT DO NOTHING`,
      )
      .run(now, runId);
  }

  /** Distinct artist IDs of the tracks the playlist itself held. */
  playlistArtistIds(runId: number): string[] {
    const rows = this.database.sqlite
      .prepare(
        `SELECT DISTINCT a.value AS id FROM crawl_items i, json_each(json_extract(i.track, '$.artistIds')) a
         WHERE i.run_id = ? AND i.in_playlist = 1 ORDER BY a.value`,
      )
      .pluck()
      .all(runId) as string[];
    return rows;
  }

  /** Staged IDs not yet asked about features, skipping tracks the catalog already has features for. */
  needingFeatures(runId: number, limit: number): string[] {
    return this.database.sqlite
      .prepare(
        `SELECT i.spotify_id FROM crawl_items i
         WHERE i.run_id = ? AND i.features_tried = 0
           AND NOT EXISTS (
             SELECT 1 FROM audio_features f
             WHERE f.track_id = COALESCE(
               (SELECT id FROM tracks WHERE spotify_id = i.spotify_id),
               (SELECT track_id FROM track_aliases WHERE spotify_id = i.spotify_id)))
         ORDER BY i.spotify_id LIMIT ?`,
      )
      .pluck()
      .all(runId, limit) as string[];
  }

  /** Marks IDs as asked, storing the features of those a provider knew. */
  recordFeatures(runId: number, asked: readonly string[], found: ReadonlyMap<string, { features: AudioFeatures; provider: string }>): void {
    const statement = this.database.sqlite.prepare(
      'UPDATE crawl_items SET features_tried = 1, features = ?, provider = ? WHERE run_id = ? AND spotify_id = ?',
    );
    for (const id of asked) {
      const result = found.get(id);
      statement.run(result ? JSON.stringify(result.features) : null, result?.provider ?? null, runId, id);
    }
  }

  staged(runId: number): StagedItem[] {
    return this.database.db
      .select()
      .from(crawlItems)
      .where(eq(crawlItems.runId, runId))
      .all()
      .map((row) => ({
        spotifyId: row.spotifyId,
        track: JSON.parse(row.track) as TrackInput,
        inPlaylist: row.inPlaylist,
        addedAt: row.addedAt,
        features: row.features ? (JSON.parse(row.features) as AudioFeatures) : null,
        provider: row.provider,
      }));
  }

  lastRuns(limit = 10): { id: number; seedId: number; status: string; stage: string; counts: CrawlCounts; error: string | null; startedAt: number; finishedAt: number | null }[] {
    return this.database.sqlite
      .prepare('SELECT id, seed_id AS seedId, status, stage, counts, error, started_at AS startedAt, finished_at AS finishedAt FROM crawl_runs ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map((row) => {
        const r = row as { id: number; seedId: number; status: string; stage: string; counts: string; error: string | null; startedAt: number; finishedAt: number | null };
        return { ...r, counts: JSON.parse(r.counts) as CrawlCounts };
      });
  }
}
