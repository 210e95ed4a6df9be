import type { Statement } from 'better-sqlite3';
import type {
  AudioFeatures,
  FeatureProviderName,
  Track,
  TrackInput,
  TrackLabel,
  TrackWithFeatures,
} from '../types.js';
import { grown } from '../typedArrays.js';
import { writeTransaction, type Database } from './database.js';
import { dropDeferredIndexes, fullTextDeferred, restoreDeferredIndexes } from './deferredIndex.js';
import { MultiRowInsert, placeholders } from './multiRowInsert.js';
import { trackKeys, type TrackKeys } from './normalize.js';
import { LABEL_KINDS, N, S, batchEntry, labelOffsets, nullable, type TrackBatch } from './trackBatch.js';
import {
  FEATURE_VALUE_COLUMNS,
  TRACK_VALUE_COLUMNS,
  featureValues,
  trackMetadata,
  trackValues,
} from './trackColumns.js';

export type UpsertOutcome = 'added' | 'updated' | 'unchanged' | 'merged';

export interface UpsertResult {
  trackId: number;
  outcome: UpsertOutcome;
}

/** What Catalog.upsertBatch did, summed over the batch. */
export interface BatchOutcome {
  added: number;
  updated: number;
  unchanged: number;
  /** Unchanged rows whose track was added since `addedSince` (the same file, repeating a row). */
  repeated: number;
  merged: number;
  featuresAdded: number;
  labelsAdded: number;
}

export interface CatalogCounts {
  tracks: number;
  withFeatures: number;
  withoutFeatures: number;
  aliases: number;
  featuresByProvider: Record<string, number>;
}

interface TrackRow {
  id: number;
  spotify_id: string;
  name: string;
  artists: string;
  album: string | null;
  cover_url: string | null;
  release_year: number | null;
  popularity: number | null;
  duration_ms: number | null;
}

interface FeatureRow {
  danceability: number;
  energy: number;
  key: number | null;
  loudness: number;
  mode: number;
  speechiness: number;
  acousticness: number;
  instrumentalness: number;
  liveness: number;
  valence: number;
  tempo: number;
  f_duration_ms: number | null;
  time_signature: number | null;
  provider: string | null;
}

const TRACK_COLUMNS =
  't.id, t.spotify_id, t.name, t.artists, t.album, t.cover_url, t.release_year, t.popularity, t.duration_ms';
const FEATURE_COLUMNS =
  'f.danceability, f.energy, f.key, f.loudness, f.mode, f.speechiness, f.acousticness, f.instrumentalness, f.liveness, f.valence, f.tempo, f.duration_ms AS f_duration_ms, f.time_signature, f.provider';

// INSERT heads shared by the one-row statements and the import's multi-row ones.
const TRACK_WIDTH = TRACK_VALUE_COLUMNS.length;
const FEATURE_WIDTH = FEATURE_VALUE_COLUMNS.length;
const TRACK_INSERT_COLUMNS = `${TRACK_VALUE_COLUMNS.join(', ')}, source`;
const INSERT_TRACK = `INSERT INTO tracks (${TRACK_INSERT_COLUMNS}) VALUES`;
const INSERT_FEATURES = `INSERT INTO audio_features (track_id, ${FEATURE_VALUE_COLUMNS.join(', ')}, provider) VALUES`;
// The first provider to supply a track's features wins; later ones may only fill the optional gaps.
// One upsert rather than an insert and an update: re-imports run it for every row.
const ON_FEATURES_CONFLICT = `ON CONFLICT(track_id) DO UPDATE SET
  duration_ms = COALESCE(duration_ms, excluded.duration_ms), time_signature = COALESCE(time_signature, excluded.time_signature)
  WHERE (duration_ms IS NULL AND excluded.duration_ms IS NOT NULL) OR (time_signature IS NULL AND excluded.time_signature IS NOT NULL)`;
