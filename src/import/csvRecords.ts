import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';

// CSV records from a byte stream, with what an importer needs that general parsers guess at:
// the file's own line numbers (also across quoted line breaks), any mix of \n, \r\n and \r,
// the delimiter taken from the header line, Windows-1252 files read as such, and broken quoting
// confined to the lines it actually spans.

export interface CsvRecord {
  /** The fields, or null when the record's quoting is broken. */
  cells: string[] | null;
  /** 1-based lines of the file the record spans. */
  firstLine: number;
  lastLine: number;
  problem?: 'unterminated quote' | 'malformed quotes';
}

/** A quoted field still open after this many lines is taken as broken, not as one huge field. */
const MAX_RECORD_LINES = 50;
const DELIMITERS = [',', ';', '\t', '|'] as const;

/** UTF-8, falling back to Windows-1252 (Latin-1's superset) from the first invalid byte on. */
class TextDecoding {
  private utf8: TextDecoder | null = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private readonly latin = new TextDecoder('windows-1252');

  decode(chunk: Uint8Array, final = false): string {
    if (this.utf8) {
      try {
        return this.utf8.decode(chunk, { stream: !final });
      } catch {
        this.utf8 = null;
      }
    }
    return this.latin.decode(chunk, { stream: !final });
  }
}

/** The delimiter the header line uses most, outside quotes (comma when it has none). */
export function detectDelimiter(header: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/**
 * Whether `text` ends inside a quoted field: only a quote that starts a field opens one (a quote
 * in the middle of an unquoted field, like 12" Mix, is text), and "" inside quotes is a quote.
 */
export function endsInsideQuotes(text: string, delimiter: string): boolean {
  let inQuotes = false;
  let fieldStart = true;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (inQuotes) {
      if (char !== '"') continue;
      if (text[at + 1] === '"') at++;
      else inQuotes = false;
    } else if (char === delimiter) {
      fieldStart = true;
    } else {
      if (fieldStart && char === '"') inQuotes = true;
      fieldStart = false;
    }
  }
  return inQuotes;
}

/**
 * One record's fields (RFC 4180, leniently: a quote inside an unquoted field is text). Null when
 * a quoted field is followed by anything but a delimiter: its boundaries cannot be trusted.
 */
export function splitRecord(text: string, delimiter: string): string[] | null {
  if (!text.includes('"')) return text.split(delimiter);
  const cells: string[] = [];
  let at = 0;
  for (;;) {
    if (text[at] === '"') {
      let value = '';
      let from = at + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close === -1) return null;
        value += text.slice(from, close);
        if (text[close + 1] === '"') {
          value += '"';
          from = close + 2;
          continue;
        }
        at = close + 1;
        break;
      }
      cells.push(value);
      if (at === text.length) return cells;
      if (text[at] !== delimiter) return null;
      at++;
    } else {
      const next = text.indexOf(delimiter, at);
      if (next === -1) {
        cells.push(text.slice(at));
        return cells;
      }
      cells.push(text.slice(at, next));
      at = next + 1;
    }
    if (at === text.length) {
      cells.push('');
      return cells;
    }
  }
}

/** The records of a CSV stream, in order. The first is the header. */
export async function* csvRecords(input: Readable): AsyncGenerator<CsvRecord> {
  const decoding = new TextDecoding();
  let rest = '';
  let line = 0;
  let delimiter: string | null = null;
  // A record whose quoted field continues on the next line.
  let open: { text: string; firstLine: number } | null = null;

  function* take(lineText: string): Generator<CsvRecord> {
    line++;
    delimiter ??= detectDelimiter(lineText);
    const text = open ? `${open.text}\n${lineText}` : lineText;
    const firstLine = open?.firstLine ?? line;
    const unclosed = (open !== null || text.includes('"')) && endsInsideQuotes(text, delimiter);
    if (unclosed && line - firstLine + 1 < MAX_RECORD_LINES) {
      open = { text, firstLine };
      return;
    }
    open = null;
    if (unclosed) {
      yield { cells: null, firstLine, lastLine: line, problem: 'unterminated quote' };
      return;
    }
    const cells = splitRecord(text, delimiter);
    yield cells ? { cells, firstLine, lastLine: line } : { cells: null, firstLine, lastLine: line, problem: 'malformed quotes' };
  }

  function* lines(text: string, final: boolean): Generator<CsvRecord> {
    let start = 0;
    for (let at = 0; at < text.length; at++) {
      const char = text.charCodeAt(at);
      if (char !== 10 && char !== 13) continue;
      // "\r" at the very end of a chunk may be the first half of "\r\n": wait for the next chunk.
      if (char === 13 && at === text.length - 1 && !final) {
        rest = text.slice(start);
        return;
      }
      yield* take(text.slice(start, at));
      if (char === 13 && text.charCodeAt(at + 1) === 10) at++;
      start = at + 1;
    }
    rest = text.slice(start);
    if (final && rest !== '') {
      yield* take(rest);
      rest = '';
    }
  }

  let first = true;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let text = rest + decoding.decode(chunk);
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    rest = '';
    yield* lines(text, false);
  }
  yield* lines(rest + decoding.decode(new Uint8Array(0), true), true);
  const unfinished = open as { firstLine: number } | null;
  if (unfinished) yield { cells: null, firstLine: unfinished.firstLine, lastLine: line, problem: 'unterminated quote' };
}
