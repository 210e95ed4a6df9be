import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { deployCommands } from '../bot/deploy.js';
import { createApp } from '../src/app.js';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { parseConfig } from '../src/config.js';
import type { HealthReport } from '../src/health.js';
import { createLogger } from '../src/logger.js';
import { snowflakeOnShard, startFakeDiscord, type FakeDiscord } from '../test/fakes/discord.js';
import { fmt, type Report } from './stats.js';
import { fillCatalog } from './synthetic.js';

// Memory per process of the bot sharded, at a catalog size: `npm start` as an operator runs it,
// against the fake Discord with 4 shards, in each layout an engine gives. The anchor is the same
// run's single process with one shard (today's `npm start`): every layout is a ratio of it.
// RSS counts the SQLite file pages a process mapped as its own; PSS shares them out among the
// processes that map them, so the PSS total is what the machine really spends.

const SHARDS = 4;
const ROOT = new URL('..', import.meta.url).pathname;

interface Layout {
  name: string;
  settings: Record<string, string>;
}

const LAYOUTS: Layout[] = [
  { name: '1 process, 1 shard (npm start until now)', settings: { DISCORD_SHARD_COUNT: '1' } },
  { name: '1 process, 4 internal shards (npm start, DISCORD_SHARD_COUNT=4)', settings: { DISCORD_SHARD_COUNT: '4' } },
  { name: '2 processes × 2 shards (hybrid-sharding, DISCORD_SHARDS_PER_PROCESS=2)', settings: { DISCORD_SHARD_COUNT: '4', DISCORD_SHARDS_PER_PROCESS: '2' } },
  { name: "4 processes × 1 shard (ShardingManager's layout, DISCORD_SHARDS_PER_PROCESS=1)", settings: { DISCORD_SHARD_COUNT: '4', DISCORD_SHARDS_PER_PROCESS: '1' } },
];

interface Memory {
  rssMb: number;
  peakRssMb: number;
  pssMb: number;
}

function memoryOf(pid: number): Memory {
  const field = (text: string, name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) / 1024;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return { rssMb: field(status, 'VmRSS'), peakRssMb: field(status, 'VmHWM'), pssMb: field(rollup, 'Pss') };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A clustered synthetic catalog of n tracks: the recommend section's when it ran, else built here. */
function catalogFile(dir: string, n: number): string {
  const reused = join(dir, `recommend-${n}.db`);
  if (existsSync(reused)) return reused;
  const path = join(dir, `shards-${n}.db`);
  const app = createApp(parseConfig({ DATABASE_PATH: path, LOG_LEVEL: 'silent' }), { logger: createLogger({ level: 'silent' }) });
  try {
    fillCatalog(app.catalog, n);
    clusterCatalog({ database: app.database, settings: { ...app.config.clustering, k: 20 }, logger: app.logger });
  } finally {
    app.close();
  }
  return path;
}

async function runLayout(layout: Layout, discord: FakeDiscord, base: Record<string, string>, songs: string[]) {
  const port = await freePort();
  const env = { ...process.env, CLUSTER_DJ_IGNORE_DOTENV: '1', ...base, ...layout.settings, HEALTH_PORT: String(port) };
  const started = performance.now();
  // The compiled bot, as `npm start` runs it (bench/main.ts builds dist/ first); its shard processes start compiled too.
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/bot/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const health = async (): Promise<HealthReport | null> => {
    try {
      return (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as HealthReport;
    } catch {
      return null;
    }
  };
  try {
    // Ready: every shard connected and every process answering from the loaded index.
    let report: HealthReport | null = null;
    for (const deadline = Date.now() + 15 * 60_000; Date.now() < deadline; await sleep(500)) {
      report = await health();
      const processes = report?.gateway.processes;
      if (report?.gateway.connected && (processes ? processes.every((p) => p.servingModel !== null) : report.model.serving !== null)) break;
      report = null;
    }
    if (!report) throw new Error(`${layout.name}: not ready after 15 minutes`);
    const readySeconds = (performance.now() - started) / 1000;
    // A few members on every shard, so each process has answered before it is measured.
    for (const guild of discord.guilds) {
      for (const song of songs) await discord.command({ name: 'recommend', guildId: guild.id, options: { song } }).final({ timeoutMs: 60_000 });
    }
    const pids = report.gateway.processes?.map((p) => p.pid!) ?? [];
    const bots = pids.length > 0 ? pids.map(memoryOf) : [memoryOf(child.pid!)];
    const manager = pids.length > 0 ? memoryOf(child.pid!) : null;
    return { readySeconds, bots, manager };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function benchShards(report: Report, dir: string, n: number): Promise<void> {
  const label = `${(n / 1000).toLocaleString('en')}k tracks`;
  const path = catalogFile(dir, n);
  const discord = await startFakeDiscord({
    guilds: Array.from({ length: SHARDS }, (_, shard) => ({ id: snowflakeOnShard(shard, SHARDS), name: `Server ${shard}`, channels: [{ name: 'music' }] })),
    shards: SHARDS,
    maxConcurrency: SHARDS,
    identifyRateLimit: true,
    heartbeatIntervalMs: 5_000,
  });
  try {
    const base = {
      DATABASE_PATH: path,
      LOG_LEVEL: 'warn',
      DISCORD_TOKEN: discord.token,
      DISCORD_APP_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      STARTER_DATASETS: 'none',
      RECOMMEND_COOLDOWN_SECONDS: '0',
    };
    await deployCommands({ ...base, CLUSTER_DJ_IGNORE_DOTENV: '1' });
    const app = createApp(parseConfig({ DATABASE_PATH: path, LOG_LEVEL: 'silent' }), { logger: createLogger({ level: 'silent' }) });
    const songs = app.database.sqlite.prepare('SELECT name FROM tracks ORDER BY id LIMIT 5').pluck().all() as string[];
    app.close();
    // Anchored on the one-process figures of this same run.
    let anchor: { peak: number; rss: number } | null = null;
    for (const layout of LAYOUTS) {
      const { readySeconds, bots, manager } = await runLayout(layout, discord, base, songs);
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
      const peak = sum(bots.map((m) => m.peakRssMb)) + (manager?.peakRssMb ?? 0);
      const rss = sum(bots.map((m) => m.rssMb)) + (manager?.rssMb ?? 0);
      const pss = sum(bots.map((m) => m.pssMb)) + (manager?.pssMb ?? 0);
      anchor ??= { peak, rss };
      const each = (values: number[]) => values.map((v) => fmt(v, 0)).join(' / ');
      report.add('shards', `${layout.name}, ${label}: peak RSS per bot process`, Math.max(...bots.map((m) => m.peakRssMb)), 'MB', `each: ${each(bots.map((m) => m.peakRssMb))} MB; ready in ${fmt(readySeconds, 0)} s`);
      report.add('shards', '  RSS per bot process after 5 /recommend on each shard', Math.max(...bots.map((m) => m.rssMb)), 'MB', `each: ${each(bots.map((m) => m.rssMb))} MB (as the garbage collector left it)`);
      if (manager) report.add('shards', '  the shard manager process', manager.rssMb, 'MB', `peak ${fmt(manager.peakRssMb, 0)} MB`);
      report.add('shards', '  all processes: sum of peak RSS', peak, 'MB', `${fmt(peak / anchor.peak, 2)}× one process`);
      report.add('shards', '  all processes: RSS now (PSS)', rss, 'MB', `PSS ${fmt(pss, 0)} MB; ${fmt(rss / anchor.rss, 2)}× one process`);
    }
  } finally {
    await discord.close();
  }
}
