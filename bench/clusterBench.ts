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

export function benchClustering(report: Report, dir: string, sizes: number[]): void {
  const d = DEFAULT_FEATURE_SPEC.features.length;
  for (const n of sizes) {
    const data = vectorsFor(n);
    const started = performance.now();
    const fit = fitKMeans(data, d, K, { seed: 42, sampleSize: SAMPLE });
    const seconds = (performance.now() - started) / 1000;
    const label = `${(n / 1000).toLocaleString('en')}k tracks`;
    report.add('clustering', `k-means k=${K}, ${label}: fit on ${Math.min(n, SAMPLE) / 1000}k sample + refine`, seconds, 's', `inertia ${fit.inertia.toFixed(0)}, ${fit.refineIterations} refine passes`);
    if (n <= 100_000) {
      const fullStarted = performance.now();
      const full = fitKMeans(data, d, K, { seed: 42, sampleSize: n });
      const fullSeconds = (performance.now() - fullStarted) / 1000;
      report.add('clustering', `  ml-kmeans on all ${label} (full fit)`, fullSeconds, 's', `inertia ${full.inertia.toFixed(0)}`);
      report.add('clustering', `  sampled fit's inertia vs full fit`, ((fit.inertia / full.inertia) - 1) * 100, '%');
    }
    const sk = sklearn(dir, data, n, d);
    if (typeof sk === 'string') report.add('clustering', `  scikit-learn KMeans, ${label}`, Number.NaN, 's', sk);
    else {
      report.add('clustering', `  scikit-learn KMeans (n_init=1), ${label}`, sk.seconds, 's', `inertia ${sk.inertia.toFixed(0)}`);
      report.add('clustering', `  our inertia vs scikit-learn's`, ((fit.inertia / sk.inertia) - 1) * 100, '%');
    }
  }
}
