import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Catalog } from '../catalog/catalog.js';
import { InputFileError } from '../errors.js';
import type { ImportProgress, ImportReport, TrackEntry } from '../types.js';
import { mapColumns } from './columns.js';
import { csvRecords, type CsvRecord } from './csvRecords.js';
import { RowParser } from './rows.js';

// Commits are a large part of an import: write a few thousand rows per transaction.
const BATCH_ROWS = 5_000;

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** How many skipped line numbers the report lists. */
  maxSkippedLines?: number;
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function openInput(file: string): Promise<{ input: Readable; raw: Readable; totalBytes: number }> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new InputFileError(`${file} is not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.`);
  }
  const raw = createReadStream(file);
  // Decide by content, not by name: a .csv that is really gzip (or the reverse) still imports.
  const input = (await isGzip(file)) ? raw.pipe(createGunzip()) : raw;
  if (input !== raw) raw.on('error', (error) => input.destroy(error));
  return { input, raw, totalBytes: size };
}

/**
 * Streams a CSV (or gzipped CSV) of tracks with audio features into the catalog.
 * Each batch of rows is written in one transaction; re-importing the same file changes nothing.
 */
export async function importCsv(catalog: Catalog, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const { input, raw, totalBytes } = await openInput(file);
  const source = `dataset:${basename(file)}`;
  const maxSkippedLines = options.maxSkippedLines ?? 10;
  const report: ImportReport = {
    file,
    layout: 'unknown',
    rowsRead: 0,
    tracksAdded: 0,
    tracksUpdated: 0,
    tracksUnchanged: 0,
    mergedDuplicates: 0,
    skipped: 0,
    skippedReasons: {},
    skippedLines: [],
    featuresAdded: 0,
    labelsAdded: 0,
    elapsedMs: 0,
    writeMs: 0,
  };
  let parser: RowParser | null = null;
  let columns = 0;

  const skip = (reason: string, line: number) => {
    report.skipped++;
    report.skippedReasons[reason] = (report.skippedReasons[reason] ?? 0) + 1;
    if (report.skippedLines.length < maxSkippedLines) report.skippedLines.push(line);
  };

  // Valid rows waiting to be written; a skipped row never gets here, so nothing of it is written.
  let pending: TrackEntry[] = [];
  const readRecord = (record: CsvRecord) => {
    if (parser === null) {
      if (!record.cells) throw new InputFileError(`${file}: the header line has broken quoting (${record.problem}).`);
      const map = mapColumns(record.cells);
      columns = record.cells.length;
      parser = new RowParser(map);
      report.layout = map.layout;
      return;
    }
    if (!record.cells) {
      // Broken quoting: every line it swallowed is reported, none of it is written.
      for (let line = record.firstLine; line <= record.lastLine; line++) {
        report.rowsRead++;
        skip(record.problem ?? 'malformed quotes', line);
      }
      return;
    }
    const cells = record.cells;
    if (cells.length === 1 && cells[0]!.trim() === '') return; // blank line
    report.rowsRead++;
    // A truncated or overlong record would shift values into the wrong fields.
    if (cells.length !== columns) return skip('wrong number of columns', record.firstLine);
    const parsed = parser.parse(cells);
    if (parsed.ok) pending.push(parsed.row);
    else skip(parsed.reason, record.firstLine);
  };

  const flush = () => {
    const writeStarted = performance.now();
    const outcome = catalog.upsertBatch(pending, source);
    report.writeMs += performance.now() - writeStarted;
    pending = [];
    report.tracksAdded += outcome.added;
    report.tracksUpdated += outcome.updated;
    report.tracksUnchanged += outcome.unchanged;
    report.mergedDuplicates += outcome.merged;
    report.featuresAdded += outcome.featuresAdded;
    report.labelsAdded += outcome.labelsAdded;
    options.onProgress?.({ rowsRead: report.rowsRead, bytesRead, totalBytes });
  };

  let bytesRead = 0;
  raw.on('data', (chunk: Buffer | string) => {
    bytesRead += chunk.length;
  });
  // What went wrong reading or decompressing the file, as opposed to writing the catalog.
  let readError: unknown = null;
  input.once('error', (error) => (readError = error));

  try {
    for await (const records of csvRecords(input)) {
      for (const record of records) {
        readRecord(record);
        if (pending.length >= BATCH_ROWS) flush();
      }
    }
    flush();
  } catch (error) {
    input.destroy();
    // The file's own errors (a system or zlib code) are the user's to fix; the catalog's are not.
    if (error === readError && error instanceof Error) {
      const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
      throw new InputFileError(
        code.startsWith('Z_') ? `Cannot read ${file}: it is not a complete gzip file (${error.message}).` : `Cannot read ${file}: ${error.message}`,
      );
    }
    throw error;
  }

  if (parser === null) throw new InputFileError(`${file} is empty: it has no header row.`);
  report.elapsedMs = performance.now() - started;
  return report;
}
