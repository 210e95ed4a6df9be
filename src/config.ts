import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';
import { DATASET_NAMES, PUBLIC_DATASETS, type DatasetName } from './datasets/registry.js';

// Every setting the program reads, parsed once. Each entry says what it expects, so a bad value
// stops the program with one line naming the key. `.env.example` lists the same keys (a test checks).

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const url = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .pipe(z.url({ protocol: /^https?$/ }))
    .transform((value) => value.replace(/\/+$/, ''));

const cron = (fallback: string) => z.string().default(fallback).refine((value) => isCronExpression(value));

const timeZone = z
  .string()
  .default('UTC')
  .refine((value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  });

/** "none", or names of public datasets and http(s) URLs, comma-separated. */
const starterDatasets = z
  .string()
  .default('tidytuesday')
  .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
  .refine((entries) => entries.length > 0 && (entries.join() === 'none' || entries.every((e) => DATASET_NAMES.includes(e.toLowerCase()) || /^https?:\/\/\S+$/i.test(e))))
  .transform((entries) => (entries.join() === 'none' ? [] : entries.map((e) => (/^https?:/i.test(e) ? e : e.toLowerCase()))));

/** "0-3,8": shard IDs and inclusive ranges, comma-separated; sorted, without repeats. */
const shardIds = z
  .string()
  .regex(/^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/)
  .transform((value) => {
    const ids = new Set<number>();
    for (const part of value.split(',')) {
      const [from, to = from] = part.split('-').map((n) => Number(n.trim())) as [number, number?];
      for (let id = from; id <= to; id++) ids.add(id);
    }
    return [...ids].sort((a, b) => a - b);
  })
  .refine((ids) => ids.length > 0 && ids.length <= 10_000);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const ALBUM_GROUPS = ['album', 'single', 'compilation', 'appears_on'] as const;

const setting = <T extends z.ZodType>(schema: T, expected: string) => ({ schema, expected });

