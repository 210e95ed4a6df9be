import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the project's own files are, whether this code runs from its TypeScript sources (tsx,
// tests) or compiled into dist/ (npm start, the CLI, Docker): the folder holding package.json,
// found by walking up from this module, wherever the build put it.

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`Cluster DJ: no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** True in the compiled build (dist/*.js), false when running the TypeScript sources. */
export const RUNNING_COMPILED = import.meta.url.endsWith('.js');

/** The drizzle-kit migrations, applied at every start. */
export const MIGRATIONS_DIR = join(PROJECT_ROOT, 'db/migrations');
