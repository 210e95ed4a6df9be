import type BetterSqlite3 from 'better-sqlite3';

// The catalog as rows to compare: what two runs (or a run before and after something) stored.

// The catalog, on columns that do not depend on when or in which order rows were written
// (no autoincrement IDs, no timestamps): tracks are named by their Spotify ID.
const CATALOG_QUERIES: Record<string, string> = {
  tracks: `SELECT spotify_id, name, artists, artist_ids, album, album_id, cover_url, release_year, popularity, duration_ms,
             explicit, song_key, work_key, search_text, source
           FROM tracks ORDER BY spotify_id`,
  audio_features: `SELECT t.spotify_id, f.danceability, f.energy, f.key, f.loudness, f.mode, f.speechiness, f.acousticness,
             f.instrumentalness, f.liveness, f.valence, f.tempo, f.duration_ms, f.time_signature, f.provider
           FROM audio_features f JOIN tracks t ON t.id = f.track_id ORDER BY t.spotify_id`,
  track_aliases: `SELECT a.spotify_id, t.spotify_id AS track FROM track_aliases a JOIN tracks t ON t.id = a.track_id ORDER BY a.spotify_id`,
  track_labels: `SELECT t.spotify_id, l.kind, l.value, l.source FROM track_labels l JOIN tracks t ON t.id = l.track_id
           ORDER BY t.spotify_id, l.kind, l.value`,
  seed_tracks: `SELECT s.guild_id, s.playlist_id, t.spotify_id, st.removed_at IS NULL AS present
           FROM seed_tracks st JOIN seeds s ON s.id = st.seed_id JOIN tracks t ON t.id = st.track_id
           ORDER BY s.guild_id, s.playlist_id, t.spotify_id`,
  seeds: `SELECT guild_id, playlist_id, name, owner_name, snapshot_id, expand_artists, track_count, last_crawled_at IS NOT NULL AS crawled
           FROM seeds ORDER BY guild_id, playlist_id`,
  feature_backlog: `SELECT t.spotify_id, b.attempts FROM feature_backlog b JOIN tracks t ON t.id = b.track_id ORDER BY t.spotify_id`,
  crawled_albums: `SELECT album_id, track_count FROM crawled_albums ORDER BY album_id`,
};

export type CatalogRows = Record<string, unknown[]>;

export function catalogRows(db: BetterSqlite3.Database): CatalogRows {
  const rows: CatalogRows = {};
  for (const [table, sql] of Object.entries(CATALOG_QUERIES)) rows[table] = db.prepare(sql).raw().all();
  return rows;
}

/** The first rows that differ between two listings of one table, for a readable failure. */
export function firstDifference(a: unknown[], b: unknown[]): string | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = JSON.stringify(a[i]);
    const y = JSON.stringify(b[i]);
    if (x !== y) return `row ${i}: ${x} vs ${y}`;
  }
  return null;
}

/** Every catalog table's differences (empty when the catalogs are equal). */
export function catalogDifferences(actual: CatalogRows, expected: CatalogRows): Record<string, string> {
  const out: Record<string, string> = {};
  for (const table of Object.keys(expected)) {
    const difference = firstDifference(actual[table] ?? [], expected[table] ?? []);
    if (difference) out[table] = `${(actual[table] ?? []).length} vs ${(expected[table] ?? []).length} rows; first difference at ${difference}`;
  }
  return out;
}

/**
 * Invariants of any catalog state, complete or not: the full-text index has one row per track
 * with its text, no recording is stored twice, no Spotify ID is both a track and an alias.
 */
export function catalogInvariants(db: BetterSqlite3.Database): Record<string, number> {
  const n = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    // The index's own per-row table: reading track_search itself reads the tracks (its content table).
    tracksWithoutSearchRow: n(`SELECT count(*) FROM tracks t WHERE NOT EXISTS (SELECT 1 FROM track_search_docsize d WHERE d.id = t.id)`),
    searchRowsWithoutTrack: n(`SELECT count(*) FROM track_search_docsize d WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = d.id)`),
    duplicateSongKeys: n(`SELECT count(*) FROM (SELECT song_key FROM tracks GROUP BY song_key HAVING count(*) > 1)`),
    idsBothTrackAndAlias: n(`SELECT count(*) FROM track_aliases a JOIN tracks t ON t.spotify_id = a.spotify_id`),
  };
}

export const NO_VIOLATIONS = { tracksWithoutSearchRow: 0, searchRowsWithoutTrack: 0, duplicateSongKeys: 0, idsBothTrackAndAlias: 0 };
