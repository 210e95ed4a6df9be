import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importCsv } from '../src/import/importCsv.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { compiledProgram } from './helpers/compiled.js';
import { syntheticTracks, tracksToCsv } from './helpers/synthetic.js';

// "A second process waits for the writer": an import while another process (the bot) holds or
// keeps taking SQLite's write lock waits for it and then succeeds, instead of failing with
// "database is locked" (SQLITE_BUSY / SQLITE_BUSY_SNAPSHOT: a batch that reads before it writes,
// begun deferred, cannot wait for the lock).

const ROOT = new URL('..', import.meta.url).pathname;

/**
 * Another process writing to the database: it takes the write lock (BEGIN IMMEDIATE), writes a
 * row and holds the lock `holdMs` before committing, `rounds` times (a pause of `gapMs` between),
 * then says "done". It says "held" once it holds the lock the first time.
 */
function otherWriter(path: string, options: { holdMs: number; gapMs: number; rounds: number }): ChildProcessWithoutNullStreams {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(path)});
    db.pragma('busy_timeout = 30000');
    db.exec('CREATE TABLE IF NOT EXISTS other_writer (round INTEGER)');
    const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    for (let round = 0; round < ${options.rounds}; round++) {
      db.exec('BEGIN IMMEDIATE');
      db.prepare('INSERT INTO other_writer VALUES (?)').run(round);
      if (round === 0) process.stdout.write('held\\n');
      sleep(${options.holdMs});
      db.exec('COMMIT');
      sleep(${options.gapMs});
    }
    db.close();
    process.stdout.write('done\\n');
  `;
  return spawn(process.execPath, ['-e', script], { cwd: ROOT });
}

async function said(child: ChildProcessWithoutNullStreams, word: string): Promise<void> {
  let out = '';
  while (!out.split('\n').includes(word)) {
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    out += chunk.toString();
  }
}

describe('two processes writing to one catalog', () => {
  let app: TestApp;
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill();
    app.dispose();
  });

  /** A catalog with tracks already (so each import batch reads before it writes) and a CSV of more. */
  async function catalogAndCsv(): Promise<string> {
    app = createTestApp();
    const first = syntheticTracks({ clusters: 2, perCluster: 50, seed: 3 });
    writeFileSync(join(app.dir, 'first.csv'), tracksToCsv(first));
    await importCsv(app.catalog, join(app.dir, 'first.csv'));
    const more = [...first.slice(0, 20), ...syntheticTracks({ clusters: 4, perCluster: 500, seed: 4 }).map((t) => ({ ...t, name: `More ${t.name}` }))];
    const path = join(app.dir, 'more.csv');
    writeFileSync(path, tracksToCsv(more));
    return path;
  }

  it('an import waits while another process holds the write lock, then succeeds', async () => {
    const csv = await catalogAndCsv();
    const writer = otherWriter(app.config.databasePath, { holdMs: 1_500, gapMs: 0, rounds: 1 });
    children.push(writer);
    await said(writer, 'held');
    // The other process still holds the lock: the first batch must wait for it, not fail.
    const report = await importCsv(app.catalog, csv);
    expect(report).toMatchObject({ tracksAdded: 2_000, skipped: 0 });
    await said(writer, 'done');
    expect(app.database.sqlite.prepare('SELECT count(*) FROM other_writer').pluck().get()).toBe(1);
  });

  it('`cli import` while the bot keeps writing: every batch waits its turn, and all rows arrive', async () => {
    const csv = await catalogAndCsv();
    const writer = otherWriter(app.config.databasePath, { holdMs: 40, gapMs: 5, rounds: 200 });
    children.push(writer);
    await said(writer, 'held');
    const cli = spawn(process.execPath, [...compiledProgram('src/cli/main'), 'import', csv], {
      cwd: ROOT,
      env: { ...process.env, CLUSTER_DJ_IGNORE_DOTENV: '1', DATABASE_PATH: app.config.databasePath, LOG_LEVEL: 'warn' },
    });
    let stderr = '';
    cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(cli, 'close')) as [number | null];
    expect(stderr).not.toMatch(/locked|BUSY/i);
    expect(code).toBe(0);
    expect(app.catalog.counts().tracks).toBe(2_100);
  });
});
