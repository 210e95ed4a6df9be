import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { PROJECT_ROOT } from '../src/paths.js';
import type { BotProcess, ProcessMemory } from './botProcess.js';
import { label, type SyntheticCatalogs } from './catalogs.js';
import { burst, startBotUnderLoad } from './loadBench.js';
import type { Report } from './stats.js';

// The bot's own memory (its process, not the bench's) with a big catalog, after it has served:
// bursts of /recommend and autocomplete typing. Printed with where it goes, beside the same bot on
// an empty catalog.

const RSS_GOAL_MB = 500;
const MB = 1024 * 1024;
const TYPISTS = 20;

async function snapshot(bot: BotProcess, databasePath: string): Promise<{ kernel: ProcessMemory; metrics: Map<string, number> }> {
  return { kernel: bot.memory(databasePath), metrics: await bot.metrics() };
}

/** Heap a model's hub-guard counts take for `rows` logged picks (measured in a child with --expose-gc). */
function pickCountsMb(rows: number): number {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(PROJECT_ROOT, 'bench/pickCountsMemory.ts'), String(rows)], { encoding: 'utf8' });
  return run.status === 0 ? Number(run.stdout.trim()) : Number.NaN;
}

export async function benchMemory(report: Report, dir: string, catalogs: SyntheticCatalogs, tracks: number): Promise<void> {
  // Anchor: the same bot, started the same way, with nothing in its catalog.
  const empty = await startBotUnderLoad(join(dir, 'memory-empty.db'), {}, false);
  let emptyRss: number;
  try {
    emptyRss = empty.bot.memory(empty.databasePath).rss;
  } finally {
    await empty.stop();
  }

  const world = await startBotUnderLoad(catalogs.copy(tracks, 'memory'));
  try {
    const ready = await snapshot(world.bot, world.databasePath);
    for (let round = 0; round < 3; round++) await burst(world, 100, round * 100);
    const names = new BetterSqlite3(world.databasePath, { readonly: true }).prepare('SELECT name FROM tracks ORDER BY random() LIMIT 200').pluck().all() as string[];
    // Typing: what Discord sends as members type the first letters of a title. Twenty members take
    // turns: one member's keystrokes past ten a second go unanswered by design (AUTOCOMPLETE_BUDGET).
    for (const [i, name] of names.entries()) {
      const user = { id: String(830_000_000_000_000_000n + BigInt(i % TYPISTS)), username: `typist${i % TYPISTS}` };
      await world.discord.autocomplete({ name: 'recommend', focused: 'song', options: { song: name.slice(0, 3 + (name.length % 5)) }, user }).choices();
    }
    const served = await snapshot(world.bot, world.databasePath);
    const { kernel, metrics } = served;
    const metric = (name: string) => (metrics.get(name) ?? Number.NaN) / MB;
    const heap = metric('cluster_dj_nodejs_heap_size_total_bytes');
    const external = metric('cluster_dj_nodejs_external_memory_bytes');
    const index = metric('cluster_dj_recommender_memory{part="index_bytes"}');
    const what = label(tracks);
    console.log(`  the bot's own process, ${what}:`);
    report.add('memory', 'bot RSS just started (index loaded)', ready.kernel.rss, 'MB');
    report.add('memory', 'bot RSS after 300 /recommend and 200 autocompletes', kernel.rss, 'MB', `${kernel.anonymous.toFixed(0)} MB anonymous + ${kernel.file.toFixed(0)} MB file pages`);
    report.add('memory', 'anchor: the same bot with an empty catalog', emptyRss, 'MB');
    report.add('memory', '  of which: V8 heap (JS objects, allocated)', heap, 'MB', `${metric('cluster_dj_nodejs_heap_size_used_bytes').toFixed(0)} MB in use`);
    report.add('memory', '  of which: buffers outside the V8 heap', external, 'MB', `the cluster index's vectors and IDs are ${index.toFixed(1)} MB of it`);
    report.add('memory', '  of which: catalog file pages mapped by SQLite', kernel.databaseMapped, 'MB', 'memory-mapped reads (off in the bot)');
    report.add('memory', '  of which: Node binary and libraries (file pages)', kernel.file - kernel.databaseMapped, 'MB');
    report.add('memory', '  of which: native rest (SQLite cache, threads, malloc)', kernel.anonymous - heap - external, 'MB', 'by difference; the SQLite page cache is capped at 64 MB');
    report.add('memory', '  hub-guard pick pairs held', metrics.get('cluster_dj_recommender_memory{part="pick_pairs"}') ?? Number.NaN, 'requests');
    report.add('memory', 'hub-guard counts for a million logged picks', pickCountsMb(1_000_000), 'MB', 'one model; heap, measured in a separate process');
    report.target('memory', `bot RSS after serving over the ${RSS_GOAL_MB} MB goal`, kernel.rss / RSS_GOAL_MB, 1, 'at most', `${kernel.rss.toFixed(0)} MB; ${(kernel.rss - emptyRss).toFixed(0)} MB above the empty bot`);
  } finally {
    await world.stop();
  }
}
