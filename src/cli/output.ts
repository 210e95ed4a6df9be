import { isUserError } from '../errors.js';

// How CLI commands print: readable text by default, one JSON object per result with --json.

export interface OutputOptions {
  json?: boolean;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function printLines(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Left-aligned columns: a plain text table without borders. */
export function table(rows: (string | number)[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, String(cell).length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (typeof cell === 'number' ? String(cell).padStart(widths[i]!) : String(cell).padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

export function errorJson(error: unknown): { code: string; message: string } & Record<string, unknown> {
  if (isUserError(error)) {
    const extra = 'suggestions' in error ? { suggestions: (error as { suggestions: string[] }).suggestions } : {};
    return { code: error.code, message: error.message, ...extra };
  }
  return { code: 'internal', message: 'Something went wrong; see the log for details.' };
}
