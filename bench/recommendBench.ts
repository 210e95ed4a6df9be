import { createApp } from '../src/app.js';
import { SERVING_MEMORY } from '../src/catalog/database.js';
import { foldText } from '../src/catalog/normalize.js';
import { seededRandom } from '../src/clustering/random.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { BENCH_K, label, type SyntheticCatalogs } from './catalogs.js';
import { median, percentile, type Report } from './stats.js';

const QUERIES = 1_000;
const TYPO_QUERIES = 200;
const DISCORD_AUTOCOMPLETE_DEADLINE_MS = 3_000;
/** The goals at a million tracks. */
const RECOMMEND_P99_GOAL_MS = 5;
const AUTOCOMPLETE_P99_GOAL_MS = 10;

/**
 * The arithmetic floor of a pick: one squared-distance pass over `size` contiguous float32
 * vectors, written out plainly here (median of many passes, in milliseconds).
 */
function distancePassMs(size: number, d: number): number {
  const random = seededRandom(5);
  const rows = Float32Array.from({ length: size * d }, () => random());
  const query = Float32Array.from({ length: d }, () => random());
  const out = new Float64Array(size);
  const times: number[] = [];
  for (let round = 0; round < 200; round++) {
    const t = performance.now();
    for (let m = 0; m < size; m++) {
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const diff = rows[m * d + j]! - query[j]!;
        dist += diff * diff;
      }
      out[m] = dist;
    }
    times.push(performance.now() - t);
  }
  return median(times);
}

/** The FTS5 query the search runs for typed words: every word, the last one as a prefix. */
function ftsPrefixQuery(typed: string): string {
  const words = foldText(typed).split(' ').filter(Boolean);
  return words.map((w, i) => `"${w.replace(/"/g, '""')}"${i === words.length - 1 && w.length >= 2 ? '*' : ''}`).join(' ');
}

