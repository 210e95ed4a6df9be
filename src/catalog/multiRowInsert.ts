import type { Statement } from 'better-sqlite3';
import type { Database } from './database.js';

// Bulk writes (imports, a model's assignments) insert rows many at a time: the per-call cost of a
// statement is a large share of inserting one small row.

export type ColumnValue = string | number | null;

/** Rows per multi-row INSERT: past a hundred or so the per-statement overhead no longer shows. */
const ROWS_PER_INSERT = 100;

export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/**
 * An INSERT fed row by row that runs a hundred rows per call. Values are copied into one parameter
 * array that every call reuses, so a million rows allocate no per-call arrays.
 */
export class MultiRowInsert {
  private readonly many: Statement;
  private readonly one: Statement;
  /** The parameters of the next call: nextRow() says where a row's values go. */
  readonly chunk: ColumnValue[];
  private readonly single: ColumnValue[];
  private filled = 0;
  private inserted = 0;

  /** `head` is `INSERT INTO t (columns) VALUES`; `tail` an optional ON CONFLICT clause. */
  constructor(sqlite: Database['sqlite'], head: string, private readonly width: number, tail = '') {
    const row = `(${placeholders(width)})`;
    this.many = sqlite.prepare(`${head} ${Array.from({ length: ROWS_PER_INSERT }, () => row).join(', ')} ${tail}`);
    this.one = sqlite.prepare(`${head} ${row} ${tail}`);
    this.chunk = new Array<ColumnValue>(width * ROWS_PER_INSERT).fill(null);
    this.single = new Array<ColumnValue>(width).fill(null);
  }

  /** Queues the next value; a row is `width` values in column order. */
  value(value: ColumnValue): void {
    // A full chunk runs when the next value arrives (or at finish), whichever way it was filled.
    if (this.filled === this.chunk.length) this.flush();
    this.chunk[this.filled++] = value;
  }

  /**
   * Where the next row's `width` values go in `chunk`: the caller writes them all there before
   * any other call. Cheaper than value() per value on the import's millions of rows.
   */
  nextRow(): number {
    if (this.filled === this.chunk.length) this.flush();
    const at = this.filled;
    this.filled += this.width;
    return at;
  }

  private flush(): void {
    try {
      this.inserted += this.many.run(this.chunk).changes;
      this.filled = 0;
    } catch (error) {
      this.discard();
      throw error;
    }
  }

  /** Inserts what is still queued; returns how many rows were inserted (not ignored) since the last finish. */
  finish(): number {
    const { chunk, single, width } = this;
    try {
      if (this.filled === chunk.length) this.flush();
      for (let at = 0; at < this.filled; at += width) {
        for (let j = 0; j < width; j++) single[j] = chunk[at + j]!;
        this.inserted += this.one.run(single).changes;
      }
      return this.inserted;
    } finally {
      this.discard();
    }
  }

  /** Forgets queued rows: after a failed statement, the transaction they belonged to is rolled back. */
  private discard(): void {
    this.filled = 0;
    this.inserted = 0;
  }
}
