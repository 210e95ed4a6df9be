import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { benchClustering } from './clusterBench.js';
import { benchCrawl } from './crawlBench.js';
import { benchFlood } from './floodBench.js';
import { benchFirstStart } from './firstStartBench.js';
import { benchBigImport, benchImport } from './importBench.js';
import { benchLoad } from './loadBench.js';
import { benchMemory } from './memoryBench.js';
import { benchStartup } from './startupBench.js';
import { benchRender } from './renderBench.js';
import { benchRecommend } from './recommendBench.js';
import { benchShards } from './shardBench.js';
import { SyntheticCatalogs } from './catalogs.js';
import { sharedDataDir } from '../src/eval/datasets.js';
import { peakRssMb, Report } from './stats.js';
import { build, staleReason } from '../scripts/build.mjs';

// `npm run bench`: prints figures (nothing here asserts on time). `--only a,b` runs some sections;
// `--quick` uses small sizes for a smoke run.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECTIONS = ['import', 'clustering', 'startup', 'recommend', 'crawl', 'load', 'memory', 'render', 'first-start', 'shards', 'flood'] as const;

const program = new Command('bench')
  .description('Cluster DJ benchmarks: import, clustering, CLI start-up, recommendation, crawl, load, memory, render, first-start, sharded-memory and Spotify-flood figures')
  .option('--only <sections>', `comma-separated subset of: ${SECTIONS.join(', ')}`)
  .option('--quick', 'small sizes, for a smoke run')
  .option('--data <dir>', 'folder with the public datasets', sharedDataDir())
  .option('--cache <dir>', 'keep the synthetic catalogs (about a minute to build at 1M tracks) in this folder between runs')
  .parse();
const options = program.opts<{ only?: string; quick?: boolean; data: string; cache?: string }>();
const only = new Set(options.only ? options.only.split(',') : SECTIONS);

const dir = mkdtempSync(join(tmpdir(), 'cluster-dj-bench-'));
const report = new Report();
const catalogs = new SyntheticCatalogs(dir, report, options.cache ? resolve(options.cache) : null);
const started = performance.now();
try {
  // The bot and CLI figures are of the compiled programs, as users run them.
  if (['load', 'memory', 'startup', 'first-start', 'shards', 'flood'].some((section) => only.has(section)) && staleReason()) await build();
  // The in-process latencies first: after the in-process million-row import and k-means below,
  // this process's heap makes the autocomplete p99 about twice what the bot serves (12.5 against
  // 5.9 ms at 1M in one such run), and the bot runs neither in its serving process.
  if (only.has('recommend')) {
    console.log('recommend');
    await benchRecommend(report, catalogs, options.quick ? [20_000] : [100_000, 1_000_000]);
  }
  if (only.has('import')) {
    console.log('import');
    await benchImport(report, dir, options.data);
    await benchBigImport(report, dir, options.quick ? 50_000 : 1_000_000);
  }
  if (only.has('clustering')) {
    console.log('clustering');
    await benchClustering(report, dir, options.data, options.quick ? [20_000] : [100_000, 1_000_000], options.quick ?? false);
  }
  if (only.has('startup')) {
    console.log('startup');
    benchStartup(report, catalogs, options.quick ? 20_000 : 100_000);
  }
  if (only.has('crawl')) {
    console.log('crawl');
    await benchCrawl(report, dir);
  }
  if (only.has('load')) {
    console.log('load');
    await benchLoad(report, dir, catalogs, options.quick ? { small: 50, large: 20, tracks: 20_000 } : { small: 200, large: 100, tracks: 1_000_000 });
  }
  if (only.has('memory')) {
    console.log('memory');
    await benchMemory(report, dir, catalogs, options.quick ? 20_000 : 1_000_000);
  }
  if (only.has('render')) {
    console.log('render');
    benchRender(report);
  }
  if (only.has('first-start')) {
    console.log('first-start');
    await benchFirstStart(report, dir, options.data, options.quick ? 1 : 3);
  }
  if (only.has('shards')) {
    console.log('shards (memory per process, single against sharded)');
    await benchShards(report, dir, options.quick ? 20_000 : 1_000_000);
  }
  if (only.has('flood')) {
    console.log('flood (one member\'s autocomplete flood against another guild\'s /seed add, Spotify at 150 ms a request)');
    await benchFlood(report, dir);
  }
  console.log('process');
  report.add('process', 'peak RSS', peakRssMb(), 'MB');
  report.add('process', 'bench wall time', (performance.now() - started) / 1000, 's');
  const out = join(ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), figures: report.figures }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