/** WAL pages between checkpoints during bulk writes (about 40 MB; SQLite's default is 1,000). */
const BULK_CHECKPOINT_PAGES = 10_000;
const INSERT_LABEL = 'INSERT INTO track_labels (track_id, kind, value, source) VALUES';
const ON_LABEL_CONFLICT = 'ON CONFLICT DO NOTHING';

/**
 * An import into an empty catalog while the indexes it would otherwise ask wait for its end (see
 * deferredIndex.ts). Its rows are the whole catalog as long as nothing else writes tracks
 * (Catalog.checkDeferral), so each row's track follows from the file's rows before it, which the
 * parsing thread found (TrackBatch.sameAs).
 */
interface DeferredImport {
  /** The track id of each of the file's rows written so far. */
  trackOfRow: Int32Array;
  /** The file's rows written so far. */
  rows: number;
  /** The id the next track gets if nothing else wrote tracks. */
  nextTrackId: number;
}

/** The statements of Catalog.upsertBatch, prepared on first use. */
class BulkStatements {
  /** The id AUTOINCREMENT would give the next track. */
  readonly nextTrackId: Statement<[], number>;
  readonly knownSpotifyIds: Statement<[string, string], { spotify_id: string; id: number }>;
  readonly knownSongKeys: Statement<[string], string>;
  readonly tracks: MultiRowInsert;
  readonly searchRows: Statement<[number, number]>;
  readonly features: MultiRowInsert;
  readonly labels: MultiRowInsert;

  constructor(sqlite: Database['sqlite']) {
    this.nextTrackId = sqlite
      .prepare<[], number>(
        `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'tracks'), 0), coalesce((SELECT max(id) FROM tracks), 0)) + 1`,
      )
      .pluck();
    // Which of a JSON array of Spotify IDs (song keys) the catalog has: one query a batch, not one a row.
    this.knownSpotifyIds = sqlite.prepare<[string, string], { spotify_id: string; id: number }>(
      `SELECT t.spotify_id, t.id FROM json_each(?) j JOIN tracks t ON t.spotify_id = j.value
       UNION ALL SELECT a.spotify_id, a.track_id AS id FROM json_each(?) j JOIN track_aliases a ON a.spotify_id = j.value`,
    );
    this.knownSongKeys = sqlite
      .prepare<[string], string>(`SELECT t.song_key FROM json_each(?) j JOIN tracks t ON t.song_key = j.value`)
      .pluck();
    this.tracks = new MultiRowInsert(sqlite, `INSERT INTO tracks (id, ${TRACK_INSERT_COLUMNS}) VALUES`, TRACK_WIDTH + 2);
    // See db/migrations/0001_track_search.sql for why this is not a trigger.
    this.searchRows = sqlite.prepare(
      `INSERT INTO track_search (rowid, search_text) SELECT id, search_text FROM tracks WHERE id BETWEEN ? AND ?`,
    );
    this.features = new MultiRowInsert(sqlite, INSERT_FEATURES, FEATURE_WIDTH + 2, ON_FEATURES_CONFLICT);
    this.labels = new MultiRowInsert(sqlite, INSERT_LABEL, 4, ON_LABEL_CONFLICT);
  }
}

function toTrack(row: TrackRow): Track {
  return {
    id: row.id,
    spotifyId: row.spotify_id,
    name: row.name,
    artists: JSON.parse(row.artists) as string[],
    album: row.album,
    coverUrl: row.cover_url,
    releaseYear: row.release_year,
    popularity: row.popularity,
    durationMs: row.duration_ms,
  };
}

function toFeatures(row: FeatureRow): AudioFeatures | null {
  if (row.provider == null) return null;
  return {
    danceability: row.danceability,
    energy: row.energy,
    key: row.key,
    loudness: row.loudness,
    mode: row.mode,
    speechiness: row.speechiness,
    acousticness: row.acousticness,
    instrumentalness: row.instrumentalness,
    liveness: row.liveness,
    valence: row.valence,
    tempo: row.tempo,
    durationMs: row.f_duration_ms,
    timeSignature: row.time_signature,
  };
}

