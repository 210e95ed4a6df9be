import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { seededRandom } from '../src/clustering/random.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { percentile, type Report } from './stats.js';
import { fillCatalog } from './synthetic.js';

const QUERIES = 1_000;

export async function benchRecommend(report: Report, dir: string, sizes: number[]): Promise<void> {
  for (const n of sizes) {
    const label = `${(n / 1000).toLocaleString('en')}k tracks`;
    const app = createApp(parseConfig({ DATABASE_PATH: join(dir, `recommend-${n}.db`), LOG_LEVEL: 'silent' }), {
      logger: createLogger({ level: 'silent' }),
    });
    let started = performance.now();
    const names = fillCatalog(app.catalog, n);
    report.add('recommend', `build a ${label} synthetic catalog (catalog insert path)`, (performance.now() - started) / 1000, 's', `${Math.round(n / ((performance.now() - started) / 1000))} tracks/s`);

    started = performance.now();
    clusterCatalog({ database: app.database, settings: { ...app.config.clustering, k: 20 }, logger: app.logger });
    report.add('recommend', `re-cluster ${label} from the database (load, fit, store)`, (performance.now() - started) / 1000, 's');

    started = performance.now();
    app.recommender.currentIndex();
    report.add('recommend', `load the cluster index, ${label}`, (performance.now() - started) / 1000, 's');

    const random = seededRandom(99);
    const latencies: number[] = [];
    const searches: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const name = names[Math.floor(random() * names.length)]!;
      const context = { userId: `user-${i % 100}`, guildId: `guild-${i % 5}` };
      const t = performance.now();
      await app.recommender.recommend(name, context);
      latencies.push(performance.now() - t);
      const prefix = name.slice(0, 3 + Math.floor(random() * 6));
      const s = performance.now();
      app.search.search(prefix, { prefix: true, limit: 25 });
      searches.push(performance.now() - s);
    }
    report.add('recommend', `recommend by name, ${label}: p50`, percentile(latencies, 50), 'ms', `${QUERIES} queries`);
    report.add('recommend', `recommend by name, ${label}: p99`, percentile(latencies, 99), 'ms');
    report.add('recommend', `autocomplete search (prefix of 3–8 chars), ${label}: p50`, percentile(searches, 50), 'ms');
    report.add('recommend', `autocomplete search, ${label}: p99`, percentile(searches, 99), 'ms');
    app.close();
  }
}
