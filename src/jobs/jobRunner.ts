import { isUserError } from '../errors.js';
import type { Clock } from '../http/httpClient.js';
import type { Logger } from '../logger.js';
import { DatabaseLocks } from './databaseLocks.js';
import type { JobStore } from './jobStore.js';

export interface JobDefinition<R extends Record<string, unknown>> {
  name: string;
  /** Jobs sharing a lock never run at the same time (a crawl and a re-cluster share "catalog"). */
  lock: string;
  run(signal: AbortSignal): Promise<R>;
  /**
   * For frequent jobs that mostly find nothing to do (the per-minute daily-post check): only runs
   * that did something, or failed, are recorded.
   */
  worthRecording?(counts: R): boolean;
}

export type JobResult<R> = { status: 'ok'; counts: R } | { status: 'skipped'; reason: string } | { status: 'failed'; error: unknown };

/**
 * Runs background jobs so they never overlap: a run that finds the previous one (in this process,
 * or another process on the same database) still going is skipped and logged. Every run is recorded.
 */
export class JobRunner {
  private readonly locks: DatabaseLocks;
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly controller = new AbortController();

  constructor(
    private readonly store: JobStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Told how every run ended (for metrics). */
    private readonly onRun?: (job: string, status: 'ok' | 'failed' | 'skipped') => void,
  ) {
    this.locks = new DatabaseLocks(store, clock);
  }

  /** Jobs currently running in this process. */
  active(): string[] {
    return [...this.running.keys()];
  }

  async run<R extends Record<string, unknown>>(job: JobDefinition<R>): Promise<JobResult<R>> {
    const log = this.logger.child({ job: job.name });
    const now = this.clock.now();
    const busy = this.running.has(job.name) ? 'its previous run is still going' : this.running.has(job.lock) ? `a "${job.lock}" job is running` : null;
    const release = busy || this.controller.signal.aborted ? null : this.locks.tryHold(job.lock);
    if (!release) {
      const reason = busy ?? (this.controller.signal.aborted ? 'shutting down' : `another process holds the "${job.lock}" lock`);
      this.store.skipped(job.name, now, reason);
      this.onRun?.(job.name, 'skipped');
      log.info({ reason }, 'job skipped');
      return { status: 'skipped', reason };
    }
    // We hold the lock, so runs still "running" under it belonged to a process that died.
    this.store.failAbandoned(job.lock, now);
    const quiet = job.worthRecording !== undefined;
    const id = quiet ? null : this.store.start(job.name, now, job.lock);
    if (!quiet) log.info('job started');
    // A job that throws before its first await (too few tracks to cluster) fails like any other.
    const work = (async () => job.run(this.controller.signal))();
    this.running.set(job.name, work);
    this.running.set(job.lock, work);
    try {
      const counts = await work;
      if (id !== null) this.store.finish(id, 'ok', this.clock.now(), { counts });
      else if (job.worthRecording?.(counts)) this.store.finish(this.store.start(job.name, now, job.lock), 'ok', this.clock.now(), { counts });
      if (!quiet || job.worthRecording?.(counts)) log.info({ counts, ms: this.clock.now() - now }, 'job finished');
      if (!quiet || job.worthRecording?.(counts)) this.onRun?.(job.name, 'ok');
      return { status: 'ok', counts };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.store.finish(id ?? this.store.start(job.name, now, job.lock), 'failed', this.clock.now(), { error: message });
      // A failure the operator can fix (a download that failed, too few tracks) needs no stack trace.
      if (isUserError(error)) log.warn({ reason: message }, 'job failed');
      else log.error({ err: error }, 'job failed');
      this.onRun?.(job.name, 'failed');
      return { status: 'failed', error };
    } finally {
      release();
      this.running.delete(job.name);
      this.running.delete(job.lock);
    }
  }

  /**
   * Asks running jobs to stop at their next safe point and waits for them, at most `timeoutMs`.
   * Returns whether they all stopped in time.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.controller.abort(new Error('shutting down'));
    const all = Promise.allSettled([...new Set(this.running.values())]).then(() => true);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return Promise.race([all, timeout]);
  }
}
