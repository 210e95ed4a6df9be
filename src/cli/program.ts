import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { isUserError } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';
import { registerBackup } from './commands/backup.js';
import { registerCluster } from './commands/cluster.js';
import { registerCrawl } from './commands/crawl.js';
import { registerDatasets } from './commands/datasets.js';
import { registerImport } from './commands/import.js';
import { registerJobs } from './commands/jobs.js';
import { registerMix } from './commands/mix.js';
import { registerRecommend } from './commands/recommend.js';
import { registerResolve } from './commands/resolve.js';
import { registerSpotifyLogin } from './commands/spotifyLogin.js';
import { registerStats } from './commands/stats.js';
import { createCliContext, type CliContext } from './context.js';

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export function buildProgram(ctx: CliContext): Command {
  // Named as it is run, so every usage line can be typed as shown.
  const program = new Command('npm run cli --')
    .description('Cluster DJ from the command line: import datasets (files, URLs or by name), crawl Spotify playlists, cluster, recommend. Settings come from the environment and .env (see .env.example).')
    .version(packageVersion(), '-V, --version', 'print the version of Cluster DJ')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerImport(program, ctx);
  registerDatasets(program, ctx);
  registerCluster(program, ctx);
  registerRecommend(program, ctx);
  registerMix(program, ctx);
  registerStats(program, ctx);
  registerCrawl(program, ctx);
  registerResolve(program, ctx);
  registerSpotifyLogin(program, ctx);
  registerJobs(program, ctx);
  registerBackup(program, ctx);
  return program;
}

/** Runs the CLI; user errors print one line, unexpected ones an apology (details go to the log). */
export async function runCli(argv: string[]): Promise<number> {
  const ctx = createCliContext();
  try {
    await buildProgram(ctx).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError || isUserError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    ctx.logger().error({ err: error, argv: argv.slice(2) }, 'command failed');
    process.stderr.write('Sorry, something went wrong. The log above has the details.\n');
    return 1;
  } finally {
    ctx.close();
  }
}
