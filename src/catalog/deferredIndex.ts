import type { Database } from './database.js';

// An import into an empty catalog writes every track's song key into tracks_song_key_idx. The keys
// arrive in random order, so each batch dirtied most of the index's pages and each commit wrote
// them all to the WAL again: at a million rows, 18 GB of WAL frames for a 600 MB database. Building
// the index once at the end sorts the keys instead. While it is missing, the import finds the song
// keys it added without it (Catalog.deferIndexes), and anything else that reads by song key is
// merely slower. The name search's work and artist indexes (0012) have random keys too and an
// import never reads them: they are built at the end as well.
//
// Spotify IDs are random too, and so is their unique index: it is deferred the same way. The
// import asks neither index meanwhile: its parsing thread finds which rows repeat an earlier row's
// Spotify ID or song key (RepeatedRows), and the writer knows the track each earlier row went to.
// So is the full-text index: one pass over the finished table at the end instead of a batch at a time.
// While the unique index is missing the full-text index may lack tracks, so its absence is the
// mark of an unfinished import: whoever finds it missing rebuilds the full-text index and then
// builds the unique index, in one transaction.

const SONG_KEY_INDEX = 'tracks_song_key_idx';
/** Missing only while an import into an empty catalog runs (or after one was killed). */
const SPOTIFY_ID_INDEX = 'tracks_spotify_id_unique';

/** The index as db/migrations/0011_search_covering_index.sql creates it (a test holds them equal). */
export const SONG_KEY_INDEX_SQL =
  'CREATE INDEX `tracks_song_key_idx` ON `tracks` (`song_key`,`name`,`artists`,`popularity`,`spotify_id`)';

/** The indexes as db/migrations/0012_search_work_indexes.sql creates them (a test holds them equal). */
export const SEARCH_INDEX_SQL: Readonly<Record<string, string>> = {
  tracks_work_key_idx: 'CREATE INDEX `tracks_work_key_idx` ON `tracks` (`work_key`,`popularity`,`release_year`)',
  tracks_primary_artist_idx: "CREATE INDEX `tracks_primary_artist_idx` ON `tracks` (substr(`work_key`, instr(`work_key`, '|') + 1), `popularity`)",
};

/** The index as db/migrations/0000_catalog.sql creates it (a test holds them equal). */
export const SPOTIFY_ID_INDEX_SQL = 'CREATE UNIQUE INDEX `tracks_spotify_id_unique` ON `tracks` (`spotify_id`)';

const DEFERRED_INDEX_SQL: Readonly<Record<string, string>> = {
  [SONG_KEY_INDEX]: SONG_KEY_INDEX_SQL,
  ...SEARCH_INDEX_SQL,
  [SPOTIFY_ID_INDEX]: SPOTIFY_ID_INDEX_SQL,
};

export function dropDeferredIndexes(sqlite: Database['sqlite']): void {
  for (const name of Object.keys(DEFERRED_INDEX_SQL)) sqlite.exec(`DROP INDEX IF EXISTS ${name}`);
}

/** Whether the full-text index and the unique Spotify ID index wait for an import's end. */
export function fullTextDeferred(sqlite: Database['sqlite']): boolean {
  return sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(SPOTIFY_ID_INDEX) === undefined;
}

/**
 * Builds the indexes that are missing, and the full-text index when the unique Spotify ID index
 * is: at the end of an import, and at every open, so a process killed mid-import leaves a catalog
 * whose next user rebuilds them (about 2 s each at a million tracks). A second process rebuilding
 * them while the import still runs changes nothing the import relies on: its next batch sees the
 * unique index back and writes the full-text rows itself from then on.
 */
export function restoreDeferredIndexes(sqlite: Database['sqlite']): void {
  const present = new Set(sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tracks'`).pluck().all() as string[]);
  for (const [name, sql] of Object.entries(DEFERRED_INDEX_SQL)) {
    if (present.has(name)) continue;
    if (name !== SPOTIFY_ID_INDEX) {
      sqlite.exec(sql.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS'));
      continue;
    }
    // The mark goes with the full-text rows it stands for; looked at again inside the write
    // transaction, as another process may have restored them meanwhile. (A savepoint when nested.)
    sqlite
      .transaction(() => {
        if (!fullTextDeferred(sqlite)) return;
        sqlite.exec(`INSERT INTO track_search (track_search) VALUES ('rebuild')`);
        sqlite.exec(sql);
      })
      .immediate();
  }
}
