import type { LabelKind } from './datasets.js';
import type { DecisionRun } from './decisions.js';
import type { MixEvaluation } from './mixing.js';
import type { DatasetResult, MethodResult } from './runner.js';
import { steerFeatures, STEERS, type ChangedQuality } from '../recommender/steer.js';
import { searchCheckLines, type SearchCheck } from './searchCheck.js';
import { STEER_TARGET, type SteerEvaluation, type SteerMeasure } from './steering.js';

// The evaluation as Markdown tables (the terminal and the README show the same text) and as JSON.

export interface EvalReport {
  generatedAt: string;
  command: string;
  datasets: DatasetResult[];
  skipped: { dataset: string; reason: string }[];
  decisions: DecisionRun[] | null;
  /** `/recommend … steer:` measured over every track (null when the section did not run). */
  steering: SteerEvaluation[] | null;
  /** `/mix` measured on playlists (null when the section did not run). */
  mixing: MixEvaluation[] | null;
  /** Famous titles typed alone on every shared dataset imported together (null when the section did not run). */
  search?: SearchCheck | null;
}

const HEADINGS: Record<LabelKind, string> = { genre: 'shares genre', playlist: 'shares a playlist' };

const count = (n: number) => n.toLocaleString('en');
const plural = (n: number, noun: string) => `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
const percent = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} %`;
const signed = (x: number, digits = 1) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(digits)}`;
/** Playlist hits are rare, so they get one more digit. */
const digitsFor = (kind: LabelKind) => (kind === 'playlist' ? 2 : 1);

function markdownTable(header: string[], align: ('l' | 'r')[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

function rateCell(rates: MethodResult['hitRates'] | null, kind: LabelKind): string {
  const rate = rates?.[kind];
  return rate ? percent(rate.rate, digitsFor(kind)) : '–';
}

function methodRow(result: DatasetResult, method: MethodResult): string[] {
  return [
    method.name,
    ...result.measures.map((kind) => rateCell(method.hitRates, kind)),
    ...(result.reachOver === 'catalog' ? result.measures.map((kind) => rateCell(method.hitRatesAllTracks, kind)) : []),
    percent(method.reach.catalogShare),
    String(method.reach.maxPicks),
    percent(method.reach.top1PercentShare),
    percent(method.sameArtistShare),
  ];
}

/** Half-width of a 95 % interval for a share p measured on n queries, in percentage points. */
function margin95(p: number, n: number): string {
  return (1.96 * Math.sqrt((p * (1 - p)) / Math.max(1, n)) * 100).toFixed(1);
}

function datasetLines(result: DatasetResult): string[] {
  const { model } = result;
  const sizes = model.clusterSizes;
  const kHow =
    model.kChosenBy === 'silhouette' && model.kCandidates
      ? `chosen by silhouette from ${model.kCandidates.map((c) => c.k).join(', ')}`
      : 'set';
  const allTracks = result.reachOver === 'catalog';
  const shipped = result.methods.find((m) => m.id === 'recommender') ?? result.methods[0];
  const margins = result.measures
    .map((kind) => {
      const rate = shipped?.hitRates[kind];
      return rate ? `± ${margin95(rate.rate, rate.queries)} pp (${kind})` : null;
    })
    .filter((m) => m !== null)
    .join(', ');
  const header = [
    'method',
    ...result.measures.map((kind) => `${HEADINGS[kind]}${allTracks ? `, ${count(result.queries)} queries` : ''}`),
    ...(allTracks ? result.measures.map((kind) => `${HEADINGS[kind]}, every track`) : []),
    'catalog reachable',
    'most picks of one track',
    'picks on the top 1 %',
    "picks by the query's artist",
  ];
  return [
    `### ${result.dataset} (${result.file})`,
    '',
    `${count(result.rowsRead)} rows, ${count(result.distinctIds)} distinct track IDs → ${count(result.catalogTracks)} catalog tracks ` +
      `(${count(result.mergedDuplicates)} IDs merged into the same recording under another ID, ${plural(result.skippedRows, 'row')} skipped). ` +
      `k = ${model.k} (${kHow}), silhouette ${model.silhouette?.toFixed(3) ?? 'n/a'}, cluster sizes ${count(sizes.min)} / ${count(sizes.median)} / ${count(sizes.max)} (min / median / max). ` +
      `Hit rates over ${count(result.queries)} seeded queries (seed ${result.seed}; 95 % sampling margin ${margins})` +
      (allTracks ? ` and over every catalog track as a query; reach, too, asks every track.` : `; reach over the same queries.`),
    '',
    ...markdownTable(header, header.map((_, i) => (i === 0 ? 'l' : 'r')), result.methods.map((method) => methodRow(result, method))),
  ];
}

/** Issue 16's targets, each PASS or MISS. */
function targetLines(result: DatasetResult): string[] {
  if (!result.targets?.length) return [];
  return [
    `#### ${result.dataset}: quality targets (every track as a query)`,
    '',
    ...markdownTable(
      ['target', 'measured', 'needed', ''],
      ['l', 'r', 'r', 'l'],
      result.targets.map((t) => [t.target, t.kind === 'reach' ? percent(t.value) : `${signed(t.value)} %`, `≥ ${t.kind === 'reach' ? '' : '+'}${percent(t.threshold)}`, t.pass ? 'PASS' : 'MISS']),
    ),
  ];
}

