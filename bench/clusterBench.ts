import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scaledVectors } from '../src/clustering/featureMatrix.js';
import { DEFAULT_FEATURE_SPEC } from '../src/clustering/featureSpec.js';
import { fitKMeans } from '../src/clustering/kmeans.js';
import { AUDIO_FEATURE_NAMES } from '../src/types.js';
import type { Report } from './stats.js';
import { blobFeatures } from './synthetic.js';

const K = 20;
const SAMPLE = 50_000;

function vectorsFor(n: number): Float32Array {
  const features = blobFeatures(n, 5);
  const raw = new Float32Array(n * AUDIO_FEATURE_NAMES.length);
  features.forEach((f, i) => AUDIO_FEATURE_NAMES.forEach((name, j) => (raw[i * AUDIO_FEATURE_NAMES.length + j] = f[name] ?? Number.NaN)));
  return scaledVectors({ trackIds: new Int32Array(n), raw }, DEFAULT_FEATURE_SPEC).vectors;
}

function sklearn(dir: string, data: Float32Array, n: number, d: number): { seconds: number; inertia: number } | string {
  const file = join(dir, `matrix-${n}.bin`);
  writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const python = process.env.PYTHON ?? '/usr/bin/python3';
  const run = spawnSync(python, [new URL('./sklearn_kmeans.py', import.meta.url).pathname, file, String(n), String(d), String(K)], { encoding: 'utf8' });
  if (run.status !== 0) return /No module named/.test(run.stderr) ? 'scikit-learn not installed (apt-get install python3-sklearn)' : run.stderr.trim().split('\n').at(-1) ?? 'failed';
  return JSON.parse(run.stdout) as { seconds: number; inertia: number };
}

const SEED = 42;
/** Seeds for comparing the sampled fit with the full one; the first is the timed fit's. */
const COMPARISON_SEEDS = [SEED, 1, 2, 3, 4];

/**
 * Sampled fit against ml-kmeans on every point. Each k-means run stops in a local minimum that
 * depends on its seed, so one pair of runs measures luck as much as sampling: the bench compares
 * the mean inertia over several seeds, and prints how far single full fits differ from each other.
 */
function compareWithFullFit(report: Report, data: Float32Array, d: number, label: string, firstSampled: number): void {
  const n = data.length / d;
  const sampled: number[] = [firstSampled];
  const full: number[] = [];
  let fullSeconds = 0;
  for (const [i, seed] of COMPARISON_SEEDS.entries()) {
    if (i > 0) sampled.push(fitKMeans(data, d, K, { seed, sampleSize: SAMPLE }).inertia);
    const started = performance.now();
    full.push(fitKMeans(data, d, K, { seed, sampleSize: n }).inertia);
    if (i === 0) fullSeconds = (performance.now() - started) / 1000;
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const percent = (a: number, b: number) => (a / b - 1) * 100;
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
  const gaps = sampled.map((s, i) => percent(s, full[i]!));
  report.add('clustering', `  ml-kmeans on all ${label} (full fit)`, fullSeconds, 's', `inertia ${full[0]!.toFixed(0)}`);
  report.add(
    'clustering',
    `  sampled fit's inertia vs full fit, mean of ${COMPARISON_SEEDS.length} seeds`,
    percent(mean(sampled), mean(full)),
    '%',
    `seed by seed ${signed(Math.min(...gaps))} to ${signed(Math.max(...gaps))} %`,
  );
  report.add('clustering', `  full fits' own spread across those seeds`, percent(Math.max(...full), Math.min(...full)), '%', 'highest inertia over lowest');
}

export function benchClustering(report: Report, dir: string, sizes: number[]): void {
  const d = DEFAULT_FEATURE_SPEC.features.length;
  for (const n of sizes) {
    const data = vectorsFor(n);
    const started = performance.now();
    const fit = fitKMeans(data, d, K, { seed: SEED, sampleSize: SAMPLE });
    const seconds = (performance.now() - started) / 1000;
    const label = `${(n / 1000).toLocaleString('en')}k tracks`;
    report.add('clustering', `k-means k=${K}, ${label}: fit on ${Math.min(n, SAMPLE) / 1000}k sample + refine`, seconds, 's', `inertia ${fit.inertia.toFixed(0)}, ${fit.refineIterations} refine passes`);
    if (n <= 100_000 && n > SAMPLE) compareWithFullFit(report, data, d, label, fit.inertia);
    const sk = sklearn(dir, data, n, d);
    if (typeof sk === 'string') report.add('clustering', `  scikit-learn KMeans, ${label}`, Number.NaN, 's', sk);
    else {
      report.add('clustering', `  scikit-learn KMeans (n_init=1), ${label}`, sk.seconds, 's', `inertia ${sk.inertia.toFixed(0)}`);
      report.add('clustering', `  our inertia vs scikit-learn's`, ((fit.inertia / sk.inertia) - 1) * 100, '%');
    }
  }
}
