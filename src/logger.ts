import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { truncate } from './truncate.js';

export type { Logger } from 'pino';

// Field names that hold secrets wherever they appear in a log object.
const REDACT_PATHS = [
  'token',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'secret',
  'password',
  'authorization',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.secret',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

// Secrets that travel inside strings (URLs, error messages) rather than in named fields.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/(Bearer|Basic|Bot)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 [redacted]'],
  // Interaction and webhook tokens sit in REST paths: /webhooks/{app}/{token}, /interactions/{id}/{token}.
  [/(\/(?:webhooks|interactions)\/\d+\/)[A-Za-z0-9._-]{20,}/g, '$1[redacted]'],
  [/((?:access_token|refresh_token|client_secret|code|code_verifier|token)=)[^&\s"]+/g, '$1[redacted]'],
];

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const MAX_LOGGED_STRING = 4_000;
const MAX_LOGGED_ITEMS = 50;
const MAX_LOGGED_DEPTH = 6;

/**
 * An error as a log line holds it: its message, code, stack and fields, but never a whole body.
 * discord.js's DiscordAPIError carries the failed request's body (`requestBody`), the picture
 * included, which serialized as an array of numbers is ~145 KB a line: bytes become their size,
 * long strings and arrays are cut, and a request body becomes a summary.
 */
function serializeError(error: Error): unknown {
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  const { requestBody, ...rest } = serialized;
  return { ...(bounded(rest, 0) as Record<string, unknown>), ...(requestBody === undefined ? {} : { requestBody: summarizeBody(requestBody) }) };
}

function summarizeBody(body: unknown): unknown {
  const { files, json } = (body ?? {}) as { files?: unknown; json?: unknown };
  const list = Array.isArray(files) ? (files as { name?: unknown; data?: unknown }[]) : [];
  return {
    files: list.map((f) => ({ name: typeof f.name === 'string' ? truncate(f.name, 100) : null, bytes: byteLength(f.data) })),
    jsonCharacters: json === undefined ? 0 : (JSON.stringify(json) ?? '').length,
  };
}

function byteLength(data: unknown): number | null {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (data instanceof ArrayBuffer) return data.byteLength;
  return null;
}

function bounded(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > MAX_LOGGED_STRING ? `${truncate(value, MAX_LOGGED_STRING)} (${value.length} characters)` : value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_LOGGED_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_LOGGED_ITEMS).map((v) => bounded(v, depth + 1));
    return value.length > MAX_LOGGED_ITEMS ? [...shown, `… ${value.length - MAX_LOGGED_ITEMS} more`] : shown;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bounded(v, depth + 1)]));
}

export interface LoggerOptions {
  level: string;
  /** Values that must never reach a log line, such as the bot token and client secret. */
  secrets?: readonly (string | undefined | null)[];
  /** Where lines go; stdout by default. The CLI logs to stderr so its output stays clean. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s !== '');
  const target = options.destination ?? process.stdout;
  // Scrub every serialized line on its way out, so a secret inside an error message or URL
  // is caught too, not only secrets in the named fields pino's redaction knows about.
  const scrubbing = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(scrubSecrets(chunk.toString(), secrets));
      callback();
    },
  });
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
    },
    scrubbing,
  );
}
