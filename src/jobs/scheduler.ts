import { createTask, type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';

export interface ScheduledJob {
  name: string;
  cron: string;
  timeZone: string;
  /** Every process schedules it, one runs each firing (the coordinator decides which). */
  once?: boolean;
  run(): Promise<unknown>;
}

export type { RunCoordinator };

// How long a firing's claim lasts: longer than any process could be late to fire the same slot.
const ONCE_LEASE_MS = 6 * 3_600_000;

/**
 * Fires jobs on their cron schedules (node-cron). Overlap, locks and run records are the job
 * runner's business; this only decides when, and, for `once` jobs, asks node-cron's distributed
 * coordinator which process fires a slot. `fireDue(date)` runs what is due at a given minute,
 * which is how tests drive the schedules with an injected clock.
 */
export class Scheduler {
  private readonly tasks: { job: ScheduledJob; task: ScheduledTask }[];

  constructor(
    jobs: ScheduledJob[],
    private readonly logger: Logger,
    private readonly coordinator?: RunCoordinator,
  ) {
    this.tasks = jobs.map((job) => {
      const distributed = job.once === true && coordinator !== undefined;
      return {
        job,
        task: createTask(job.cron, () => this.fire(job), {
          timezone: job.timeZone,
          name: job.name,
          noOverlap: false,
          ...(distributed ? { distributed, runCoordinator: coordinator, distributedLease: ONCE_LEASE_MS } : {}),
        }),
      };
    });
  }

  private async fire(job: ScheduledJob): Promise<void> {
    try {
      await job.run();
    } catch (error) {
      this.logger.error({ err: error, job: job.name }, 'scheduled job threw');
    }
  }

  start(): void {
    for (const { task } of this.tasks) void task.start();
  }

  stop(): void {
    for (const { task } of this.tasks) void task.stop();
  }

  /** Runs, in order, every job whose schedule matches this minute. */
  async fireDue(date: Date): Promise<string[]> {
    const minute = new Date(Math.floor(date.getTime() / 60_000) * 60_000);
    const due = this.tasks.filter(({ task }) => task.match(minute)).map(({ job }) => job);
    const fired: string[] = [];
    for (const job of due) {
      // The same slot key node-cron's distributed runner uses.
      if (job.once && this.coordinator && !(await this.coordinator.shouldRun(`${job.name}:${minute.toISOString()}`, ONCE_LEASE_MS))) continue;
      await this.fire(job);
      fired.push(job.name);
    }
    return fired;
  }

  nextRuns(): { name: string; next: Date | null }[] {
    return this.tasks.map(({ job, task }) => ({ name: job.name, next: task.getNextRun() }));
  }
}
