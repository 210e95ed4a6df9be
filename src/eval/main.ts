import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { EVAL_DATASETS, locateDataset, sharedDataDir } from './datasets.js';
import { evaluateDecisions } from './decisions.js';
import { DEFAULT_FEEDBACK_SIMULATION } from './feedbackSimulation.js';
import { openEvalCatalog } from './evalCatalog.js';
import { reportLines, type EvalReport } from './report.js';
import { evaluateCatalog, type EvalOptions } from './runner.js';
import { searchSection } from './searchSection.js';
import { EVAL_SECTIONS, mixSection, SECTION_DATASETS, steerSection, type EvalSection } from './soundSections.js';

// `npm run eval`: how good the shipped recommendations are on public datasets, against baselines.

const DEFAULT_OUT = 'eval/results.json';

interface CliOptions {
  queries: number;
  seed: number;
  out: string;
  json?: boolean;
  dataset?: string[];
  reach: EvalOptions['reachOver'];
  decisions?: boolean;
  feedbackRounds: number;
  only: EvalSection[];
  steerQueries?: number;
  tuneSearch?: boolean;
}

function section(value: string, previous: EvalSection[] | undefined): EvalSection[] {
  if (!(EVAL_SECTIONS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected ${EVAL_SECTIONS.join(', ')}`);
  return [...(previous ?? []), value as EvalSection];
}

function wholeNumber(min: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
    return n;
  };
}

function reachOver(value: string): EvalOptions['reachOver'] {
  if (value !== 'catalog' && value !== 'sample') throw new InvalidArgumentError('expected "catalog" or "sample"');
  return value;
}

async function run(options: CliOptions, argv: string[]): Promise<void> {
  const wanted = options.dataset?.map((name) => name.toLowerCase());
  const datasets = EVAL_DATASETS.filter((d) => !wanted || wanted.includes(d.name.toLowerCase()));
  if (datasets.length === 0) {
    process.stderr.write(`Unknown dataset; expected one of ${EVAL_DATASETS.map((d) => d.name).join(', ')}.\n`);
    process.exitCode = 1;
    return;
  }
  const evalOptions: EvalOptions = {
    queries: options.queries,
    seed: options.seed,
    reachOver: options.reach,
    feedback: options.feedbackRounds > 0 ? { ...DEFAULT_FEEDBACK_SIMULATION, rounds: options.feedbackRounds, seed: options.seed } : null,
    onProgress: (message) => process.stderr.write(`${message}\n`),
  };
  const report: EvalReport = {
    generatedAt: new Date().toISOString(),
    command: ['npm run eval', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
    datasets: [],
    skipped: [],
    decisions: null,
    steering: null,
    mixing: null,
    search: null,
  };
  const only = new Set(options.only.length > 0 ? options.only : EVAL_SECTIONS);
  const progress = (message: string) => process.stderr.write(`${message}\n`);
  for (const dataset of datasets) {
    const steer = only.has('steer') && SECTION_DATASETS.steer === dataset.name;
    const mix = only.has('mix') && SECTION_DATASETS.mix === dataset.name;
    if (!only.has('quality') && !steer && !mix) continue;
    const found = locateDataset(dataset);
    if (!('path' in found)) {
      report.skipped.push({ dataset: dataset.name, reason: found.missing });
      process.stderr.write(`${dataset.name}: skipped (${found.missing}).\n`);
      continue;
    }
    process.stderr.write(`${dataset.name}: importing ${found.path}\n`);
    const catalog = await openEvalCatalog(found.path);
    try {
      if (only.has('quality')) {
        report.datasets.push(evaluateCatalog(catalog, dataset, evalOptions));
        if (options.decisions) (report.decisions ??= []).push(evaluateDecisions(catalog, dataset, evalOptions));
      }
      // (Decisions end on the shipped model: its last variants change the pick alone.)
      if (steer) (report.steering ??= []).push(steerSection(catalog, dataset, progress, { queries: options.steerQueries, seed: options.seed }));
      if (mix) {
        const mixing = mixSection(catalog, dataset, options.seed, progress);
        if (mixing) (report.mixing ??= []).push(mixing);
      }
    } finally {
      catalog.dispose();
    }
  }
  if (only.has('search')) {
    const search = await searchSection(progress, { tune: options.tuneSearch });
    if ('missing' in search) {
      report.skipped.push({ dataset: 'search check', reason: search.missing });
      process.stderr.write(`search check: skipped (${search.missing}).\n`);
    } else report.search = search;
  }
  if (report.datasets.length === 0 && !report.steering && !report.mixing && !report.search) {
    process.stderr.write(`No dataset to evaluate in ${sharedDataDir()}.\n`);
    process.exitCode = 1;
    return;
  }
  const out = resolve(options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${reportLines(report).join('\n')}\n\nWritten to ${options.out}.\n`);
}

const program = new Command('eval')
  .description(
    'Measures the shipped recommender on the public datasets in ../shared/data (SHARED_DATA_DIR): how often a pick shares the ' +
      "query's genre or playlist, against a random track, a random track from the same cluster and nearest neighbours; how much of the catalog it reaches, " +
      'with and without the hub guard; and how simulated members who vote on picks move their genre hit rate, round by round.',
  )
  .option('--queries <n>', 'seeded queries per dataset for the hit rates', wholeNumber(1), 3_000)
  .option('--seed <n>', 'seed for the queries and the random baselines', wholeNumber(0), 1)
  .option('--dataset <name...>', `only these datasets (${EVAL_DATASETS.map((d) => d.name).join(', ')})`)
  .option('--reach <over>', 'measure reach with every catalog track as a query ("catalog") or the queries only ("sample", faster)', reachOver, 'catalog')
  .option('--feedback-rounds <n>', 'rounds of voting in the simulated-feedback run (0 skips it)', wholeNumber(0), DEFAULT_FEEDBACK_SIMULATION.rounds)
  .option('--decisions', 'also measure each tuning choice against what ships (re-clusters once per variant; a few minutes)')
  .option('--only <section>', `run only this section (${EVAL_SECTIONS.join(', ')}; repeatable): quality is the tables above, steer the /recommend steer table, mix the /mix table, search the famous-titles search check`, section, [])
  .option('--steer-queries <n>', 'steer a seeded sample of this many tracks (--seed) instead of every track: for tuning; the README reports every track', wholeNumber(1))
  .option('--tune-search', 'before the search check, search the name search prior\'s settings on the famous titles and the charting ones, and print the best')
  .option('--out <file>', 'where the JSON report is written', DEFAULT_OUT)
  .option('--json', 'print the JSON report instead of the tables')
  .exitOverride();

const argv = process.argv.slice(2);
try {
  program.parse(process.argv);
  await run(program.opts<CliOptions>(), argv);
} catch (error) {
  // Commander has printed its own message (or the help) already.
  if (!(error instanceof CommanderError)) throw error;
  process.exitCode = error.exitCode;
}
