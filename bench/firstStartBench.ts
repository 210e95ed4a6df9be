import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { deployCommands } from '../bot/deploy.js';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { importCsv } from '../src/import/importCsv.js';
import { createLogger } from '../src/logger.js';
import { startDatasetHost } from '../test/fakes/datasetHost.js';
import { startFakeDiscord } from '../test/fakes/discord.js';
import type { Report } from './stats.js';

// A newcomer's first start: `npm start` on an empty database with the default settings, the
// TidyTuesday CSV served by a dataset host on 127.0.0.1 (as raw.githubusercontent.com would serve
// it), and a member asking /recommend every half second through the fake Discord until the
// answer is a real recommendation. The anchor is the same file imported alone, in this process.

const FILE = 'tidytuesday_spotify_songs.csv.gz';

interface Timeline {
  ready: number;
  imported: number;
  clustered: number;
  firstRecommendation: number;
}

async function firstStart(root: string, dir: string, csv: Buffer, encoding: 'identity' | 'gzip', run: number): Promise<Timeline> {
  const discord = await startFakeDiscord({ heartbeatIntervalMs: 5_000 });
  const host = await startDatasetHost();
  host.put('/spotify_songs.csv', { body: csv, gzip: encoding === 'gzip' });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLUSTER_DJ_IGNORE_DOTENV: '1',
    DATABASE_PATH: join(dir, `first-start-${encoding}-${run}.db`),
    DISCORD_TOKEN: discord.token,
    DISCORD_APP_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.guild().id,
    DISCORD_API_URL: discord.apiUrl,
    DATASET_TIDYTUESDAY_URL: host.url('/spotify_songs.csv'),
    LOG_LEVEL: 'info',
    RECOMMEND_COOLDOWN_SECONDS: '0',
  };
  delete env.STARTER_DATASETS;
  await deployCommands(env);
  const started = performance.now();
  // Its own process group, so that stopping it stops npm and the bot under it.
  const child = spawn('npm', ['start', '--silent'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const at: Partial<Record<keyof Timeline, number>> = {};
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
      const now = performance.now() - started;
      if (msg.startsWith('ready: logged in')) at.ready ??= now;
      if (msg === 'starter dataset imported') at.imported ??= now;
      if (msg.startsWith('starter catalog ready')) at.clustered ??= now;
    }
  });
  const exited = new Promise<void>((done) => child.on('close', () => done()));
  try {
    while (at.ready === undefined) await new Promise((r) => setTimeout(r, 50));
    for (;;) {
      const state = await discord.command({ name: 'recommend', options: { song: 'Piano Man' } }).final({ timeoutMs: 30_000 });
      const embed = (state.followUps.at(-1) ?? state.original)?.embeds[0];
      if (embed?.fields?.some((f) => f.name === 'Cluster')) break;
      if (!embed?.description?.startsWith('⏳')) throw new Error(`unexpected answer during the first start: ${JSON.stringify(embed)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    at.firstRecommendation = performance.now() - started;
    return at as Timeline;
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    await discord.close();
    await host.close();
  }
}

export async function benchFirstStart(report: Report, dir: string, dataDir: string, runs: number): Promise<void> {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) {
    console.log(`  skipped: ${path} is absent (set --data to the folder holding the public datasets)`);
    return;
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const csv = gunzipSync(readFileSync(path));
  for (let run = 1; run <= runs; run++) {
    // The anchor: the same rows imported alone, in this process, into an empty catalog.
    const app = createApp(parseConfig({ DATABASE_PATH: join(dir, `anchor-${run}.db`), LOG_LEVEL: 'silent' }), { logger: createLogger({ level: 'silent' }) });
    const anchorStarted = performance.now();
    await importCsv(app.catalog, path);
    const anchor = performance.now() - anchorStarted;
    app.close();
    report.add('first-start', `run ${run}: the same file imported alone (anchor)`, anchor / 1000, 's');
    for (const encoding of ['identity', 'gzip'] as const) {
      const t = await firstStart(root, dir, csv, encoding, run);
      const label = `run ${run}, ${encoding === 'gzip' ? 'gzip-encoded' : 'identity'}`;
      report.add('first-start', `${label}: npm start → logged in`, t.ready / 1000, 's');
      report.add('first-start', `${label}: npm start → rows imported`, t.imported / 1000, 's');
      report.add('first-start', `${label}: npm start → clustered, model loaded`, t.clustered / 1000, 's');
      report.add('first-start', `${label}: npm start → first recommendation`, t.firstRecommendation / 1000, 's', `${(t.firstRecommendation / anchor).toFixed(1)}× the import alone`);
    }
  }
}
