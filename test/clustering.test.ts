import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assignUnplacedTracks } from '../src/clustering/assign.js';
import { clusterCatalog, kCandidates } from '../src/clustering/clusterCatalog.js';
import { kmeans } from 'ml-kmeans';
import { distanceKernels } from '../src/clustering/kernels.js';
import { fitKMeans, lloyd, nearestCentroid } from '../src/clustering/kmeans.js';
import { DEFAULT_FEATURE_SPEC, transformValue } from '../src/clustering/featureSpec.js';
import { seededRandom } from '../src/clustering/random.js';
import { steerAxis } from '../src/recommender/steer.js';
import { NotEnoughTracksError } from '../src/errors.js';
import { importCsv } from '../src/import/importCsv.js';
import { createLogger } from '../src/logger.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { dataset, DATASETS } from './helpers/datasets.js';
import { syntheticTracks, tracksToCsv } from './helpers/synthetic.js';

const logger = createLogger({ level: 'silent' });

/** Share of points whose cluster's majority true label is their own (1 = perfect recovery). */
function purity(truth: number[], found: Int32Array | number[], k: number): number {
  let agree = 0;
  for (let c = 0; c < k; c++) {
    const counts = new Map<number, number>();
    truth.forEach((t, i) => {
      if (found[i] === c) counts.set(t, (counts.get(t) ?? 0) + 1);
    });
    agree += Math.max(0, ...counts.values());
  }
  return agree / truth.length;
}

