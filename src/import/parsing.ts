import { ImportFormatError, InputFileError } from '../errors.js';
import { startWorker } from '../nodeEntry.js';
import { BatchParser, type ParsedBatch, type ParserOptions, type ParseSummary } from './batchParser.js';

// The two ways an import reads its input: on the writing thread (small inputs, where starting a
// thread costs more than it saves) or in a worker thread (parseWorker.ts), so that reading and
// parsing the next rows overlaps writing the last ones. Both give the same batches and errors.

/** Decoded chunks of the input, each with the input's bytes read (before gunzip) up to it. */
export type InputChunks = AsyncIterable<{ chunk: Uint8Array; bytesRead: number }>;

/** The batches in input order, then the summary; the input's own errors are thrown as they were. */
export type Parsing = AsyncGenerator<ParsedBatch, ParseSummary>;

export async function* parseHere(chunks: InputChunks, options: ParserOptions): Parsing {
  const parser = new BatchParser(options);
  for await (const { chunk, bytesRead } of chunks) yield* parser.push(chunk, bytesRead);
  const { batches, summary } = parser.end();
  yield* batches;
  return summary;
}

export type ToParser = { kind: 'chunk'; chunk: Uint8Array; bytesRead: number } | { kind: 'end' } | { kind: 'stop' };
export type FromParser =
  | { kind: 'batches'; batches: ParsedBatch[]; took: number }
  | { kind: 'done'; batches: ParsedBatch[]; summary: ParseSummary }
  | { kind: 'stopped' }
  | { kind: 'failed'; error: ThreadError };

/** An error of the parsing thread, as it crosses to the writing thread. */
type ThreadError =
  | { kind: 'input'; message: string }
  | { kind: 'format'; missing: string[]; found: string[] }
  | { kind: 'bug'; message: string; stack: string | undefined };

export function describeThreadError(error: unknown): ThreadError {
  if (error instanceof ImportFormatError) return { kind: 'format', missing: error.missing, found: error.found };
  if (error instanceof InputFileError) return { kind: 'input', message: error.message };
  return error instanceof Error
    ? { kind: 'bug', message: error.message, stack: error.stack }
    : { kind: 'bug', message: String(error), stack: undefined };
}

function reviveThreadError(error: ThreadError): Error {
  if (error.kind === 'format') return new ImportFormatError(error.missing, error.found);
  if (error.kind === 'input') return new InputFileError(error.message);
  const revived = new Error(`parsing thread: ${error.message}`);
  if (error.stack) revived.stack = `${revived.stack}\nin the parsing thread: ${error.stack}`;
  return revived;
}

/**
 * Input bytes sent to the thread and not yet parsed. While the writing thread writes a batch it
 * cannot send more, so this must cover more than a batch's bytes (50,000 rows are about 8 MB of
 * the synthetic file, 15 MB of wide real ones) for the parser to keep busy meanwhile.
 */
const MAX_BYTES_IN_FLIGHT = 48 * 1024 * 1024;
/** Parsed batches waiting for the writer: the thread stops being fed past this. */
const MAX_BATCHES_WAITING = 2;

export async function* parseInThread(chunks: InputChunks, options: ParserOptions): Parsing {
  const worker = startWorker('src/import/parseWorker', options);
  const waiting: ParsedBatch[] = [];
  let summary: ParseSummary | null = null;
  let failure: { error: unknown } | null = null;
  let readFailure: { error: unknown } | null = null;
  let stopped = false;
  let closed = false;
  let inFlight = 0;
  let wakeWriter: (() => void) | null = null;
  let wakeReader: (() => void) | null = null;
  const wake = () => {
    wakeWriter?.();
    wakeReader?.();
    wakeWriter = wakeReader = null;
  };
  const fail = (error: unknown) => {
    failure ??= { error };
    wake();
  };
  worker.on('message', (message: FromParser) => {
    if (message.kind === 'batches' || message.kind === 'done') waiting.push(...message.batches);
    if (message.kind === 'batches') inFlight -= message.took;
    else if (message.kind === 'done') summary = message.summary;
    else if (message.kind === 'stopped') stopped = true;
    else failure ??= { error: reviveThreadError(message.error) };
    wake();
  });
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!closed && summary === null && !stopped) fail(new Error(`the parsing thread exited (code ${code}) before the end of the input`));
  });

  // Feeds the thread while there is room; a failure to read stops it after what it was sent.
  const feed = async () => {
    try {
      for await (const { chunk, bytesRead } of chunks) {
        while (!closed && failure === null && (inFlight >= MAX_BYTES_IN_FLIGHT || waiting.length >= MAX_BATCHES_WAITING)) {
          await new Promise<void>((resolve) => (wakeReader = resolve));
        }
        if (closed || failure !== null) return;
        inFlight += chunk.byteLength;
        worker.postMessage({ kind: 'chunk', chunk, bytesRead } satisfies ToParser);
      }
      if (!closed) worker.postMessage({ kind: 'end' } satisfies ToParser);
    } catch (error) {
      readFailure = { error };
      if (!closed) worker.postMessage({ kind: 'stop' } satisfies ToParser);
    }
  };
  const feeding = feed();

  try {
    for (;;) {
      const next = waiting.shift();
      if (next) {
        wake();
        yield next;
        continue;
      }
      if (failure !== null) throw (failure as { error: unknown }).error;
      if (summary !== null) return summary;
      if (stopped && readFailure !== null) throw (readFailure as { error: unknown }).error;
      await new Promise<void>((resolve) => (wakeWriter = resolve));
    }
  } finally {
    closed = true;
    wake();
    await worker.terminate();
    // The reader ends once its input is destroyed (importStream's finally) or at the next chunk.
    void feeding;
  }
}