export const SETTINGS = {
  DATABASE_PATH: setting(z.string().min(1).default('./data/cluster-dj.db'), 'a file path'),
  LOG_LEVEL: setting(z.enum(LOG_LEVELS).default('info'), `one of ${LOG_LEVELS.join(', ')}`),

  CLUSTER_K: setting(
    z.union([z.literal('auto'), int(2, 200)]).default('auto'),
    '"auto" or a whole number from 2 to 200',
  ),
  CLUSTER_K_MIN: setting(int(2, 200).default(12), 'a whole number from 2 to 200'),
  CLUSTER_K_MAX: setting(int(2, 200).default(32), 'a whole number from 2 to 200'),
  CLUSTER_SEED: setting(int(0, 2 ** 31 - 1).default(42), 'a whole number from 0 to 2147483647'),

  SPOTIFY_CLIENT_ID: setting(z.string().optional(), 'the Client ID of your Spotify app'),
  SPOTIFY_CLIENT_SECRET: setting(z.string().optional(), 'the Client secret of your Spotify app'),
  SPOTIFY_ACCOUNTS_URL: setting(url('https://accounts.spotify.com'), 'an http(s) URL'),
  SPOTIFY_API_URL: setting(url('https://api.spotify.com/v1'), 'an http(s) URL'),
  RECCOBEATS_API_URL: setting(url('https://api.reccobeats.com/v1'), 'an http(s) URL'),
  SPOTIFY_REDIRECT_PORT: setting(int(1, 65535).default(8888), 'a port number from 1 to 65535'),
  HTTP_TIMEOUT_MS: setting(int(100, 600_000).default(10_000), 'milliseconds, 100 to 600000'),
  HTTP_MAX_RETRIES: setting(int(0, 20).default(5), 'a whole number from 0 to 20'),

  CRAWL_ALBUM_GROUPS: setting(
    z
      .string()
      .default('album,single')
      .transform((value) => value.split(',').map((g) => g.trim()).filter(Boolean))
      .pipe(z.array(z.enum(ALBUM_GROUPS)).min(1)),
    `a comma-separated list of ${ALBUM_GROUPS.join(', ')}`,
  ),
  CRAWL_MAX_ALBUMS_PER_ARTIST: setting(int(1, 1_000).default(20), 'a whole number from 1 to 1000'),
  CRAWL_MAX_ALBUMS_PER_SEED: setting(int(1, 100_000).default(500), 'a whole number from 1 to 100000'),
  CRAWL_MAX_PER_GUILD: setting(int(1, 100).default(2), 'a whole number from 1 to 100'),

  DISCORD_TOKEN: setting(z.string().optional(), 'the bot token from the Discord Developer Portal'),
  DISCORD_APP_ID: setting(z.string().regex(/^\d{17,20}$/).optional(), "the application's ID (a number of 17 to 20 digits)"),
  DISCORD_GUILD_ID: setting(z.string().regex(/^\d{17,20}$/).optional(), 'a server ID (a number of 17 to 20 digits)'),
  DISCORD_API_URL: setting(url('https://discord.com/api'), 'an http(s) URL'),
  DISCORD_CONNECT_TIMEOUT_SECONDS: setting(int(1, 3_600).default(120), 'a whole number of seconds, 1 to 3600'),
  DISCORD_SHARD_COUNT: setting(
    z.union([z.literal('auto'), int(1, 100_000)]).default('auto'),
    '"auto" (the count Discord recommends) or a whole number of shards from 1 to 100000',
  ),
  DISCORD_SHARD_IDS: setting(shardIds.optional(), 'shard IDs and ranges, like "0-3" or "0,2,4", or empty for all'),
  DISCORD_SHARDS_PER_PROCESS: setting(
    int(1, 1_000).optional(),
    'a whole number of shards from 1 to 1000, or empty for one process with every shard',
  ),
  RECOMMEND_COOLDOWN_SECONDS: setting(int(0, 3_600).default(5), 'a whole number of seconds, 0 to 3600'),

  CRON_RECRAWL: setting(cron('0 3 * * *'), 'a cron expression, like "0 3 * * *" (03:00 every day)'),
  CRON_RECLUSTER: setting(cron('30 4 * * *'), 'a cron expression, like "30 4 * * *" (04:30 every day)'),
  CRON_TIMEZONE: setting(timeZone, 'an IANA time zone, like UTC or Europe/Berlin'),
  RECLUSTER_MIN_CHANGE: setting(z.coerce.number().min(0).max(1).default(0.05), 'a fraction from 0 to 1, like 0.05'),
  MODEL_KEEP_VERSIONS: setting(int(1, 50).default(3), 'a whole number from 1 to 50'),
  SHUTDOWN_TIMEOUT_SECONDS: setting(int(1, 300).default(10), 'a whole number of seconds, 1 to 300'),

  STARTER_DATASETS: setting(
    starterDatasets,
    `"none", or a comma-separated list of dataset names (${DATASET_NAMES.join(', ')}) and http(s) URLs`,
  ),
  DATASET_TIDYTUESDAY_URL: setting(url(PUBLIC_DATASETS[0].defaultUrl), 'an http(s) URL'),

  HEALTH_PORT: setting(int(0, 65535).optional(), 'a port number from 0 (any free port) to 65535, or empty for no health server'),
  HEALTH_HOST: setting(z.string().min(1).default('127.0.0.1'), 'an address to listen on, like 127.0.0.1 or 0.0.0.0'),

  RECOMMEND_USER_HISTORY_DAYS: setting(int(0, 3650).default(30), 'a whole number of days, 0 to 3650'),
  RECOMMEND_GUILD_HISTORY_HOURS: setting(
    int(0, 24 * 365).default(24),
    'a whole number of hours, 0 to 8760',
  ),
  RECOMMEND_DEMOTE_AFTER_DISLIKES: setting(int(1, 1_000).default(3), 'a whole number from 1 to 1000'),
} as const;

export type SettingKey = keyof typeof SETTINGS;

