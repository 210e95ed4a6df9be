import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/clustering/random.js';
import { openDatabase } from '../../src/catalog/database.js';
import { importCsv } from '../../src/import/importCsv.js';
import { tempDir } from '../helpers/app.js';
import { catalogDifferences, catalogRows, type CatalogRows } from '../helpers/catalogRows.js';
import { writeImportCsv, writeTemplateDatabase } from './data.js';
import {
  activeAssignments,
  activeModel,
  DbWatcher,
  expectIntactCatalog,
  killAllChildren,
  killWhen,
  runCli,
  startCli,
  withAppOnCopy,
  integrity,
  withDb,
} from './harness.js';

// `cli import` killed with SIGKILL at seeded points of a 20k-row import onto a clustered catalog,
// restarted each time, and finally let finish: the result is the catalog of one uninterrupted
// import. Each kill lands somewhere else: mid-way through the batches (the importer commits
// 5,000-row batches), or while the new tracks are placed in the active model.

const ROWS = 20_000;

describe('crash safety: CSV import killed with SIGKILL', () => {
  const temp = tempDir();
  const csv = join(temp.dir, 'crash-import.csv');
  let template: string;
  let reference: CatalogRows;
  let referenceAssignments: unknown[];
  let templateModel: { id: number; trackCount: number };

  beforeAll(async () => {
    writeImportCsv(csv, ROWS);
    template = await writeTemplateDatabase(temp.dir);
    // The uninterrupted import, as the CLI runs it (import, then place the new tracks).
    await withAppOnCopy(template, join(temp.dir, 'reference.db'), {}, async (app) => {
      await importCsv(app.catalog, csv);
      app.placeNewTracks();
      reference = catalogRows(app.database.sqlite);
      referenceAssignments = activeAssignments(app.database.sqlite);
      const model = activeModel(app.database.sqlite)!;
      templateModel = { id: model.id, trackCount: model.trackCount };
    });
  });
  afterAll(async () => {
    await killAllChildren();
    temp.dispose();
  });

  it('after each kill the database is intact and holds only whole rows; the restarted import ends with the uninterrupted catalog', async () => {
    const path = join(temp.dir, 'killed.db');
    copyFileSync(template, path);
    const env = { DATABASE_PATH: path, LOG_LEVEL: 'warn' };
    const random = seededRandom(20_261_123);
    const byId = (rows: unknown[]) => new Map(rows.map((r) => [(r as unknown[])[0] as string, JSON.stringify(r)]));
    const expectedTracks = byId(reference.tracks!);
    const expectedFeatures = byId(reference.audio_features!);
    const expectedAliases = byId(reference.track_aliases!);
    const expectedLabels = new Set(reference.track_labels!.map((r) => JSON.stringify(r)));

    // Kill points, in import order, each a seeded delay after something this run wrote: its first
    // new rows (a restarted import re-reads the file from the top, finding what it already has),
    // or the last row (the kill then lands while the new tracks are placed in the active model).
    const finalTracks = reference.tracks!.length;
    const killPoints = [
      { label: 'soon after the first new rows', last: false, delayMs: 20 + Math.floor(random() * 150) },
      { label: 'later in the import', last: false, delayMs: 150 + Math.floor(random() * 250) },
      { label: 'placing the new tracks', last: true, delayMs: Math.floor(random() * 150) },
    ];
    const landed: { label: string; tracks: number; unplaced: number }[] = [];
    for (const point of killPoints) {
      const before = withDb(path, (db) => db.prepare('SELECT count(*) FROM tracks').pluck().get() as number);
      const run = startCli(['import', csv, '--json'], env);
      const watcher = new DbWatcher(path);
      const tracks = () => watcher.value<number>('SELECT count(*) FROM tracks') ?? 0;
      const killed = await killWhen(run, () => (point.last ? tracks() >= finalTracks : tracks() > before), point.delayMs);
      watcher.close();
      if (!killed) {
        // Finished before the kill point: then it must have finished well.
        expect((await run.exited).code, `${point.label}: ${run.stderr()}`).toBe(0);
        continue;
      }
      withDb(path, (db) => {
        expectIntactCatalog(db, point.label);
        const rows = catalogRows(db);
        // Whole rows only: every track, its features, aliases and labels exactly as the full import writes them.
        const strays = {
          tracks: rows.tracks!.filter((r) => expectedTracks.get((r as string[])[0]!) !== JSON.stringify(r)).length,
          features: rows.audio_features!.filter((r) => expectedFeatures.get((r as string[])[0]!) !== JSON.stringify(r)).length,
          aliases: rows.track_aliases!.filter((r) => expectedAliases.get((r as string[])[0]!) !== JSON.stringify(r)).length,
          labels: rows.track_labels!.filter((r) => !expectedLabels.has(JSON.stringify(r))).length,
          tracksWithoutFeatures: rows.tracks!.length - rows.audio_features!.length,
        };
        expect(strays, point.label).toEqual({ tracks: 0, features: 0, aliases: 0, labels: 0, tracksWithoutFeatures: 0 });
        // The active model is the one the import started with, whole; new tracks may wait to be placed.
        const model = activeModel(db)!;
        expect(model.id).toBe(templateModel.id);
        expect(model.assigned).toBeGreaterThanOrEqual(templateModel.trackCount);
        expect(model.unplaced + model.assigned).toBe(rows.audio_features!.length);
        expect([model.centroids, model.labels]).toEqual([model.k, model.k]);
        landed.push({ label: point.label, tracks: rows.tracks!.length, unplaced: model.unplaced });
      });
    }
    const where = landed.map((l) => `${l.label}: ${l.tracks} of ${finalTracks} tracks, ${l.unplaced} not yet placed`).join('; ');
    expect(landed.filter((l) => l.tracks < finalTracks).length, `kills that landed before the last row was written (${where})`).toBeGreaterThanOrEqual(1);

    const finish = await runCli(['import', csv, '--json'], env);
    expect(finish.code, finish.stderr).toBe(0);
    withDb(path, (db) => {
      expectIntactCatalog(db);
      expect(catalogDifferences(catalogRows(db), reference)).toEqual({});
      expect(activeModel(db)).toMatchObject({ id: templateModel.id, unplaced: 0 });
      expect(activeAssignments(db)).toEqual(referenceAssignments);
    });
  });
});

