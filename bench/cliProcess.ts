import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The CLI as a separate process, started the way a user starts it, for "whole process" figures:
// start-up, opening the catalog and the job itself, as the anchor's whole process is timed.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const COMPILED = resolve(ROOT, 'dist/src/cli/main.js');

export interface CliCommand {
  args: string[];
  /** How the CLI runs, for the report: compiled JavaScript or TypeScript through tsx. */
  runtime: string;
}

/** BENCH_CLI_ENTRY (a .js entry, or a .ts one run through tsx) if set; else the compiled CLI if built; else tsx. */
export function cliCommand(env: NodeJS.ProcessEnv = process.env): CliCommand {
  const entry = env.BENCH_CLI_ENTRY;
  if (entry) return { args: [...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), resolve(entry)], runtime: `node ${entry}` };
  if (existsSync(COMPILED)) return { args: [COMPILED], runtime: 'compiled (dist/)' };
  return { args: ['--import', 'tsx', resolve(ROOT, 'src/cli/main.ts')], runtime: 'tsx' };
}

/** Runs a command to its end; returns its wall time in seconds and its stdout, or throws with its stderr. */
export function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv): { seconds: number; stdout: string } {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr.trim().split('\n').at(-1) ?? run.status}`);
  return { seconds, stdout: run.stdout };
}

/** The CLI's environment: its own catalog, no .env of the developer's, logs only when something is wrong. */
export function cliEnvironment(databasePath: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CLUSTER_DJ_IGNORE_DOTENV: '1', DATABASE_PATH: databasePath, LOG_LEVEL: 'warn', ...extra };
}
