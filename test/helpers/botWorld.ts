import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runBot, type RunningBot } from '../../bot/run.js';
import { startBot, type Bot } from '../../bot/start.js';
import { deployCommands } from '../../bot/deploy.js';
import { createApp, type App } from '../../src/app.js';
import { clusterCatalog } from '../../src/clustering/clusterCatalog.js';
import { parseConfig } from '../../src/config.js';
import { importCsv } from '../../src/import/importCsv.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../fakes/discord.js';
import { generateFakeCatalog, startFakeSpotify, type FakeSpotify, type GeneratedFakeCatalog } from '../fakes/spotify.js';
import { tempDir } from './app.js';
import { dataset, DATASETS } from './datasets.js';
import { syntheticTracks, tracksToCsv } from './synthetic.js';

export interface BotWorld {
  discord: FakeDiscord;
  spotify: FakeSpotify;
  spotifyCatalog: GeneratedFakeCatalog;
  app: App;
  bot: Bot;
  /** With `full`: the jobs and health server too, wired exactly as `npm start` wires them. */
  running: RunningBot | null;
  settings: Record<string, string>;
  /** True when the catalog is a sample of a real dataset (TidyTuesday), false when synthetic. */
  realData: boolean;
  dispose(): Promise<void>;
}

const SAMPLE_ROWS = 2_500;

/** Writes the catalog's CSV: the first rows of the TidyTuesday dataset, or generated tracks. */
export function sampleCsv(dir: string): { path: string; real: boolean } {
  const path = join(dir, 'sample.csv');
  const tidy = dataset(DATASETS.tidyTuesday);
  if (tidy.path) {
    const lines = gunzipSync(readFileSync(tidy.path)).toString().split('\n').slice(0, SAMPLE_ROWS + 1);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return { path, real: true };
  }
  writeFileSync(path, tracksToCsv(syntheticTracks({ clusters: 8, perCluster: 250 })));
  return { path, real: false };
}

/**
 * The bot as it runs in production (same start-up code), against the fake Discord and the fake
 * Spotify, on a clustered catalog. Commands are registered through `deploy-commands`.
 */
export async function startBotWorld(
  options: {
    settings?: Record<string, string>;
    discord?: FakeDiscordOptions;
    logger?: Logger;
    cluster?: boolean;
    retries?: number;
    full?: boolean;
    /** 'empty': no sample is imported (a first start, which fills the catalog itself when `full`). */
    catalog?: 'sample' | 'empty';
    /** Also register the commands globally, as a production deploy does (DMs and user installs see only global commands). */
    globalCommands?: boolean;
  } = {},
): Promise<BotWorld> {
  const temp = tempDir();
  const discord = await startFakeDiscord({ heartbeatIntervalMs: 5_000, ...options.discord });
  const spotifyCatalog = generateFakeCatalog({ seed: 5 });
  const spotify = await startFakeSpotify({ catalog: spotifyCatalog, mode: 'extended', clientId: 'id', clientSecret: 'secret' });
  const guildId = discord.guild().id;
  const settings: Record<string, string> = {
    DATABASE_PATH: join(temp.dir, 'bot.db'),
    LOG_LEVEL: 'silent',
    DISCORD_TOKEN: discord.token,
    DISCORD_APP_ID: discord.applicationId,
    DISCORD_GUILD_ID: guildId,
    DISCORD_API_URL: discord.apiUrl,
    ...spotify.settings(),
    RECOMMEND_COOLDOWN_SECONDS: '0',
    HTTP_TIMEOUT_MS: '2000',
    ...options.settings,
  };
  const config = parseConfig(settings);
  const app = createApp(config, { logger: options.logger ?? createLogger({ level: 'silent' }) });
  const empty = options.catalog === 'empty';
  const sample = empty ? { real: false } : sampleCsv(temp.dir);
  if ('path' in sample) await importCsv(app.catalog, sample.path);
  if (!empty && (options.cluster ?? true)) {
    clusterCatalog({ database: app.database, settings: { ...config.clustering, k: 8 }, logger: app.logger });
  }
  await deployCommands({ ...settings, CLUSTER_DJ_IGNORE_DOTENV: '1' });
  if (options.globalCommands) {
    const { DISCORD_GUILD_ID: _guild, ...global } = settings;
    await deployCommands({ ...global, CLUSTER_DJ_IGNORE_DOTENV: '1' });
  }
  const botOptions = { token: config.discord.token!, rest: { retries: options.retries ?? 3 } };
  const running = options.full ? await runBot(app, { ...botOptions, reclusterInChild: false }) : null;
  const bot = running?.bot ?? (await startBot(app, botOptions));
  return {
    discord,
    spotify,
    spotifyCatalog,
    app,
    bot,
    running,
    settings,
    realData: sample.real,
    async dispose() {
      if (running) await running.shutdown();
      await bot.stop();
      app.close();
      await discord.close();
      await spotify.close();
      temp.dispose();
    },
  };
}