/** The hub guard's effect: coverage and the most-picked tracks without and with it. */
function hubGuardLines(result: DatasetResult): string[] {
  const without = result.methods.find((m) => m.id === 'recommender-no-hub-guard');
  const shipped = result.methods.find((m) => m.id === 'recommender');
  if (!without || !shipped) return [];
  const top = (method: MethodResult) =>
    method.topPicks.map((t) => `${t.name} — ${t.artists.join(', ')} (${t.picks})`).join('; ');
  return [
    `#### ${result.dataset}: the hub guard`,
    '',
    ...markdownTable(
      ['', 'catalog reachable', 'most picks of one track', 'picks on the top 1 %', 'most-picked tracks (picks)'],
      ['l', 'r', 'r', 'r', 'l'],
      [without, shipped].map((m) => [
        m === shipped ? 'with the guard (ships)' : 'without the guard',
        percent(m.reach.catalogShare),
        String(m.reach.maxPicks),
        percent(m.reach.top1PercentShare),
        top(m),
      ]),
    ),
  ];
}

/** The simulated-feedback run, round by round. */
function feedbackLines(result: DatasetResult): string[] {
  const simulation = result.feedback;
  if (!simulation) return [];
  const { options } = simulation;
  return [
    `#### ${result.dataset}: simulated feedback`,
    '',
    `${count(simulation.members)} members in one server, ${count(options.membersPerGenre)} fans of each of ${simulation.genres.join(', ')}; ` +
      `each asks for ${count(options.queriesPerRound)} random songs of their genre per round and votes 👍 on picks of their genre, 👎 on the rest (seed ${options.seed}).`,
    '',
    ...markdownTable(
      ['round', 'votes so far', "picks in the member's genre", 'the same queries without votes', 'difference', 'picks changed by votes'],
      ['l', 'r', 'r', 'r', 'r', 'r'],
      simulation.rounds.map((r) => [
        r.round === 0 ? '0 (no votes yet)' : String(r.round),
        count(r.votesBefore),
        percent(r.rate),
        percent(r.rateWithoutVotes),
        `${signed(r.rate - r.rateWithoutVotes)} pp`,
        percent(r.shaped),
      ]),
    ),
  ];
}

function decisionLines(runs: DecisionRun[]): string[] {
  const first = runs[0];
  if (!first || first.rows.length === 0) return [];
  // Read on every track when measured so (no sampling noise), else on the queries.
  const ratesOf = (result: MethodResult) => result.hitRatesAllTracks ?? result.hitRates;
  const columns = runs.flatMap((run) => run.measures.map((kind) => ({ run, kind })));
  const everyTrack = first.rows[0]!.result.hitRatesAllTracks ? ', every track' : '';
  const header = [
    'choice',
    'variant',
    ...columns.map(({ run, kind }) => `${run.dataset}: ${HEADINGS[kind]}${everyTrack}`),
    `${first.dataset}: catalog reachable`,
    `${first.dataset}: picks by the query's artist`,
    'verdict',
  ];
  const rows = first.rows.map((decision, i) => [
    decision.choice,
    decision.variant,
    ...columns.map(({ run, kind }) => {
      const rate = ratesOf(run.rows[i]!.result)[kind]?.rate ?? 0;
      const shipped = ratesOf(run.rows[0]!.result)[kind]?.rate ?? 0;
      const digits = digitsFor(kind);
      return i === 0 ? percent(rate, digits) : `${percent(rate, digits)} (${signed(rate - shipped, digits)})`;
    }),
    percent(decision.result.reach.catalogShare),
    percent(decision.result.sameArtistShare),
    decision.verdict,
  ]);
  return [
    '### What ships, and what each choice is worth (each row changes one thing from what ships; differences in percentage points)',
    '',
    ...markdownTable(header, header.map((_, i) => (i < 2 || i === header.length - 1 ? 'l' : 'r')), rows),
  ];
}

/** How a steer's quality changed on average, in its own units. */
function changeCell(quality: ChangedQuality, change: number): string {
  if (quality === 'releaseYear') return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(1)} years`;
  if (quality === 'tempo') return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(1)} BPM`;
  return `${signed(change)} pp`;
}

/** The mean changes, steered / unsteered; each feature named when the steer moves several. */
function changesCell(measure: SteerMeasure): string {
  const named = measure.meanChanges.length > 1;
  return measure.meanChanges
    .map((c) => `${named ? `${c.quality} ` : ''}${changeCell(c.quality, c.steered)} / ${changeCell(c.quality, c.unsteered)}`)
    .join('; ');
}

function stepCell(measure: SteerMeasure): string {
  const { step } = measure;
  return STEERS[measure.direction].quality === 'releaseYear'
    ? `≥ ${step.minYears} years, the ${STEERS[measure.direction].sign > 0 ? 'newest' : 'oldest'} of the ${step.yearPool} nearest`
    : `${step.targetShift} sd aimed, ≥ ${step.minShift}`;
}

