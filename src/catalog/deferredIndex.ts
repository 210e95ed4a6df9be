import type { Database } from './database.js';

// An import into an empty catalog writes every track's song key into tracks_song_key_idx. The keys
// arrive in random order, so each batch dirtied most of the index's pages and each commit wrote
// them all to the WAL again: at a million rows, 18 GB of WAL frames for a 600 MB database. Building
// the index once at the end sorts the keys instead. While it is missing, the import finds the song
// keys it added in memory (Catalog.deferSongKeyIndex), and anything else that reads by song key is
// merely slower.

const SONG_KEY_INDEX = 'tracks_song_key_idx';

/** The index as db/migrations/0011_search_covering_index.sql creates it (a test holds them equal). */
export const SONG_KEY_INDEX_SQL =
  'CREATE INDEX `tracks_song_key_idx` ON `tracks` (`song_key`,`name`,`artists`,`popularity`,`spotify_id`)';

export function hasSongKeyIndex(sqlite: Database['sqlite']): boolean {
  return sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(SONG_KEY_INDEX) !== undefined;
}

export function dropSongKeyIndex(sqlite: Database['sqlite']): void {
  sqlite.exec(`DROP INDEX IF EXISTS ${SONG_KEY_INDEX}`);
}

/**
 * Builds the index if it is missing: at the end of an import, and at every open, so a process
 * killed mid-import leaves a catalog whose next user rebuilds it (about 2 s at a million tracks).
 * A second process rebuilding it while the import still runs changes nothing the import relies on.
 */
export function restoreSongKeyIndex(sqlite: Database['sqlite']): void {
  if (!hasSongKeyIndex(sqlite)) sqlite.exec(SONG_KEY_INDEX_SQL.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS'));
}
