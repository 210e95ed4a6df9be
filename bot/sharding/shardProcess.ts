import { ClusterClient, getInfo, IPCMessage, messageType } from 'discord-hybrid-sharding';
import { appLogger, createApp } from '../../src/app.js';
import { SERVING_MEMORY } from '../../src/catalog/database.js';
import { ConfigError, loadConfig, requireDiscord } from '../../src/config.js';
import { runBot, type RunningBot } from '../run.js';
import { CLOSED_FOR_GOOD, STATUS_REQUEST, type ProcessStatus } from './status.js';

// One bot process under the shard manager (manager.ts): the shards the manager gave it, with the
// jobs and the one catalog index they share. Settings come from the environment it inherited.
// It stops on SIGTERM or SIGINT, and when the manager goes away.

const info = getInfo();
const loaded = loadConfig();
// The manager serves /healthz for every process.
const config = { ...loaded, health: { ...loaded.health, port: null } };
const { token } = requireDiscord(config);
const app = createApp(config, { logger: appLogger(config).child({ process: info.CLUSTER }), databaseMemory: SERVING_MEMORY });
let running: RunningBot | null = null;
let stopping = false;

function stop(reason: string): void {
  // Ctrl-C reaches the whole process group and the manager then sends SIGTERM: one shutdown.
  if (stopping) return;
  stopping = true;
  app.logger.info({ reason }, 'shard process shutting down');
  void (running ? running.shutdown() : Promise.resolve(app.close()))
    .catch((error: unknown) => app.logger.error({ err: error }, 'error while shutting down'))
    .finally(() => process.exit(0));
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('disconnect', () => stop('the shard manager went away'));

try {
  running = await runBot(app, { token, shards: { ids: info.SHARD_LIST, count: info.TOTAL_SHARDS } });
} catch (error) {
  if (error instanceof ConfigError) {
    // A setting to fix (a rejected token, sharding required): restarting this process cannot help.
    process.stderr.write(`${error.message}\n`);
    app.close();
    process.exit(CLOSED_FOR_GOOD);
  }
  app.logger.error({ err: error }, 'shard process could not start');
  app.close();
  process.exit(1);
}

const bot = running.bot;
void bot.closedForGood.then((error) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${error.message}\n`);
  void running
    .shutdown()
    .catch((failure: unknown) => app.logger.error({ err: failure }, 'error while shutting down'))
    .finally(() => process.exit(CLOSED_FOR_GOOD));
});
const cluster = new ClusterClient(bot.client);
cluster.on('message', (message) => {
  if (!(message instanceof IPCMessage) || message._type !== messageType.CUSTOM_REQUEST || message.kind !== STATUS_REQUEST) return;
  const status: ProcessStatus = { pid: process.pid, shards: bot.shardStates(), servingModel: app.recommender.servingModelId };
  void message.reply(status);
});
// Ready: the manager starts the next process (its shards identify after ours).
cluster.triggerReady();
