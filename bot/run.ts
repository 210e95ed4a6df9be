import { Status } from 'discord.js';
import type { App } from '../src/app.js';
import { startHealthServer, type GatewayProbe, type GatewayStatus, type HealthServer } from '../src/health.js';
import type { Clock } from '../src/http/httpClient.js';
import { Jobs } from '../src/jobs/jobs.js';
import { createDailyPublisher } from './dailyPublisher.js';
import { startBot, type Bot, type BotOptions } from './start.js';

export interface RunningBot {
  bot: Bot;
  jobs: Jobs;
  health: HealthServer | null;
  /** Stops the schedules, lets a running job reach a safe point (bounded), closes Discord and the database. */
  shutdown(): Promise<void>;
}

// How often a process checks whether another one activated a new cluster model.
const MODEL_CHECK_MS = 10_000;

/** Connected: logged in, and every gateway shard ready (not reconnecting or resuming). */
export function gatewayStatus(bot: Bot): GatewayStatus {
  const { client } = bot;
  const shards = [...client.ws.shards.values()];
  const connected = client.token !== null && shards.length > 0 && shards.every((shard) => shard.status === Status.Ready);
  return { connected, pingMs: connected && client.ws.ping >= 0 ? client.ws.ping : null, shards: client.token === null ? [] : bot.shardStates() };
}

/** The whole bot as `npm start` runs it: Discord client, interaction handling, and background jobs. */
export async function runBot(app: App, options: BotOptions & { clock?: Clock; reclusterInChild?: boolean }): Promise<RunningBot> {
  // Health first: /healthz answers 503 (gateway down) during the first connection too.
  let gateway: GatewayProbe = () => ({ connected: false, pingMs: null, shards: [] });
  const { port, host } = app.config.health;
  const health = port === null ? null : await startHealthServer(app, () => gateway(), port, host);
  let bot: Bot;
  try {
    bot = await startBot(app, options);
  } catch (error) {
    await health?.close();
    throw error;
  }
  gateway = () => gatewayStatus(bot);
  const jobs = new Jobs(app, {
    publisher: createDailyPublisher(bot.client, app, bot.pictures, bot.shards),
    clock: options.clock,
    reclusterInChild: options.reclusterInChild,
  });
  // A re-cluster in another process (a shard process, the CLI) becomes active in the database:
  // load its index in the background and swap it in, without waiting for the next /recommend.
  const modelCheck = setInterval(() => app.recommender.noticeNewModel(), MODEL_CHECK_MS);
  modelCheck.unref();
  await jobs.start();
  // An empty catalog fills itself in the background from the starter datasets; meanwhile
  // /recommend says how far it got.
  app.starter.start({ runner: jobs.runner, recluster: jobs.recluster, onModel: () => app.recommender.currentIndex() });
  return {
    bot,
    jobs,
    health,
    async shutdown() {
      clearInterval(modelCheck);
      await health?.close();
      app.starter.stop();
      const stopped = await jobs.stop();
      if (!stopped) app.logger.warn('a job did not reach a safe point in time; it resumes on the next run');
      await bot.stop();
      app.close();
    },
  };
}
