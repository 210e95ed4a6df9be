import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import type { Catalog } from '../catalog/catalog.js';
import { InputFileError } from '../errors.js';
import type { ImportProgress, ImportReport } from '../types.js';
import type { ParsedBatch, ParseSummary } from './batchParser.js';
import { describeFileError, openFile, type ImportInput } from './inputs.js';
import { parseHere, parseInThread, type Parsing } from './parsing.js';

export { nextBatchRows } from './batchParser.js';

/** From this size on (or of unknown size), an input is parsed in a worker thread while the rows before are written. */
const PARSE_IN_THREAD_BYTES = 4_000_000;

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** How many skipped line numbers the report lists. */
  maxSkippedLines?: number;
  /** Stops the import between two chunks; batches already written stay (a re-run completes them). */
  signal?: AbortSignal;
  /** Rows per transaction (default: nextBatchRows, 5,000 growing to 50,000); the result does not depend on it. */
  batchRows?: number;
  /** Into an empty catalog, build the indexes and the full-text index once at the end (default true); the result does not depend on it. */
  deferIndexes?: boolean;
  /** Parse in a worker thread (default: for inputs of 4 MB or more, or of unknown size); the result does not depend on it. */
  parseInThread?: boolean;
}

/** Reading or decompressing the input failed, as opposed to writing the catalog. */
class InputReadError extends Error {
  constructor(
    readonly failure: unknown,
    readonly stage: 'read' | 'gunzip',
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** Why reading stopped, in words: a cut download, a stall, a broken gzip stream, a file error. */
function describeReadError(error: InputReadError, input: ImportInput, bytesRead: number): string {
  const failure = error.failure as (Error & { code?: unknown; cause?: unknown }) | null;
  if (error.stage === 'gunzip') return `Cannot read ${input.name}: it is not a complete gzip file (${error.message}).`;
  if (failure instanceof DOMException && failure.name === 'TimeoutError') {
    return `Cannot read ${input.name}: the download stalled after ${megabytes(bytesRead)} (${failure.message}).`;
  }
  if (typeof failure?.code === 'string' && failure.code.startsWith('E')) return `Cannot read ${input.name}: ${describeFileError(failure)}.`;
  // fetch reports a connection that closed mid-body as "terminated", the socket's reason as its cause.
  const cause = failure?.cause instanceof Error ? failure.cause.message : error.message;
  const of = input.totalBytes ? ` of ${megabytes(input.totalBytes)}` : '';
  return `Cannot read ${input.name}: the transfer broke off after ${megabytes(bytesRead)}${of} (${cause}).`;
}

/** The next raw chunk, or null at the end; a failure is marked as the input's. */
async function nextChunk(iterator: AsyncIterator<Buffer>): Promise<Buffer | null> {
  try {
    const next = await iterator.next();
    return next.done ? null : next.value;
  } catch (error) {
    throw new InputReadError(error, 'read');
  }
}

/** The input's bytes, gunzipped when they start with gzip's magic bytes (whatever the name says). */
async function* decodedBytes(input: ImportInput, onRawBytes: (n: number) => void): AsyncGenerator<Buffer> {
  const raw = (input.stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const read = async () => {
    const chunk = await nextChunk(raw);
    if (chunk) onRawBytes(chunk.length);
    return chunk;
  };
  let head = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await read();
    if (next === null) break;
    head = Buffer.concat([head, next]);
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    if (head.length > 0) yield head;
    for (let chunk = await read(); chunk !== null; chunk = await read()) yield chunk;
    return;
  }
  const gunzip = createGunzip();
  const feed = async () => {
    try {
      let chunk: Buffer | null = head;
      while (chunk !== null) {
        if (!gunzip.write(chunk)) await once(gunzip, 'drain');
        chunk = await read();
      }
      gunzip.end();
    } catch (error) {
      gunzip.destroy(error as Error);
    }
  };
  void feed();
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    throw error instanceof InputReadError ? error : new InputReadError(error, 'gunzip');
  } finally {
    gunzip.destroy();
  }
}

/** Refuses what is plainly not a CSV file (a web page, a zip archive) before reading it as one. */
function checkLooksLikeCsv(head: Buffer, name: string): void {
  const text = head.subarray(0, 512).toString('latin1').replace(/^\uFEFF|^ï»¿/, '').trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || (text.startsWith('<') && text.includes('<body'))) {
    throw new InputFileError(`${name} is a web page (HTML), not a CSV file: use the link to the raw file.`);
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new InputFileError(`${name} is a zip archive, not a CSV file: unpack it and import the CSV inside.`);
  }
}

