import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { reclusterCatalog, type ReclusterOptions } from './recluster.js';

// Child-process entry of the scheduled re-cluster (see reclusterProcess.ts). Logs go to stderr;
// the outcome is the last line of stdout.

const config = loadConfig();
const app = createApp(config, { logger: createLogger({ level: config.logLevel, destination: process.stderr }) });
try {
  const options = JSON.parse(process.argv[2] ?? '{}') as ReclusterOptions;
  process.stdout.write(`${JSON.stringify(reclusterCatalog(app, options))}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  app.close();
}