export interface Config {
  databasePath: string;
  logLevel: (typeof LOG_LEVELS)[number];
  clustering: {
    k: 'auto' | number;
    kMin: number;
    kMax: number;
    seed: number;
  };
  recommend: {
    userHistoryDays: number;
    guildHistoryHours: number;
    cooldownSeconds: number;
    /** A track sinks in a server once this many members disliked it (and more disliked than liked it). */
    demoteAfterDislikes: number;
  };
  discord: {
    token: string | null;
    appId: string | null;
    /** Commands are registered to this guild only (instant, for development) when set. */
    guildId: string | null;
    apiUrl: string;
    /** How long the first connection (gateway address, every shard ready) may take before the start fails. */
    connectTimeoutMs: number;
    shards: ShardSettings;
  };
  spotify: {
    /** Both set: the app can call Spotify (client credentials); otherwise Spotify is off. */
    clientId: string | null;
    clientSecret: string | null;
    accountsUrl: string;
    apiUrl: string;
    reccobeatsUrl: string;
    redirectPort: number;
  };
  http: {
    timeoutMs: number;
    maxRetries: number;
  };
  datasets: {
    /** Where each public dataset is downloaded from (a setting may point at a mirror). */
    urls: Record<DatasetName, string>;
    /** What the bot imports into an empty catalog on first start: dataset names and URLs; empty for none. */
    starter: string[];
  };
  health: {
    /** Null: no health server. */
    port: number | null;
    host: string;
  };
  jobs: {
    recrawlCron: string;
    reclusterCron: string;
    timeZone: string;
    /** Re-cluster only when this share of the tracks with features is new since the active model. */
    reclusterMinChange: number;
    keepModelVersions: number;
    shutdownTimeoutMs: number;
  };
  crawl: {
    albumGroups: (typeof ALBUM_GROUPS)[number][];
    maxAlbumsPerArtist: number;
    maxAlbumsPerSeed: number;
    /** Crawls one guild may have queued or running at once. */
    maxPerGuild: number;
  };
}

export interface ShardSettings {
  /** Shards across every machine: a number, or "auto" for the count GET /gateway/bot recommends. */
  count: 'auto' | number;
  /** The shards this machine runs; null: all of them. */
  ids: number[] | null;
  /** Null: one process runs every shard (internal sharding); N: a manager runs a process per N shards. */
  perProcess: number | null;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Raw = Record<string, string | undefined>;

type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]['schema']>;

function readSetting<K extends SettingKey>(raw: Raw, key: K): SettingValue<K> {
  const { schema, expected } = SETTINGS[key];
  const value = blankToUndefined(raw[key]);
  const result = (schema as z.ZodType).safeParse(value);
  if (!result.success) {
    throw new ConfigError(`Invalid setting ${key}: expected ${expected}, got "${String(value)}".`);
  }
  return result.data as SettingValue<K>;
}

/** Reads `.env` (if present) under the environment: a variable set in the environment wins. */
export function readEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  envFile = '.env',
): Raw {
  const fromFile =
    env.CLUSTER_DJ_IGNORE_DOTENV !== '1' && existsSync(envFile)
      ? parseDotenv(readFileSync(envFile))
      : {};
  return { ...fromFile, ...env };
}

/** Whether the environment or `.env` sets a key (to anything but blank), rather than leaving it to its default. */
export function settingGiven(env: NodeJS.ProcessEnv, key: SettingKey, envFile = '.env'): boolean {
  return blankToUndefined(readEnvironment(env, envFile)[key]) !== undefined;
}

