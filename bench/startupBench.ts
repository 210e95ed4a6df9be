import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../src/paths.js';
import { label, type SyntheticCatalogs } from './catalogs.js';
import { median, type Report } from './stats.js';

// How long a CLI command takes from the shell, start to exit, as a user starts it: compiled (what
// `npm run cli` runs), through npm, and from the TypeScript sources through tsx (as it was), beside
// a bare `node -e 0` measured in the same rounds. The variants take turns, round after round, so
// a busy machine slows them alike.

const ROUNDS = 7;
const GOAL_S = 0.5;

interface Variant {
  name: string;
  command: string;
  args: string[];
}

function timeOnce(variant: Variant, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const run = spawnSync(variant.command, variant.args, { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${variant.name} failed: ${run.stderr.trim().split('\n').at(-1) ?? run.status}`);
  return (performance.now() - started) / 1000;
}

export function benchStartup(report: Report, catalogs: SyntheticCatalogs, tracks: number): void {
  const env = { ...process.env, CLUSTER_DJ_IGNORE_DOTENV: '1', DATABASE_PATH: catalogs.copy(tracks, 'startup'), LOG_LEVEL: 'warn' };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const variants: Variant[] = [
    { name: 'anchor: bare Node start (node -e 0)', command: process.execPath, args: ['-e', '0'] },
    { name: 'cli --help, compiled', command: process.execPath, args: ['dist/src/cli/main.js', '--help'] },
    { name: `cli stats, compiled (${label(tracks)})`, command: process.execPath, args: ['dist/src/cli/main.js', 'stats'] },
    { name: 'cli stats, npm run -s cli (compiled, build check)', command: npm, args: ['run', '-s', 'cli', '--', 'stats'] },
    { name: 'cli stats, from the sources through tsx (as before)', command: process.execPath, args: ['--import', 'tsx', 'src/cli/main.ts', 'stats'] },
  ];
  const times = variants.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) variants.forEach((variant, i) => times[i]!.push(timeOnce(variant, env)));
  const spread = (values: number[]) => `median of ${ROUNDS}, ${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)} s`;
  variants.forEach((variant, i) => report.add('startup', variant.name, median(times[i]!), 's', spread(times[i]!)));
  const stats = median(times[2]!);
  report.target('startup', `CLI start-up (stats, compiled) over the ${GOAL_S} s goal`, stats / GOAL_S, 1, 'at most', `${stats.toFixed(2)} s = ${(stats / median(times[0]!)).toFixed(1)}× a bare Node start; tsx took ${median(times[4]!).toFixed(2)} s`);
}