/** Catalog.splitAdding for a batch of an import into an empty catalog: the rows that repeat no row before them add tracks. */
function splitByRepeats(batch: TrackBatch): { adding: number[]; others: number[]; storedIds: Map<string, number> } {
  const adding: number[] = [];
  const others: number[] = [];
  const { sameAs } = batch;
  for (let row = 0; row < batch.size; row++) (sameAs[row * 2]! < 0 && sameAs[row * 2 + 1]! < 0 ? adding : others).push(row);
  return { adding, others, storedIds: new Map() };
}

/**
 * The track catalog. Writes go through prepared statements because imports push
 * hundreds of thousands of rows through them; everything else can use drizzle.
 */
export class Catalog {
  private readonly byId: Statement<[number], TrackRow & FeatureRow>;
  private readonly idBySpotifyId: Statement<[string, string], { id: number }>;
  private readonly idBySongKey: Statement<[string], { id: number }>;
  private readonly insertTrack: Statement;
  private readonly fillTrackGaps: Statement;
  private readonly refreshTrack: Statement;
  private readonly insertSearchRow: Statement;
  private readonly insertAlias: Statement;
  private readonly insertFeatures: Statement;
  private readonly insertLabel: Statement;
  private bulkStatements: BulkStatements | null = null;
  private bulkWriters = 0;
  private checkpointPages = 0;
  /** While the indexes are deferred: the import's rows. */
  private deferred: DeferredImport | null = null;

  constructor(readonly database: Database) {
    const { sqlite } = database;
    this.byId = sqlite.prepare(
      `SELECT ${TRACK_COLUMNS}, ${FEATURE_COLUMNS} FROM tracks t LEFT JOIN audio_features f ON f.track_id = t.id WHERE t.id = ?`,
    );
    this.idBySpotifyId = sqlite.prepare(
      `SELECT id FROM tracks WHERE spotify_id = ? UNION ALL SELECT track_id AS id FROM track_aliases WHERE spotify_id = ? LIMIT 1`,
    );
    this.idBySongKey = sqlite.prepare(`SELECT id FROM tracks WHERE song_key = ? ORDER BY id LIMIT 1`);
    this.insertTrack = sqlite.prepare(
      `${INSERT_TRACK} (${placeholders(TRACK_WIDTH + 1)})`,
    );
    // Both updates take (metadata..., id, metadata...) in TrackMetadata order; positional binding
    // because imports run them for every row.
    // Fill what the catalog does not know yet; never overwrite what it knows, so re-imports change nothing.
    this.fillTrackGaps = sqlite.prepare(
      `UPDATE tracks SET
         artist_ids = COALESCE(artist_ids, ?), album = COALESCE(album, ?),
         album_id = COALESCE(album_id, ?), cover_url = COALESCE(cover_url, ?),
         release_year = COALESCE(release_year, ?), popularity = COALESCE(popularity, ?),
         duration_ms = COALESCE(duration_ms, ?), explicit = COALESCE(explicit, ?)
       WHERE id = ? AND (
         (artist_ids IS NULL AND ? IS NOT NULL) OR (album IS NULL AND ? IS NOT NULL) OR
         (album_id IS NULL AND ? IS NOT NULL) OR (cover_url IS NULL AND ? IS NOT NULL) OR
         (release_year IS NULL AND ? IS NOT NULL) OR (popularity IS NULL AND ? IS NOT NULL) OR
         (duration_ms IS NULL AND ? IS NOT NULL) OR (explicit IS NULL AND ? IS NOT NULL))`,
    );
    // Spotify is the source of truth for metadata it sends; a crawl refreshes it.
    this.refreshTrack = sqlite.prepare(
      `UPDATE tracks SET
         artist_ids = COALESCE(?, artist_ids), album = COALESCE(?, album),
         album_id = COALESCE(?, album_id), cover_url = COALESCE(?, cover_url),
         release_year = COALESCE(?, release_year), popularity = COALESCE(?, popularity),
         duration_ms = COALESCE(?, duration_ms), explicit = COALESCE(?, explicit)
       WHERE id = ? AND (
         artist_ids IS NOT COALESCE(?, artist_ids) OR album IS NOT COALESCE(?, album) OR
         album_id IS NOT COALESCE(?, album_id) OR cover_url IS NOT COALESCE(?, cover_url) OR
         release_year IS NOT COALESCE(?, release_year) OR popularity IS NOT COALESCE(?, popularity) OR
         duration_ms IS NOT COALESCE(?, duration_ms) OR explicit IS NOT COALESCE(?, explicit))`,
    );
    this.insertSearchRow = sqlite.prepare(`INSERT INTO track_search (rowid, search_text) VALUES (?, ?)`);
    this.insertAlias = sqlite.prepare(
      `INSERT INTO track_aliases (spotify_id, track_id) VALUES (?, ?) ON CONFLICT(spotify_id) DO NOTHING`,
    );
    this.insertFeatures = sqlite.prepare(`${INSERT_FEATURES} (${placeholders(FEATURE_WIDTH + 2)}) ${ON_FEATURES_CONFLICT}`);
    this.insertLabel = sqlite.prepare(`${INSERT_LABEL} (?, ?, ?, ?) ${ON_LABEL_CONFLICT}`);
  }

