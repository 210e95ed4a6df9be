import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDatasetHost } from './fakes/datasetHost.js';
import { startFakeDiscord, type FakeDiscord } from './fakes/discord.js';
import { tempDir } from './helpers/app.js';
import { compiledProgram } from './helpers/compiled.js';
import { datasetSample } from './helpers/datasetSample.js';

// `npm start` as an operator runs it: a child process configured by environment variables.

const ROOT = new URL('..', import.meta.url).pathname;

function run(env: NodeJS.ProcessEnv, untilReady = false) {
  const child = spawn(process.execPath, compiledProgram('bot/main'), { cwd: ROOT, env: { ...process.env, CLUSTER_DJ_IGNORE_DOTENV: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const ready = untilReady
    ? new Promise<void>((resolve) => child.stdout.on('data', () => /ready: logged in/.test(stdout) && resolve()))
    : Promise.resolve();
  return { child, exited, ready, out: () => ({ stdout, stderr }) };
}

describe('starting the bot', () => {
  const temp = tempDir();
  let discord: FakeDiscord;
  let base: NodeJS.ProcessEnv;
  beforeAll(async () => {
    discord = await startFakeDiscord();
    base = { DATABASE_PATH: join(temp.dir, 'start.db'), DISCORD_API_URL: discord.apiUrl, DISCORD_APP_ID: discord.applicationId, LOG_LEVEL: 'info', STARTER_DATASETS: 'none' };
  });
  afterAll(async () => {
    await discord.close();
    temp.dispose();
  });

  it('names the missing settings in one line and exits', async () => {
    const { exited, out } = run({ ...base, DISCORD_TOKEN: '', DISCORD_APP_ID: '' });
    expect(await exited).toBe(1);
    expect(out().stderr).toBe(
      'Missing setting DISCORD_TOKEN and DISCORD_APP_ID: the bot needs them to log in to Discord (.env.example shows where to find them).\n',
    );
  });

  it('names a DATABASE_PATH it cannot write in one line and exits', async () => {
    writeFileSync(join(temp.dir, 'a-file'), 'not a folder');
    const path = join(temp.dir, 'a-file', 'cluster-dj.db');
    const { exited, out } = run({ ...base, DATABASE_PATH: path, DISCORD_TOKEN: discord.token });
    expect(await exited).toBe(1);
    expect(out().stderr).toBe(`Cluster DJ could not start: Cannot open the database at ${path} (DATABASE_PATH): part of the path is a file, not a folder.\n`);
  });

  it.each([
    ['in one process', {}],
    ['sharded (the shard manager asks GET /gateway/bot first)', { DISCORD_SHARDS_PER_PROCESS: '1' }],
  ])('explains a token Discord rejects, %s', async (_mode, settings) => {
    const { exited, out } = run({ ...base, ...settings, DISCORD_TOKEN: 'not-the-token' });
    expect(await exited).toBe(1);
    expect(out().stderr).toBe('Discord rejected DISCORD_TOKEN (401 Unauthorized): copy a fresh token from the Developer Portal, Bot page.\n');
  });

  it('migrates the database, logs one ready line, and exits 0 on SIGTERM', async () => {
    const bot = run({ ...base, DISCORD_TOKEN: discord.token }, true);
    await bot.ready;
    const lines = bot.out().stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(lines.filter((l) => l.msg.startsWith('ready: logged in as'))).toHaveLength(1);
    expect(discord.identifies.at(-1)?.intents).toBe(1); // Guilds only
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });

  const TOKEN_RESET =
    'Discord closed the gateway connection with 4004 (AuthenticationFailed): the Discord token was rejected (it was reset or revoked): put a fresh token from the Developer Portal, Bot page, in DISCORD_TOKEN.\n';

  it('exits 1 with what to fix when Discord closes the gateway for good (4004: the token was reset)', async () => {
    const bot = run({ ...base, DATABASE_PATH: join(temp.dir, 'fatal.db'), DISCORD_TOKEN: discord.token }, true);
    await bot.ready;
    await discord.dropGateway(4004);
    expect(await bot.exited).toBe(1);
    expect(bot.out().stderr).toBe(TOKEN_RESET);
  });

  it('sharded, the manager stops every process and exits 1 when one is closed for good, instead of restarting it', async () => {
    const bot = run({ ...base, DATABASE_PATH: join(temp.dir, 'fatal-sharded.db'), DISCORD_TOKEN: discord.token, DISCORD_SHARDS_PER_PROCESS: '1' });
    await expect.poll(() => bot.out().stdout, { timeout: 30_000, interval: 100 }).toMatch(/shard 0 ready|shards? 0 .*ready/);
    await discord.dropGateway(4004);
    expect(await bot.exited).toBe(1);
    expect(bot.out().stderr).toBe(`${TOKEN_RESET}Cluster DJ stopped: a shard process cannot run until the setting named above is fixed.\n`);
  });

  it('exits 1 with what to fix when the first connection is closed for good (4011: sharding required)', async () => {
    const crowded = await startFakeDiscord({ maxGuildsPerShard: 0 });
    try {
      const { exited, out } = run({ ...base, DATABASE_PATH: join(temp.dir, 'crowded.db'), DISCORD_API_URL: crowded.apiUrl, DISCORD_APP_ID: crowded.applicationId, DISCORD_TOKEN: crowded.token });
      expect(await exited).toBe(1);
      expect(out().stderr).toBe(
        'Discord closed the gateway connection with 4011 (ShardingRequired): the bot is in too many servers for its shards: set DISCORD_SHARD_COUNT=auto or a larger count (see the README, "Sharded").\n',
      );
    } finally {
      await crowded.close();
    }
  });

  it.each([
    ['the gateway never says HELLO', 'opening the gateway connection', (fake: FakeDiscord) => fake.stallGateway()],
    ['GET /gateway/bot never answers', 'asking Discord for the gateway address (GET /gateway/bot)', (fake: FakeDiscord) => fake.delay({ method: 'GET', path: /\/gateway\/bot$/, ms: 120_000 })],
  ])('a first connection that stalls (%s): logs what it waits for, /healthz says 503 meanwhile, and gives up after DISCORD_CONNECT_TIMEOUT_SECONDS', async (_how, stage, stall) => {
    const stalled = await startFakeDiscord();
    try {
      stall(stalled);
      const bot = run({
        ...base,
        DATABASE_PATH: join(temp.dir, `stalled-${stage.length}.db`),
        DISCORD_API_URL: stalled.apiUrl,
        DISCORD_APP_ID: stalled.applicationId,
        DISCORD_TOKEN: stalled.token,
        DISCORD_CONNECT_TIMEOUT_SECONDS: '4',
        HEALTH_PORT: '0',
      });
      const listening = () => bot.out().stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; port?: number }).find((l) => l.msg === 'health server listening');
      await expect.poll(listening, { timeout: 20_000, interval: 50 }).toBeDefined();
      const health = await fetch(`http://127.0.0.1:${listening()!.port!}/healthz`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { gateway: { connected: boolean } }).gateway.connected).toBe(false);
      expect(await bot.exited).toBe(1);
      expect(bot.out().stdout).toContain(`"msg":"still connecting to Discord: ${stage}`);
      expect(bot.out().stderr).toBe(
        `Cluster DJ could not start: no connection to Discord after 4 s (DISCORD_CONNECT_TIMEOUT_SECONDS), while ${stage}: check the network and DISCORD_API_URL, or raise the timeout for many shards.\n`,
      );
    } finally {
      await stalled.close();
    }
  });

  it('on an empty catalog, logs in first, then loads the starter catalog with progress in the log and clusters it', async () => {
    const host = await startDatasetHost();
    try {
      host.put('/spotify_songs.csv', { body: datasetSample(3_000).csv, gzip: true });
      const bot = run({ ...base, DATABASE_PATH: join(temp.dir, 'first-start.db'), DISCORD_TOKEN: discord.token, STARTER_DATASETS: host.url('/spotify_songs.csv'), CLUSTER_K: '6' }, true);
      await bot.ready;
      await expect.poll(() => bot.out().stdout, { timeout: 60_000, interval: 100 }).toMatch(/starter catalog ready/);
      const messages = bot.out().stdout.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg);
      const at = (pattern: RegExp) => messages.findIndex((m) => pattern.test(m));
      expect(at(/^ready: logged in as .* 0 tracks in the catalog$/)).toBeGreaterThanOrEqual(0);
      expect(at(/^the catalog is empty: importing the starter catalog/)).toBeGreaterThan(at(/^ready: logged in/));
      expect(at(/^starter dataset imported$/)).toBeGreaterThan(at(/^the catalog is empty/));
      expect(at(/^starter catalog ready: \d+ songs/)).toBeGreaterThan(at(/^starter dataset imported$/));
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      await host.close();
    }
  });
});
