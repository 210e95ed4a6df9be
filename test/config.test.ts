import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig, SETTINGS } from '../src/config.js';
import { sharedDataDir } from '../src/eval/datasets.js';
import { tempDir } from './helpers/app.js';

describe('config', () => {
  const temps: { dispose(): void }[] = [];
  afterEach(() => temps.splice(0).forEach((t) => t.dispose()));

  it('has safe defaults', () => {
    const config = parseConfig({});
    expect(config.databasePath).toBe('./data/cluster-dj.db');
    expect(config.logLevel).toBe('info');
    expect(config.clustering.k).toBe('auto');
  });

  it('reads .env but lets the environment win', () => {
    const temp = tempDir();
    temps.push(temp);
    const envFile = join(temp.dir, '.env');
    writeFileSync(envFile, 'LOG_LEVEL=debug\nCLUSTER_K=17\n');
    const config = loadConfig({ LOG_LEVEL: 'warn' }, envFile);
    expect(config.logLevel).toBe('warn');
    expect(config.clustering.k).toBe(17);
  });

  it('treats blank values as unset', () => {
    expect(parseConfig({ CLUSTER_K: '  ' }).clustering.k).toBe('auto');
  });

  it.each([
    ['CLUSTER_K', 'many', /CLUSTER_K: expected "auto" or a whole number from 2 to 200, got "many"/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of fatal, error/],
  ])('stops on a bad %s with one line naming it', (key, value, message) => {
    const attempt = () => parseConfig({ [key]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('reads STARTER_DATASETS as dataset names and URLs, or none', () => {
    expect(parseConfig({}).datasets.starter).toEqual(['tidytuesday']);
    expect(parseConfig({ STARTER_DATASETS: 'none' }).datasets.starter).toEqual([]);
    expect(parseConfig({ STARTER_DATASETS: ' TidyTuesday , https://example.org/songs.csv.gz' }).datasets.starter).toEqual(['tidytuesday', 'https://example.org/songs.csv.gz']);
    expect(() => parseConfig({ STARTER_DATASETS: 'tidytuesday,songs.csv' })).toThrow(
      'Invalid setting STARTER_DATASETS: expected "none", or a comma-separated list of dataset names (tidytuesday) and http(s) URLs, got "tidytuesday,songs.csv".',
    );
    expect(parseConfig({ DATASET_TIDYTUESDAY_URL: 'http://127.0.0.1:8000/spotify_songs.csv' }).datasets.urls.tidytuesday).toBe('http://127.0.0.1:8000/spotify_songs.csv');
  });

  it('reads the shard settings: a count or auto, which shards this machine runs, shards per process', () => {
    expect(parseConfig({}).discord.shards).toEqual({ count: 'auto', ids: null, perProcess: null });
    expect(parseConfig({ DISCORD_SHARD_COUNT: '16', DISCORD_SHARD_IDS: ' 8-11, 3,9 ', DISCORD_SHARDS_PER_PROCESS: '2' }).discord.shards).toEqual({
      count: 16,
      ids: [3, 8, 9, 10, 11],
      perProcess: 2,
    });
    expect(() => parseConfig({ DISCORD_SHARD_IDS: '0-1' })).toThrow(
      'Invalid setting DISCORD_SHARD_IDS: expected DISCORD_SHARD_COUNT to be a number (every machine must agree on the count), got "auto".',
    );
    expect(() => parseConfig({ DISCORD_SHARD_COUNT: '4', DISCORD_SHARD_IDS: '2-4' })).toThrow(
      'Invalid setting DISCORD_SHARD_IDS: expected shard IDs below DISCORD_SHARD_COUNT (4), got "4".',
    );
    expect(() => parseConfig({ DISCORD_SHARD_IDS: 'first' })).toThrow(/DISCORD_SHARD_IDS: expected shard IDs and ranges, like "0-3"/);
    expect(() => parseConfig({ DISCORD_SHARDS_PER_PROCESS: '0' })).toThrow(/DISCORD_SHARDS_PER_PROCESS: expected a whole number of shards from 1/);
  });

  it('finds the public datasets where SHARED_DATA_DIR says, in the environment or in .env', () => {
    const temp = tempDir();
    temps.push(temp);
    const envFile = join(temp.dir, '.env');
    writeFileSync(envFile, `SHARED_DATA_DIR=${join(temp.dir, 'datasets')}\n`);
    expect(sharedDataDir({}, envFile)).toBe(join(temp.dir, 'datasets'));
    expect(sharedDataDir({ SHARED_DATA_DIR: '/elsewhere' }, envFile)).toBe('/elsewhere');
    expect(sharedDataDir({}, join(temp.dir, 'no.env'))).toMatch(/\/shared\/data$/);
  });

  it('rejects CLUSTER_K_MIN above CLUSTER_K_MAX', () => {
    expect(() => parseConfig({ CLUSTER_K_MIN: '40', CLUSTER_K_MAX: '10' })).toThrow(/CLUSTER_K_MIN/);
  });

  it('.env.example documents exactly the settings the program reads, each with a comment', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const lines = example.split('\n');
    const keys = lines.map((l) => /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(l)?.[1]).filter((k): k is string => !!k);
    expect(new Set(keys)).toEqual(new Set(Object.keys(SETTINGS)));
    // Each key sits in a block of keys introduced by a comment.
    const isKey = (line: string | undefined) => /^#?\s*[A-Z][A-Z0-9_]+=/.test(line ?? '');
    for (const key of keys) {
      let at = lines.findIndex((l) => new RegExp(`^#?\\s*${key}=`).test(l)) - 1;
      while (isKey(lines[at])) at--;
      expect(lines[at], `${key} needs a comment above it`).toMatch(/^#/);
    }
    // The example's values must themselves be valid.
    const values = Object.fromEntries(
      lines.map((l) => /^([A-Z][A-Z0-9_]+)=(.*)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1]!, m[2]!]),
    );
    expect(() => parseConfig(values)).not.toThrow();
  });
});