/** Streams a CSV (or gzipped CSV) file into the catalog; see importStream. */
export async function importCsv(catalog: Catalog, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  return importStream(catalog, await openFile(file), options);
}

/**
 * Streams a CSV (or gzipped CSV) of tracks with audio features into the catalog, never holding
 * it whole. Each batch of rows is written in one transaction, and only complete, valid rows are:
 * an input that breaks off leaves whole batches that a re-run finds unchanged, so importing the
 * same input again always ends as one clean import would.
 */
export async function importStream(catalog: Catalog, input: ImportInput, options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const source = `dataset:${input.fileName}`;
  const maxSkippedLines = options.maxSkippedLines ?? 10;
  // Unchanged rows of tracks from this id on repeat a row of this same input.
  const addedSince = catalog.nextTrackId();
  const report: ImportReport = {
    file: input.name,
    layout: 'unknown',
    rowsRead: 0,
    tracksAdded: 0,
    tracksUpdated: 0,
    tracksUnchanged: 0,
    repeatedInFile: 0,
    mergedDuplicates: 0,
    skipped: 0,
    skippedReasons: {},
    skippedLines: [],
    missingColumns: [],
    featuresAdded: 0,
    labelsAdded: 0,
    elapsedMs: 0,
    writeMs: 0,
  };
  let bytesRead = 0;
  // Decided at the first write, once the input has proved readable.
  let restoreIndexes = null as (() => void) | null;
  const write = (batch: ParsedBatch) => {
    const writeStarted = performance.now();
    restoreIndexes ??= options.deferIndexes === false ? () => {} : catalog.deferIndexes();
    const outcome = catalog.upsertBatch(batch.rows, source, { addedSince });
    report.writeMs += performance.now() - writeStarted;
    report.tracksAdded += outcome.added;
    report.tracksUpdated += outcome.updated;
    report.tracksUnchanged += outcome.unchanged;
    report.repeatedInFile += outcome.repeated;
    report.mergedDuplicates += outcome.merged;
    report.featuresAdded += outcome.featuresAdded;
    report.labelsAdded += outcome.labelsAdded;
    options.onProgress?.({ rowsRead: batch.rowsRead, bytesRead: batch.bytesRead, totalBytes: input.totalBytes });
  };

  const { signal } = options;
  const abort = () => input.stream.destroy();
  signal?.addEventListener('abort', abort, { once: true });
  async function* checked(): AsyncGenerator<{ chunk: Uint8Array; bytesRead: number }> {
    let first = true;
    for await (const chunk of decodedBytes(input, (n) => (bytesRead += n))) {
      if (first) checkLooksLikeCsv(chunk, input.name);
      first = false;
      yield { chunk, bytesRead };
      signal?.throwIfAborted();
    }
  }

  const inThread = options.parseInThread ?? (input.totalBytes === null || input.totalBytes >= PARSE_IN_THREAD_BYTES);
  const parserOptions = { name: input.name, maxSkippedLines, batchRows: options.batchRows };
  let summary: ParseSummary;
  let parsing: Parsing | null = null;
  const endBulkWrites = catalog.beginBulkWrites();
  try {
    signal?.throwIfAborted();
    parsing = inThread ? parseInThread(checked(), parserOptions) : parseHere(checked(), parserOptions);
    for (;;) {
      const next = await parsing.next();
      signal?.throwIfAborted();
      if (next.done) {
        summary = next.value;
        break;
      }
      write(next.value);
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    // The input's own errors are the user's to fix; the catalog's are not.
    if (error instanceof InputReadError) throw new InputFileError(describeReadError(error, input, bytesRead));
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
    input.stream.destroy();
    // Ends the parsing thread when writing failed.
    await parsing?.return(undefined as never);
    restoreIndexes?.();
    endBulkWrites();
  }

  if (summary.header === null) throw new InputFileError(`${input.name} is empty: it has no header row.`);
  report.layout = summary.header.layout;
  report.missingColumns = summary.header.missingColumns;
  report.rowsRead = summary.rowsRead;
  report.skipped = summary.skipped;
  report.skippedReasons = summary.skippedReasons;
  report.skippedLines = summary.skippedLines;
  report.elapsedMs = performance.now() - started;
  return report;
}
