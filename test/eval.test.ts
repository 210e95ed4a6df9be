import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../src/clustering/random.js';
import { nearestNeighbourPicks, randomPicks, sameClusterRandomPicks } from '../src/eval/baselines.js';
import { EVAL_DATASETS } from '../src/eval/datasets.js';
import { openEvalCatalog, type EvalCatalog } from '../src/eval/evalCatalog.js';
import { hitRate, reach, sameArtistShare } from '../src/eval/metrics.js';
import { reportLines } from '../src/eval/report.js';
import { evaluateCatalog, type DatasetResult, type MethodResult } from '../src/eval/runner.js';
import { NEAREST_IN_SHIPPED_SPACE, qualityTargets } from '../src/eval/targets.js';
import { tempDir } from './helpers/app.js';
import { dataset, DATASETS } from './helpers/datasets.js';

// The quality evaluation on a small seeded sample of a public dataset (the full run is
// `npm run eval`), and its measures on hand-made inputs.

/** Labels as the loader builds them: row r has values[offsets[r]..offsets[r+1]), ascending. */
function labelSets(perRow: number[][]) {
  const offsets = new Int32Array(perRow.length + 1);
  perRow.forEach((labels, r) => (offsets[r + 1] = offsets[r]! + labels.length));
  return { kind: 'genre' as const, offsets, values: Int32Array.from(perRow.flat()), distinct: new Set(perRow.flat()).size, names: [] };
}

describe('evaluation measures', () => {
  it('counts a hit when the pick shares any label, a miss when there is no pick, and skips unlabelled queries', () => {
    const sets = labelSets([[0, 2], [2], [1], [], [0]]);
    const picks = Int32Array.from([1, 0, -1, 0, 2]);
    expect(hitRate(sets, Int32Array.from([0, 1, 2, 3, 4]), picks)).toEqual({ queries: 4, hits: 2, rate: 0.5 });
  });

  it('measures reach, the most-picked track and the same-artist share', () => {
    const picks = Int32Array.from([1, 1, 1, 0]);
    const asked = Int32Array.from([0, 1, 2, 3]);
    expect(reach(picks, asked, 4)).toMatchObject({ distinct: 2, catalogShare: 0.5, maxPicks: 3, top1PercentShare: 0.75 });
    const keys = { work: Int32Array.from([0, 1, 2, 3]), artist: Int32Array.from([7, 7, 8, 8]) };
    expect(sameArtistShare(keys, asked, picks)).toBe(0.5);
  });

  it('baselines never pick the query, and nearest neighbour applies the recommender exclusions when asked', () => {
    // Four points on a line; 0 and 1 are the same artist, 2 is another version of 1.
    const vectors = Float32Array.from([0, 1, 1.5, 5]);
    const rows = Int32Array.from([0, 1, 2, 3]);
    const plain = new Int32Array(4).fill(-1);
    nearestNeighbourPicks(vectors, 1, rows, plain);
    expect(Array.from(plain)).toEqual([1, 2, 1, 2]);
    const keys = { work: Int32Array.from([0, 1, 1, 2]), artist: Int32Array.from([0, 0, 1, 2]) };
    const ruled = new Int32Array(4).fill(-1);
    nearestNeighbourPicks(vectors, 1, rows, ruled, keys);
    expect(Array.from(ruled)).toEqual([2, 3, 0, 2]);
    const random = new Int32Array(4).fill(-1);
    randomPicks(4, rows, seededRandom(1), random);
    random.forEach((pick, q) => expect(pick).not.toBe(q));
    const clustered = new Int32Array(4).fill(-1);
    sameClusterRandomPicks(Int32Array.from([0, 0, 1, 1]), 2, rows, seededRandom(1), clustered);
    expect(Array.from(clustered)).toEqual([1, 0, 3, 2]);
  });
});

describe('quality targets', () => {
  const method = (id: string, genre: number, playlist: number, reach = 0.6) =>
    ({ id, hitRatesAllTracks: { genre: { queries: 100, hits: genre * 100, rate: genre }, playlist: { queries: 100, hits: playlist * 100, rate: playlist } }, reach: { catalogShare: reach } }) as unknown as MethodResult;

  it('passes a lift of at least 3 % over the nearest neighbour in the shipped space on each label, and reach of half the catalog', () => {
    const targets = qualityTargets([method(NEAREST_IN_SHIPPED_SPACE, 0.44, 0.04), method('recommender', 0.4532, 0.0411, 0.51)], ['genre', 'playlist']);
    expect(targets.map((t) => [t.kind, t.pass])).toEqual([['lift', true], ['lift', false], ['reach', true]]);
    expect(targets[0]!.value).toBeCloseTo(0.03, 9);
    expect(qualityTargets([method(NEAREST_IN_SHIPPED_SPACE, 0.44, 0.04), method('recommender', 0.5, 0.05, 0.49)], ['genre']).at(-1)!.pass).toBe(false);
  });
});

