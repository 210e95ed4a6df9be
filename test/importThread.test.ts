import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchEntry, labelOffsets, trackBatch } from '../src/catalog/trackBatch.js';
import { ImportFormatError, InputFileError } from '../src/errors.js';
import { importCsv, importStream, type ImportOptions } from '../src/import/importCsv.js';
import type { ImportProgress, ImportReport, TrackEntry } from '../src/types.js';
import { catalogSnapshot, createTestApp, tempDir, type TestApp } from './helpers/app.js';
import { syntheticTracks, tracksToCsv } from './helpers/synthetic.js';

// Big imports parse in a worker thread while the writing thread stores the batches before
// (src/import/parsing.ts). Whichever thread parses, the catalog, the report, the progress and
// the errors are the same: each test runs both and compares.

const MODES = [false, true] as const;

const catalogRows = (app: TestApp) => catalogSnapshot(app, { withoutTimes: true });

const withoutTimes = (report: ImportReport) => ({ ...report, elapsedMs: 0, writeMs: 0 });

/** A file with everything an import meets: repeats, merges, skipped rows, broken quoting, labels, gaps. */
function messyCsv(): string {
  const tracks = syntheticTracks({ clusters: 3, perCluster: 60 });
  const lines = tracksToCsv(tracks).trimEnd().split('\n');
  const [header, ...rows] = lines;
  const extra = [
    rows[3]!, // the same track again
    rows[5]!.replace('Synthetic Song', 'SYNTHETIC  song').replace(/^\w{22}/, '0123456789abcdefghijAB'), // same recording, other ID
    'not-an-id,Bad,Artist,pop,0.5,0.5,1,-5,1,0.1,0.1,0,0.1,0.5,120,200000,4',
    '4uLU6hMCjMI75M1A2tKUQC,Short,Artist',
    '"5uLU6hMCjMI75M1A2tKUQC,"broken" quotes,Artist,pop,0.5,0.5,1,-5,1,0.1,0.1,0,0.1,0.5,120,200000,4',
    '6uLU6hMCjMI75M1A2tKUQC,"Café, ""live""",Beyoncé;Jay-Z,"rock, pop",0.5,0.5,,-5,,0.1,0.1,0,0.1,0.5,120,,',
    '',
  ];
  return `${[header, ...rows.slice(0, 90), ...extra, ...rows.slice(90)].join('\r\n')}\r\n`;
}

