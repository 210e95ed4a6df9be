import type { App } from '../app.js';
import { realClock, type Clock } from '../http/httpClient.js';
import { postDueDailies, type DailyCounts, type DailyPublisher } from './dailyPosts.js';
import { JobRunner, type JobDefinition } from './jobRunner.js';
import { JobStore, lockOwner } from './jobStore.js';
import type { ReclusterOutcome } from './recluster.js';
import { runReclusterInChild } from './reclusterProcess.js';
import { recrawlSeeds, type RecrawlCounts } from './recrawl.js';
import { Scheduler } from './scheduler.js';

export interface JobsOptions {
  clock?: Clock;
  /** Where daily posts go; without one (the CLI), the daily job is not scheduled. */
  publisher?: DailyPublisher | null;
  /** Re-cluster in a child process so the bot keeps answering (default); in-process for tests. */
  reclusterInChild?: boolean;
}

/** The background jobs of a running bot: re-crawl, re-cluster and the daily posts, on their schedules. */
export class Jobs {
  readonly runner: JobRunner;
  readonly store: JobStore;
  readonly scheduler: Scheduler;
  readonly recrawl: JobDefinition<RecrawlCounts>;
  readonly recluster: JobDefinition<ReclusterOutcome & Record<string, unknown>>;
  readonly dailyPosts: JobDefinition<DailyCounts> | null;
  private readonly clock: Clock;

  constructor(
    private readonly app: App,
    options: JobsOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    const logger = app.logger.child({ service: 'jobs' });
    this.store = new JobStore(app.database);
    this.runner = new JobRunner(this.store, this.clock, logger, (job, status) => app.metrics.jobRuns.inc({ job, status }));
    const inChild = options.reclusterInChild ?? true;
    this.recrawl = { name: 'recrawl', lock: 'catalog', run: (signal) => recrawlSeeds(app, signal) };
    this.recluster = {
      name: 'recluster',
      lock: 'catalog',
      run: async (signal) => {
        // k-means and its libraries load only where a re-cluster runs (the child, or here when asked).
        const outcome = inChild ? await runReclusterInChild(app.config, {}, signal) : (await import('./recluster.js')).reclusterCatalog(app);
        // Start building the new model's index now, in the background, rather than on the next /recommend.
        if (outcome.status === 'done') app.recommender.currentIndex();
        return outcome;
      },
    };
    const publisher = options.publisher ?? null;
    this.dailyPosts = publisher
      ? {
          name: 'daily-posts',
          // Processes with other shards post for other guilds: their runs need not wait for ours.
          lock: publisher.scope ? `daily: ${publisher.scope}` : 'daily',
          run: () => postDueDailies(app, publisher, new Date(this.clock.now())),
          worthRecording: (counts) => counts.due > 0,
        }
      : null;
    const { recrawlCron, reclusterCron, timeZone } = app.config.jobs;
    // Every process on the database schedules the catalog jobs; the first to claim a firing in
    // the database runs it, the others leave it be. The catalog lock still keeps runs apart.
    const owner = lockOwner('scheduler');
    const coordinator = {
      shouldRun: (key: string, ttlMs: number) => {
        const won = this.store.claimOnce(key, owner, this.clock.now(), ttlMs);
        if (!won) logger.info({ slot: key }, 'another process runs this scheduled job');
        return won;
      },
    };
    this.scheduler = new Scheduler(
      [
        { name: 'recrawl', cron: recrawlCron, timeZone, once: true, run: () => this.runner.run(this.recrawl) },
        { name: 'recluster', cron: reclusterCron, timeZone, once: true, run: () => this.runner.run(this.recluster) },
        ...(this.dailyPosts ? [{ name: 'daily-posts', cron: '* * * * *', timeZone: 'UTC', run: () => this.runner.run(this.dailyPosts!) }] : []),
      ],
      logger,
      coordinator,
    );
  }

  /** Starts the schedules and catches up on today's posts. */
  async start(): Promise<void> {
    this.scheduler.start();
    if (this.dailyPosts) await this.runner.run(this.dailyPosts);
  }

  /** Stops the schedules and lets a running job reach a safe point (bounded). */
  async stop(timeoutMs = this.app.config.jobs.shutdownTimeoutMs): Promise<boolean> {
    this.scheduler.stop();
    return this.runner.stop(timeoutMs);
  }
}
