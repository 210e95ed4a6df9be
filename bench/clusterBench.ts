import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '../src/catalog/catalog.js';
import { openDatabase } from '../src/catalog/database.js';
import { loadFeatureMatrix, scaledVectors } from '../src/clustering/featureMatrix.js';
import { DEFAULT_FEATURE_SPEC } from '../src/clustering/featureSpec.js';
import { fitKMeans } from '../src/clustering/kmeans.js';
import { importCsv } from '../src/import/importCsv.js';
import { AUDIO_FEATURE_NAMES } from '../src/types.js';
import { cliCommand, cliEnvironment, timeProcess } from './cliProcess.js';
import { median, spreadPercent, type Report } from './stats.js';
import { blobFeatures } from './synthetic.js';

// k-means against scikit-learn, measured in the same run: the fit alone on the same float32
// matrix (scikit-learn on one thread), its inertia over several seeds, and the whole `cluster`
// job as a process on the real datasets' union beside scikit-learn's whole process doing the same.

const K = 20;
const SEEDS = [0, 1, 2, 3, 4];
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const SKLEARN_FIT = new URL('./sklearn_kmeans.py', import.meta.url).pathname;
const SKLEARN_JOB = new URL('./sklearn_cluster_job.py', import.meta.url).pathname;
const UNION = ['spotify_hit_predictor_tracks.csv.gz', 'tidytuesday_spotify_songs.csv.gz', 'musicoset_tracks.csv'];
/** One thread for scikit-learn's OpenMP and BLAS pools, set before Python starts (the scripts also use threadpoolctl). */
const ONE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

interface Fit {
  seed: number;
  seconds: number;
  inertia: number;
  iterations: number;
}

/** Why scikit-learn cannot run here, or null when it can. */
function sklearnMissing(): string | null {
  const run = spawnSync(PYTHON, ['-c', 'import sklearn, threadpoolctl'], { encoding: 'utf8' });
  if (run.error) return `skipped: ${PYTHON} is absent (set PYTHON)`;
  if (run.status !== 0) return 'skipped: scikit-learn is not installed for that Python (apt-get install python3-sklearn)';
  return null;
}

function writeMatrix(dir: string, data: Float32Array, d: number): string {
  const file = join(dir, `matrix-${data.length / d}.bin`);
  writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  return file;
}

function sklearnFits(file: string, n: number, d: number, seeds: number[]): Fit[] {
  const run = spawnSync(PYTHON, [SKLEARN_FIT, file, String(n), String(d), String(K), seeds.join(',')], {
    encoding: 'utf8',
    env: { ...process.env, ...ONE_THREAD },
  });
  if (run.status !== 0) throw new Error(`scikit-learn failed: ${run.stderr.trim().split('\n').at(-1)}`);
  return (JSON.parse(run.stdout) as { fits: Fit[] }).fits;
}

