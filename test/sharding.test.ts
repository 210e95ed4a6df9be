import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../bot/deploy.js';
import { createApp } from '../src/app.js';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { parseConfig } from '../src/config.js';
import type { HealthReport } from '../src/health.js';
import { importCsv } from '../src/import/importCsv.js';
import { createLogger } from '../src/logger.js';
import { snowflakeOnShard, startFakeDiscord, type FakeDiscord } from './fakes/discord.js';
import { generateFakeCatalog, startFakeSpotify, type FakeSpotify } from './fakes/spotify.js';
import { tempDir } from './helpers/app.js';
import { syntheticTracks, tracksToCsv } from './helpers/synthetic.js';
import { compiledProgram } from './helpers/compiled.js';

// `npm start` sharded, as an operator runs it: DISCORD_SHARDS_PER_PROCESS=2 on a bot Discord
// recommends 4 shards for, so the shard manager runs 2 processes × 2 shards against the fake
// gateway, on one database. One world; the tests below look at it in turn.

const ROOT = new URL('..', import.meta.url).pathname;

/** Resolves with the first defined value of `check`, tried every 200 ms (expect.poll is for tests, not hooks). */
async function until<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
const SHARDS = 4;

interface LogLine {
  msg: string;
  process?: number;
  job?: string;
  slot?: string;
  [key: string]: unknown;
}

