import { desc, eq } from 'drizzle-orm';
import { jobRuns } from '../../db/schema.js';
import type { Database } from '../catalog/database.js';

export type JobStatus = 'running' | 'ok' | 'failed' | 'skipped';

export interface JobRun {
  id: number;
  job: string;
  status: JobStatus;
  startedAt: number;
  finishedAt: number | null;
  counts: Record<string, unknown> | null;
  error: string | null;
}

/** The record of every background job run, and the cross-process locks that keep them apart. */
export class JobStore {
  constructor(private readonly database: Database) {}

  start(job: string, now: number): number {
    return this.database.db.insert(jobRuns).values({ job, status: 'running', startedAt: now }).returning({ id: jobRuns.id }).get().id;
  }

  finish(id: number, status: Exclude<JobStatus, 'running'>, now: number, details: { counts?: Record<string, unknown>; error?: string } = {}): void {
    this.database.db
      .update(jobRuns)
      .set({ status, finishedAt: now, counts: details.counts ? JSON.stringify(details.counts) : null, error: details.error ?? null })
      .where(eq(jobRuns.id, id))
      .run();
  }

  /** A run that did not happen (overlap, lock held elsewhere), recorded so `jobs` and /stats show it. */
  skipped(job: string, now: number, reason: string): void {
    this.database.db.insert(jobRuns).values({ job, status: 'skipped', startedAt: now, finishedAt: now, error: reason }).run();
  }

  recent(limit = 20, job?: string): JobRun[] {
    const query = this.database.db.select().from(jobRuns);
    return (job ? query.where(eq(jobRuns.job, job)) : query)
      .orderBy(desc(jobRuns.id))
      .limit(limit)
      .all()
      .map((row) => ({ ...row, status: row.status, counts: row.counts ? (JSON.parse(row.counts) as Record<string, unknown>) : null }));
  }

  /**
   * Takes a named lock until `expiresAt` unless another owner holds one that has not expired.
   * One statement, so two processes racing for it cannot both win.
   */
  tryLock(name: string, owner: string, now: number, ttlMs: number): boolean {
    const result = this.database.sqlite
      .prepare(
        `INSERT INTO job_locks (name, owner, expires_at) VALUES (?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE job_locks.expires_at <= ? OR job_locks.owner = excluded.owner`,
      )
      .run(name, owner, now + ttlMs, now);
    return result.changes > 0;
  }

  unlock(name: string, owner: string): void {
    this.database.sqlite.prepare('DELETE FROM job_locks WHERE name = ? AND owner = ?').run(name, owner);
  }

  /** Runs still marked running (a process died mid-run); marked failed on start-up. */
  failAbandoned(now: number): number {
    return this.database.db
      .update(jobRuns)
      .set({ status: 'failed', finishedAt: now, error: 'the process stopped before the run finished' })
      .where(eq(jobRuns.status, 'running'))
      .run().changes;
  }
}