// Into an empty catalog the importer builds the full-text and unique Spotify ID indexes at the end
// (src/catalog/deferredIndex.ts): a kill leaves them missing, and the next open builds them.
describe('crash safety: CSV import into an empty catalog killed with SIGKILL', () => {
  const temp = tempDir();
  const csv = join(temp.dir, 'crash-import.csv');
  const empty = join(temp.dir, 'empty.db');
  let reference: CatalogRows;

  beforeAll(async () => {
    writeImportCsv(csv, ROWS);
    openDatabase(empty).close();
    await withAppOnCopy(empty, join(temp.dir, 'reference.db'), {}, async (app) => {
      await importCsv(app.catalog, csv);
      reference = catalogRows(app.database.sqlite);
    });
  });
  afterAll(async () => {
    await killAllChildren();
    temp.dispose();
  });

  it('after each kill the next open completes the indexes; the restarted import ends with the uninterrupted catalog', async () => {
    const random = seededRandom(20_261_204);
    const finalTracks = reference.tracks!.length;
    // Each from the empty catalog: soon after the first batch, later, and once the last row is in
    // (the kill then lands while the indexes are built, or after).
    const killPoints = [
      { label: 'soon after the first rows', tracks: 1, delayMs: Math.floor(random() * 40) },
      { label: 'later in the import', tracks: 1, delayMs: 40 + Math.floor(random() * 80) },
      { label: 'building the indexes', tracks: finalTracks, delayMs: Math.floor(random() * 30) },
    ];
    const landed: string[] = [];
    for (const [i, point] of killPoints.entries()) {
      const path = join(temp.dir, `killed-${i}.db`);
      copyFileSync(empty, path);
      const env = { DATABASE_PATH: path, LOG_LEVEL: 'warn' };
      const run = startCli(['import', csv, '--json'], env);
      const watcher = new DbWatcher(path);
      const killed = await killWhen(run, () => (watcher.value<number>('SELECT count(*) FROM tracks') ?? 0) >= point.tracks, point.delayMs);
      watcher.close();
      if (killed) {
        withDb(path, (db) => {
          expect(integrity(db), point.label).toEqual({ integrity: ['ok'], foreignKeys: [] });
          const tracks = db.prepare('SELECT count(*) FROM tracks').pluck().get() as number;
          const indexed = db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'tracks_spotify_id_unique'`).pluck().get() as number;
          landed.push(`${point.label}: ${tracks} of ${finalTracks} tracks, ${indexed ? 'indexes built' : 'indexes missing'}`);
        });
        // Any process opening the catalog builds what the kill left missing.
        openDatabase(path).close();
        withDb(path, (db) => {
          expectIntactCatalog(db, point.label);
          db.exec(`INSERT INTO track_search (track_search) VALUES ('integrity-check')`);
        });
      } else {
        expect((await run.exited).code, `${point.label}: ${run.stderr()}`).toBe(0);
      }
      const finish = await runCli(['import', csv, '--json'], env);
      expect(finish.code, finish.stderr).toBe(0);
      withDb(path, (db) => {
        expectIntactCatalog(db, point.label);
        db.exec(`INSERT INTO track_search (track_search) VALUES ('integrity-check')`);
        expect(catalogDifferences(catalogRows(db), reference), point.label).toEqual({});
      });
    }
    expect(landed.filter((l) => l.includes('indexes missing')).length, `kills: ${landed.join('; ')}`).toBeGreaterThanOrEqual(1);
  });
});
