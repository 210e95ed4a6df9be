import { createApp } from '../src/app.js';
import { ConfigError, loadConfig, requireDiscord } from '../src/config.js';
import { startBot, type Bot } from './start.js';

// `npm start`: the bot in the foreground. Settings problems end it with one line, not a stack.

async function main(): Promise<void> {
  const config = loadConfig();
  const { token } = requireDiscord(config);
  const app = createApp(config);
  let bot: Bot | null = null;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second signal: leave at once
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    void (bot?.stop() ?? Promise.resolve()).finally(() => {
      app.close();
      process.exit(0);
    });
  };
  // Installed before logging in, so a signal at any moment shuts down cleanly.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    bot = await startBot(app, { token });
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
