import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSyntheticCsv } from '../bench/synthetic.js';
import { Catalog } from '../src/catalog/catalog.js';
import { openDatabase } from '../src/catalog/database.js';
import { SEARCH_INDEX_SQL, SONG_KEY_INDEX_SQL, SPOTIFY_ID_INDEX_SQL } from '../src/catalog/deferredIndex.js';
import { trackBatch, type TrackBatch } from '../src/catalog/trackBatch.js';
import { BatchParser } from '../src/import/batchParser.js';
import { importCsv } from '../src/import/importCsv.js';
import { tempDir } from './helpers/app.js';
import { catalogDifferences, catalogInvariants, catalogRows, NO_VIOLATIONS } from './helpers/catalogRows.js';

// An import into an empty catalog builds the song-key, search and unique Spotify ID indexes and
// the full-text index at the end instead of row by row.

const hasIndex = (sqlite: BetterSqlite3.Database, name: string) =>
  sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(name) !== undefined;
const hasSongKeyIndex = (sqlite: BetterSqlite3.Database) => hasIndex(sqlite, 'tracks_song_key_idx');
const count = (sqlite: BetterSqlite3.Database, sql: string) => sqlite.prepare(sql).pluck().get() as number;
/** Spotify IDs of the tracks a full-text query finds, as the name search asks the index. */
const found = (sqlite: BetterSqlite3.Database, query: string) =>
  sqlite
    .prepare(`SELECT t.spotify_id FROM track_search s JOIN tracks t ON t.id = s.rowid WHERE track_search MATCH ? ORDER BY t.spotify_id`)
    .pluck()
    .all(query);
/** Throws when the full-text index does not hold exactly the tracks' text. */
const checkFullText = (sqlite: BetterSqlite3.Database) => sqlite.exec(`INSERT INTO track_search (track_search) VALUES ('integrity-check')`);

/** The batches an import of this file writes, parsed as the importer parses them. */
function parsedBatches(file: string, batchRows: number): TrackBatch[] {
  const parser = new BatchParser({ name: file, maxSkippedLines: 10, batchRows });
  const bytes = readFileSync(file);
  const batches = [...parser.push(bytes, bytes.length), ...parser.end().batches];
  return batches.map((b) => b.rows).filter((rows) => rows.size > 0);
}

