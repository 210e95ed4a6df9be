import { createApp } from '../src/app.js';
import { ConfigError, loadConfig, requireDiscord } from '../src/config.js';
import { runBot, type RunningBot } from './run.js';

// `npm start`: the bot in the foreground. Settings problems end it with one line, not a stack.

async function main(): Promise<void> {
  const config = loadConfig();
  const { token } = requireDiscord(config);
  const app = createApp(config);
  let running: RunningBot | null = null;
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
    running = await runBot(app, { token });
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
