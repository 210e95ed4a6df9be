import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { jsonError } from './discord-errors.js';

/** A file part of a multipart body, keyed like discord.js sends it (`files[0]`, `files[1]`, ...). */
export interface UploadedFile {
  field: string;
  /** n in `files[n]`: what `attachments[].id` refers to. */
  index: number | null;
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

export interface ParsedBody {
  /** Parsed JSON body, or multipart `payload_json`; undefined when there was no body. */
  json: unknown;
  files: UploadedFile[];
  multipart: boolean;
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (raw.length === 0) return { json: undefined, files: [], multipart: false };
  if (contentType?.startsWith('multipart/form-data')) return parseMultipart(raw, contentType);
  return { json: parseJson(raw.toString('utf8')), files: [], multipart: false };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw jsonError(RESTJSONErrorCodes.RequestBodyContainsInvalidJSON);
  }
}

// Node's fetch Response implements the multipart/form-data parser, so no extra dependency is needed.
async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  const files: UploadedFile[] = [];
  let json: unknown;
  const loose: Record<string, string> = {};
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') json = parseJson(value);
      else loose[field] = value;
      continue;
    }
    const data = Buffer.from(await value.arrayBuffer());
    const match = /^files\[(\d+)\]$/.exec(field);
    files.push({
      field,
      index: match?.[1] === undefined ? null : Number(match[1]),
      filename: value.name,
      contentType: value.type || 'application/octet-stream',
      size: data.length,
      data,
    });
  }
  // Without payload_json Discord reads plain form fields (discord.js's appendToFormData mode).
  return { json: json ?? (Object.keys(loose).length > 0 ? loose : undefined), files, multipart: true };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Discord's 204s carry no content-type; discord.js then reads the body as an ArrayBuffer. */
export function sendNoContent(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(204, headers);
  res.end();
}
