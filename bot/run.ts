import type { App } from '../src/app.js';
import type { Clock } from '../src/http/httpClient.js';
import { Jobs } from '../src/jobs/jobs.js';
import { createDailyPublisher } from './dailyPublisher.js';
import { startBot, type Bot, type BotOptions } from './start.js';

export interface RunningBot {
  bot: Bot;
  jobs: Jobs;
  /** Stops the schedules, lets a running job reach a safe point (bounded), closes Discord and the database. */
  shutdown(): Promise<void>;
}

/** The whole bot as `npm start` runs it: Discord client, interaction handling, and background jobs. */
export async function runBot(app: App, options: BotOptions & { clock?: Clock; reclusterInChild?: boolean }): Promise<RunningBot> {
  const bot = await startBot(app, options);
  const jobs = new Jobs(app, { publisher: createDailyPublisher(bot.client), clock: options.clock, reclusterInChild: options.reclusterInChild });
  await jobs.start();
  return {
    bot,
    jobs,
    async shutdown() {
      const stopped = await jobs.stop();
      if (!stopped) app.logger.warn('a job did not reach a safe point in time; it resumes on the next run');
      await bot.stop();
      app.close();
    },
  };
}
