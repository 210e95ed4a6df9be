import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { nodeEntry } from '../nodeEntry.js';
import { PROJECT_ROOT } from '../paths.js';
import type { ReclusterOptions, ReclusterOutcome } from './recluster.js';

// A re-cluster of a big catalog is seconds of CPU. Run inside the bot, it would freeze every
// interaction; in a child process on the same database, the bot keeps answering from the active
// model until the new one is committed (one transaction), then swaps its index in the background.

const ENTRY = nodeEntry('src/jobs/reclusterMain');

/** The settings the child needs, as environment variables (the parent's config may not come from the environment). */
function childEnvironment(config: Config): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLUSTER_DJ_IGNORE_DOTENV: '1',
    DATABASE_PATH: resolve(config.databasePath),
    LOG_LEVEL: config.logLevel,
    CLUSTER_K: String(config.clustering.k),
    CLUSTER_K_MIN: String(config.clustering.kMin),
    CLUSTER_K_MAX: String(config.clustering.kMax),
    CLUSTER_SEED: String(config.clustering.seed),
    RECLUSTER_MIN_CHANGE: String(config.jobs.reclusterMinChange),
    MODEL_KEEP_VERSIONS: String(config.jobs.keepModelVersions),
  };
}

export function runReclusterInChild(config: Config, options: ReclusterOptions, signal: AbortSignal): Promise<ReclusterOutcome> {
  const args = [...ENTRY.execArgv, ENTRY.file, JSON.stringify(options)];
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: childEnvironment(config), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Stopping mid-fit is safe: the new model is written in one transaction, or not at all.
  const abort = () => child.kill('SIGTERM');
  signal.addEventListener('abort', abort, { once: true });
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      signal.removeEventListener('abort', abort);
      if (signal.aborted) reject(signal.reason instanceof Error ? signal.reason : new Error('stopped'));
      else if (code === 0) resolvePromise(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ReclusterOutcome);
      else reject(new Error(`the re-cluster process failed (exit ${code}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
  });
}
