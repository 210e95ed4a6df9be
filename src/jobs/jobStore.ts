import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { and, desc, eq } from 'drizzle-orm';
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

  start(job: string, now: number, lockName: string | null = null): number {
    return this.database.db.insert(jobRuns).values({ job, lockName, status: 'running', startedAt: now }).returning({ id: jobRuns.id }).get().id;
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
   * Takes a named lock until now + ttl unless another owner holds one that has not expired (or
   * renews our own). One statement, so two processes racing for it cannot both win. A lock
   * whose owner was a process on this machine that no longer exists (killed) is taken over.
   */
  tryLock(name: string, owner: string, now: number, ttlMs: number): boolean {
    const take = this.database.sqlite.prepare(
      `INSERT INTO job_locks (name, owner, expires_at) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE job_locks.expires_at <= ? OR job_locks.owner = excluded.owner`,
    );
    if (take.run(name, owner, now + ttlMs, now).changes > 0) return true;
    const holder = this.database.sqlite.prepare('SELECT owner FROM job_locks WHERE name = ?').pluck().get(name) as string | undefined;
    if (holder === undefined || !ownerIsDead(holder)) return false;
    this.database.sqlite.prepare('DELETE FROM job_locks WHERE name = ? AND owner = ?').run(name, holder);
    return take.run(name, owner, now + ttlMs, now).changes > 0;
  }

  /**
   * Claims a one-off name (a scheduled run's slot) until now + ttl: true for the first process to
   * ask, false for every other until it expires. Never released early, so a process that fires the
   * same slot late does not run it again. Expired claims are pruned on the way.
   */
  claimOnce(name: string, owner: string, now: number, ttlMs: number): boolean {
    const claim = `once:${name}`;
    this.database.sqlite.prepare("DELETE FROM job_locks WHERE name LIKE 'once:%' AND expires_at <= ? AND name <> ?").run(now, claim);
    return (
      this.database.sqlite
        .prepare(
          `INSERT INTO job_locks (name, owner, expires_at) VALUES (?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE job_locks.expires_at <= ?`,
        )
        .run(claim, owner, now + ttlMs, now).changes > 0
    );
  }

  unlock(name: string, owner: string): void {
    this.database.sqlite.prepare('DELETE FROM job_locks WHERE name = ? AND owner = ?').run(name, owner);
  }

  /**
   * Runs still marked running under a lock we now hold (so nobody else is running them): their
   * process died mid-run. Marked failed, so `cli jobs` and /stats do not show them running forever.
   */
  failAbandoned(lockName: string, now: number): number {
    return this.database.db
      .update(jobRuns)
      .set({ status: 'failed', finishedAt: now, error: 'the process stopped before the run finished' })
      .where(and(eq(jobRuns.status, 'running'), eq(jobRuns.lockName, lockName)))
      .run().changes;
  }
}

/**
 * A lock owner is "host:pid:start:token". The start (boot id and start tick on Linux) tells a live
 * process from an earlier one that had the same PID: in a restarted container node gets the same
 * PID again, and the dead owner's locks must not look alive for their whole expiry.
 */
export function lockOwner(token: string, process_: { pid?: number; started?: string } = {}): string {
  const pid = process_.pid ?? process.pid;
  const started = process_.started ?? (pid === process.pid ? ownStart() : (processStart(pid) ?? 'unknown'));
  return `${hostname()}:${pid}:${started}:${token}`;
}

/** Dead: on this host, and no process with that PID exists, or the one that does started at another time. */
function ownerIsDead(owner: string): boolean {
  const parts = owner.split(':');
  const pid = Number(parts[1]);
  if (parts[0] !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  // Owners written before the start was recorded are "host:pid:token".
  const started = parts.length >= 4 ? parts[2]! : null;
  if (pid === process.pid) return started !== null && started !== ownStart();
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  if (started === null) return false;
  const now = processStart(pid);
  return now !== null && now !== started;
}

let ownStartMark: string | null = null;
/** This process's start: from /proc where there is one, else the time it started (ms). */
function ownStart(): string {
  return (ownStartMark ??= processStart(process.pid) ?? String(Math.round(performance.timeOrigin)));
}

/** A process's start as Linux records it (boot id and start tick), or null where it cannot be read. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 is the start time; counted after the command name, which may hold spaces and ")".
    const tick = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().slice(0, 8);
    return tick ? `${boot}-${tick}` : null;
  } catch {
    return null;
  }
}
