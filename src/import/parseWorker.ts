import { parentPort, workerData } from 'node:worker_threads';
import { BatchParser, type ParserOptions } from './batchParser.js';
import { describeThreadError, type ToParser, type FromParser } from './parsing.js';

// The parsing thread of a big import (see parsing.ts): chunks of the input in, batches of rows out.

const port = parentPort!;
const parser = new BatchParser(workerData as ParserOptions);
let failed = false;

function post(message: FromParser): void {
  const batches = 'batches' in message ? message.batches : [];
  // The number arrays move to the writing thread instead of being copied.
  port.postMessage(message, batches.flatMap(({ rows }) => [rows.numbers.buffer as ArrayBuffer, rows.labelKinds.buffer as ArrayBuffer, rows.sameAs.buffer as ArrayBuffer]));
}

port.on('message', (message: ToParser) => {
  if (failed) return;
  try {
    if (message.kind === 'chunk') {
      post({ kind: 'batches', batches: parser.push(message.chunk, message.bytesRead), took: message.chunk.byteLength });
    } else if (message.kind === 'end') {
      const { batches, summary } = parser.end();
      post({ kind: 'done', batches, summary });
    } else {
      post({ kind: 'stopped' });
    }
  } catch (error) {
    failed = true;
    post({ kind: 'failed', error: describeThreadError(error) });
  }
});