export function steeringLines(evaluation: SteerEvaluation): string[] {
  const asked =
    evaluation.sampleSeed === null
      ? `Every catalog track (${count(evaluation.queries)})`
      : `A seeded sample of ${count(evaluation.queries)} of the catalog's ${count(evaluation.catalogSize)} tracks (seed ${evaluation.sampleSeed})`;
  return [
    `### ${evaluation.dataset}: steering (\`/recommend … steer:\`)`,
    '',
    `${asked} asked unsteered (as shipped) and steered each way, dry runs. A steer works when the steered pick has more of the quality ` +
      `than the unsteered pick (no steered pick counts as a miss) in at least ${percent(STEER_TARGET.share, 0)} of the queries, with a median distance from the asked song ` +
      `within ${STEER_TARGET.distanceRatio}× the unsteered pick's. Songs already at the catalog's end of a scale (or without a release year) cannot be steered that way and are counted apart. ` +
      'Steps in standard deviations along the quality (sd).',
    '',
    ...markdownTable(
      ['steer', 'step', 'queries', 'at the end of the scale', 'answered', 'more than the unsteered pick', 'the unsteered pick itself', 'median distance, steered / unsteered', 'ratio', 'within 1.5× the unsteered median', 'mean change, steered / unsteered', 'from another cluster', 'target'],
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      evaluation.directions.map((d) => [
        d.name,
        stepCell(d),
        count(d.queries),
        count(d.outOfRange),
        percent(d.answered),
        percent(d.moreThanUnsteered),
        percent(d.sameAsUnsteered),
        `${d.medianDistance.toFixed(2)} / ${d.medianUnsteeredDistance.toFixed(2)}`,
        `${(d.medianDistance / Math.max(1e-9, d.medianUnsteeredDistance)).toFixed(2)}×`,
        percent(d.withinLimit),
        changesCell(d),
        percent(d.leftCluster),
        d.meetsTarget ? 'PASS' : 'MISS',
      ]),
    ),
    ...genreCheckLines(evaluation),
  ];
}

/** Steers whose quality is made of several features, checked against the dataset's genres (labels the recommender never sees). */
function genreCheckLines(evaluation: SteerEvaluation): string[] {
  return evaluation.directions.flatMap((d) => {
    if (!d.genres || steerFeatures(d.direction).length < 2) return [];
    const genres = [...d.genres].sort((a, b) => b.steered - b.unsteered - (a.steered - a.unsteered));
    return [
      '',
      `**${d.name}**, checked against the playlists' genres: the share of the asked songs / unsteered picks / steered picks in each genre: ` +
        genres.map((g) => `${g.genre} ${percent(g.asked)} / ${percent(g.unsteered)} / ${percent(g.steered)}`).join('; ') +
        '.',
    ];
  });
}

export function mixingLines(evaluation: MixEvaluation): string[] {
  return [
    `### ${evaluation.dataset}: mixes (\`/mix\`)`,
    '',
    `${count(evaluation.playlists)} playlists with at least ${evaluation.seedsPerMix + 10} catalog tracks; for each, ${evaluation.seedsPerMix} of its tracks (seed ${evaluation.seed}) make a mix of ${evaluation.size}, ` +
      `against the ${evaluation.size} nearest neighbours of the three tracks' mean (the same scaled space, the seeds left out). A hit is a track of the same playlist.`,
    '',
    ...markdownTable(
      ['method', 'playlist tracks in the set (mean)', 'more than the mean\'s neighbours', 'as many', 'distinct artists (mean)', 'mean step between consecutive tracks'],
      ['l', 'r', 'r', 'r', 'r', 'r'],
      [
        [`the ${evaluation.size} nearest neighbours of the mean`, evaluation.baselineMeanHits.toFixed(2), '–', '–', '–', '–'],
        ...evaluation.variants.map((v) => [v.name, v.meanHits.toFixed(2), percent(v.wins), percent(v.ties), v.meanArtists.toFixed(1), v.meanStep.toFixed(2)]),
      ],
    ),
  ];
}

export function reportLines(report: EvalReport): string[] {
  const lines: string[] = [];
  for (const result of report.datasets) {
    lines.push(...datasetLines(result), '');
    const targets = targetLines(result);
    if (targets.length > 0) lines.push(...targets, '');
    const guard = hubGuardLines(result);
    if (guard.length > 0) lines.push(...guard, '');
    const feedback = feedbackLines(result);
    if (feedback.length > 0) lines.push(...feedback, '');
  }
  for (const { dataset, reason } of report.skipped) lines.push(`${dataset}: skipped (${reason}).`, '');
  if (report.decisions) lines.push(...decisionLines(report.decisions), '');
  for (const steering of report.steering ?? []) lines.push(...steeringLines(steering), '');
  for (const mixing of report.mixing ?? []) lines.push(...mixingLines(mixing), '');
  if (report.search) lines.push(...searchCheckLines(report.search), '');
  lines.push(`Reproduce with: ${report.command}`);
  return lines;
}
