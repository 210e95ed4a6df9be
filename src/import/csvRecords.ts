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

/** How many bytes at the end of valid UTF-8 begin a character they do not complete (0 to 3). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/**
 * UTF-8 (a byte-order mark dropped), falling back to Windows-1252 (Latin-1's superset) from the
 * first chunk with an invalid byte on: that whole chunk, and any character the chunk before began.
 */
class TextDecoding {
  private utf8: TextDecoder | null = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private readonly latin = new TextDecoder('windows-1252');
  /** Bytes the UTF-8 decoder holds for the next chunk: re-read as Windows-1252 if that chunk is not UTF-8. */
  private held = new Uint8Array(0);

  decode(chunk: Uint8Array, final = false): string {
    if (this.utf8) {
      try {
        const text = this.utf8.decode(chunk, { stream: !final });
        // An incomplete character is at most 3 bytes: the held ones and the chunk's last 3 cover it.
        const recent = Buffer.concat([this.held, chunk.subarray(Math.max(0, chunk.length - 3))]);
        this.held = recent.subarray(recent.length - incompleteTail(recent));
        return text;
      } catch {
        this.utf8 = null;
        chunk = Buffer.concat([this.held, chunk]);
      }
    }
    return this.latin.decode(chunk, { stream: !final });
  }
}

/** The delimiter the header line uses most, outside quotes (comma when it has none). */
function detectDelimiter(header: string): string {
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
function endsInsideQuotes(text: string, delimiter: string): boolean {
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
function splitRecord(text: string, delimiter: string): string[] | null {
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

/**
 * Turns chunks of bytes into records. It hands back every record a chunk completes at once:
 * a generator step or an await per record costs more than splitting the record does.
 */
export class CsvRecordReader {
  private readonly decoding = new TextDecoding();
  private rest = '';
  private line = 0;
  private delimiter: string | null = null;
  // A record whose quoted field continues on the next line.
  private open: { text: string; firstLine: number } | null = null;

  /** The records the chunk completes (a record split across chunks waits for the next). */
  push(chunk: Uint8Array): CsvRecord[] {
    return this.lines(this.rest + this.decoding.decode(chunk), false);
  }

  /** The records left when the stream has ended. */
  end(): CsvRecord[] {
    const records = this.lines(this.rest + this.decoding.decode(new Uint8Array(0), true), true);
    if (this.open) records.push({ cells: null, firstLine: this.open.firstLine, lastLine: this.line, problem: 'unterminated quote' });
    return records;
  }

  private lines(text: string, final: boolean): CsvRecord[] {
    const records: CsvRecord[] = [];
    let start = 0;
    let lf = text.indexOf('\n');
    let cr = text.indexOf('\r');
    for (;;) {
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      const at = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (at === -1) break;
      // "\r" at the very end of a chunk may be the first half of "\r\n": wait for the next chunk.
      if (at === cr && at === text.length - 1 && !final) break;
      this.take(text.slice(start, at), records);
      start = at === cr && lf === at + 1 ? at + 2 : at + 1;
    }
    this.rest = text.slice(start);
    if (final && this.rest !== '') {
      this.take(this.rest, records);
      this.rest = '';
    }
    return records;
  }

  private take(lineText: string, records: CsvRecord[]): void {
    const line = ++this.line;
    const delimiter = (this.delimiter ??= detectDelimiter(lineText));
    const open = this.open;
    const text = open ? `${open.text}\n${lineText}` : lineText;
    const firstLine = open?.firstLine ?? line;
    const unclosed = (open !== null || text.includes('"')) && endsInsideQuotes(text, delimiter);
    if (unclosed && line - firstLine + 1 < MAX_RECORD_LINES) {
      this.open = { text, firstLine };
      return;
    }
    this.open = null;
    if (unclosed) {
      records.push({ cells: null, firstLine, lastLine: line, problem: 'unterminated quote' });
      return;
    }
    const cells = splitRecord(text, delimiter);
    records.push(cells ? { cells, firstLine, lastLine: line } : { cells: null, firstLine, lastLine: line, problem: 'malformed quotes' });
  }
}

/** The records of a CSV stream, in order, as many at a time as each chunk completes. The first is the header. */
export async function* csvRecords(input: AsyncIterable<Uint8Array>): AsyncGenerator<CsvRecord[]> {
  const reader = new CsvRecordReader();
  for await (const chunk of input) {
    const records = reader.push(chunk);
    if (records.length > 0) yield records;
  }
  const last = reader.end();
  if (last.length > 0) yield last;
}
