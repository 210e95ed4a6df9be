import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.js';

// The programs as users run them: compiled into dist/ (test/globalSetup.ts builds it once per run).

export type Program = 'bot/main' | 'bot/deploy' | 'bot/sharding/shardProcess' | 'src/cli/main' | 'src/jobs/reclusterMain';

/** Node's arguments to start a compiled program (add the program's own after them), as package.json and the Dockerfile do. */
export function compiledProgram(program: Program): string[] {
  const file = join(PROJECT_ROOT, 'dist', `${program}.js`);
  return program === 'bot/main' || program === 'src/jobs/reclusterMain' ? ['--enable-source-maps', file] : [file];
}