describe('the song-key index deferred while an import fills an empty catalog', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.dispose());

  it('is the index the migrations create', () => {
    const database = openDatabase(':memory:');
    const sql = database.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = 'tracks_song_key_idx'`).pluck().get();
    database.close();
    expect(sql).toBe(SONG_KEY_INDEX_SQL);
  });

  it('defers the unique Spotify ID index too, as the migrations create it', () => {
    const database = openDatabase(':memory:');
    const sql = database.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = 'tracks_spotify_id_unique'`).pluck().get();
    database.close();
    expect(sql).toBe(SPOTIFY_ID_INDEX_SQL);
  });

  it('defers the search indexes too, as the migrations create them, and builds them at the end', () => {
    const sqlOf = (database: ReturnType<typeof openDatabase>) =>
      Object.fromEntries(Object.keys(SEARCH_INDEX_SQL).map((name) => [name, database.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(name)]));
    const fresh = openDatabase(':memory:');
    expect(sqlOf(fresh)).toEqual(SEARCH_INDEX_SQL);
    fresh.close();
    const database = openDatabase(join(temp.dir, 'searched.db'));
    try {
      const catalog = new Catalog(database);
      const restore = catalog.deferIndexes();
      expect(Object.values(sqlOf(database))).toEqual([undefined, undefined]);
      restore();
      expect(sqlOf(database)).toEqual(SEARCH_INDEX_SQL);
    } finally {
      database.close();
    }
  });

  it('stores exactly what an import with the index in place stores, repeats and merges included', async () => {
    // Several batches of 5,000 rows, with rows repeated and recordings merged across batches.
    const file = join(temp.dir, 'tracks.csv');
    writeSyntheticCsv(file, 15_000);
    const imported = async (name: string, deferIndexes: boolean) => {
      const database = openDatabase(join(temp.dir, name));
      try {
        const report = await importCsv(new Catalog(database), file, { deferIndexes, batchRows: 5_000 });
        checkFullText(database.sqlite);
        return {
          report,
          rows: catalogRows(database.sqlite),
          invariants: catalogInvariants(database.sqlite),
          indexed: hasSongKeyIndex(database.sqlite) && hasIndex(database.sqlite, 'tracks_spotify_id_unique'),
          found: found(database.sqlite, 'love OR night*'),
        };
      } finally {
        database.close();
      }
    };
    const deferred = await imported('deferred.db', true);
    const inPlace = await imported('in-place.db', false);
    expect(deferred.report.mergedDuplicates).toBeGreaterThan(0);
    expect(deferred.report.repeatedInFile).toBeGreaterThan(0);
    expect({ ...deferred.report, elapsedMs: 0, writeMs: 0 }).toEqual({ ...inPlace.report, elapsedMs: 0, writeMs: 0 });
    expect(catalogDifferences(deferred.rows, inPlace.rows)).toEqual({});
    expect(deferred.invariants).toEqual(NO_VIOLATIONS);
    expect(deferred.indexed).toBe(true);
    expect(deferred.found.length).toBeGreaterThan(100);
    expect(deferred.found).toEqual(inPlace.found);
  });

  it('after a process died mid-import, the next open builds the full-text and unique indexes, and a re-run ends as one clean import', async () => {
    const file = join(temp.dir, 'tracks.csv');
    writeSyntheticCsv(file, 12_000);
    const lines = readFileSync(file, 'utf8').split('\n');
    // What the killed import had written: its first batches, with their repeats and merges.
    const head = join(temp.dir, 'head.csv');
    writeFileSync(head, `${lines.slice(0, 7_001).join('\n')}\n`);
    const path = join(temp.dir, 'killed.db');
    const killed = openDatabase(path);
    const catalog = new Catalog(killed);
    catalog.deferIndexes();
    for (const batch of parsedBatches(head, 3_000)) catalog.upsertBatch(batch, 'dataset:tracks.csv');
    const written = count(killed.sqlite, 'SELECT count(*) FROM tracks');
    // The process dies here: its indexes are never built.
    killed.close();
    const raw = new BetterSqlite3(path);
    expect(hasIndex(raw, 'tracks_spotify_id_unique')).toBe(false);
    expect(count(raw, 'SELECT count(*) FROM track_search_docsize')).toBe(0);
    raw.close();

    const reopened = openDatabase(path);
    try {
      expect(count(reopened.sqlite, 'SELECT count(*) FROM tracks')).toBe(written);
      expect(hasIndex(reopened.sqlite, 'tracks_spotify_id_unique')).toBe(true);
      expect(hasSongKeyIndex(reopened.sqlite)).toBe(true);
      expect(catalogInvariants(reopened.sqlite)).toEqual(NO_VIOLATIONS);
      checkFullText(reopened.sqlite);
      expect(found(reopened.sqlite, 'love').length).toBeGreaterThan(10);
      // The re-run finds every row written before the kill: repeats and merges end as in one import.
      await importCsv(new Catalog(reopened), file, { batchRows: 3_000 });
      checkFullText(reopened.sqlite);
      expect(catalogInvariants(reopened.sqlite)).toEqual(NO_VIOLATIONS);
    } finally {
      reopened.close();
    }
    const clean = openDatabase(join(temp.dir, 'clean.db'));
    try {
      await importCsv(new Catalog(clean), file, { batchRows: 3_000 });
      const again = openDatabase(path);
      expect(catalogDifferences(catalogRows(again.sqlite), catalogRows(clean.sqlite))).toEqual({});
      expect(found(again.sqlite, 'love OR night*')).toEqual(found(clean.sqlite, 'love OR night*'));
      again.close();
    } finally {
      clean.close();
    }
  });

  it('when another process writes tracks or opens the catalog mid-import, the import builds its indexes then and still merges every duplicate', () => {
    const file = join(temp.dir, 'tracks.csv');
    writeSyntheticCsv(file, 9_000);
    const batches = parsedBatches(file, 3_000);
    expect(batches).toHaveLength(3);
    // Tracks of the second and third batches that the other process adds first (by Spotify ID and by recording).
    const later = (batch: TrackBatch, row: number) => ({
      spotifyId: batch.strings[row * 10]!,
      name: batch.strings[row * 10 + 1]!,
      artists: JSON.parse(batch.strings[row * 10 + 2]!) as string[],
    });
    const sameId = later(batches[1]!, 10);
    const sameRecording = { ...later(batches[2]!, 20), spotifyId: 'OTHERPROCESS0000000001' };
    type Step = (other: Catalog) => void;
    const run = (name: string, deferIndexes: boolean, between: Step[], opensBetween: boolean) => {
      const path = join(temp.dir, name);
      const database = openDatabase(path);
      // The other process has the catalog open from the start, or opens it between two batches.
      let otherDatabase = opensBetween ? null : openDatabase(path);
      try {
        const catalog = new Catalog(database);
        const restore = deferIndexes ? catalog.deferIndexes() : () => {};
        batches.forEach((batch, i) => {
          catalog.upsertBatch(batch, 'dataset:tracks.csv');
          if (i < between.length) {
            otherDatabase ??= openDatabase(path);
            between[i]!(new Catalog(otherDatabase));
          }
        });
        restore();
        checkFullText(database.sqlite);
        return { rows: catalogRows(database.sqlite), invariants: catalogInvariants(database.sqlite), found: found(database.sqlite, 'love OR night*') };
      } finally {
        otherDatabase?.close();
        database.close();
      }
    };
    const writes: Step[] = [(other) => other.upsertTrack(sameId, 'test'), (other) => other.upsertTrack(sameRecording, 'test')];
    const reference = run('reference.db', false, writes, false);
    for (const [name, between, opensBetween] of [
      ['writes.db', writes, false],
      ['opens-and-writes.db', writes, true],
      ['opens.db', [() => {}], true],
    ] as const) {
      const deferred = run(name, true, [...between], opensBetween);
      expect(deferred.invariants, name).toEqual(NO_VIOLATIONS);
      if (between.length === 1) continue; // opened only: compared below with an import nobody disturbed
      expect(catalogDifferences(deferred.rows, reference.rows), name).toEqual({});
      expect(deferred.found, name).toEqual(reference.found);
    }
    const undisturbed = run('undisturbed.db', false, [], false);
    const opened = run('opens-2.db', true, [() => {}], true);
    expect(catalogDifferences(opened.rows, undisturbed.rows)).toEqual({});
    expect(opened.found).toEqual(undisturbed.found);
  });

  it('builds the indexes at once when a batch is not the next of the same file, and still merges it', () => {
    const database = openDatabase(join(temp.dir, 'two-files.db'));
    try {
      const catalog = new Catalog(database);
      const entry = (spotifyId: string, name: string) => ({ track: { spotifyId, name, artists: ['Band'] }, features: null, labels: [] });
      const restore = catalog.deferIndexes();
      catalog.upsertBatch(trackBatch([entry('AAAAAAAAAAAAAAAAAAAAA1', 'One'), entry('AAAAAAAAAAAAAAAAAAAAA2', 'Two')]), 'a');
      expect(hasIndex(database.sqlite, 'tracks_spotify_id_unique')).toBe(false);
      // Another file's batch starts at its own first row: its repeats were found against that file only.
      const outcome = catalog.upsertBatch(trackBatch([entry('AAAAAAAAAAAAAAAAAAAAA1', 'One'), entry('AAAAAAAAAAAAAAAAAAAAA3', 'Two')]), 'b');
      expect(hasIndex(database.sqlite, 'tracks_spotify_id_unique')).toBe(true);
      expect(outcome).toMatchObject({ added: 0, unchanged: 1, merged: 1 });
      restore();
      expect(catalogInvariants(database.sqlite)).toEqual(NO_VIOLATIONS);
      expect(count(database.sqlite, 'SELECT count(*) FROM tracks')).toBe(2);
    } finally {
      database.close();
    }
  });

  it('builds the indexes at once when the same catalog upserts a track meanwhile (a crawl in the importing process)', () => {
    const database = openDatabase(join(temp.dir, 'crawl.db'));
    try {
      const catalog = new Catalog(database);
      const restore = catalog.deferIndexes();
      catalog.upsertBatch(trackBatch([{ track: { spotifyId: 'AAAAAAAAAAAAAAAAAAAAA1', name: 'One', artists: ['Band'] }, features: null, labels: [] }]), 'a');
      expect(catalog.upsertTrack({ spotifyId: 'AAAAAAAAAAAAAAAAAAAAA9', name: 'One', artists: ['Band'] }, 'spotify').outcome).toBe('merged');
      expect(hasIndex(database.sqlite, 'tracks_spotify_id_unique')).toBe(true);
      restore();
      expect(catalogInvariants(database.sqlite)).toEqual(NO_VIOLATIONS);
    } finally {
      database.close();
    }
  });

  it('is built again when the catalog is next opened after a process died mid-import', () => {
    const path = join(temp.dir, 'killed.db');
    openDatabase(path).close();
    const raw = new BetterSqlite3(path);
    raw.exec('DROP INDEX tracks_song_key_idx'); // what a kill between the drop and the rebuild leaves
    raw.close();
    const database = openDatabase(path);
    expect(hasSongKeyIndex(database.sqlite)).toBe(true);
    database.close();
  });

  it('is left alone when the catalog already holds tracks', async () => {
    const database = openDatabase(join(temp.dir, 'full.db'));
    try {
      const catalog = new Catalog(database);
      const file = join(temp.dir, 'first.csv');
      writeSyntheticCsv(file, 200);
      await importCsv(catalog, file);
      const restore = catalog.deferIndexes();
      expect(hasSongKeyIndex(database.sqlite)).toBe(true);
      expect(hasIndex(database.sqlite, 'tracks_spotify_id_unique')).toBe(true);
      restore();
    } finally {
      database.close();
    }
  });
});
