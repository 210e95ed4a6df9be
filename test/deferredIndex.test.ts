import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSyntheticCsv } from '../bench/synthetic.js';
import { Catalog } from '../src/catalog/catalog.js';
import { openDatabase } from '../src/catalog/database.js';
import { SEARCH_INDEX_SQL, SONG_KEY_INDEX_SQL } from '../src/catalog/deferredIndex.js';
import { importCsv } from '../src/import/importCsv.js';
import { tempDir } from './helpers/app.js';
import { catalogDifferences, catalogInvariants, catalogRows, NO_VIOLATIONS } from './helpers/catalogRows.js';

// An import into an empty catalog builds the song-key index at the end instead of row by row.

const hasSongKeyIndex = (sqlite: BetterSqlite3.Database) =>
  sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'tracks_song_key_idx'`).get() !== undefined;

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

  it('defers the search indexes too, as the migrations create them, and builds them at the end', () => {
    const sqlOf = (database: ReturnType<typeof openDatabase>) =>
      Object.fromEntries(Object.keys(SEARCH_INDEX_SQL).map((name) => [name, database.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(name)]));
    const fresh = openDatabase(':memory:');
    expect(sqlOf(fresh)).toEqual(SEARCH_INDEX_SQL);
    fresh.close();
    const database = openDatabase(join(temp.dir, 'searched.db'));
    try {
      const catalog = new Catalog(database);
      const restore = catalog.deferSongKeyIndex();
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
        return { report, rows: catalogRows(database.sqlite), invariants: catalogInvariants(database.sqlite), indexed: hasSongKeyIndex(database.sqlite) };
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
      const restore = catalog.deferSongKeyIndex();
      expect(hasSongKeyIndex(database.sqlite)).toBe(true);
      restore();
    } finally {
      database.close();
    }
  });
});
