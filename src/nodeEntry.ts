import { join } from 'node:path';
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
