import type { Database } from './database.js';

// An import into an empty catalog writes every track's song key into tracks_song_key_idx. The keys
// arrive in random order, so each batch dirtied most of the index's pages and each commit wrote
// them all to the WAL again: at a million rows, 18 GB of WAL frames for a 600 MB database. Building
// the index once at the end sorts the keys instead. While it is missing, the import finds the song
// keys it added in memory (Catalog.deferSongKeyIndex), and anything else that reads by song key is
// merely slower. The name search's work and artist indexes (0012) have random keys too and an
// import never reads them: they are built at the end as well.

const SONG_KEY_INDEX = 'tracks_song_key_idx';

/** The index as db/migrations/0011_search_covering_index.sql creates it (a test holds them equal). */
export const SONG_KEY_INDEX_SQL =
  'CREATE INDEX `tracks_song_key_idx` ON `tracks` (`song_key`,`name`,`artists`,`popularity`,`spotify_id`)';

/** The indexes as db/migrations/0012_search_work_indexes.sql creates them (a test holds them equal). */
export const SEARCH_INDEX_SQL: Readonly<Record<string, string>> = {
  tracks_work_key_idx: 'CREATE INDEX `tracks_work_key_idx` ON `tracks` (`work_key`,`popularity`,`release_year`)',
  tracks_primary_artist_idx: "CREATE INDEX `tracks_primary_artist_idx` ON `tracks` (substr(`work_key`, instr(`work_key`, '|') + 1), `popularity`)",
};

const DEFERRED_INDEX_SQL: Readonly<Record<string, string>> = { [SONG_KEY_INDEX]: SONG_KEY_INDEX_SQL, ...SEARCH_INDEX_SQL };

export function dropDeferredIndexes(sqlite: Database['sqlite']): void {
  for (const name of Object.keys(DEFERRED_INDEX_SQL)) sqlite.exec(`DROP INDEX IF EXISTS ${name}`);
}

/**
 * Builds the indexes that are missing: at the end of an import, and at every open, so a process
 * killed mid-import leaves a catalog whose next user rebuilds them (about 2 s each at a million
 * tracks). A second process rebuilding them while the import still runs changes nothing the
 * import relies on.
 */
export function restoreDeferredIndexes(sqlite: Database['sqlite']): void {
  const present = new Set(sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tracks'`).pluck().all() as string[]);
  for (const [name, sql] of Object.entries(DEFERRED_INDEX_SQL)) {
    if (!present.has(name)) sqlite.exec(sql.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS'));
  }
}
