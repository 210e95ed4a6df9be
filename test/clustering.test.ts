import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assignUnplacedTracks } from '../src/clustering/assign.js';
import { clusterCatalog, kCandidates } from '../src/clustering/clusterCatalog.js';
import { fitKMeans, refine } from '../src/clustering/kmeans.js';
import { seededRandom } from '../src/clustering/random.js';
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
  const settings = (k: 'auto' | number) => ({ k, kMin: 3, kMax: 8, seed: 42, sampleSize: 1_000 });

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

  it('fitting on a sample and refining on all points stays within 1% of a full fit', () => {
    const random = seededRandom(3);
    const n = 20_000;
    const d = 9;
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const centre = i % 12;
      for (let j = 0; j < d; j++) data[i * d + j] = Math.sin(centre * (j + 1)) * 2 + (random() - 0.5);
    }
    const sampled = fitKMeans(data, d, 12, { seed: 1, sampleSize: 2_000 });
    const full = fitKMeans(data, d, 12, { seed: 1, sampleSize: n });
    expect(sampled.inertia).toBeLessThan(full.inertia * 1.01);
    // Refinement never makes a fit worse.
    const again = refine(data, d, sampled.centroids.slice(), 12, { maxIterations: 5, tolerance: 0 });
    expect(again.inertia).toBeLessThanOrEqual(sampled.inertia + 1e-6);
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
      const { model } = clusterCatalog({ database: app.database, settings: { ...settings(20), sampleSize: 20_000 }, logger });
      expect(model.trackCount).toBeGreaterThan(39_000);
      expect(Math.min(...model.metrics.sizes)).toBeGreaterThan(model.trackCount / 200);
      expect(model.metrics.silhouette).toBeGreaterThan(0.05);
      expect(new Set(model.labels).size).toBe(20);
    });
  });
});