export function parseConfig(raw: Raw): Config {
  const get = <K extends SettingKey>(key: K) => readSetting(raw, key);
  const config: Config = {
    databasePath: get('DATABASE_PATH'),
    logLevel: get('LOG_LEVEL'),
    clustering: {
      k: get('CLUSTER_K'),
      kMin: get('CLUSTER_K_MIN'),
      kMax: get('CLUSTER_K_MAX'),
      seed: get('CLUSTER_SEED'),
    },
    recommend: {
      userHistoryDays: get('RECOMMEND_USER_HISTORY_DAYS'),
      guildHistoryHours: get('RECOMMEND_GUILD_HISTORY_HOURS'),
      cooldownSeconds: get('RECOMMEND_COOLDOWN_SECONDS'),
      demoteAfterDislikes: get('RECOMMEND_DEMOTE_AFTER_DISLIKES'),
    },
    discord: {
      token: get('DISCORD_TOKEN') ?? null,
      appId: get('DISCORD_APP_ID') ?? null,
      guildId: get('DISCORD_GUILD_ID') ?? null,
      apiUrl: get('DISCORD_API_URL'),
      connectTimeoutMs: get('DISCORD_CONNECT_TIMEOUT_SECONDS') * 1000,
      shards: { count: get('DISCORD_SHARD_COUNT'), ids: get('DISCORD_SHARD_IDS') ?? null, perProcess: get('DISCORD_SHARDS_PER_PROCESS') ?? null },
    },
    spotify: {
      clientId: get('SPOTIFY_CLIENT_ID') ?? null,
      clientSecret: get('SPOTIFY_CLIENT_SECRET') ?? null,
      accountsUrl: get('SPOTIFY_ACCOUNTS_URL'),
      apiUrl: get('SPOTIFY_API_URL'),
      reccobeatsUrl: get('RECCOBEATS_API_URL'),
      redirectPort: get('SPOTIFY_REDIRECT_PORT'),
    },
    http: {
      timeoutMs: get('HTTP_TIMEOUT_MS'),
      maxRetries: get('HTTP_MAX_RETRIES'),
    },
    datasets: {
      urls: { tidytuesday: get('DATASET_TIDYTUESDAY_URL') },
      starter: get('STARTER_DATASETS'),
    },
    health: {
      port: get('HEALTH_PORT') ?? null,
      host: get('HEALTH_HOST'),
    },
    jobs: {
      recrawlCron: get('CRON_RECRAWL'),
      reclusterCron: get('CRON_RECLUSTER'),
      timeZone: get('CRON_TIMEZONE'),
      reclusterMinChange: get('RECLUSTER_MIN_CHANGE'),
      keepModelVersions: get('MODEL_KEEP_VERSIONS'),
      shutdownTimeoutMs: get('SHUTDOWN_TIMEOUT_SECONDS') * 1000,
    },
    crawl: {
      albumGroups: get('CRAWL_ALBUM_GROUPS'),
      maxAlbumsPerArtist: get('CRAWL_MAX_ALBUMS_PER_ARTIST'),
      maxAlbumsPerSeed: get('CRAWL_MAX_ALBUMS_PER_SEED'),
      maxPerGuild: get('CRAWL_MAX_PER_GUILD'),
    },
  };
  const { shards } = config.discord;
  if (shards.ids && shards.count === 'auto') {
    throw new ConfigError(
      'Invalid setting DISCORD_SHARD_IDS: expected DISCORD_SHARD_COUNT to be a number (every machine must agree on the count), got "auto".',
    );
  }
  const outside = shards.ids?.find((id) => typeof shards.count === 'number' && id >= shards.count);
  if (outside !== undefined) {
    throw new ConfigError(
      `Invalid setting DISCORD_SHARD_IDS: expected shard IDs below DISCORD_SHARD_COUNT (${String(shards.count)}), got "${outside}".`,
    );
  }
  if (config.clustering.kMin > config.clustering.kMax) {
    throw new ConfigError(
      `Invalid setting CLUSTER_K_MIN: expected at most CLUSTER_K_MAX (${config.clustering.kMax}), got "${config.clustering.kMin}".`,
    );
  }
  return config;
}

/** What a bot start says when Discord answers 401 to the token. */
export const TOKEN_REJECTED = 'Discord rejected DISCORD_TOKEN (401 Unauthorized): copy a fresh token from the Developer Portal, Bot page.';

/** The Discord settings the bot cannot start without, or one line naming what is missing. */
export function requireDiscord(config: Config): { token: string; appId: string } {
  const { token, appId } = config.discord;
  const missing = [token ? null : 'DISCORD_TOKEN', appId ? null : 'DISCORD_APP_ID'].filter((k) => k !== null);
  if (missing.length > 0) {
    throw new ConfigError(
      `Missing setting ${missing.join(' and ')}: the bot needs them to log in to Discord (.env.example shows where to find them).`,
    );
  }
  return { token: token!, appId: appId! };
}

/** The one place the program reads its settings. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): Config {
  return parseConfig(readEnvironment(env, envFile));
}
