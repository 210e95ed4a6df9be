import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { InputFileError } from '../errors.js';
import type { HttpClient } from '../http/httpClient.js';

// Where an import reads its bytes from: a local file or an HTTP(S) download, both streamed.

export interface ImportInput {
  /** What the report and the errors call it: the path or the URL as given. */
  name: string;
  /** The file name, recorded as the features' provider (`dataset:<fileName>`). */
  fileName: string;
  /** The bytes as they arrive (gzip or not). */
  stream: Readable;
  /** How many bytes `stream` will give, when known. */
  totalBytes: number | null;
}

/** A file-system error code in words. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'the disk could not be read';
    default:
      return error instanceof Error ? error.message : 'unknown error';
  }
}

export async function openFile(path: string): Promise<ImportInput> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputFileError(`${path} is not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(`Cannot read ${path}: ${describeFileError(error)}.`);
  }
  return { name: path, fileName: basename(path), stream: createReadStream(path), totalBytes: size };
}

export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The last path segment of a URL, without its query: what a browser would save it as. */
function urlFileName(url: string): string {
  const path = new URL(url).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || new URL(url).host;
}

/**
 * Starts a download through the HTTP layer (its timeouts and retries) and hands back the body as
 * a stream. The response's gzip Content-Encoding is undone by fetch; a .gz file served as it is
 * is recognised later by its magic bytes.
 */
export async function openUrl(http: HttpClient, url: string, signal?: AbortSignal): Promise<ImportInput> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputFileError(`${url} is not a valid URL.`);
  }
  const response = await http.fetch(
    parsed.href,
    { signal, headers: { accept: 'text/csv, application/gzip, text/plain;q=0.9, */*;q=0.5' } },
    { service: parsed.host, streamBody: true },
  );
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    const status = `${response.status} ${response.statusText || STATUS_CODES[response.status] || ''}`.trim();
    throw new InputFileError(`Cannot download ${url}: the server answered ${status}.`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (/^\s*(text\/html|application\/xhtml)/i.test(type)) {
    await response.body.cancel().catch(() => undefined);
    throw new InputFileError(`${url} is a web page (${type.split(';')[0]}), not a CSV file: use the link to the raw file.`);
  }
  // With a Content-Encoding, Content-Length counts the compressed bytes, not the ones we read.
  const length = Number(response.headers.get('content-length'));
  const encoded = (response.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
  return {
    name: url,
    fileName: urlFileName(response.url || parsed.href),
    stream: Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>),
    totalBytes: !encoded && Number.isInteger(length) && length > 0 ? length : null,
  };
}
