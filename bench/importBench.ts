import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '../src/catalog/catalog.js';
import { openDatabase } from '../src/catalog/database.js';
import { importCsv } from '../src/import/importCsv.js';
import type { ImportReport } from '../src/types.js';
import { cliCommand, cliEnvironment, timeProcess } from './cliProcess.js';
import { median, type Report } from './stats.js';
import { writeSyntheticCsv } from './synthetic.js';

/** Rows per second a whole `cli import` process must reach on the synthetic million-row file (issue 18). */
const WHOLE_PROCESS_TARGET = 40_000;

const perSecond = (rows: number, ms: number) => rows / (ms / 1000);

// What an imported catalog holds per row, copied table by table as the import writes it.
const COPY_STATEMENTS = [
  'INSERT INTO main.tracks SELECT * FROM imported.tracks',
  'INSERT INTO main.track_search (rowid, search_text) SELECT id, search_text FROM main.tracks',
  'INSERT INTO main.track_aliases SELECT * FROM imported.track_aliases',
  'INSERT INTO main.audio_features SELECT * FROM imported.audio_features',
  'INSERT INTO main.track_labels SELECT * FROM imported.track_labels',
];

/**
 * Milliseconds SQLite alone takes to store what an import stored: the same rows copied from the
 * imported catalog into an empty one by INSERT ... SELECT, in one transaction, with no JavaScript
 * between rows. No importer can write these tables faster on this machine.
 */
function storageFloorMs(imported: string, empty: string): number {
  const database = openDatabase(empty);
  try {
    const { sqlite } = database;
    sqlite.prepare('ATTACH ? AS imported').run(imported);
    // Read the source once first, so the copy is timed from cache as the import's writes were.
    sqlite.prepare('SELECT count(*), sum(length(search_text)) FROM imported.tracks').get();
    sqlite.prepare('SELECT count(*), sum(energy) FROM imported.audio_features').get();
    const started = performance.now();
    sqlite.transaction(() => {
      for (const statement of COPY_STATEMENTS) sqlite.exec(statement);
    })();
    return performance.now() - started;
  } finally {
    database.close();
  }
}

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
  const floor: number[] = [];
  for (let run = 0; run < 3; run++) {
    const path = join(dir, `import-${run}.db`);
    const database = openDatabase(path);
    const catalog = new Catalog(database);
    const first = await importCsv(catalog, file);
    cold.push(perSecond(first.rowsRead, first.elapsedMs));
    coldWriteShare.push((100 * first.writeMs) / first.elapsedMs);
    coldWriteRate.push(perSecond(first.rowsRead, first.writeMs));
    const second = await importCsv(catalog, file);
    again.push(perSecond(second.rowsRead, second.elapsedMs));
    database.close();
    floor.push(perSecond(first.rowsRead, storageFloorMs(path, join(dir, `import-copy-${run}.db`))));
  }
  report.add('import', 'import into an empty catalog, Hit Predictor (41,106 rows)', median(cold), 'rows/s', 'median of 3');
  // Where the time goes: past this share, a faster parser cannot reach the rate by itself.
  report.add('import', 'share of that import spent writing to SQLite', median(coldWriteShare), '%', 'median of 3');
  report.add('import', 'rate the writes alone would allow (rows / time writing)', median(coldWriteRate), 'rows/s', 'median of 3');
  // The ceiling the SQL work sets, however fast the reading, parsing and binding around it.
  report.add('import', 'rate SQLite alone allows (the same rows by INSERT … SELECT)', median(floor), 'rows/s', 'median of 3');
  report.add('import', 're-import of the same file (nothing changes)', median(again), 'rows/s', 'median of 3');
}

/**
 * A million-row synthetic file (bench/synthetic.ts) into an empty catalog: the whole `cli import`
 * process as a user runs it, against the target rate; then the same import in-process beside
 * the rate SQLite alone allows for the rows it stored.
 */
export async function benchBigImport(report: Report, dir: string, rows: number): Promise<void> {
  const file = join(dir, `synthetic-${rows}.csv`);
  writeSyntheticCsv(file, rows);
  const label = `${(rows / 1000).toLocaleString('en')}k synthetic rows`;
  const cli = cliCommand();
  const wholeDb = join(dir, 'big-import-cli.db');
  const whole = timeProcess(process.execPath, [...cli.args, 'import', file, '--json'], cliEnvironment(wholeDb));
  const cliReport = JSON.parse(whole.stdout) as ImportReport;
  const wholeRate = cliReport.rowsRead / whole.seconds;
  report.add('import', `whole \`cli import\` process, ${label} into an empty catalog`, wholeRate, 'rows/s', `${cli.runtime}; ${whole.seconds.toFixed(1)} s from start to exit`);
  report.target('import', `whole import process / ${WHOLE_PROCESS_TARGET.toLocaleString('en')} rows/s`, wholeRate / WHOLE_PROCESS_TARGET, 1, 'at least');

  const path = join(dir, 'big-import.db');
  const database = openDatabase(path);
  let first: ImportReport;
  try {
    first = await importCsv(new Catalog(database), file);
  } finally {
    database.close();
  }
  const inProcess = perSecond(first.rowsRead, first.elapsedMs);
  report.add('import', `in-process import, ${label}`, inProcess, 'rows/s', `of which writing ${((100 * first.writeMs) / first.elapsedMs).toFixed(0)} %`);
  const floor = perSecond(first.rowsRead, storageFloorMs(path, join(dir, 'big-import-copy.db')));
  report.add('import', '  rate SQLite alone allows (the same rows by INSERT … SELECT)', floor, 'rows/s', `ours is ${((100 * inProcess) / floor).toFixed(0)} % of it`);
}
