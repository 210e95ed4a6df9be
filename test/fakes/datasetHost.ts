// A fake of a public dataset host (raw.githubusercontent.com, a mirror) on 127.0.0.1: it serves
// files over plain HTTP/1.1 the way such hosts do (Content-Type, Content-Length or chunked,
// gzip Content-Encoding when the client accepts it, 404 for what it lacks) and injects faults:
// error statuses, a transfer cut part-way, an HTML page instead of the file, a slow first byte,
// and a gate that holds the answer until the test releases it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface HostedFile {
  body: Buffer;
  /** Default text/csv (application/gzip for a .gz path). */
  contentType?: string;
  /** gzip-encode the transfer (Content-Encoding) when the request accepts it. Default false. */
  gzip?: boolean;
  /** Send Content-Length (default) or stream it chunked without one. */
  contentLength?: boolean;
  /** Write the body in pieces of this size with a pause between them (to watch progress). */
  chunkBytes?: number;
  chunkDelayMs?: number;
}

export type DatasetFault =
  /** Answer with this status (and a short text body). */
  | { kind: 'status'; status: number }
  /** Send the headers and this fraction of the body (0..1), then drop the connection. */
  | { kind: 'cut'; at: number }
  /** A 200 HTML page (a login wall, a "file not found" page served as 200). */
  | { kind: 'html' }
  /** Wait this long before sending anything. */
  | { kind: 'slow-first-byte'; ms: number };

export interface DatasetHost {
  /** The URL of a path on this host. */
  url(path: string): string;
  put(path: string, file: HostedFile): void;
  /** Applies to the next `times` requests for the path (default 1; Infinity for all). */
  fault(path: string, fault: DatasetFault, times?: number): void;
  /** Holds every answer for the path until the returned function is called. */
  hold(path: string): () => void;
  /** GET requests received for a path. */
  requests(path: string): number;
  close(): Promise<void>;
}

const HTML_PAGE = '<!DOCTYPE html>\n<html lang="en"><head><title>Sign in</title></head><body><p>Please sign in to download this file.</p></body></html>\n';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startDatasetHost(): Promise<DatasetHost> {
  const files = new Map<string, HostedFile & { gzipped?: Buffer }>();
  const faults = new Map<string, { fault: DatasetFault; left: number }[]>();
  const gates = new Map<string, Promise<void>>();
  const counts = new Map<string, number>();

  const nextFault = (path: string): DatasetFault | null => {
    const queue = faults.get(path);
    const entry = queue?.[0];
    if (!entry) return null;
    if (--entry.left <= 0) queue.shift();
    return entry.fault;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    counts.set(path, (counts.get(path) ?? 0) + 1);
    await gates.get(path);
    const fault = nextFault(path);
    if (fault?.kind === 'slow-first-byte') await sleep(fault.ms);
    if (fault?.kind === 'status') {
      response.writeHead(fault.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${fault.status}\n`);
      return;
    }
    if (fault?.kind === 'html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(HTML_PAGE) }).end(HTML_PAGE);
      return;
    }
    const file = files.get(path);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404: Not Found');
      return;
    }
    const encode = (file.gzip ?? false) && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    const body = encode ? (file.gzipped ??= gzipSync(file.body)) : file.body;
    const headers: Record<string, string | number> = {
      'content-type': file.contentType ?? (path.endsWith('.gz') ? 'application/gzip' : 'text/csv; charset=utf-8'),
      ...(encode ? { 'content-encoding': 'gzip', vary: 'Accept-Encoding' } : {}),
      ...((file.contentLength ?? true) ? { 'content-length': body.length } : {}),
    };
    response.writeHead(200, headers);
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const end = fault?.kind === 'cut' ? Math.floor(body.length * fault.at) : body.length;
    const step = file.chunkBytes ?? 64 * 1024;
    for (let at = 0; at < end; at += step) {
      if (response.destroyed) return;
      const piece = body.subarray(at, Math.min(end, at + step));
      if (!response.write(piece)) await new Promise((resolve) => response.once('drain', resolve));
      if (file.chunkDelayMs) await sleep(file.chunkDelayMs);
    }
    if (fault?.kind === 'cut') {
      // Let the bytes written so far leave, then drop the connection without finishing the body.
      await sleep(20);
      request.socket.destroy();
      return;
    }
    response.end();
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: (path) => `${base}${path}`,
    put: (path, file) => void files.set(path, { ...file }),
    fault(path, fault, times = 1) {
      const queue = faults.get(path) ?? [];
      queue.push({ fault, left: times });
      faults.set(path, queue);
    },
    hold(path) {
      let release = () => undefined as void;
      gates.set(path, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        gates.delete(path);
        release();
      };
    },
    requests: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
