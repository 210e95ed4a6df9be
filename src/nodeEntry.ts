import { fileURLToPath } from 'node:url';

/**
 * A module beside `base` (an `import.meta.url`) to start as a Node process of its own: the
 * compiled `.js` when running compiled, the `.ts` source through tsx in development and tests.
 */
export function nodeEntry(name: string, base: string): { file: string; execArgv: string[] } {
  const typescript = base.endsWith('.ts');
  return { file: fileURLToPath(new URL(`./${name}.${typescript ? 'ts' : 'js'}`, base)), execArgv: typescript ? ['--import', 'tsx'] : [] };
}
