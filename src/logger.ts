import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

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
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    scrubbing,
  );
}
