import { Catalog } from './catalog/catalog.js';
import { openDatabase, type Database } from './catalog/database.js';
import { TrackSearch } from './catalog/search.js';
import { ModelStore } from './clustering/modelStore.js';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { RecommendationLog } from './recommender/history.js';
import { Recommender } from './recommender/recommender.js';

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
  close(): void;
}

export interface AppOptions {
  logger?: Logger;
  /** Where logs go when no logger is given (the CLI keeps stdout for its output). */
  logDestination?: NodeJS.WritableStream;
}

/** The composition root: opens and migrates the database and builds the services on it. */
export function createApp(config: Config, options: AppOptions = {}): App {
  const logger =
    options.logger ?? createLogger({ level: config.logLevel, destination: options.logDestination, secrets: [] });
  const database = openDatabase(config.databasePath);
  const catalog = new Catalog(database);
  const search = new TrackSearch(database);
  const models = new ModelStore(database);
  const recommendations = new RecommendationLog(database);
  const recommender = new Recommender({
    database,
    catalog,
    search,
    models,
    log: recommendations,
    settings: config.recommend,
    logger: logger.child({ service: 'recommender' }),
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
    close: () => database.close(),
  };
}
