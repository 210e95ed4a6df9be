import { Catalog } from './catalog/catalog.js';
import { openDatabase, type Database, type DatabaseMemory } from './catalog/database.js';
import { TrackSearch } from './catalog/search.js';
import { assignUnplacedTracks } from './clustering/assign.js';
import { ModelStore } from './clustering/modelStore.js';
import type { Config } from './config.js';
import { CrawlStore } from './crawl/crawlStore.js';
import { SeedStore } from './crawl/seeds.js';
import { DailySettingsStore } from './daily/dailySettings.js';
import { FeatureBacklog } from './features/backlog.js';
import { BlockStore } from './feedback/blockStore.js';
import { FeedbackStore } from './feedback/feedbackStore.js';
import type { FeatureProviderChain } from './features/chain.js';
import { HttpClient, realClock, type Clock } from './http/httpClient.js';
import { DatabaseLocks } from './jobs/databaseLocks.js';
import { JobStore } from './jobs/jobStore.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { RecommendationLog } from './recommender/history.js';
import { Mixer } from './recommender/mix.js';
import { Recommender } from './recommender/recommender.js';
import { SpotifyAccountStore } from './spotify/accountStore.js';
import { createSpotifyServices, type SpotifyServices } from './spotify/services.js';
import { describeStarterProgress, StarterCatalog, type StarterCatalogDeps } from './starter/starterCatalog.js';
import { StarterStore } from './starter/starterStore.js';

/** Everything the commands, jobs and CLI use, wired once. Nothing here knows Discord. */
export interface App {
  config: Config;
  logger: Logger;
  database: Database;
  catalog: Catalog;
  search: TrackSearch;
  models: ModelStore;
  recommendations: RecommendationLog;
  recommender: Recommender;
  /** /mix: sets that fit several songs, on the recommender's serving model. */
  mixer: Mixer;
  seeds: SeedStore;
  crawls: CrawlStore;
  daily: DailySettingsStore;
  feedback: FeedbackStore;
  /** "Not for me": artists and songs a member never wants picked for them. */
  blocks: BlockStore;
  backlog: FeatureBacklog;
  spotifyAccounts: SpotifyAccountStore;
  http: HttpClient;
  /** Audio-feature providers: Spotify (when configured and allowed), then ReccoBeats. */
  features: FeatureProviderChain;
  /** Null when SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET are not set. */
  spotify: SpotifyServices | null;
  metrics: Metrics;
  /** The catalog a bot fills itself on first start (runBot starts it). */
  starter: StarterCatalog;
  /** Places tracks added since the active model was built (after an import or a crawl). */
  placeNewTracks(): number;
  close(): void;
}

export interface AppOptions {
  logger?: Logger;
  /** Where logs go when no logger is given (the CLI keeps stdout for its output). */
  logDestination?: NodeJS.WritableStream;
  /** Time for HTTP backoff and token expiry; tests pass a fake one. */
  clock?: Clock;
  /** The starter catalog's waits between attempts and rows per transaction (tests shorten them). */
  starter?: Pick<StarterCatalogDeps, 'retryDelaysMs' | 'batchRows'>;
  /** SQLite's memory for this process (the bot passes SERVING_MEMORY). */
  databaseMemory?: DatabaseMemory;
  /** False: a missing database file is a NoCatalogError instead of a new, empty catalog (CLI read commands). */
  createDatabase?: boolean;
}

/** The app's logger: the configured level, and every secret the config holds scrubbed from every line. */
export function appLogger(config: Config, destination?: NodeJS.WritableStream): Logger {
  return createLogger({
    level: config.logLevel,
    destination,
    secrets: [config.discord.token, config.spotify.clientSecret],
  });
}

/** The composition root: opens and migrates the database and builds the services on it. */
export function createApp(config: Config, options: AppOptions = {}): App {
  const logger = options.logger ?? appLogger(config, options.logDestination);
  const clock = options.clock ?? realClock;
  const database = openDatabase(config.databasePath, options.databaseMemory, { create: options.createDatabase });
  const catalog = new Catalog(database);
  const search = new TrackSearch(database);
  const models = new ModelStore(database);
  const recommendations = new RecommendationLog(database);
  const seeds = new SeedStore(database);
  const crawls = new CrawlStore(database);
  const backlog = new FeatureBacklog(database);
  const daily = new DailySettingsStore(database);
  const feedback = new FeedbackStore(database, config.recommend.demoteAfterDislikes);
  const blocks = new BlockStore(database);
  const spotifyAccounts = new SpotifyAccountStore(database);
  // The recommender is built below; the gauge reads it only when /metrics is scraped.
  const metrics = createMetrics(
    () => catalog.counts(),
    () => recommender.footprint(),
  );
  const http = new HttpClient({
    ...config.http,
    logger: logger.child({ service: 'http' }),
    clock,
    onAttempt: (host, status) => metrics.httpRequests.inc({ host, status }),
  });
  const placeNewTracks = () => {
    const model = models.active();
    return model ? assignUnplacedTracks(database, model) : 0;
  };
  const { services: spotify, chain: features } = createSpotifyServices({
    config,
    http,
    clock,
    logger,
    catalog,
    seeds,
    crawls,
    backlog,
    accounts: spotifyAccounts,
    locks: new DatabaseLocks(new JobStore(database), clock),
    onCrawlCommitted: () => placeNewTracks(),
    onCrawlFinished: (outcome, added) => {
      metrics.crawls.inc({ outcome });
      metrics.crawledTracks.inc(added);
    },
  });
  const starter = new StarterCatalog({ catalog, http, models, store: new StarterStore(database), datasets: config.datasets, logger, ...options.starter });
  const recommender = new Recommender({
    database,
    catalog,
    search,
    models,
    log: recommendations,
    settings: config.recommend,
    logger: logger.child({ service: 'recommender' }),
    resolver: spotify?.resolver,
    feedback,
    warmingUp: () => {
      const progress = starter.progress();
      return progress ? describeStarterProgress(progress) : null;
    },
    blocks,
  });
  return {
    config,
    logger,
    database,
    catalog,
    search,
    models,
    recommendations,
    recommender,
    mixer: new Mixer(recommender, catalog),
    seeds,
    crawls,
    daily,
    feedback,
    blocks,
    backlog,
    spotifyAccounts,
    http,
    features,
    spotify,
    metrics,
    starter,
    placeNewTracks,
    close: () => database.close(),
  };
}
