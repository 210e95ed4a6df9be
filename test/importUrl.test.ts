import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputFileError, ServiceUnavailableError } from '../src/errors.js';
import type { ImportOptions } from '../src/import/importCsv.js';
import { importSource, resolveSource } from '../src/import/sources.js';
import type { ImportProgress } from '../src/types.js';
import { startDatasetHost, type DatasetHost } from './fakes/datasetHost.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { datasetSample } from './helpers/datasetSample.js';

// `import <url>` against a dataset host on 127.0.0.1: every answer a real host gives, and the
// faults of a real network. Whatever happens, the catalog ends as a clean import would leave it.

const sample = datasetSample(4_000);
const kind = sample.real ? 'the first 4,000 rows of TidyTuesday' : 'generated tracks (../shared/data is absent)';

/** The catalog's content, without when rows were written and which file name they came under. */
function contents(app: TestApp) {
  const q = (sql: string) => app.database.sqlite.prepare(sql).all();
  return {
    tracks: q('SELECT id, spotify_id, name, artists, album, popularity, duration_ms, song_key FROM tracks ORDER BY id'),
    features: q('SELECT track_id, danceability, energy, key, mode, tempo, duration_ms FROM audio_features ORDER BY track_id'),
    aliases: q('SELECT * FROM track_aliases ORDER BY spotify_id'),
    labels: q('SELECT track_id, kind, value FROM track_labels ORDER BY track_id, kind, value'),
    search: q('SELECT rowid, search_text FROM track_search ORDER BY rowid'),
  };
}