export async function benchRecommend(report: Report, catalogs: SyntheticCatalogs, sizes: number[]): Promise<void> {
  const largest = Math.max(...sizes);
  for (const n of sizes) {
    const path = catalogs.copy(n, `recommend-${n}`);
    // SQLite set up as the bot has it: these are the bot's answers.
    const app = createApp(parseConfig({ DATABASE_PATH: path, LOG_LEVEL: 'silent' }), { logger: createLogger({ level: 'silent' }), databaseMemory: SERVING_MEMORY });
    try {
      let started = performance.now();
      const index = app.recommender.currentIndex();
      report.add('recommend', `load the cluster index, ${label(n)}`, (performance.now() - started) / 1000, 's');

      const names = (app.database.sqlite.prepare('SELECT t.name, t.artists FROM tracks t JOIN audio_features f ON f.track_id = t.id').raw().all() as [string, string][]).map(
        ([name, artists]) => `${name} ${(JSON.parse(artists) as string[])[0] ?? ''}`,
      );
      const fts = app.database.sqlite.prepare('SELECT rowid FROM track_search WHERE track_search MATCH ? LIMIT 25').pluck();
      const random = seededRandom(99);
      const latencies: number[] = [];
      const searches: number[] = [];
      // CPU time too: on a shared machine the wall-clock tail is mostly waiting for a core.
      const recommendCpu: number[] = [];
      const searchCpu: number[] = [];
      const cpuMs = (since: NodeJS.CpuUsage) => {
        const used = process.cpuUsage(since);
        return (used.user + used.system) / 1000;
      };
      /** Runs `work`, adding its wall time and CPU time (ms) to the lists. */
      const timed = async (work: () => unknown, wall: number[], cpuTimes: number[]) => {
        const cpu = process.cpuUsage();
        const t = performance.now();
        await work();
        wall.push(performance.now() - t);
        cpuTimes.push(cpuMs(cpu));
      };
      const ftsAlone: number[] = [];
      started = performance.now();
      for (let i = 0; i < QUERIES; i++) {
        const name = names[Math.floor(random() * names.length)]!;
        const context = { userId: `user-${i % 100}`, guildId: `guild-${i % 5}` };
        await timed(() => app.recommender.recommend(name, context), latencies, recommendCpu);
        const prefix = name.slice(0, 3 + Math.floor(random() * 6));
        await timed(() => app.search.search(prefix, { prefix: true, limit: 25 }), searches, searchCpu);
        const f = performance.now();
        fts.all(ftsPrefixQuery(prefix));
        ftsAlone.push(performance.now() - f);
      }
      // People mistype: the same prefixes with two neighbouring letters swapped, corrected by the search.
      const typoSearches: number[] = [];
      const typoCpu: number[] = [];
      for (let i = 0; i < TYPO_QUERIES; i++) {
        const name = names[Math.floor(random() * names.length)]!;
        const prefix = name.slice(0, 5 + Math.floor(random() * 4));
        if (prefix.length < 3) continue; // nothing to swap behind the first letter
        const at = 1 + Math.floor(random() * (prefix.length - 2));
        const typo = prefix.slice(0, at) + prefix[at + 1] + prefix[at] + prefix.slice(at + 2);
        await timed(() => app.search.search(typo, { prefix: true, limit: 25 }), typoSearches, typoCpu);
      }
      const recommendP99 = percentile(latencies, 99);
      const searchP99 = percentile(searches, 99);
      const pass = distancePassMs(Math.round(index.trackCount / BENCH_K), index.d);
      report.add('recommend', `recommend by name, ${label(n)}: p50`, percentile(latencies, 50), 'ms', `${QUERIES} queries`);
      report.add('recommend', `recommend by name, ${label(n)}: p99`, recommendP99, 'ms', `CPU time p50 ${percentile(recommendCpu, 50).toFixed(2)}, p99 ${percentile(recommendCpu, 99).toFixed(2)} ms`);
      report.add('recommend', `anchor: one distance pass over an average cluster (${Math.round(index.trackCount / BENCH_K)})`, pass, 'ms', 'plain loop, median');
      report.add('recommend', `autocomplete search (prefix of 3–8 chars), ${label(n)}: p50`, percentile(searches, 50), 'ms');
      report.add('recommend', `autocomplete search, ${label(n)}: p99`, searchP99, 'ms', `CPU time p50 ${percentile(searchCpu, 50).toFixed(2)}, p99 ${percentile(searchCpu, 99).toFixed(2)} ms`);
      report.add('recommend', `autocomplete, 2 letters swapped (5–8 chars), ${label(n)}: p50`, percentile(typoSearches, 50), 'ms', `${typoSearches.length} queries`);
      report.add('recommend', `autocomplete, 2 letters swapped, ${label(n)}: p99`, percentile(typoSearches, 99), 'ms', `CPU time p50 ${percentile(typoCpu, 50).toFixed(2)}, p99 ${percentile(typoCpu, 99).toFixed(2)} ms; ${(percentile(typoSearches, 99) / DISCORD_AUTOCOMPLETE_DEADLINE_MS).toFixed(3)}× Discord's 3 s to answer`);
      report.add('recommend', `anchor: SQLite FTS5 alone, same words, 25 rows: p50`, percentile(ftsAlone, 50), 'ms');
      report.add('recommend', `anchor: SQLite FTS5 alone: p99`, percentile(ftsAlone, 99), 'ms');
      if (n === largest) {
        report.target('recommend', `recommend p99 over the ${RECOMMEND_P99_GOAL_MS} ms goal, ${label(n)}`, recommendP99 / RECOMMEND_P99_GOAL_MS, 1, 'at most', `p99 ${recommendP99.toFixed(2)} ms = ${(recommendP99 / pass).toFixed(1)}× one distance pass`);
        report.target('recommend', `autocomplete p99 over the ${AUTOCOMPLETE_P99_GOAL_MS} ms goal, ${label(n)}`, searchP99 / AUTOCOMPLETE_P99_GOAL_MS, 1, 'at most', `p99 ${searchP99.toFixed(2)} ms = ${(searchP99 / percentile(ftsAlone, 99)).toFixed(1)}× FTS5 alone`);
      }
    } finally {
      app.close();
    }
  }
}
