import type { Statement } from 'better-sqlite3';
import type {
  AudioFeatures,
  FeatureProviderName,
  Track,
  TrackInput,
  TrackLabel,
  TrackWithFeatures,
} from '../types.js';
import type { Database } from './database.js';
import { trackKeys } from './normalize.js';

export type UpsertOutcome = 'added' | 'updated' | 'unchanged' | 'merged';

export interface UpsertResult {
  trackId: number;
  outcome: UpsertOutcome;
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
  private readonly fillFeatureGaps: Statement;
  private readonly insertLabel: Statement;

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
      `INSERT INTO tracks (spotify_id, name, artists, artist_ids, album, album_id, cover_url, release_year, popularity, duration_ms, explicit, song_key, work_key, search_text, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    // The first provider to supply a track's features wins; later ones may only fill the optional gaps.
    this.insertFeatures = sqlite.prepare(
      `INSERT INTO audio_features (track_id, danceability, energy, key, loudness, mode, speechiness, acousticness, instrumentalness, liveness, valence, tempo, duration_ms, time_signature, provider)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(track_id) DO NOTHING`,
    );
    this.fillFeatureGaps = sqlite.prepare(
      `UPDATE audio_features SET duration_ms = COALESCE(duration_ms, ?), time_signature = COALESCE(time_signature, ?)
       WHERE track_id = ? AND ((duration_ms IS NULL AND ? IS NOT NULL) OR (time_signature IS NULL AND ? IS NOT NULL))`,
    );
    this.insertLabel = sqlite.prepare(
      `INSERT INTO track_labels (track_id, kind, value, source) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
  }

  /** Runs `fn` in one transaction: all of it is stored, or none of it. Nests as a savepoint. */
  transaction<T>(fn: () => T): T {
    return this.database.sqlite.transaction(fn)();
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
    const metadata = [
      input.artistIds && input.artistIds.length > 0 ? JSON.stringify(input.artistIds) : null,
      input.album ?? null,
      input.albumId ?? null,
      input.coverUrl ?? null,
      input.releaseYear ?? null,
      input.popularity ?? null,
      input.durationMs ?? null,
      input.explicit == null ? null : input.explicit ? 1 : 0,
    ] as const;
    const update = options.refresh ? this.refreshTrack : this.fillTrackGaps;

    const existing = this.findIdBySpotifyId(input.spotifyId);
    if (existing != null) {
      const changed = update.run(...metadata, existing, ...metadata).changes > 0;
      return { trackId: existing, outcome: changed ? 'updated' : 'unchanged' };
    }
    const keys = trackKeys(input.name, input.artists);
    const sameRecording = this.idBySongKey.get(keys.songKey);
    if (sameRecording) {
      this.insertAlias.run(input.spotifyId, sameRecording.id);
      update.run(...metadata, sameRecording.id, ...metadata);
      return { trackId: sameRecording.id, outcome: 'merged' };
    }
    const info = this.insertTrack.run(
      input.spotifyId,
      input.name,
      JSON.stringify(input.artists),
      ...metadata,
      keys.songKey,
      keys.workKey,
      keys.searchText,
      source,
    );
    const trackId = Number(info.lastInsertRowid);
    // See db/migrations/0001_track_search.sql for why this is not a trigger.
    this.insertSearchRow.run(trackId, keys.searchText);
    return { trackId, outcome: 'added' };
  }

  /** Stores features unless the track already has some; returns whether anything changed. */
  setFeatures(trackId: number, f: AudioFeatures, provider: FeatureProviderName): boolean {
    // Positional parameters: binding objects costs measurably on million-row imports.
    const params = [
      trackId, f.danceability, f.energy, f.key, f.loudness, f.mode, f.speechiness, f.acousticness,
      f.instrumentalness, f.liveness, f.valence, f.tempo, f.durationMs, f.timeSignature, provider,
    ];
    if (this.insertFeatures.run(...params).changes > 0) return true;
    return this.fillFeatureGaps.run(f.durationMs, f.timeSignature, trackId, f.durationMs, f.timeSignature).changes > 0;
  }

  addLabels(trackId: number, labels: readonly TrackLabel[], source: string): number {
    let added = 0;
    for (const label of labels) added += this.insertLabel.run(trackId, label.kind, label.value, source).changes;
    return added;
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
