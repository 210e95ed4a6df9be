import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import type { Report } from './stats.js';
import { fillCatalog } from './synthetic.js';

// Clustered synthetic catalogs shared by the sections that need one (recommend, load, memory): a
// million-track catalog takes about a minute to build and cluster, so it is built once per run
// (or once for all runs with --cache) and each section works on its own copy.

/** Bump when fillCatalog or the clustering settings below change what a cached catalog holds. */
const CATALOG_VERSION = 1;
export const BENCH_K = 20;

export class SyntheticCatalogs {
  private readonly pristine = new Map<number, string>();

  constructor(
    private readonly dir: string,
    private readonly report: Report,
    private readonly cacheDir: string | null,
  ) {}

  /** A private copy of a clustered n-track catalog, at `<run dir>/<name>.db`. */
  copy(n: number, name: string): string {
    const target = join(this.dir, `${name}.db`);
    // A write-ahead log left beside an older copy would be replayed onto this one.
    for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
    copyFileSync(this.pristineCatalog(n), target);
    return target;
  }

  private pristineCatalog(n: number): string {
    const known = this.pristine.get(n);
    if (known) return known;
    const folder = this.cacheDir ?? this.dir;
    mkdirSync(folder, { recursive: true });
    const path = join(folder, `synthetic-${n}-v${CATALOG_VERSION}.db`);
    if (this.cacheDir && existsSync(path)) {
      console.log(`  (${label(n)}: the catalog built by an earlier run, from ${path})`);
      // Brought to the current schema once here, not in every copy.
      createApp(parseConfig({ DATABASE_PATH: path, LOG_LEVEL: 'silent' }), { logger: createLogger({ level: 'silent' }) }).close();
    } else {
      this.build(path, n);
    }
    this.pristine.set(n, path);
    return path;
  }

  private build(path: string, n: number): void {
    const app = createApp(parseConfig({ DATABASE_PATH: path, LOG_LEVEL: 'silent' }), { logger: createLogger({ level: 'silent' }) });
    try {
      let started = performance.now();
      fillCatalog(app.catalog, n);
      const seconds = (performance.now() - started) / 1000;
      this.report.add('recommend', `build a ${label(n)} synthetic catalog (catalog insert path)`, seconds, 's', `${Math.round(n / seconds)} tracks/s`);
      started = performance.now();
      clusterCatalog({ database: app.database, settings: { ...app.config.clustering, k: BENCH_K }, logger: app.logger });
      this.report.add('recommend', `re-cluster ${label(n)} from the database (load, fit, store)`, (performance.now() - started) / 1000, 's');
      // One self-contained file to copy.
      app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      app.close();
    }
  }
}

export function label(n: number): string {
  return `${(n / 1000).toLocaleString('en')}k tracks`;
}
