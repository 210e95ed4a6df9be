import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

// Times are Unix epoch milliseconds. JSON columns hold arrays/objects serialised by the code that owns them.

const timestamp = (name: string) =>
  integer(name, { mode: 'number' })
    .notNull()
    .default(sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`);

export const tracks = sqliteTable(
  'tracks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    spotifyId: text('spotify_id').notNull().unique(),
    name: text('name').notNull(),
    /** JSON array of artist names, primary artist first. */
    artists: text('artists').notNull(),
    /** JSON array of Spotify artist IDs, same order as `artists`, when known. */
    artistIds: text('artist_ids'),
    album: text('album'),
    albumId: text('album_id'),
    coverUrl: text('cover_url'),
    releaseYear: integer('release_year'),
    popularity: integer('popularity'),
    durationMs: integer('duration_ms'),
    explicit: integer('explicit', { mode: 'boolean' }),
    /** Folded "title|primary artist" with remaster/feat. noise removed: one recording, one row. */
    songKey: text('song_key').notNull(),
    /** Folded "base title|primary artist": all versions of a song (live, remix, edit) share it. */
    workKey: text('work_key').notNull(),
    /** Folded title and artists, the text the full-text index searches. */
    searchText: text('search_text').notNull(),
    /** Where the track first came from: `spotify` or `dataset:<file name>`. */
    source: text('source').notNull(),
    createdAt: timestamp('created_at'),
  },
  // Covering the columns the name search reads: its title-range scans (autocomplete) read rows
  // from the index alone instead of one table lookup per candidate, 3-4x less work at 1M tracks.
  (t) => [
    index('tracks_song_key_idx').on(t.songKey, t.name, t.artists, t.popularity, t.spotifyId),
    // What the name search weighs a song by: every version of its work (by base title, a range
    // scan, with their popularity and years from the index alone), and its artist's tracks (the
    // primary artist is what follows "|" in work_key).
    index('tracks_work_key_idx').on(t.workKey, t.popularity, t.releaseYear),
    index('tracks_primary_artist_idx').on(sql`substr(${t.workKey}, instr(${t.workKey}, '|') + 1)`, t.popularity),
  ],
);

/** Other Spotify IDs of a track merged into one catalog row (the same recording on another album). */
export const trackAliases = sqliteTable(
  'track_aliases',
  {
    spotifyId: text('spotify_id').primaryKey(),
    trackId: integer('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
  },
  (t) => [index('track_aliases_track_idx').on(t.trackId)],
);

export const audioFeatures = sqliteTable('audio_features', {
  trackId: integer('track_id')
    .primaryKey()
    .references(() => tracks.id, { onDelete: 'cascade' }),
  danceability: real('danceability').notNull(),
  energy: real('energy').notNull(),
  key: integer('key'),
  loudness: real('loudness').notNull(),
  /** Null when the source had no mode (the recommender does not use it). */
  mode: integer('mode'),
  speechiness: real('speechiness').notNull(),
  acousticness: real('acousticness').notNull(),
  instrumentalness: real('instrumentalness').notNull(),
  liveness: real('liveness').notNull(),
  valence: real('valence').notNull(),
  tempo: real('tempo').notNull(),
  durationMs: integer('duration_ms'),
  timeSignature: integer('time_signature'),
  /** `spotify`, `reccobeats`, or `dataset:<file name>`. */
  provider: text('provider').notNull(),
  fetchedAt: timestamp('fetched_at'),
});

/** Genres and playlist memberships a dataset carries; only the quality evaluation reads them. */
export const trackLabels = sqliteTable(
  'track_labels',
  {
    trackId: integer('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['genre', 'subgenre', 'playlist'] }).notNull(),
    value: text('value').notNull(),
    source: text('source').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trackId, t.kind, t.value] }), index('track_labels_kind_idx').on(t.kind, t.value)],
);

/** A Spotify playlist a guild's moderators curate into the catalog. */
export const seeds = sqliteTable(
  'seeds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Discord guild ID; `cli` for seeds added from the command line. */
    guildId: text('guild_id').notNull(),
    playlistId: text('playlist_id').notNull(),
    name: text('name'),
    ownerName: text('owner_name'),
    snapshotId: text('snapshot_id'),
    expandArtists: integer('expand_artists', { mode: 'boolean' }).notNull().default(false),
    addedBy: text('added_by'),
    /** Tracks the playlist held at its last crawl. */
    trackCount: integer('track_count'),
    createdAt: timestamp('created_at'),
    lastCrawledAt: integer('last_crawled_at'),
  },
  (t) => [uniqueIndex('seeds_guild_playlist_idx').on(t.guildId, t.playlistId)],
);

/** One k-means run: everything needed to place a new track exactly as the run placed its tracks. */
export const clusterModels = sqliteTable(
  'cluster_models',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    k: integer('k').notNull(),
    /** JSON FeatureSpec: which features, transforms and weights. */
    featureSpec: text('feature_spec').notNull(),
    /** JSON Scaler: per-feature centre and scale. */
    scaler: text('scaler').notNull(),
    /** JSON number[][] in scaled, weighted space. */
    centroids: text('centroids').notNull(),
    /** JSON string[]: one human label per cluster. */
    labels: text('labels').notNull(),
    /** JSON { clusters: ClusterProfile[], catalog }: raw-unit means for labels and pictures. */
    profiles: text('profiles').notNull(),
    /** JSON ClusterMetrics. */
    metrics: text('metrics').notNull(),
    trackCount: integer('track_count').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(false),
    createdAt: timestamp('created_at'),
  },
  // At most one active model: switching is one transaction that flips two rows.
  (t) => [uniqueIndex('cluster_models_one_active_idx').on(t.active).where(sql`active = 1`)],
);

export const trackClusters = sqliteTable(
  'track_clusters',
  {
    modelId: integer('model_id')
      .notNull()
      .references(() => clusterModels.id, { onDelete: 'cascade' }),
    trackId: integer('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    cluster: integer('cluster').notNull(),
    distance: real('distance').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.modelId, t.trackId] }),
    index('track_clusters_model_cluster_idx').on(t.modelId, t.cluster),
  ],
);

/** Every recommendation given: for "not again so soon" and for /stats. */
export const recommendations = sqliteTable(
  'recommendations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    guildId: text('guild_id'),
    userId: text('user_id'),
    query: text('query').notNull(),
    queryTrackId: integer('query_track_id').references(() => tracks.id, { onDelete: 'set null' }),
    trackId: integer('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    modelId: integer('model_id'),
    cluster: integer('cluster'),
    similarity: real('similarity'),
    createdAt: timestamp('created_at'),
  },
  (t) => [
    index('recommendations_user_idx').on(t.userId, t.createdAt),
    index('recommendations_guild_idx').on(t.guildId, t.createdAt),
    // The hub guard counts each model's picks on start-up.
    index('recommendations_model_idx').on(t.modelId, t.trackId),
  ],
);

/** Which seed playlists a track came from; `removedAt` is set when a re-crawl no longer finds it. */
export const seedTracks = sqliteTable(
  'seed_tracks',
  {
    seedId: integer('seed_id')
      .notNull()
      .references(() => seeds.id, { onDelete: 'cascade' }),
    trackId: integer('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    addedAt: timestamp('added_at'),
    removedAt: integer('removed_at'),
  },
  (t) => [primaryKey({ columns: [t.seedId, t.trackId] }), index('seed_tracks_track_idx').on(t.trackId)],
);

/**
 * One crawl of a seed playlist. Its progress (stage, cursor, counts) is written with every page,
 * so a restarted process continues where it stopped; the tracks wait in crawl_items until the
 * crawl commits them to the catalog in one transaction.
 */
export const crawlRuns = sqliteTable(
  'crawl_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    seedId: integer('seed_id')
      .notNull()
      .references(() => seeds.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
    stage: text('stage').notNull(),
    /** JSON CrawlState: cursors and the work lists of the expansion stages. */
    state: text('state').notNull(),
    /** JSON CrawlCounts. */
    counts: text('counts').notNull(),
    error: text('error'),
    startedAt: timestamp('started_at'),
    updatedAt: integer('updated_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [index('crawl_runs_seed_idx').on(t.seedId, t.status)],
);

/** Tracks a running crawl has found, staged until it commits. */
export const crawlItems = sqliteTable(
  'crawl_items',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => crawlRuns.id, { onDelete: 'cascade' }),
    spotifyId: text('spotify_id').notNull(),
    /** JSON TrackInput. */
    track: text('track').notNull(),
    /** Found in the playlist itself (not through artist expansion). */
    inPlaylist: integer('in_playlist', { mode: 'boolean' }).notNull(),
    addedAt: text('added_at'),
    /** JSON AudioFeatures once a provider answered. */
    features: text('features'),
    provider: text('provider'),
    /** The provider chain has been asked (whatever it answered). */
    featuresTried: integer('features_tried', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.runId, t.spotifyId] })],
);

/** Albums a running crawl has read; they join crawled_albums when it commits. */
export const crawlAlbums = sqliteTable(
  'crawl_albums',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => crawlRuns.id, { onDelete: 'cascade' }),
    albumId: text('album_id').notNull(),
    trackCount: integer('track_count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.albumId] })],
);

/** Albums whose every track is in the catalog: artist expansion does not fetch them again. */
export const crawledAlbums = sqliteTable('crawled_albums', {
  albumId: text('album_id').primaryKey(),
  trackCount: integer('track_count').notNull(),
  crawledAt: timestamp('crawled_at'),
});

/** Tracks still without audio features, retried by later crawls. */
export const featureBacklog = sqliteTable('feature_backlog', {
  trackId: integer('track_id')
    .primaryKey()
    .references(() => tracks.id, { onDelete: 'cascade' }),
  attempts: integer('attempts').notNull().default(1),
  lastTriedAt: integer('last_tried_at').notNull(),
});

/** The Spotify account authorised with `cli spotify-login` (development-mode apps read its playlists). */
export const spotifyAccounts = sqliteTable('spotify_accounts', {
  id: integer('id').primaryKey(),
  userId: text('user_id').notNull(),
  displayName: text('display_name'),
  refreshToken: text('refresh_token').notNull(),
  scope: text('scope'),
  updatedAt: integer('updated_at').notNull(),
});

/** A guild's daily "song of the cluster" post: where, when, and how it has been going. */
export const dailySettings = sqliteTable('daily_settings', {
  guildId: text('guild_id').primaryKey(),
  channelId: text('channel_id').notNull(),
  /** "HH:MM", 24-hour, in `timeZone`. */
  time: text('time').notNull(),
  timeZone: text('time_zone').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** First local date to post on: set after today's time, the first post is tomorrow's. */
  startsOn: text('starts_on').notNull().default(''),
  /** Consecutive failed posts (deleted channel, lost permission); three switch the post off. */
  failures: integer('failures').notNull().default(0),
  lastError: text('last_error'),
  setBy: text('set_by'),
  updatedAt: integer('updated_at').notNull(),
});

/** Every background job run: what ran, when, how it ended, and what it did. */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    job: text('job').notNull(),
    /** The lock the run held: a "running" run whose lock is free again belonged to a process that died. */
    lockName: text('lock_name'),
    status: text('status', { enum: ['running', 'ok', 'failed', 'skipped'] }).notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    /** JSON: what the run did (tracks added, posts sent...). */
    counts: text('counts'),
    error: text('error'),
  },
  (t) => [index('job_runs_job_idx').on(t.job, t.startedAt)],
);

/** Cross-process locks with an expiry: two bot processes on one database never run the same job twice. */
export const jobLocks = sqliteTable('job_locks', {
  name: text('name').primaryKey(),
  owner: text('owner').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/** One row per guild and local date, written before the message is sent: never two posts a day. */
export const dailyPosts = sqliteTable(
  'daily_posts',
  {
    guildId: text('guild_id').notNull(),
    /** The guild's local date, "YYYY-MM-DD". */
    date: text('date').notNull(),
    status: text('status', { enum: ['sending', 'sent', 'failed'] }).notNull(),
    cluster: integer('cluster'),
    trackId: integer('track_id').references(() => tracks.id, { onDelete: 'set null' }),
    messageId: text('message_id'),
    error: text('error'),
    createdAt: timestamp('created_at'),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.date] })],
);

/** 👍 (+1) and 👎 (-1) on picks: one vote per member, scope and track; clicking again changes it. */
export const feedback = sqliteTable(
  'feedback',
  {
    /** A guild ID, or `@me` for votes given where the bot is not in a server (see blocks.scope). */
    guildId: text('guild_id').notNull(),
    userId: text('user_id').notNull(),
    trackId: integer('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    vote: integer('vote').notNull(),
    createdAt: timestamp('created_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.userId, t.trackId] }), index('feedback_guild_track_idx').on(t.guildId, t.trackId)],
);

/**
 * The starter catalog a bot fills on first start (STARTER_DATASETS), one row per dataset name or
 * URL, in order. Written as the fill goes, so a restarted bot resumes it: sources already done
 * are skipped, the one it was importing is imported again (imports are idempotent).
 */
export const starterImports = sqliteTable('starter_imports', {
  source: text('source').primaryKey(),
  position: integer('position').notNull(),
  status: text('status', { enum: ['pending', 'done'] }).notNull().default('pending'),
  rowsRead: integer('rows_read').notNull().default(0),
  /** Known for named datasets. */
  rowsExpected: integer('rows_expected'),
  bytesRead: integer('bytes_read').notNull().default(0),
  /** Known when the host sends Content-Length for an unencoded transfer. */
  bytesTotal: integer('bytes_total'),
  tracksAdded: integer('tracks_added').notNull().default(0),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: timestamp('created_at'),
  updatedAt: integer('updated_at').notNull(),
  finishedAt: integer('finished_at'),
});

/**
 * "Not for me": an artist or a song (every version of it) a member never wants picked for them
 * again in one scope: a server the bot is in, or `@me`, the member personally (DMs, group DMs and
 * servers without the bot).
 */
export const blocks = sqliteTable(
  'blocks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** A guild ID, or `@me` for the member's personal scope. */
    scope: text('scope').notNull(),
    userId: text('user_id').notNull(),
    kind: text('kind', { enum: ['artist', 'song'] }).notNull(),
    /** The folded artist name, or the song's work key (all its versions). */
    key: text('key').notNull(),
    /** What /taste shows: the artist's name, or "title — artist". */
    label: text('label').notNull(),
    /** The pick it was chosen on. */
    trackId: integer('track_id').references(() => tracks.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at'),
  },
  (t) => [uniqueIndex('blocks_member_key_idx').on(t.scope, t.userId, t.kind, t.key)],
);