describe(`import over HTTP, from ${kind}`, () => {
  let host: DatasetHost;
  let clean: ReturnType<typeof contents>;
  let app: TestApp;
  const newApp = () => createTestApp({ HTTP_TIMEOUT_MS: '1000', HTTP_MAX_RETRIES: '2' });
  const importUrl = (target: TestApp, path: string, options: ImportOptions = {}) =>
    importSource(target, resolveSource(host.url(path), target.config.datasets.urls), options);

  beforeAll(async () => {
    host = await startDatasetHost();
    host.put('/songs.csv', { body: sample.csv });
    const reference = newApp();
    await importUrl(reference, '/songs.csv');
    clean = contents(reference);
    reference.dispose();
  });
  afterAll(() => host.close());
  beforeEach(() => {
    app = newApp();
  });
  afterEach(() => app.dispose());

  it('streams a 200 with Content-Length, with progress by bytes, and ends as a clean import', async () => {
    host.put('/plain.csv', { body: sample.csv, chunkBytes: 16 * 1024 });
    const seen: ImportProgress[] = [];
    const report = await importUrl(app, '/plain.csv', { onProgress: (p) => seen.push(p) });
    expect(report).toMatchObject({ file: host.url('/plain.csv'), rowsRead: sample.rows });
    expect(seen.at(-1)).toMatchObject({ bytesRead: sample.csv.length, totalBytes: sample.csv.length });
    expect(contents(app)).toEqual(clean);
  });

  it('undoes a gzip Content-Encoding (progress then has no byte total)', async () => {
    host.put('/encoded.csv', { body: sample.csv, gzip: true });
    const seen: ImportProgress[] = [];
    const report = await importUrl(app, '/encoded.csv', { onProgress: (p) => seen.push(p) });
    expect(report.rowsRead).toBe(sample.rows);
    expect(seen.at(-1)?.totalBytes).toBeNull();
    expect(app.catalog.counts().tracks).toBe(clean.tracks.length);
  });

  it('gunzips a .csv.gz served as it is, without Content-Length', async () => {
    host.put('/songs.csv.gz', { body: gzipSync(sample.csv), contentLength: false });
    const report = await importUrl(app, '/songs.csv.gz');
    expect(report.rowsRead).toBe(sample.rows);
    expect(app.catalog.counts().tracks).toBe(clean.tracks.length);
  });

  it('names a 404 in one line and leaves the catalog unchanged', async () => {
    const attempt = importUrl(app, '/missing.csv');
    await expect(attempt).rejects.toBeInstanceOf(InputFileError);
    await expect(importUrl(app, '/missing.csv')).rejects.toThrow(`Cannot download ${host.url('/missing.csv')}: the server answered 404 Not Found.`);
    expect(app.catalog.counts().tracks).toBe(0);
  });

  it('retries a 500 and imports from the 200 that follows', async () => {
    host.put('/flaky.csv', { body: sample.csv });
    host.fault('/flaky.csv', { kind: 'status', status: 500 });
    await importUrl(app, '/flaky.csv');
    expect(host.requests('/flaky.csv')).toBe(2);
    expect(app.catalog.counts().tracks).toBe(clean.tracks.length);
  });

  it('gives up on a host that keeps failing, with the status, and writes nothing', async () => {
    host.put('/down.csv', { body: sample.csv });
    host.fault('/down.csv', { kind: 'status', status: 503 }, Infinity);
    await expect(importUrl(app, '/down.csv')).rejects.toThrow(ServiceUnavailableError);
    await expect(importUrl(app, '/down.csv')).rejects.toThrow(/127\.0\.0\.1:\d+ is not answering right now \(HTTP 503 after 3 attempts\)/);
    expect(app.catalog.counts().tracks).toBe(0);
  });

  describe.each([
    ['with Content-Length', true],
    ['chunked, without Content-Length', false],
  ])('a transfer cut at 40 %% (%s)', (_title, contentLength) => {
    it('fails in one line, keeps only whole rows, and a second run ends as a clean import', async () => {
      const path = contentLength ? '/cut.csv' : '/cut-chunked.csv';
      host.put(path, { body: sample.csv, contentLength, chunkBytes: 8 * 1024 });
      host.fault(path, { kind: 'cut', at: 0.4 });
      // Small transactions, so that some are written before the cut.
      const failure = await importUrl(app, path, { batchRows: 500 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(InputFileError);
      expect((failure as Error).message).toMatch(new RegExp(`^Cannot read ${host.url(path).replace(/[.?]/g, '\\$&')}: the transfer broke off after \\d+\\.\\d MB`));
      expect((failure as Error).message).not.toContain('\n');
      // Only whole batches of whole rows were written, fewer than the file has.
      const partial = contents(app);
      expect(partial.tracks.length).toBeGreaterThan(0);
      expect(partial.tracks.length).toBeLessThan(clean.tracks.length);
      expect(partial.tracks).toEqual(clean.tracks.slice(0, partial.tracks.length));
      const again = await importUrl(app, path);
      expect(again.rowsRead).toBe(sample.rows);
      expect(contents(app)).toEqual(clean);
    });
  });

  it('refuses an HTML page served instead of the file', async () => {
    host.put('/walled.csv', { body: sample.csv });
    host.fault('/walled.csv', { kind: 'html' });
    await expect(importUrl(app, '/walled.csv')).rejects.toThrow(`${host.url('/walled.csv')} is a web page (text/html), not a CSV file: use the link to the raw file.`);
    expect(app.catalog.counts().tracks).toBe(0);
  });

  it('refuses an HTML page whatever its Content-Type says', async () => {
    host.put('/page.csv', { body: Buffer.from('<!DOCTYPE html><html><body>Moved</body></html>'), contentType: 'text/csv' });
    await expect(importUrl(app, '/page.csv')).rejects.toThrow(/page\.csv is a web page \(HTML\), not a CSV file/);
  });

  it('waits for a slow first byte within the timeout', async () => {
    host.put('/slow.csv', { body: sample.csv });
    host.fault('/slow.csv', { kind: 'slow-first-byte', ms: 500 });
    await importUrl(app, '/slow.csv');
    expect(host.requests('/slow.csv')).toBe(1);
    expect(app.catalog.counts().tracks).toBe(clean.tracks.length);
  });

  it('times out a first byte slower than HTTP_TIMEOUT_MS and asks again', async () => {
    host.put('/slower.csv', { body: sample.csv });
    host.fault('/slower.csv', { kind: 'slow-first-byte', ms: 1_500 });
    await importUrl(app, '/slower.csv');
    expect(host.requests('/slower.csv')).toBe(2);
    expect(app.catalog.counts().tracks).toBe(clean.tracks.length);
  });

  it('takes a transfer longer than HTTP_TIMEOUT_MS as long as data keeps coming', async () => {
    // About 1.6 s in all, never more than 0.1 s without a chunk.
    host.put('/long.csv', { body: sample.csv, chunkBytes: Math.ceil(sample.csv.length / 16), chunkDelayMs: 100 });
    await importUrl(app, '/long.csv');
    expect(host.requests('/long.csv')).toBe(1);
    expect(app.catalog.counts().tracks).toBe(clean.tracks.length);
  });

  it('fetches a named dataset from the URL its setting gives', async () => {
    const named = createTestApp({ DATASET_TIDYTUESDAY_URL: host.url('/songs.csv') });
    try {
      const source = resolveSource('tidytuesday', named.config.datasets.urls);
      expect(source).toMatchObject({ kind: 'dataset', url: host.url('/songs.csv') });
      const report = await importSource(named, source);
      expect(report.file).toBe(`tidytuesday (${host.url('/songs.csv')})`);
      expect(named.catalog.counts().tracks).toBe(clean.tracks.length);
    } finally {
      named.dispose();
    }
  });
});