  /**
   * Spaces out WAL checkpoints while a long series of write batches (an import) runs, until the
   * returned function is called. Each checkpoint copies the pages written since the last one into
   * the database and waits for the disk; on a big catalog every batch rewrites thousands of index
   * pages, and checkpointing after each (the default, every 1,000 pages) copied them all again.
   */
  beginBulkWrites(): () => void {
    const { sqlite } = this.database;
    if (this.bulkWriters++ === 0) {
      this.checkpointPages = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
      sqlite.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.bulkWriters === 0 && sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${this.checkpointPages}`);
    };
  }

  /**
   * Drops the song-key, search and unique Spotify ID indexes and stops writing full-text rows
   * while an import fills an empty catalog with batches of one file (see deferredIndex.ts);
   * returns the function that builds them all again. Returns a no-op when the catalog holds
   * tracks: their keys are only in the indexes.
   */
  deferIndexes(): () => void {
    const { sqlite } = this.database;
    if (this.deferred) return () => {};
    const nextTrackId = this.transaction(() => {
      if (sqlite.prepare('SELECT 1 FROM tracks LIMIT 1').get() !== undefined) return null;
      dropDeferredIndexes(sqlite);
      return this.bulk().nextTrackId.get()!;
    });
    if (nextTrackId === null) return () => {};
    const deferred: DeferredImport = { trackOfRow: new Int32Array(65_536), rows: 0, nextTrackId };
    this.deferred = deferred;
    return () => {
      if (this.deferred !== deferred) return;
      this.deferred = null;
      if (sqlite.open) restoreDeferredIndexes(sqlite);
    };
  }

  /**
   * While indexes are deferred, before a batch: when another process wrote tracks (the next id is
   * not the one this catalog expects) or restored the indexes, or the batch is not the file's next,
   * the rows before are no longer the whole catalog, so the indexes are built now and used from here on.
   */
  private checkDeferral(batch: TrackBatch): DeferredImport | null {
    const { deferred } = this;
    if (!deferred) return null;
    if (batch.firstRow === deferred.rows && deferred.nextTrackId === this.bulk().nextTrackId.get() && fullTextDeferred(this.database.sqlite)) {
      return deferred;
    }
    this.endDeferral();
    return null;
  }

  private endDeferral(): void {
    this.deferred = null;
    this.transaction(() => restoreDeferredIndexes(this.database.sqlite));
  }

  /** The first track with this song key, or null. */
  private findIdBySongKey(songKey: string): number | null {
    return this.idBySongKey.get(songKey)?.id ?? null;
  }

  /** Runs `fn` in one transaction: all of it is stored, or none of it. Nests as a savepoint. */
  transaction<T>(fn: () => T): T {
    return writeTransaction(this.database.sqlite, fn);
  }

  findIdBySpotifyId(spotifyId: string): number | null {
    return this.idBySpotifyId.get(spotifyId, spotifyId)?.id ?? null;
  }

  getTrack(id: number): TrackWithFeatures | null {
    const row = this.byId.get(id);
    if (!row) return null;
    return { ...toTrack(row), features: toFeatures(row), featuresProvider: row.provider };
  }

  getTrackBySpotifyId(spotifyId: string): TrackWithFeatures | null {
    const id = this.findIdBySpotifyId(spotifyId);
    return id == null ? null : this.getTrack(id);
  }

  /**
   * Adds a track, or merges it into the row for the same recording: first by Spotify ID
   * (or a known alias), then by normalised title and primary artist. `refresh` lets fresh
   * Spotify metadata replace stored values; otherwise only missing values are filled.
   */
  upsertTrack(input: TrackInput, source: string, options: { refresh?: boolean } = {}): UpsertResult {
    // Another writer in this process: the import's rows are found through the indexes from now on.
    if (this.deferred) this.endDeferral();
    return this.upsertLookedUp(input, this.findIdBySpotifyId(input.spotifyId), source, options.refresh ?? false);
  }

  /**
   * upsertTrack once the track with the input's Spotify ID (or alias) is known: `existing`, or
   * none; and, when given, the first track with its song key (`sameRecording`).
   */
  private upsertLookedUp(
    input: TrackInput,
    existing: number | null,
    source: string,
    refresh: boolean,
    knownKeys?: TrackKeys,
    knownSameRecording?: number | null,
  ): UpsertResult {
    const metadata = trackMetadata(input);
    const update = refresh ? this.refreshTrack : this.fillTrackGaps;
    if (existing != null) {
      const changed = update.run(...metadata, existing, ...metadata).changes > 0;
      return { trackId: existing, outcome: changed ? 'updated' : 'unchanged' };
    }
    const keys = knownKeys ?? trackKeys(input.name, input.artists);
    const sameRecording = knownSameRecording === undefined ? this.findIdBySongKey(keys.songKey) : knownSameRecording;
    if (sameRecording != null) {
      this.insertAlias.run(input.spotifyId, sameRecording);
      update.run(...metadata, sameRecording, ...metadata);
      return { trackId: sameRecording, outcome: 'merged' };
    }
    const info = this.insertTrack.run(...trackValues(input, keys), source);
    const trackId = Number(info.lastInsertRowid);
    // While deferred only addTracks adds tracks. See db/migrations/0001_track_search.sql for why this is not a trigger.
    this.insertSearchRow.run(trackId, keys.searchText);
    return { trackId, outcome: 'added' };
  }

  /** Stores features unless the track already has some; returns whether anything changed. */
  setFeatures(trackId: number, f: AudioFeatures, provider: FeatureProviderName): boolean {
    // Positional parameters: binding objects costs measurably on million-row imports.
    return this.insertFeatures.run(trackId, ...featureValues(f), provider).changes > 0;
  }

  addLabels(trackId: number, labels: readonly TrackLabel[], source: string): number {
    let added = 0;
    for (const label of labels) added += this.insertLabel.run(trackId, label.kind, label.value, source).changes;
    return added;
  }

  /**
   * upsertTrack, setFeatures and addLabels for every row of a batch, in order and in one
   * transaction, with the same result as calling them row by row. Rows that certainly add a track
   * (most of a first import) are written with multi-row INSERTs; every other row goes through
   * upsertTrack, so the merge rules live there alone.
   */
  upsertBatch(batch: TrackBatch, source: string, options: { addedSince?: number } = {}): BatchOutcome {
    const addedSince = options.addedSince ?? Number.POSITIVE_INFINITY;
    return this.transaction(() => {
      const deferred = this.checkDeferral(batch);
      if (deferred && deferred.trackOfRow.length < batch.firstRow + batch.size) {
        deferred.trackOfRow = grown(deferred.trackOfRow, Math.max(deferred.trackOfRow.length * 2, batch.firstRow + batch.size));
      }
      const { adding, others, storedIds } = deferred ? splitByRepeats(batch) : this.splitAdding(batch);
      const labelsAt = labelOffsets(batch);
      const outcome = this.addTracks(batch, adding, labelsAt, source);
      const { sameAs, firstRow } = batch;
      for (const row of others) {
        const { entry, keys } = batchEntry(batch, row, labelsAt[row]!);
        const { track, features, labels } = entry;
        let upserted: UpsertResult;
        if (deferred) {
          // The rows these repeat came before: their tracks are known.
          const { trackOfRow } = deferred;
          const sameId = sameAs[row * 2]!;
          upserted = sameId >= 0
            ? this.upsertLookedUp(track, trackOfRow[sameId]!, source, false, keys)
            : this.upsertLookedUp(track, null, source, false, keys, trackOfRow[sameAs[row * 2 + 1]!] ?? null);
          trackOfRow[firstRow + row] = upserted.trackId;
        } else {
          // IDs stored before the batch were looked up with it; others may be new since.
          const existing = storedIds.get(track.spotifyId) ?? this.findIdBySpotifyId(track.spotifyId);
          upserted = this.upsertLookedUp(track, existing, source, false, keys);
        }
        const { trackId } = upserted;
        outcome[upserted.outcome === 'unchanged' && trackId >= addedSince ? 'repeated' : upserted.outcome]++;
        if (features && this.setFeatures(trackId, features, source)) outcome.featuresAdded++;
        if (labels.length > 0) outcome.labelsAdded += this.addLabels(trackId, labels, source);
      }
      if (deferred) deferred.rows += batch.size;
      return outcome;
    });
  }

  /** The id the next added track gets: tracks with this id or above were added since this call. */
  nextTrackId(): number {
    return this.bulk().nextTrackId.get()!;
  }

  private bulk(): BulkStatements {
    this.bulkStatements ??= new BulkStatements(this.database.sqlite);
    return this.bulkStatements;
  }

  /**
   * Splits a batch into rows that add a track and all others. A row adds a track when upsertTrack
   * would find nothing for it: no stored track or alias has its Spotify ID and none has its song
   * key, counting what the rows before it add.
   */
  private splitAdding(batch: TrackBatch): {
    adding: number[];
    others: number[];
    /** Track id per Spotify ID (or alias) stored before the batch. */
    storedIds: Map<string, number>;
  } {
    const { strings, size } = batch;
    const ids: string[] = new Array<string>(size);
    const songKeys: string[] = new Array<string>(size);
    for (let row = 0; row < size; row++) {
      ids[row] = strings[row * S.width + S.spotifyId]!;
      songKeys[row] = strings[row * S.width + S.songKey]!;
    }
    const storedIds = new Map<string, number>();
    const idsJson = JSON.stringify(ids);
    // Tracks before aliases, as findIdBySpotifyId prefers them.
    for (const { spotify_id, id } of this.bulk().knownSpotifyIds.all(idsJson, idsJson)) {
      if (!storedIds.has(spotify_id)) storedIds.set(spotify_id, id);
    }
    const knownIds = new Set(storedIds.keys());
    // Song keys of rows not found by ID (none, on a re-import).
    const knownKeys = new Set<string>();
    const unknown = storedIds.size === 0 ? songKeys : songKeys.filter((_, row) => !storedIds.has(ids[row]!));
    if (unknown.length > 0) for (const key of this.bulk().knownSongKeys.all(JSON.stringify(unknown))) knownKeys.add(key);
    const adding: number[] = [];
    const others: number[] = [];
    for (let row = 0; row < size; row++) {
      const id = ids[row]!;
      const songKey = songKeys[row]!;
      if (knownIds.has(id) || knownKeys.has(songKey)) {
        others.push(row);
      } else {
        adding.push(row);
        knownKeys.add(songKey);
      }
      knownIds.add(id); // found from now on: as a track, or as the alias of the one it merged into
    }
    return { adding, others, storedIds };
  }

  /** Inserts rows that match nothing: tracks with the ids AUTOINCREMENT would give, in row order. */
  private addTracks(batch: TrackBatch, adding: readonly number[], labelsAt: Int32Array, source: string): BatchOutcome {
    const outcome: BatchOutcome = { added: adding.length, updated: 0, unchanged: 0, repeated: 0, merged: 0, featuresAdded: 0, labelsAdded: 0 };
    if (adding.length === 0) return outcome;
    const bulk = this.bulk();
    const { tracks, features, labels } = bulk;
    const { strings, numbers, labelValues, labelKinds } = batch;
    const firstId = bulk.nextTrackId.get()!;
    const { deferred } = this;
    const trackOfRow = deferred?.trackOfRow;
    // Values go straight from the batch into each statement's parameters, in TRACK_VALUE_COLUMNS order.
    const trackParams = tracks.chunk;
    for (let i = 0; i < adding.length; i++) {
      const s = adding[i]! * S.width;
      const n = adding[i]! * N.width;
      if (trackOfRow) trackOfRow[batch.firstRow + adding[i]!] = firstId + i;
      const at = tracks.nextRow();
      trackParams[at] = firstId + i;
      for (let j = S.spotifyId; j <= S.coverUrl; j++) trackParams[at + 1 + j] = strings[s + j]!;
      trackParams[at + 8] = nullable(numbers[n + N.releaseYear]!);
      trackParams[at + 9] = nullable(numbers[n + N.popularity]!);
      trackParams[at + 10] = nullable(numbers[n + N.durationMs]!);
      trackParams[at + 11] = nullable(numbers[n + N.explicit]!);
      trackParams[at + 12] = strings[s + S.songKey]!;
      trackParams[at + 13] = strings[s + S.workKey]!;
      trackParams[at + 14] = strings[s + S.searchText]!;
      trackParams[at + 15] = source;
    }
    tracks.finish();
    if (deferred) deferred.nextTrackId = firstId + adding.length;
    else bulk.searchRows.run(firstId, firstId + adding.length - 1);
    // Features and labels once every track they point to is stored (their inserts run a chunk at a time).
    const featureParams = features.chunk;
    const labelParams = labels.chunk;
    for (let i = 0; i < adding.length; i++) {
      const row = adding[i]!;
      const id = firstId + i;
      const n = row * N.width;
      if (numbers[n + N.hasFeatures] === 1) {
        const at = features.nextRow();
        featureParams[at] = id;
        for (let j = 0; j < FEATURE_WIDTH; j++) featureParams[at + 1 + j] = nullable(numbers[n + N.features + j]!);
        featureParams[at + 1 + FEATURE_WIDTH] = source;
      }
      for (let label = labelsAt[row]!; label < labelsAt[row + 1]!; label++) {
        const at = labels.nextRow();
        labelParams[at] = id;
        labelParams[at + 1] = LABEL_KINDS[labelKinds[label]!]!;
        labelParams[at + 2] = labelValues[label]!;
        labelParams[at + 3] = source;
      }
    }
    outcome.featuresAdded = features.finish();
    outcome.labelsAdded = labels.finish();
    return outcome;
  }

  counts(): CatalogCounts {
    const { sqlite } = this.database;
    const tracks = (sqlite.prepare('SELECT COUNT(*) AS n FROM tracks').get() as { n: number }).n;
    const providers = sqlite
      .prepare('SELECT provider, COUNT(*) AS n FROM audio_features GROUP BY provider ORDER BY n DESC')
      .all() as { provider: string; n: number }[];
    const withFeatures = providers.reduce((sum, p) => sum + p.n, 0);
    const aliases = (sqlite.prepare('SELECT COUNT(*) AS n FROM track_aliases').get() as { n: number }).n;
    return {
      tracks,
      withFeatures,
      withoutFeatures: tracks - withFeatures,
      aliases,
      featuresByProvider: Object.fromEntries(providers.map((p) => [p.provider, p.n])),
    };
  }
}
