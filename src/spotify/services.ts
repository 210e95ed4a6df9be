import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import type { CrawlStore } from '../crawl/crawlStore.js';
import { PlaylistCrawler } from '../crawl/crawler.js';
import { CrawlQueue } from '../crawl/crawlQueue.js';
import type { SeedStore } from '../crawl/seeds.js';
import type { FeatureBacklog } from '../features/backlog.js';
import { FeatureProviderChain } from '../features/chain.js';
import { ReccoBeatsFeatureProvider } from '../features/reccobeats.js';
import { SpotifyFeatureProvider } from '../features/spotifyFeatures.js';
import type { Clock, HttpClient } from '../http/httpClient.js';
import type { DatabaseLocks } from '../jobs/databaseLocks.js';
import type { Logger } from '../logger.js';
import type { SpotifyAccountStore } from './accountStore.js';
import { ClientCredentialsStrategy, RefreshTokenStrategy, type AccountsSettings } from './auth.js';
import { SpotifyClient } from './client.js';
import { SpotifyResolver } from './resolve.js';
import { SpotifySuggestions } from './suggestions.js';

/** Everything that talks to Spotify, built only when the app has credentials. */
export interface SpotifyServices {
  client: SpotifyClient;
  /** The client for playlist reads: the logged-in account's when there is one (development mode needs it). */
  playlistClient(): SpotifyClient;
  resolver: SpotifyResolver;
  /** Spotify's search for autocomplete, limited per member. */
  suggestions: SpotifySuggestions;
  crawler: PlaylistCrawler;
  /** Crawls one at a time, with a cap per guild: what /seed and the re-crawl job go through. */
  crawls: CrawlQueue;
  accountsSettings: AccountsSettings;
}

export interface SpotifyDeps {
  config: Config;
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  catalog: Catalog;
  seeds: SeedStore;
  crawls: CrawlStore;
  backlog: FeatureBacklog;
  accounts: SpotifyAccountStore;
  /** Keeps crawls apart across bot processes on the same database. */
  locks?: DatabaseLocks;
  onCrawlCommitted?: (seedId: number) => void;
  onCrawlFinished?: (outcome: 'done' | 'unchanged' | 'paused' | 'failed', added: number) => void;
}

/** The provider chain: Spotify's audio features where the app still has them, then ReccoBeats. */
export function createFeatureChain(config: Config, http: HttpClient, logger: Logger, spotify: SpotifyClient | null): FeatureProviderChain {
  const log = logger.child({ service: 'features' });
  const providers = [
    ...(spotify ? [new SpotifyFeatureProvider(spotify, log)] : []),
    new ReccoBeatsFeatureProvider(http, config.spotify.reccobeatsUrl),
  ];
  return new FeatureProviderChain(providers, log);
}

export function createSpotifyServices(deps: SpotifyDeps): { services: SpotifyServices | null; chain: FeatureProviderChain } {
  const { config, http, clock, logger } = deps;
  const { clientId, clientSecret, accountsUrl, apiUrl } = config.spotify;
  if (!clientId || !clientSecret) return { services: null, chain: createFeatureChain(config, http, logger, null) };
  const log = logger.child({ service: 'spotify' });
  const accountsSettings: AccountsSettings = { accountsUrl, clientId, clientSecret };
  const client = new SpotifyClient(new ClientCredentialsStrategy(http, accountsSettings, clock), http, apiUrl, log);
  let userClient: SpotifyClient | null = null;
  const playlistClient = () => {
    if (!deps.accounts.get()) return client;
    userClient ??= new SpotifyClient(new RefreshTokenStrategy(http, accountsSettings, deps.accounts, clock), http, apiUrl, log);
    return userClient;
  };
  const chain = createFeatureChain(config, http, logger, client);
  const resolver = new SpotifyResolver({ spotify: client, chain, catalog: deps.catalog, backlog: deps.backlog, logger: log });
  const suggestions = new SpotifySuggestions({ resolver, clock, logger: log });
  const crawler = new PlaylistCrawler({
    catalog: deps.catalog,
    store: deps.crawls,
    seeds: deps.seeds,
    backlog: deps.backlog,
    chain,
    spotify: client,
    playlistSpotify: playlistClient,
    settings: config.crawl,
    logger: logger.child({ job: 'crawl' }),
    onCommitted: deps.onCrawlCommitted,
    onFinished: deps.onCrawlFinished,
  });
  const crawls = new CrawlQueue(crawler, config.crawl.maxPerGuild, log, deps.locks);
  return { services: { client, playlistClient, resolver, suggestions, crawler, crawls, accountsSettings }, chain };
}