function ourFits(data: Float32Array, d: number, seeds: number[]): Fit[] {
  return seeds.map((seed) => {
    const started = performance.now();
    const fit = fitKMeans(data, d, K, { seed });
    return { seed, seconds: (performance.now() - started) / 1000, inertia: fit.inertia, iterations: fit.iterations };
  });
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;

/**
 * Fit alone, ours beside scikit-learn's on the same matrix, seed by seed and interleaved (the
 * machine's load shifts during a run); and the inertia over all seeds.
 */
function compareFits(
  report: Report,
  dir: string,
  label: string,
  data: Float32Array,
  d: number,
  seeds: number[],
  sklearnAbsent: string | null,
  targets: { fit?: number; inertia?: boolean },
): void {
  const file = sklearnAbsent ? null : writeMatrix(dir, data, d);
  const ours: Fit[] = [];
  const theirs: Fit[] = [];
  for (const seed of seeds) {
    ours.push(...ourFits(data, d, [seed]));
    if (file) theirs.push(...sklearnFits(file, data.length / d, d, [seed]));
  }
  const seconds = ours.map((f) => f.seconds);
  report.add(
    'clustering',
    `k-means k=${K}, ${label}: our fit (k-means++, Lloyd to convergence)`,
    median(seconds),
    's',
    `median of ${seeds.length} seeds, spread ${spreadPercent(seconds).toFixed(0)} %; ${median(ours.map((f) => f.iterations))} iterations`,
  );
  if (sklearnAbsent) {
    report.add('clustering', `  scikit-learn KMeans, ${label}`, Number.NaN, 's', sklearnAbsent);
    return;
  }
  const theirSeconds = theirs.map((f) => f.seconds);
  report.add(
    'clustering',
    `  scikit-learn KMeans (n_init=1, 1 thread, float32), ${label}`,
    median(theirSeconds),
    's',
    `median of ${seeds.length} seeds, spread ${spreadPercent(theirSeconds).toFixed(0)} %; ${median(theirs.map((f) => f.iterations))} iterations`,
  );
  if (targets.fit !== undefined) report.target('clustering', `fit alone, ${label}, ours / scikit-learn's`, median(seconds) / median(theirSeconds), targets.fit, 'at most');
  const gap = (mean(ours.map((f) => f.inertia)) / mean(theirs.map((f) => f.inertia)) - 1) * 100;
  const bySeed = ours.map((f, i) => (f.inertia / theirs[i]!.inertia - 1) * 100);
  report.add('clustering', `  our inertia vs scikit-learn's, mean over ${seeds.length} seeds`, gap, '%', `seed by seed ${signed(Math.min(...bySeed))} to ${signed(Math.max(...bySeed))} % (each seed is its own local minimum)`);
  // The target is on the real catalog; on blobs, a few seeds land in minima several % apart either way.
  if (targets.inertia) report.target('clustering', `inertia within 1 % of scikit-learn's, ${label}`, Math.abs(gap), 1, 'at most', 'the ratio is |gap| in %');
}

function blobVectors(n: number): Float32Array {
  const features = blobFeatures(n, 5);
  const width = AUDIO_FEATURE_NAMES.length;
  const raw = new Float32Array(n * width);
  features.forEach((f, i) => AUDIO_FEATURE_NAMES.forEach((name, j) => (raw[i * width + j] = f[name] ?? Number.NaN)));
  return scaledVectors({ trackIds: new Int32Array(n), raw }, DEFAULT_FEATURE_SPEC).vectors;
}

/** The union of the shared datasets, imported into a fresh catalog as a user would. */
async function unionCatalog(dir: string, dataDir: string): Promise<string | null> {
  const files = UNION.map((file) => join(dataDir, file));
  if (!files.every((file) => existsSync(file))) return null;
  const path = join(dir, 'union.db');
  const database = openDatabase(path);
  try {
    const catalog = new Catalog(database);
    for (const file of files) await importCsv(catalog, file);
  } finally {
    database.close();
  }
  return path;
}

/** `cluster --k 20` as a process against scikit-learn's whole process, rounds interleaved, each on a fresh copy of the catalog. */
function compareWholeProcess(report: Report, dir: string, catalogPath: string, tracks: number, rounds: number): void {
  const cli = cliCommand();
  const specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(DEFAULT_FEATURE_SPEC));
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const seed = SEEDS[round % SEEDS.length]!;
    const mine = join(dir, `cluster-ours-${round}.db`);
    copyFileSync(catalogPath, mine);
    ours.push(timeProcess(process.execPath, [...cli.args, 'cluster', '--k', String(K), '--json'], cliEnvironment(mine, { CLUSTER_SEED: String(seed) })).seconds);
    const other = join(dir, `cluster-sklearn-${round}.db`);
    copyFileSync(catalogPath, other);
    theirs.push(timeProcess(PYTHON, [SKLEARN_JOB, other, specFile, String(K), String(seed)], { ...process.env, ...ONE_THREAD }).seconds);
  }
  const label = `${tracks.toLocaleString('en')} tracks of the shared datasets' union`;
  report.add('clustering', `whole \`cluster --k ${K}\` process, ${label}`, median(ours), 's', `${cli.runtime}; median of ${rounds}, spread ${spreadPercent(ours).toFixed(0)} %`);
  report.add('clustering', `  scikit-learn whole process doing the same job`, median(theirs), 's', `read, scale, fit, store labels; median of ${rounds}, spread ${spreadPercent(theirs).toFixed(0)} %`);
  report.target('clustering', 'whole cluster process, ours / scikit-learn\'s', median(ours) / median(theirs), 1, 'at most');
}

export async function benchClustering(report: Report, dir: string, dataDir: string, sizes: number[], quick: boolean): Promise<void> {
  const d = DEFAULT_FEATURE_SPEC.features.length;
  const sklearnAbsent = sklearnMissing();
  const catalogPath = await unionCatalog(dir, dataDir);
  if (catalogPath === null) {
    report.add('clustering', 'k-means on the shared datasets\' union', Number.NaN, 's', `skipped: ${UNION.join(', ')} not all in ${dataDir}`);
  } else {
    const database = openDatabase(catalogPath);
    const vectors = scaledVectors(loadFeatureMatrix(database), DEFAULT_FEATURE_SPEC).vectors;
    database.close();
    const n = vectors.length / d;
    compareFits(report, dir, `${(n / 1000).toFixed(0)}k real tracks`, vectors, d, quick ? SEEDS.slice(0, 2) : SEEDS, sklearnAbsent, { inertia: true });
    if (sklearnAbsent) report.add('clustering', 'whole `cluster` process against scikit-learn\'s', Number.NaN, 's', sklearnAbsent);
    else compareWholeProcess(report, dir, catalogPath, n, quick ? 1 : 5);
  }
  for (const n of sizes) {
    const label = `${(n / 1000).toLocaleString('en')}k synthetic blobs`;
    compareFits(report, dir, label, blobVectors(n), d, n >= 1_000_000 ? SEEDS.slice(0, 3) : SEEDS, sklearnAbsent, n >= 1_000_000 ? { fit: 1.5 } : {});
  }
}