const tidy = dataset(DATASETS.tidyTuesday);
const SAMPLE_ROWS = 10_000;
const QUERIES = 1_000;
const SIMULATION = { genres: 4, membersPerGenre: 5, queriesPerRound: 30, rounds: 3, seed: 1 };

describe.skipIf(!tidy.path)(`evaluation on a sample of TidyTuesday${tidy.note}`, () => {
  const temp = tempDir();
  let catalog: EvalCatalog;
  let result: DatasetResult;

  beforeAll(async () => {
    // A seeded sample of the file's rows, written to a temp file (never into the repository).
    const [header, ...lines] = gunzipSync(readFileSync(tidy.path!)).toString().split('\n').filter((line) => line.length > 0);
    const random = seededRandom(11);
    const sample = lines.filter(() => random() < SAMPLE_ROWS / lines.length);
    const path = join(temp.dir, 'tidytuesday-sample.csv');
    writeFileSync(path, `${[header, ...sample].join('\n')}\n`);
    catalog = await openEvalCatalog(path);
    // Reach over every catalog track: the hub guard only shows on that many picks.
    result = evaluateCatalog(catalog, EVAL_DATASETS[0]!, { queries: QUERIES, seed: 1, reachOver: 'catalog', feedback: SIMULATION });
  }, 120_000);

  afterAll(() => {
    catalog?.dispose();
    temp.dispose();
  });

  const rate = (id: string, kind: 'genre' | 'playlist') => result.methods.find((m) => m.id === id)!.hitRates[kind]!.rate;

  it('asks every query of the shipped recommender and gets a pick for each', () => {
    const shipped = result.methods.find((m) => m.id === 'recommender')!;
    expect(shipped.hitRates.genre!.queries).toBe(QUERIES);
    expect(shipped.reach.distinct).toBeGreaterThan(QUERIES * 0.8);
    expect(shipped.sameArtistShare).toBeLessThan(0.02);
  });

  it('reports the quality targets against the nearest neighbour in the shipped space, PASS or MISS', () => {
    expect(result.methods.map((m) => m.id)).toContain(NEAREST_IN_SHIPPED_SPACE);
    expect(result.targets.map((t) => t.kind)).toEqual(['lift', 'lift', 'reach']);
    const text = reportLines({ generatedAt: '', command: 'npm run eval', datasets: [result], skipped: [], decisions: null, steering: null, mixing: null }).join('\n');
    expect(text).toMatch(/quality targets[\s\S]*\| (PASS|MISS) \|/);
  });

  it('beats a random track and a random track from the same cluster by a clear margin', () => {
    expect(rate('recommender', 'genre')).toBeGreaterThan(rate('random', 'genre') + 0.15);
    expect(rate('recommender', 'genre')).toBeGreaterThan(rate('same-cluster-random', 'genre') + 0.08);
    expect(rate('recommender', 'playlist')).toBeGreaterThan(rate('random', 'playlist') + 0.015);
    expect(rate('recommender', 'playlist')).toBeGreaterThan(2 * rate('same-cluster-random', 'playlist'));
  });

  it('the hub guard lowers the most-picked tracks\' share, and reaches as much of the catalog', () => {
    const guarded = result.methods.find((m) => m.id === 'recommender')!;
    const unguarded = result.methods.find((m) => m.id === 'recommender-no-hub-guard')!;
    expect(guarded.reach.top1PercentShare).toBeLessThan(unguarded.reach.top1PercentShare);
    expect(guarded.reach.maxPicks).toBeLessThanOrEqual(unguarded.reach.maxPicks);
    expect(guarded.reach.catalogShare).toBeGreaterThanOrEqual(unguarded.reach.catalogShare);
  });

  it('simulated members who vote get more of their genre than the same queries without votes', () => {
    const rounds = result.feedback!.rounds;
    expect(rounds).toHaveLength(SIMULATION.rounds + 1);
    expect(rounds[0]!.shaped).toBe(0);
    expect(rounds[0]!.rate).toBe(rounds[0]!.rateWithoutVotes);
    const gain = rounds.slice(1).reduce((sum, r) => sum + (r.rate - r.rateWithoutVotes), 0) / SIMULATION.rounds;
    expect(gain).toBeGreaterThan(0);
  });

  it('prints the table it writes as JSON', () => {
    const text = reportLines({ generatedAt: '', command: 'npm run eval', datasets: [result], skipped: [], decisions: null, steering: null, mixing: null }).join('\n');
    for (const method of result.methods) expect(text).toContain(`| ${method.name} |`);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
