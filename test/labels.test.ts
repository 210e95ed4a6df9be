import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { FEATURE_WORDS, labelClusters, labelWords, MIN_DISTINCTION, wordMeaning } from '../src/clustering/labels.js';
import { importCsv } from '../src/import/importCsv.js';
import { explainPick } from '../src/recommender/format.js';
import { DESCRIBED_FEATURES, type CatalogProfile, type ClusterProfile, type DescribedFeature } from '../src/types.js';
import { createTestApp, tempDir, type TestApp } from './helpers/app.js';
import { dataset, DATASETS } from './helpers/datasets.js';

// Cluster labels must be true of each cluster's typical (median) song, in words that say what
// they measure; the pick's "why" uses the same words.

const record = (value: number, overrides: Partial<Record<DescribedFeature, number>> = {}) =>
  ({ ...Object.fromEntries(DESCRIBED_FEATURES.map((f) => [f, value])), ...overrides }) as Record<DescribedFeature, number>;

/** A song in the middle of everything, but for the overrides. */
const middle = (overrides: Partial<Record<DescribedFeature, number>> = {}) => record(0.5, { tempo: 120, loudness: -7, ...overrides });

const CATALOG: CatalogProfile = {
  means: middle(),
  stds: record(0.2, { tempo: 25, loudness: 3 }),
  medians: middle(),
};

describe('cluster labels from the typical song', () => {
  it('does not call a cluster lively or fast when only outliers pull its average up', () => {
    // A few loud double-time readings pull the mean up; the median song is calm and mid-tempo.
    const profile: ClusterProfile = {
      size: 100,
      means: middle({ energy: 0.62, tempo: 150 }),
      medians: middle({ energy: 0.3, tempo: 118 }),
    };
    const [label] = labelClusters([profile], CATALOG);
    expect(labelWords(label!)).toContain('calm');
    expect(label).not.toMatch(/lively|high energy|fast/);
  });

  it('words say what they measure: happy/sad mood, lively/calm energy, fast/slow tempo', () => {
    const happyLively: ClusterProfile = { size: 1, means: middle(), medians: middle({ valence: 0.9, energy: 0.9, tempo: 160 }) };
    const sadCalm: ClusterProfile = { size: 1, means: middle(), medians: middle({ valence: 0.1, energy: 0.1, tempo: 80 }) };
    const [a, b] = labelClusters([happyLively, sadCalm], CATALOG);
    expect(labelWords(a!).sort()).toEqual(['fast', 'happy', 'lively']);
    expect(labelWords(b!).sort()).toEqual(['calm', 'sad', 'slow']);
  });

  it('leaves out a word whose meaning the typical value does not reach, however far from the catalog', () => {
    // Energy 0.55 in a catalog whose typical song has 0.8 is calmer than most, but not calm.
    const catalog: CatalogProfile = { ...CATALOG, medians: middle({ energy: 0.8 }) };
    const profile: ClusterProfile = { size: 1, means: middle(), medians: middle({ energy: 0.55, tempo: 106 }) };
    expect(labelClusters([profile], catalog)[0]).toBe('middle of the road');
  });

  it('reads a model stored before medians from its means', () => {
    const old: ClusterProfile = { size: 1, means: middle({ valence: 0.9 }) };
    expect(labelClusters([old], { means: CATALOG.means, stds: CATALOG.stds })[0]).toBe('happy');
  });

  it('explains a pick in the label words', () => {
    const text = explainPick({
      matches: [{ feature: 'energy', label: 'energy', query: 0.26, pick: 0.3, scaledDifference: 0.1, queryWord: 'calm', pickWord: 'calm' }],
      differences: [{ feature: 'tempo', label: 'tempo', query: 174, pick: 96, scaledDifference: 2, queryWord: 'fast', pickWord: 'slow' }],
    } as never);
    expect(text).toBe('Close on energy 26% vs 30% (both calm). Differs most in tempo 174 BPM (fast) vs 96 BPM (slow).');
  });
});

