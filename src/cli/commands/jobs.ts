import { InvalidArgumentError, type Command } from 'commander';
import { JobStore } from '../../jobs/jobStore.js';
import type { CliContext } from '../context.js';
import { printJson, printLines, table } from '../output.js';

const time = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return n;
}

export function registerJobs(program: Command, ctx: CliContext): void {
  program
    .command('jobs')
    .description('Show the recent background job runs (re-crawl, re-cluster, daily posts): start, end, status, counts, error')
    .option('-n, --limit <n>', 'how many runs, 1 to 1000', parseLimit, 20)
    .option('--json', 'print one JSON object per run')
    .action((options: { limit: number; json?: boolean }) => {
      const runs = new JobStore(ctx.app().database).recent(options.limit);
      if (options.json) {
        for (const run of runs) printJson(run);
        return;
      }
      if (runs.length === 0) {
        printLines(['No job has run yet.']);
        return;
      }
      printLines(
        table([
          ['job', 'started (UTC)', 'ended', 'status', 'details'],
          ...runs.map((r) => [r.job, time(r.startedAt), time(r.finishedAt), r.status, r.error ?? (r.counts ? JSON.stringify(r.counts) : '')]),
        ]),
      );
    });
}
