import { createApp, type App } from '../app.js';
import { loadConfig, settingGiven, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';

/** What every CLI command receives. The app (and its database) opens on first use, so --help never touches it. */
export interface CliContext {
  config(): Config;
  logger(): Logger;
  /**
   * The app on DATABASE_PATH. Only commands that add to the catalog pass `create`: the others say
   * "no catalog at <path>" instead of creating an empty one where a mistyped path points.
   */
  app(options?: { create?: boolean }): App;
  close(): void;
}

export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  let config: Config | null = null;
  let logger: Logger | null = null;
  let app: App | null = null;
  const getConfig = () => (config ??= loadConfig(env));
  // Logs go to stderr so that stdout carries only the command's output (and parses as JSON with --json).
  // In a terminal, the command's own lines are all a person reads: JSON log lines only for errors,
  // unless LOG_LEVEL asks for more. Piped or redirected (cron, CI), LOG_LEVEL's default applies.
  const getLogger = () => {
    if (!logger) {
      let level = 'info';
      try {
        level = getConfig().logLevel;
      } catch {
        // The config error itself is reported by the caller; log at the default level meanwhile.
      }
      if (process.stderr.isTTY && !settingGiven(env, 'LOG_LEVEL')) level = 'error';
      logger = createLogger({ level, destination: process.stderr });
    }
    return logger;
  };
  return {
    config: getConfig,
    logger: getLogger,
    app: (options = {}) => (app ??= createApp(getConfig(), { logger: getLogger(), createDatabase: options.create ?? false })),
    close: () => app?.close(),
  };
}
