import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT, RUNNING_COMPILED } from './paths.js';

/**
 * A program of ours to start as a Node process of its own, named by its path in the project
 * without extension (`src/jobs/reclusterMain`): compiled, its build in dist/ (the compiled bot
 * starts compiled children, wherever the bundler put the calling code); from the sources, the
 * `.ts` file through tsx (development and tests).
 */
export function nodeEntry(entry: string): { file: string; execArgv: string[] } {
  return RUNNING_COMPILED
    ? { file: join(PROJECT_ROOT, 'dist', `${entry}.js`), execArgv: ['--enable-source-maps'] }
    : { file: join(PROJECT_ROOT, `${entry}.ts`), execArgv: ['--import', 'tsx'] };
}

/** tsx's module-hook API as a file URL (its package's `tsx/esm/api` export for `import`). */
function tsxApiUrl(): string {
  const manifestPath = createRequire(join(PROJECT_ROOT, 'package.json')).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api']!.import.default)).href;
}

/**
 * A worker thread running a program of ours, named as for nodeEntry. From the sources it first
 * registers tsx in the thread: Node 20 ignores `--import` among a worker's execArgv.
 */
export function startWorker(entry: string, workerData: unknown): Worker {
  const { file } = nodeEntry(entry);
  if (RUNNING_COMPILED) return new Worker(file, { workerData });
  const bootstrap = `import(${JSON.stringify(tsxApiUrl())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
