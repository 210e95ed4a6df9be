import { asc, eq } from 'drizzle-orm';
import { starterImports } from '../../db/schema.js';
import type { Database } from '../catalog/database.js';

/** One source of the starter catalog and how far its import got. */
export interface StarterImport {
  source: string;
  status: 'pending' | 'done';
  rowsRead: number;
  rowsExpected: number | null;
  bytesRead: number;
  bytesTotal: number | null;
  tracksAdded: number;
  attempts: number;
  lastError: string | null;
  finishedAt: number | null;
}

/** The starter catalog's plan and progress in the database, so a restarted bot resumes it. */
export class StarterStore {
  constructor(private readonly database: Database) {}

  all(): StarterImport[] {
    return this.database.db
      .select()
      .from(starterImports)
      .orderBy(asc(starterImports.position))
      .all()
      .map(({ position: _position, createdAt: _createdAt, updatedAt: _updatedAt, ...row }) => row);
  }

  /** Records the sources to import, in order (only when there is no plan yet). */
  plan(sources: readonly { source: string; rowsExpected: number | null }[], now: number): void {
    this.database.db
      .insert(starterImports)
      .values(sources.map((s, position) => ({ source: s.source, position, rowsExpected: s.rowsExpected, updatedAt: now })))
      .onConflictDoNothing()
      .run();
  }

  started(source: string, now: number): void {
    const row = this.database.db.select({ attempts: starterImports.attempts }).from(starterImports).where(eq(starterImports.source, source)).get();
    this.set(source, { attempts: (row?.attempts ?? 0) + 1, rowsRead: 0, bytesRead: 0, updatedAt: now });
  }

  progress(source: string, progress: { rowsRead: number; bytesRead: number; bytesTotal: number | null }, now: number): void {
    this.set(source, { ...progress, updatedAt: now });
  }

  done(source: string, tracksAdded: number, rowsRead: number, now: number): void {
    this.set(source, { status: 'done', tracksAdded, rowsRead, lastError: null, updatedAt: now, finishedAt: now });
  }

  failed(source: string, error: string, now: number): void {
    this.set(source, { lastError: error, updatedAt: now });
  }

  private set(source: string, values: Partial<typeof starterImports.$inferInsert>): void {
    this.database.db.update(starterImports).set(values).where(eq(starterImports.source, source)).run();
  }
}