describe('clustering', () => {
  let app: TestApp;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(() => app.dispose());
  const settings = (k: 'auto' | number) => ({ k, kMin: 3, kMax: 8, seed: 42 });

  async function importSynthetic(clusters: number, perCluster: number) {
    const tracks = syntheticTracks({ clusters, perCluster });
    const path = join(app.dir, 'synthetic.csv');
    writeFileSync(path, tracksToCsv(tracks));
    await importCsv(app.catalog, path);
    return tracks;
  }

  it('recovers known clusters from synthetic data, stores the model and makes it active', async () => {
    const tracks = await importSynthetic(5, 120);
    const { model, fit, matrix } = clusterCatalog({ database: app.database, settings: settings(5), logger });
    const truthById = new Map(tracks.map((t) => [app.catalog.findIdBySpotifyId(t.spotifyId)!, t.cluster]));
    const truth = Array.from(matrix.trackIds, (id) => truthById.get(id)!);
    expect(purity(truth, fit.labels, 5)).toBeGreaterThan(0.98);
    expect(model.profiles.map((p) => p.size).sort()).toEqual([120, 120, 120, 120, 120]);
    expect(app.models.activeModelId()).toBe(model.id);
    expect(new Set(model.labels).size).toBe(5);
    for (const label of model.labels) expect(label).toMatch(/^[a-z /]+( · [a-z /]+)*( \(\d\))?$/);
    const stored = app.database.sqlite.prepare('SELECT COUNT(*) FROM track_clusters WHERE model_id = ?').pluck().get(model.id);
    expect(stored).toBe(600);
  });

  it('chooses k by silhouette when asked to', async () => {
    await importSynthetic(4, 100);
    const { model } = clusterCatalog({ database: app.database, settings: { ...settings('auto'), kMin: 2, kMax: 8 }, logger });
    expect(model.k).toBe(4);
    expect(model.metrics.kCandidates?.length).toBeGreaterThan(2);
  });

  it('is reproducible with the same seed', async () => {
    await importSynthetic(4, 80);
    const a = clusterCatalog({ database: app.database, settings: settings(6), logger });
    const b = clusterCatalog({ database: app.database, settings: settings(6), logger });
    expect(b.model.centroids).toEqual(a.model.centroids);
    expect(Array.from(b.fit.labels)).toEqual(Array.from(a.fit.labels));
    expect(app.models.activeModelId()).toBe(b.model.id);
  });

  it('places tracks added later at the nearest centroid, with the stored scaler', async () => {
    const tracks = await importSynthetic(3, 60);
    const { model } = clusterCatalog({ database: app.database, settings: settings(3), logger });
    const clusterOf = (spotifyId: string) =>
      app.database.sqlite
        .prepare('SELECT cluster FROM track_clusters WHERE model_id = ? AND track_id = ?')
        .pluck()
        .get(model.id, app.catalog.findIdBySpotifyId(spotifyId)) as number | undefined;
    // A new track that sounds like cluster-0 tracks joins their cluster.
    const twin = tracks.find((t) => t.cluster === 0)!;
    const { trackId } = app.catalog.upsertTrack({ spotifyId: 'NewTrack0000000000000A', name: 'Newcomer', artists: ['New'] }, 'test');
    app.catalog.setFeatures(trackId, { ...twin.features, energy: twin.features.energy + 0.01 }, 'test');
    expect(assignUnplacedTracks(app.database, model)).toBe(1);
    expect(clusterOf('NewTrack0000000000000A')).toBe(clusterOf(twin.spotifyId));
    expect(assignUnplacedTracks(app.database, model)).toBe(0);
  });

  it('refuses to cluster too few tracks, saying how many it needs', () => {
    expect(() => clusterCatalog({ database: app.database, settings: settings(5), logger })).toThrow(NotEnoughTracksError);
  });

  /** n points around `centres` well-separated centres in d dimensions. */
  function blobs(n: number, d: number, centres: number, seed: number): Float32Array {
    const random = seededRandom(seed);
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const centre = i % centres;
      for (let j = 0; j < d; j++) data[i * d + j] = Math.sin(centre * (j + 1)) * 2 + (random() - 0.5);
    }
    return data;
  }

  it('fits as well as ml-kmeans, the reference, over several seeds', () => {
    const n = 6_000;
    const d = 9;
    const data = blobs(n, d, 12, 3);
    const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, i * d + d)));
    const seeds = [1, 2, 3];
    const ours = seeds.map((seed) => fitKMeans(data, d, 12, { seed }));
    const reference = seeds.map((seed) => kmeans(rows, 12, { initialization: 'kmeans++', seed, maxIterations: 300 }));
    const referenceInertia = reference.map((r) => {
      let total = 0;
      r.clusters.forEach((c, i) => {
        for (let j = 0; j < d; j++) total += (rows[i]![j]! - r.centroids[c]![j]!) ** 2;
      });
      return total;
    });
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(ours.map((f) => f.inertia))).toBeLessThan(mean(referenceInertia) * 1.01);
    for (const fit of ours) {
      expect(fit.converged).toBe(true);
      // Every point is at its nearest centroid, and its stored distance is exact.
      for (let i = 0; i < n; i += 97) {
        const nearest = nearestCentroid(data.subarray(i * d, i * d + d), fit.centroids, 12, d);
        expect(fit.distances[i]).toBeCloseTo(nearest.distance, 4);
      }
      expect(fit.inertia).toBeCloseTo(fit.distances.reduce((a, b) => a + b, 0), 3);
    }
    // More iterations from a converged fit change nothing.
    const again = lloyd(data, d, ours[0]!.centroids.slice(), 12, { tolerance: 0 });
    expect(again.inertia).toBeLessThanOrEqual(ours[0]!.inertia + 1e-6);
  });

  it('copes with more clusters than distinct points: no cluster is left empty or NaN', () => {
    const data = new Float32Array(40 * 3);
    for (let i = 0; i < 40; i++) data.set(i < 20 ? [0, 0, 0] : [1, 1, 1], i * 3);
    const fit = fitKMeans(data, 3, 4, { seed: 7 });
    expect(fit.inertia).toBe(0);
    expect(Array.from(fit.centroids).every(Number.isFinite)).toBe(true);
    expect(new Set(fit.labels).size).toBe(4);
  });

  it('gives the same distances with the loops written out for a dimension as with plain loops', () => {
    for (const d of [1, 3, 10, 70]) {
      const data = blobs(50, d, 5, d);
      const centroids = Float64Array.from(data.subarray(0, 5 * d));
      const kernels = distanceKernels(d);
      const out = new Float64Array(3);
      const all = new Float64Array(50);
      kernels.distancesTo(data, 50, centroids.subarray(0, d), all);
      for (let i = 0; i < 50; i++) {
        const plain = Array.from({ length: 5 }, (_, c) => {
          let s = 0;
          for (let j = 0; j < d; j++) s += (data[i * d + j]! - centroids[c * d + j]!) ** 2;
          return s;
        });
        const sorted = [...plain].sort((a, b) => a - b);
        kernels.nearestTwo(data, i, centroids, 5, out);
        expect(out[0]).toBe(plain.indexOf(sorted[0]!));
        expect(out[1]).toBeCloseTo(sorted[0]!, 9);
        expect(out[2]).toBeCloseTo(sorted[1]!, 9);
        expect(kernels.squaredDistance(data, i, centroids, 3)).toBeCloseTo(plain[3]!, 9);
        expect(all[i]).toBeCloseTo(plain[0]!, 9);
      }
    }
  });

  it('spreads candidate ks over the configured range', () => {
    expect(kCandidates(12, 32)).toEqual([12, 16, 20, 24, 28, 32]);
    expect(kCandidates(5, 5)).toEqual([5]);
    expect(kCandidates(2, 4)).toEqual([2, 3, 4]);
  });

  const hits = dataset(DATASETS.hitPredictor);
  describe.skipIf(!hits.path)(`on the real Hit Predictor dataset${hits.note}`, () => {
    it('clusters 41k real tracks into labelled clusters of sensible sizes', async () => {
      await importCsv(app.catalog, hits.path!);
      const { model } = clusterCatalog({ database: app.database, settings: settings(20), logger });
      expect(model.trackCount).toBeGreaterThan(39_000);
      expect(Math.min(...model.metrics.sizes)).toBeGreaterThan(model.trackCount / 200);
      expect(model.metrics.silhouette).toBeGreaterThan(0.05);
      expect(new Set(model.labels).size).toBe(20);
    });
  });
});

describe('tempo in the shipped feature space', () => {
  it('puts a half- or double-time reading on the same point of the octave, keeps BPM for steering, and weighs tempo as one feature', () => {
    const octave = (bpm: number) =>
      DEFAULT_FEATURE_SPEC.features.filter((f) => f.transform === 'octaveCos' || f.transform === 'octaveSin').map((f) => transformValue(bpm, f.transform));
    expect(octave(85)).toHaveLength(2);
    octave(170).forEach((v, i) => expect(v).toBeCloseTo(octave(85)[i]!, 9));
    octave(42.5).forEach((v, i) => expect(v).toBeCloseTo(octave(85)[i]!, 9));
    // 85 and 120 BPM are not the same place.
    expect(Math.hypot(...octave(120).map((v, i) => v - octave(85)[i]!))).toBeGreaterThan(1);
    expect(Number.isNaN(transformValue(0, 'octaveCos'))).toBe(true);
    const tempo = DEFAULT_FEATURE_SPEC.features.filter((f) => f.feature === 'tempo');
    expect(tempo.reduce((sum, f) => sum + f.weight ** 2, 0)).toBeCloseTo(1, 9);
    expect(steerAxis(DEFAULT_FEATURE_SPEC, 'faster')).not.toBeNull();
  });
});
