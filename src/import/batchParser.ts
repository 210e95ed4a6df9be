import { InputFileError } from '../errors.js';
import { RepeatedRows, TrackBatchBuilder, type TrackBatch } from '../catalog/trackBatch.js';
import { mapColumns } from './columns.js';
import { CsvRecordReader, type CsvRecord } from './csvRecords.js';
import { RowParser } from './rows.js';

// Bytes of a CSV file to batches of valid rows, ready to write: the reading half of an import,
// the same whether it runs on the writing thread or in a worker (parsing.ts, parseWorker.ts).

/**
 * Rows per transaction. A commit writes every page the batch touched, and random track IDs touch
 * pages all over the catalog's indexes, so on a big catalog a 5,000-row commit rewrites nearly
 * every index page: 200 of them made a million-row import write gigabytes. Batches grow with
 * the rows already written (a quarter of them, up to 50,000, about a second of writing), so a small
 * import still commits every 5,000 rows and a kill never rolls back more than one batch.
 */
export function nextBatchRows(written: number): number {
  return Math.min(50_000, Math.max(5_000, Math.floor(written / 4)));
}

export interface ParserOptions {
  /** What errors call the input (its path or URL). */
  name: string;
  maxSkippedLines: number;
  /** Fixed rows per batch; by default nextBatchRows. */
  batchRows?: number | undefined;
}

/** Valid rows to write in one transaction, with how far the input was read when they were complete. */
export interface ParsedBatch {
  rows: TrackBatch;
  /** Rows read (valid or skipped) up to the last of these rows. */
  rowsRead: number;
  /** Input bytes read (as they arrived, before gunzip) when the batch was complete. */
  bytesRead: number;
}

/** What the input held besides its rows, once it has been read to the end. */
export interface ParseSummary {
  /** Null when the input had no header row. */
  header: { layout: string; missingColumns: string[] } | null;
  rowsRead: number;
  skipped: number;
  skippedReasons: Record<string, number>;
  skippedLines: number[];
}

export class BatchParser {
  private readonly records = new CsvRecordReader();
  private parser: RowParser | null = null;
  private columns = 0;
  private readonly summary: ParseSummary = { header: null, rowsRead: 0, skipped: 0, skippedReasons: {}, skippedLines: [] };
  private written = 0;
  private pending: TrackBatchBuilder;
  private readonly repeats = new RepeatedRows();
  private bytesRead = 0;
  private batches: ParsedBatch[] = [];

  constructor(private readonly options: ParserOptions) {
    this.pending = new TrackBatchBuilder(this.batchRows(), this.repeats);
  }

  /** The batches this chunk completes; `bytesRead` counts the input's bytes up to it. */
  push(chunk: Uint8Array, bytesRead: number): ParsedBatch[] {
    this.bytesRead = bytesRead;
    for (const record of this.records.push(chunk)) this.read(record);
    return this.take();
  }

  /** At the end of the input: the last batch (written even when empty) and the summary. */
  end(): { batches: ParsedBatch[]; summary: ParseSummary } {
    for (const record of this.records.end()) this.read(record);
    this.complete();
    return { batches: this.take(), summary: this.summary };
  }

  private take(): ParsedBatch[] {
    const batches = this.batches;
    this.batches = [];
    return batches;
  }

  private batchRows(): number {
    return this.options.batchRows ?? nextBatchRows(this.written);
  }

  private complete(): void {
    this.batches.push({ rows: this.pending.build(), rowsRead: this.summary.rowsRead, bytesRead: this.bytesRead });
    this.written += this.pending.rows;
    this.pending = new TrackBatchBuilder(this.batchRows(), this.repeats);
  }

  private skip(reason: string, line: number): void {
    const { summary } = this;
    summary.skipped++;
    summary.skippedReasons[reason] = (summary.skippedReasons[reason] ?? 0) + 1;
    if (summary.skippedLines.length < this.options.maxSkippedLines) summary.skippedLines.push(line);
  }

  // A skipped row never reaches the batch, so nothing of it is written.
  private read(record: CsvRecord): void {
    const { summary } = this;
    if (this.parser === null) {
      if (!record.cells) throw new InputFileError(`${this.options.name}: the header line has broken quoting (${record.problem}).`);
      const map = mapColumns(record.cells);
      this.columns = record.cells.length;
      this.parser = new RowParser(map);
      summary.header = { layout: map.layout, missingColumns: map.missingUsed };
      return;
    }
    if (!record.cells) {
      // Broken quoting: every line it swallowed is reported, none of it is written.
      for (let line = record.firstLine; line <= record.lastLine; line++) {
        summary.rowsRead++;
        this.skip(record.problem ?? 'malformed quotes', line);
      }
      return;
    }
    const cells = record.cells;
    if (cells.length === 1 && cells[0]!.trim() === '') return; // blank line
    summary.rowsRead++;
    // A truncated or overlong record would shift values into the wrong fields.
    if (cells.length !== this.columns) return this.skip('wrong number of columns', record.firstLine);
    const parsed = this.parser.parse(cells);
    if (!parsed.ok) return this.skip(parsed.reason, record.firstLine);
    this.pending.add(parsed.row);
    if (this.pending.rows >= this.batchRows()) this.complete();
  }
}
