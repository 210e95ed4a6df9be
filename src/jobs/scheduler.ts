import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';

export interface ScheduledJob {
  name: string;
  cron: string;
  timeZone: string;
  run(): Promise<unknown>;
}

/**
 * Fires jobs on their cron schedules (node-cron). Overlap, locks and run records are the job
 * runner's business; this only decides when. `fireDue(date)` runs what is due at a given minute,
 * which is how tests drive the schedules with an injected clock.
 */
export class Scheduler {
  private readonly tasks: { job: ScheduledJob; task: ScheduledTask }[];

  constructor(
    jobs: ScheduledJob[],
    private readonly logger: Logger,
  ) {
    this.tasks = jobs.map((job) => ({
      job,
      task: createTask(job.cron, () => this.fire(job), { timezone: job.timeZone, name: job.name, noOverlap: false }),
    }));
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
    for (const job of due) await this.fire(job);
    return due.map((j) => j.name);
  }

  nextRuns(): { name: string; next: Date | null }[] {
    return this.tasks.map(({ job, task }) => ({ name: job.name, next: task.getNextRun() }));
  }
}
