import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '../src/catalog/catalog.js';
import { openDatabase } from '../src/catalog/database.js';
import { importCsv } from '../src/import/importCsv.js';
import { median, type Report } from './stats.js';

const perSecond = (rows: number, ms: number) => rows / (ms / 1000);

export async function benchImport(report: Report, dir: string, dataDir: string): Promise<void> {
  const file = join(dataDir, 'spotify_hit_predictor_tracks.csv.gz');
  if (!existsSync(file)) {
    report.add('import', 'import rows/s (Hit Predictor, 41k rows)', Number.NaN, 'rows/s', `skipped: ${file} is absent`);
    return;
  }
  const cold: number[] = [];
  const coldWriteShare: number[] = [];
  const coldWriteRate: number[] = [];
  const again: number[] = [];
  for (let run = 0; run < 3; run++) {
    const database = openDatabase(join(dir, `import-${run}.db`));
    const catalog = new Catalog(database);
    const first = await importCsv(catalog, file);
    cold.push(perSecond(first.rowsRead, first.elapsedMs));
    coldWriteShare.push((100 * first.writeMs) / first.elapsedMs);
    coldWriteRate.push(perSecond(first.rowsRead, first.writeMs));
    const second = await importCsv(catalog, file);
    again.push(perSecond(second.rowsRead, second.elapsedMs));
    database.close();
  }
  report.add('import', 'import into an empty catalog, Hit Predictor (41,106 rows)', median(cold), 'rows/s', 'median of 3');
  // Where the time goes: past this share, a faster parser cannot reach the rate by itself.
  report.add('import', 'share of that import spent writing to SQLite', median(coldWriteShare), '%', 'median of 3');
  report.add('import', 'rate the writes alone would allow (rows / time writing)', median(coldWriteRate), 'rows/s', 'median of 3');
  report.add('import', 're-import of the same file (nothing changes)', median(again), 'rows/s', 'median of 3');
}
