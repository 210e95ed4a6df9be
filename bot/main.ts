import { createApp } from '../src/app.js';
import { SERVING_MEMORY } from '../src/catalog/database.js';
import { ConfigError, loadConfig, requireDiscord } from '../src/config.js';

// `npm start`: the bot in the foreground, every shard in this one process; or, with
// DISCORD_SHARDS_PER_PROCESS, the shard manager that runs a bot process per group of shards.
// Settings problems end it with one line, not a stack.

async function main(): Promise<void> {
  const config = loadConfig();
  const { token } = requireDiscord(config);
  const app = createApp(config, { databaseMemory: SERVING_MEMORY });
  let running: { shutdown(): Promise<void> } | null = null;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second signal: leave at once
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    void (running ? running.shutdown() : Promise.resolve(app.close()))
      .catch((error: unknown) => app.logger.error({ err: error }, 'error while shutting down'))
      .finally(() => process.exit(0));
  };
  // Installed before logging in, so a signal at any moment shuts down cleanly.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    // Each loads only what it needs: the manager holds no Discord client, commands or pictures.
    const started =
      config.discord.shards.perProcess === null
        ? await (await import('./run.js')).runBot(app, { token })
        : await (await import('./sharding/manager.js')).runShardManager(app, token);
    running = started;
    // Disconnected for good (a reset token...): stop cleanly, then exit 1 with what to fix.
    const closed = await ('bot' in started ? started.bot.closedForGood : started.closedForGood);
    if (stopping) return;
    stopping = true;
    await started.shutdown().catch((error: unknown) => app.logger.error({ err: error }, 'error while shutting down'));
    throw closed;
  } catch (error) {
    app.close();
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `Cluster DJ could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
