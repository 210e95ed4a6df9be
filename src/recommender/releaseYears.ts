import type { Statement } from 'better-sqlite3';
import type { Database } from '../catalog/database.js';

// Release years by track ID, for steering older / newer over the whole catalog without a query
// per candidate: one small typed array (2 bytes a track), extended when tracks are added.

export class ReleaseYears {
  private years = new Int16Array(0);
  private maxId = 0;
  /** The earliest and latest year known (0 when none). */
  earliest = 0;
  latest = 0;

  /** Asked before every pick from a song with a known year: prepared once, not per call. */
  private latestIdQuery: Statement<[], number> | null = null;

  constructor(private readonly database: Database) {}

  /** The track's release year, or null when the catalog does not know it. */
  of(trackId: number): number | null {
    const year = trackId < this.years.length ? this.years[trackId]! : 0;
    return year === 0 ? null : year;
  }

  /** Reads the years of tracks added since the last call (one indexed lookup when there are none). */
  refresh(): this {
    const { sqlite } = this.database;
    this.latestIdQuery ??= sqlite.prepare<[], number>('SELECT COALESCE(MAX(id), 0) FROM tracks').pluck();
    const maxId = this.latestIdQuery.get() ?? 0;
    if (maxId <= this.maxId) return this;
    if (maxId >= this.years.length) {
      const grown = new Int16Array(Math.max(maxId + 1, this.years.length * 2));
      grown.set(this.years);
      this.years = grown;
    }
    const rows = sqlite
      .prepare('SELECT id, release_year FROM tracks WHERE id > ? AND release_year IS NOT NULL')
      .raw()
      .iterate(this.maxId) as IterableIterator<[number, number]>;
    for (const [id, year] of rows) {
      if (!(year > 0 && year < 32_768)) continue;
      this.years[id] = year;
      if (this.earliest === 0 || year < this.earliest) this.earliest = year;
      if (year > this.latest) this.latest = year;
    }
    this.maxId = maxId;
    return this;
  }
}
