import { and, asc, eq } from 'drizzle-orm';
import { seeds } from '../../db/schema.js';
import type { Database } from '../catalog/database.js';

export type Seed = typeof seeds.$inferSelect;

/** Seed playlists, per guild (`cli` for the command line). */
export class SeedStore {
  constructor(private readonly database: Database) {}

  /** Adds a seed, or returns the existing one (updating its expansion choice). */
  add(guildId: string, playlistId: string, options: { expandArtists: boolean; addedBy?: string | null }): Seed {
    return this.database.db
      .insert(seeds)
      .values({ guildId, playlistId, expandArtists: options.expandArtists, addedBy: options.addedBy ?? null })
      .onConflictDoUpdate({ target: [seeds.guildId, seeds.playlistId], set: { expandArtists: options.expandArtists } })
      .returning()
      .get();
  }

  get(id: number): Seed | null {
    return this.database.db.select().from(seeds).where(eq(seeds.id, id)).get() ?? null;
  }

  find(guildId: string, playlistId: string): Seed | null {
    return (
      this.database.db
        .select()
        .from(seeds)
        .where(and(eq(seeds.guildId, guildId), eq(seeds.playlistId, playlistId)))
        .get() ?? null
    );
  }

  list(guildId?: string): Seed[] {
    const query = this.database.db.select().from(seeds);
    return (guildId === undefined ? query : query.where(eq(seeds.guildId, guildId))).orderBy(asc(seeds.id)).all();
  }

  /** Removes a guild's seed; its tracks stay in the catalog. Returns whether there was one. */
  remove(guildId: string, playlistId: string): boolean {
    return this.database.db.delete(seeds).where(and(eq(seeds.guildId, guildId), eq(seeds.playlistId, playlistId))).run().changes > 0;
  }

  recordCrawl(id: number, values: { name: string; ownerName: string | null; snapshotId: string; trackCount: number }): void {
    this.database.db
      .update(seeds)
      .set({ ...values, lastCrawledAt: Date.now() })
      .where(eq(seeds.id, id))
      .run();
  }
}