describe('sharded: 2 processes × 2 shards through the fake gateway', () => {
  const temp = tempDir();
  let discord: FakeDiscord;
  let spotify: FakeSpotify;
  let manager: ChildProcessWithoutNullStreams;
  let exited: Promise<number | null>;
  let stdout = '';
  let healthUrl = '';
  let db: BetterSqlite3.Database;
  let initialModel: number;
  /** When both processes were ready. */
  let bothUp = 0;
  const logs = (): LogLine[] =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
  const health = async () => (await (await fetch(`${healthUrl}/healthz`)).json()) as HealthReport;
  const guild = (shard: number) => discord.guilds[shard]!;

  beforeAll(async () => {
    // One server on each shard of 4, each with a daily post already due today.
    discord = await startFakeDiscord({
      guilds: Array.from({ length: SHARDS }, (_, shard) => ({ id: snowflakeOnShard(shard, SHARDS), name: `Server on shard ${shard}`, channels: [{ name: 'music' }] })),
      shards: SHARDS,
      maxConcurrency: 2,
      identifyRateLimit: true,
      heartbeatIntervalMs: 5_000,
    });
    const spotifyCatalog = generateFakeCatalog({ seed: 5 });
    spotify = await startFakeSpotify({ catalog: spotifyCatalog, mode: 'extended', clientId: 'id', clientSecret: 'secret' });
    const settings: Record<string, string> = {
      DATABASE_PATH: join(temp.dir, 'sharded.db'),
      LOG_LEVEL: 'info',
      DISCORD_TOKEN: discord.token,
      DISCORD_APP_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      ...spotify.settings(),
      STARTER_DATASETS: 'none',
      RECOMMEND_COOLDOWN_SECONDS: '0',
      // Every 10 s a re-crawl, and 5 s later a re-cluster (which runs once the crawl added enough).
      CRON_RECRAWL: '*/10 * * * * *',
      CRON_RECLUSTER: '5-55/10 * * * * *',
      DISCORD_SHARD_COUNT: 'auto',
      DISCORD_SHARDS_PER_PROCESS: '2',
      HEALTH_PORT: '0',
    };
    const app = createApp(parseConfig(settings), { logger: createLogger({ level: 'silent' }) });
    const csv = join(temp.dir, 'catalog.csv');
    writeFileSync(csv, tracksToCsv(syntheticTracks({ clusters: 8, perCluster: 100 })));
    await importCsv(app.catalog, csv);
    clusterCatalog({ database: app.database, settings: { ...app.config.clustering, k: 8 }, logger: app.logger });
    initialModel = app.models.activeModelId()!;
    app.seeds.add(guild(0).id, spotifyCatalog.ids.playlists.large, { expandArtists: false });
    for (const g of discord.guilds) app.daily.set(g.id, { channelId: g.channels[0]!.id, time: '00:00', timeZone: 'UTC' }, Date.parse('2020-01-01'));
    app.close();
    await deployCommands({ ...settings, CLUSTER_DJ_IGNORE_DOTENV: '1' });

    manager = spawn(process.execPath, compiledProgram('bot/main'), { cwd: ROOT, env: { ...process.env, CLUSTER_DJ_IGNORE_DOTENV: '1', ...settings } });
    manager.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    manager.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    exited = new Promise((resolve) => manager.on('close', resolve));
    const listening = await until(() => logs().find((l) => l.msg === 'health server listening'), 30_000);
    healthUrl = `http://127.0.0.1:${String(listening.port)}`;
    await until(async () => (await health()).gateway.connected || undefined, 90_000);
    bothUp = Date.now();
    db = new BetterSqlite3(settings.DATABASE_PATH, { readonly: true });
  }, 150_000);

  afterAll(async () => {
    db?.close();
    if (manager && manager.exitCode === null) {
      manager.kill('SIGKILL');
      await exited;
    }
    await discord?.close();
    await spotify?.close();
    temp.dispose();
  });

  it('identifies every shard [shard_id, 4] from the count GET /gateway/bot recommends, two processes, within max_concurrency', async () => {
    expect(discord.calls.filter((c) => c.path === '/gateway/bot').length).toBeGreaterThanOrEqual(3); // the manager, then each process
    expect(discord.identifies.map((i) => i.shard).sort()).toEqual([0, 1, 2, 3].map((s) => [s, SHARDS]));
    // Never an IDENTIFY Discord would have turned away (op 9 past max_concurrency).
    expect(discord.gatewayEvents.filter((e) => e.kind === 'invalid-session')).toEqual([]);
    const report = await health();
    expect(report.status).toBe('ok');
    expect(report.gateway.processes!.map((p) => ({ id: p.id, shards: p.shards, state: p.state }))).toEqual([
      { id: 0, shards: [0, 1], state: 'running' },
      { id: 1, shards: [2, 3], state: 'running' },
    ]);
    expect(report.gateway.shards.map((s) => ({ id: s.id, status: s.status, guilds: s.guilds, process: s.process }))).toEqual(
      [0, 1, 2, 3].map((id) => ({ id, status: 'ready', guilds: 1, process: id < 2 ? 0 : 1 })),
    );
    expect(new Set(report.gateway.processes!.map((p) => p.pid)).size).toBe(2);
  });

  it('answers /recommend on every shard, from the process that holds it', async () => {
    const song = db.prepare('SELECT name FROM tracks ORDER BY id LIMIT 1').pluck().get() as string;
    for (let shard = 0; shard < SHARDS; shard++) {
      const handle = discord.command({ name: 'recommend', guildId: guild(shard).id, options: { song } });
      expect(handle.deliveredOn).toEqual([[shard, SHARDS]]);
      const answer = await handle.final({ timeoutMs: 15_000 });
      expect(answer.original?.embeds?.[0]?.title, `shard ${shard}`).toBeTruthy();
    }
  });

  it('posts one daily post per server, each from the process of its shard', async () => {
    await expect.poll(() => db.prepare("SELECT COUNT(*) FROM daily_posts WHERE status = 'sent'").pluck().get(), { timeout: 15_000 }).toBe(SHARDS);
    for (const g of discord.guilds) expect(discord.channelMessages(g.channels[0]!.id).filter((m) => m.embeds[0]?.title?.startsWith('🎧'))).toHaveLength(1);
    expect(db.prepare("SELECT COUNT(*) FROM daily_posts WHERE status <> 'sent'").pluck().get()).toBe(0);
    // Each process ran the daily check for its own shards under its own lock; neither was skipped.
    expect(db.prepare("SELECT COUNT(*) FROM job_runs WHERE job = 'daily-posts' AND status = 'skipped'").pluck().get()).toBe(0);
  });

  it('runs each scheduled re-crawl in one process only; the other leaves it be', async () => {
    // A slot fired after both processes were up: one ran it, the other said another process does.
    const leftBe = () => logs().filter((l) => l.msg === 'another process runs this scheduled job' && l.slot?.startsWith('recrawl:') && Date.parse(l.slot.slice('recrawl:'.length)) > bothUp);
    await expect.poll(() => leftBe().length, { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(1);
    const slot = leftBe()[0]!.slot!;
    await expect.poll(() => db.prepare("SELECT status FROM job_runs WHERE job = 'recrawl' ORDER BY id DESC LIMIT 1").pluck().get(), { timeout: 15_000 }).toBe('ok');
    expect(leftBe().filter((l) => l.slot === slot)).toHaveLength(1);
    expect(db.prepare('SELECT COUNT(*) FROM job_locks WHERE name = ?').pluck().get(`once:${slot}`)).toBe(1);
    // Every slot claimed was run exactly once, none skipped: as many runs as claims.
    const claims = db.prepare("SELECT COUNT(*) FROM job_locks WHERE name LIKE 'once:recrawl:%'").pluck().get() as number;
    const runs = db.prepare("SELECT status FROM job_runs WHERE job = 'recrawl'").pluck().all();
    expect(runs.length === claims || runs.length === claims - 1).toBe(true); // the newest may still be starting
    expect(runs.filter((status) => status === 'skipped')).toEqual([]);
    // The seed was crawled by those runs one at a time: never two crawls of it going at once.
    expect(db.prepare('SELECT COUNT(*) FROM crawl_runs').pluck().get()).toBeGreaterThanOrEqual(1);
    expect(db.prepare("SELECT COUNT(*) FROM crawl_runs WHERE status = 'running'").pluck().get()).toBeLessThanOrEqual(1);
  });

  it('picks up the model a re-cluster in one process made, in every process, and answers from it on every shard', async () => {
    await expect
      .poll(
        async () => {
          const report = await health();
          const active = report.model.active ?? 0;
          return active > initialModel && report.gateway.processes!.every((p) => p.servingModel === active);
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(true);
    const active = (await health()).model.active!;
    expect(db.prepare("SELECT COUNT(*) FROM job_runs WHERE job = 'recluster' AND status = 'ok'").pluck().get()).toBeGreaterThanOrEqual(1);
    const song = db.prepare('SELECT name FROM tracks ORDER BY id LIMIT 1 OFFSET 5').pluck().get() as string;
    for (let shard = 0; shard < SHARDS; shard++) {
      const handle = discord.command({ name: 'recommend', guildId: guild(shard).id, options: { song } });
      await handle.final({ timeoutMs: 15_000 });
    }
    const models = db.prepare('SELECT model_id FROM recommendations ORDER BY id DESC LIMIT ?').pluck().all(SHARDS);
    expect(models).toEqual(Array.from({ length: SHARDS }, () => active));
  });

  it('restarts a crashed shard process, whose shards come back and answer', async () => {
    const before = (await health()).gateway.processes![1]!;
    const identifies = discord.identifies.length;
    process.kill(before.pid!, 'SIGKILL');
    await expect.poll(async () => (await health()).gateway.processes![1]!.state, { timeout: 10_000, interval: 100 }).not.toBe('running');
    await expect.poll(async () => (await health()).gateway.connected, { timeout: 90_000, interval: 250 }).toBe(true);
    const after = (await health()).gateway.processes![1]!;
    expect(after).toMatchObject({ state: 'running', restarts: 1, shards: [2, 3] });
    expect(after.pid).not.toBe(before.pid);
    expect(discord.identifies.slice(identifies).map((i) => i.shard).sort()).toEqual([
      [2, SHARDS],
      [3, SHARDS],
    ]);
    const song = db.prepare('SELECT name FROM tracks ORDER BY id LIMIT 1 OFFSET 9').pluck().get() as string;
    const answer = await discord.command({ name: 'recommend', guildId: guild(3).id, options: { song } }).final({ timeoutMs: 15_000 });
    expect(answer.original?.embeds?.[0]?.title).toBeTruthy();
  });

  it('stops every process cleanly on SIGTERM', async () => {
    const pids = (await health()).gateway.processes!.map((p) => p.pid!);
    manager.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(logs().filter((l) => l.msg === 'shard process stopped')).toHaveLength(2);
    // Both logged out of their shards (1000: session ended, no zombie sessions left for Discord to time out).
    expect(discord.shardSessions.filter((s) => s.live)).toEqual([]);
  });
});