/** Each cluster's median of every described feature (the share in major for mode), straight from the database. */
function clusterMedians(app: TestApp, modelId: number): { clusters: Map<number, Record<DescribedFeature, number>>; catalog: Record<DescribedFeature, number> } {
  const rows = app.database.sqlite
    .prepare(`SELECT tc.cluster AS cluster, f.* FROM track_clusters tc JOIN audio_features f ON f.track_id = tc.track_id WHERE tc.model_id = ?`)
    .all(modelId) as ({ cluster: number } & Record<string, number | null>)[];
  const column: Record<DescribedFeature, string> = {
    energy: 'energy', danceability: 'danceability', valence: 'valence', acousticness: 'acousticness', instrumentalness: 'instrumentalness',
    speechiness: 'speechiness', liveness: 'liveness', tempo: 'tempo', loudness: 'loudness', mode: 'mode',
  };
  const typical = (members: typeof rows) =>
    Object.fromEntries(
      DESCRIBED_FEATURES.map((f) => {
        const values = members.map((r) => r[column[f]]).filter((v): v is number => v != null).sort((a, b) => a - b);
        if (f === 'mode') return [f, values.reduce((s, v) => s + v, 0) / values.length];
        const mid = values.length >> 1;
        return [f, values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2];
      }),
    ) as Record<DescribedFeature, number>;
  const byCluster = new Map<number, typeof rows>();
  for (const row of rows) byCluster.set(row.cluster, [...(byCluster.get(row.cluster) ?? []), row]);
  return { clusters: new Map([...byCluster].map(([c, members]) => [c, typical(members)])), catalog: typical(rows) };
}

/** Whether a word is true of a typical value: on its side of the catalog's typical song, by the margin, and of its turn. */
function holds(word: string, value: number, catalogTypical: number, std: number): boolean {
  const meaning = wordMeaning(word);
  if (!meaning) return false;
  const { turn } = FEATURE_WORDS[meaning.feature];
  const z = (value - catalogTypical) / std;
  return meaning.high ? z >= MIN_DISTINCTION && (!turn || value >= turn.high) : z <= -MIN_DISTINCTION && (!turn || value < turn.low);
}

const tidy = dataset(DATASETS.tidyTuesday);
const hits = dataset(DATASETS.hitPredictor);

describe.skipIf(!tidy.path)(`labels of the clustered TidyTuesday catalog${tidy.note}`, () => {
  let app: TestApp;
  const temp = tempDir();
  let model: ReturnType<typeof clusterCatalog>['model'];

  beforeAll(async () => {
    app = createTestApp();
    await importCsv(app.catalog, tidy.path!);
    model = clusterCatalog({ database: app.database, settings: app.config.clustering, logger: app.logger }).model;
  }, 120_000);

  afterAll(() => {
    app?.dispose();
    temp.dispose();
  });

  it('every word of every label is true of its cluster\'s median song', () => {
    const { clusters, catalog } = clusterMedians(app, model.id);
    let words = 0;
    model.labels.forEach((label, c) => {
      const medians = clusters.get(c)!;
      for (const word of labelWords(label)) {
        const meaning = wordMeaning(word);
        expect(meaning, `"${word}" in "${label}" is a known word`).not.toBeNull();
        const f = meaning!.feature;
        expect(holds(word, medians[f], catalog[f], model.catalogProfile.stds[f]), `"${word}" in #${c} "${label}": median ${f} ${medians[f]} against the catalog's ${catalog[f]}`).toBe(true);
        words++;
      }
    });
    expect(words).toBeGreaterThanOrEqual(model.k);
  });

  describe.skipIf(!hits.path)(`Take Five, from the Hit Predictor file${hits.note}`, () => {
    it('is not called lively or fast unless its cluster\'s median song is, and its "why" says calm', async () => {
      // Only Take Five's rows, written to a temp file (never into the repository).
      const [header, ...lines] = gunzipSync(readFileSync(hits.path!)).toString().split('\n');
      const path = join(temp.dir, 'take-five.csv');
      writeFileSync(path, `${[header, ...lines.filter((line) => /^[^,]+,Take Five,(The )?Dave Brubeck/.test(line))].join('\n')}\n`);
      await importCsv(app.catalog, path);
      const track = app.search.resolve('Take Five Dave Brubeck').hit;
      expect(track).toBeTruthy();
      const r = app.recommender.recommendForTrack(track!.trackId, { dryRun: true });
      const medians = clusterMedians(app, r.modelId).clusters.get(r.cluster.id)!;
      const words = labelWords(r.cluster.label);
      if (words.includes('lively')) expect(medians.energy).toBeGreaterThanOrEqual(0.5);
      if (words.includes('fast')) expect(medians.tempo).toBeGreaterThanOrEqual(120);
      expect(r.cluster.label).not.toMatch(/high energy/);
      const energy = [...r.matches, ...r.differences].find((c) => c.feature === 'energy');
      if (energy) expect(energy.queryWord).toBe('calm');
    });
  });
});