describe('parsing in a worker thread', () => {
  const apps: TestApp[] = [];
  let files: ReturnType<typeof tempDir>;
  beforeEach(() => {
    apps.length = 0;
    files = tempDir();
  });
  afterEach(() => {
    for (const app of apps) app.dispose();
    files.dispose();
  });
  const newApp = () => {
    const app = createTestApp();
    apps.push(app);
    return app;
  };

  /** The same import in a fresh catalog per mode: what each stored, reported and said on the way. */
  async function bothWays(write: (dir: string) => string, options: ImportOptions = {}) {
    const results = [];
    const path = write(files.dir);
    for (const parseInThread of MODES) {
      const app = newApp();
      const progress: ImportProgress[] = [];
      const outcome = await importCsv(app.catalog, path, { ...options, parseInThread, onProgress: (p) => progress.push(p) }).then(
        (report) => ({ report: withoutTimes(report) }),
        (error: unknown) => ({ error }),
      );
      results.push({ outcome, progress, rows: catalogRows(app) });
    }
    return results as [(typeof results)[0], (typeof results)[0]];
  }

  it('stores, reports and shows progress exactly as parsing in-process, batch by batch', async () => {
    const [here, thread] = await bothWays((dir) => {
      const path = join(dir, 'messy.csv');
      writeFileSync(path, messyCsv());
      return path;
    }, { batchRows: 17 });
    expect(here.outcome).toHaveProperty('report');
    expect(here.outcome).toMatchObject({ report: { tracksAdded: 181, repeatedInFile: 1, mergedDuplicates: 1, skipped: 3 } });
    expect(thread.outcome).toEqual(here.outcome);
    expect(thread.progress).toEqual(here.progress);
    expect(here.progress.length).toBeGreaterThan(10);
    expect(thread.rows).toEqual(here.rows);
  });

  it('reads gzip in the thread too', async () => {
    const [here, thread] = await bothWays((dir) => {
      const path = join(dir, 'messy.csv.gz');
      writeFileSync(path, gzipSync(messyCsv()));
      return path;
    });
    expect(here.outcome).toMatchObject({ report: { tracksAdded: 181 } });
    expect(thread.outcome).toEqual(here.outcome);
    expect(thread.rows).toEqual(here.rows);
  });

  it("gives the input's errors as the same typed errors, and writes nothing", async () => {
    const cases = {
      'no-columns.csv': 'title,singer\nA,B\n',
      'broken-header.csv': '"track_id,name\n',
      'empty.csv': '',
    };
    for (const [name, text] of Object.entries(cases)) {
      const [here, thread] = await bothWays((dir) => {
        const path = join(dir, name);
        writeFileSync(path, text);
        return path;
      });
      expect(here.outcome, name).toHaveProperty('error');
      expect(thread.outcome, name).toEqual(here.outcome);
      const error = (thread.outcome as { error: Error }).error;
      expect(error.constructor, name).toBe((here.outcome as { error: Error }).error.constructor);
      expect(thread.rows.tracks, name).toEqual([]);
    }
    const [, thread] = await bothWays((dir) => {
      const path = join(dir, 'no-columns.csv');
      writeFileSync(path, cases['no-columns.csv']);
      return path;
    });
    expect((thread.outcome as { error: unknown }).error).toBeInstanceOf(ImportFormatError);
    const formatError = (thread.outcome as { error: ImportFormatError }).error;
    expect(formatError.missing.some((column) => column.includes('track_id'))).toBe(true);
    expect(formatError.found).toEqual(['title', 'singer']);
  });

  it('keeps the whole batches read before the input broke off, and fails with the same message', async () => {
    const csv = Buffer.from(tracksToCsv(syntheticTracks({ clusters: 2, perCluster: 100 })));
    const results = [];
    for (const parseInThread of MODES) {
      const app = newApp();
      // The transfer breaks off in the middle of a row, after several batches' worth of bytes.
      const stream = new Readable({ read() {} });
      const cut = Math.floor(csv.length * 0.7);
      for (let at = 0; at < cut; at += 1000) stream.push(csv.subarray(at, Math.min(cut, at + 1000)));
      setImmediate(() => stream.destroy(new Error('socket hang up')));
      const input = { name: 'https://example.test/tracks.csv', fileName: 'tracks.csv', stream, totalBytes: csv.length };
      const error = await importStream(app.catalog, input, { parseInThread, batchRows: 30 }).catch((e: unknown) => e);
      results.push({ error, rows: catalogRows(app) });
    }
    const [here, thread] = results as [(typeof results)[0], (typeof results)[0]];
    expect(here.error).toBeInstanceOf(InputFileError);
    expect((here.error as Error).message).toMatch(/broke off.*socket hang up/);
    expect((thread.error as Error).message).toBe((here.error as Error).message);
    expect(thread.error).toBeInstanceOf(InputFileError);
    expect(here.rows.tracks.length % 30).toBe(0);
    expect(here.rows.tracks.length).toBeGreaterThan(0);
    expect(thread.rows).toEqual(here.rows);
  });

  it('stops at an abort between batches and ends its thread; the next import completes the catalog', async () => {
    const app = newApp();
    const path = join(app.dir, 'big.csv');
    writeFileSync(path, tracksToCsv(syntheticTracks({ clusters: 3, perCluster: 400 })));
    const controller = new AbortController();
    const reason = new Error('stopped by the user');
    const error = await importCsv(app.catalog, path, {
      parseInThread: true,
      batchRows: 100,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.rowsRead >= 300) controller.abort(reason);
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(reason);
    const stored = app.catalog.counts().tracks;
    expect(stored).toBe(300);
    const report = await importCsv(app.catalog, path, { parseInThread: true });
    expect(report).toMatchObject({ tracksAdded: 900, tracksUnchanged: 300 });
  });

  it('ends its thread when a batch fails to write, and a later import is clean', async () => {
    const app = newApp();
    const path = join(app.dir, 'tracks.csv');
    writeFileSync(path, tracksToCsv(syntheticTracks({ clusters: 2, perCluster: 150 })));
    app.database.sqlite.exec(`CREATE TEMP TRIGGER fail_features BEFORE INSERT ON audio_features
      BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    await expect(importCsv(app.catalog, path, { parseInThread: true, batchRows: 50 })).rejects.toThrow(/disk trouble/);
    expect(app.catalog.counts().tracks).toBe(0);
    app.database.sqlite.exec('DROP TRIGGER fail_features');
    expect(await importCsv(app.catalog, path, { parseInThread: true })).toMatchObject({ tracksAdded: 300 });
  });
});

describe('a batch in columns', () => {
  it('gives back each row as it was, with its labels and absent values', () => {
    const entries: TrackEntry[] = [
      {
        track: { spotifyId: '1dtKN6wwlolkM8XZy2y9C1', name: 'Café', artists: ['Beyoncé', 'Jay-Z'], artistIds: ['a1', 'a2'], album: 'X', albumId: 'b1', coverUrl: 'https://i.test/c.jpg', releaseYear: 2003, popularity: 71, durationMs: 200_000, explicit: true },
        features: { danceability: 0.5, energy: 0.6, key: null, loudness: -7.5, mode: 0, speechiness: 0.04, acousticness: 0.3, instrumentalness: 0, liveness: 0.1, valence: 0.7, tempo: 120.5, durationMs: 200_000, timeSignature: null },
        labels: [{ kind: 'genre', value: 'pop' }, { kind: 'playlist', value: 'p1' }],
      },
      {
        track: { spotifyId: '5hjsmSnUefdUqzsDogisiX', name: 'Plain', artists: ['Someone'], artistIds: undefined, album: null, albumId: null, coverUrl: null, releaseYear: null, popularity: null, durationMs: null, explicit: false },
        features: null,
        labels: [],
      },
      {
        track: { spotifyId: '4uLU6hMCjMI75M1A2tKUQC', name: 'Third', artists: ['Other'], artistIds: undefined, album: null, albumId: null, coverUrl: null, releaseYear: null, popularity: 0, durationMs: null, explicit: null },
        features: null,
        labels: [{ kind: 'subgenre', value: 'dream pop' }],
      },
    ];
    const batch = trackBatch(entries);
    const offsets = labelOffsets(batch);
    expect([...offsets]).toEqual([0, 2, 2, 3]);
    entries.forEach((entry, row) => expect(batchEntry(batch, row, offsets[row]!).entry).toEqual(entry));
    expect(batchEntry(batch, 0, 0).keys).toEqual({ songKey: 'cafe|beyonce', workKey: 'cafe|beyonce', searchText: 'cafe beyonce jay z' });
  });
});
