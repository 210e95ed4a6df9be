import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { importCsv } from '../src/import/importCsv.js';
import { Jobs } from '../src/jobs/jobs.js';
import { createLogger } from '../src/logger.js';
import { describeStarterProgress } from '../src/starter/starterCatalog.js';
import { startDatasetHost, type DatasetHost } from './fakes/datasetHost.js';
import { tempDir } from './helpers/app.js';
import { datasetSample } from './helpers/datasetSample.js';
import { captureLogs } from './helpers/logs.js';
import { syntheticTracks, writeCsv } from './helpers/synthetic.js';

// The starter catalog as the running bot drives it (its job runner and re-cluster job), without
// Discord: when it starts, what it logs and retries, and what a restart part-way leaves.

const sample = datasetSample(4_000);

interface Started {
  app: App;
  jobs: Jobs;
  logs: string[];
  stop(): Promise<void>;
}

describe(`the starter catalog, from ${sample.real ? 'TidyTuesday rows' : 'generated tracks'}`, () => {
  const temp = tempDir();
  let host: DatasetHost;
  let databases = 0;

  const start = (settings: Record<string, string>, databasePath = join(temp.dir, `starter-${++databases}.db`)): Started => {
    const { lines, destination } = captureLogs();
    const config = parseConfig({ DATABASE_PATH: databasePath, LOG_LEVEL: 'info', CLUSTER_K: '6', HTTP_TIMEOUT_MS: '1000', HTTP_MAX_RETRIES: '0', ...settings });
    const app = createApp(config, { logger: createLogger({ level: 'info', destination }), starter: { retryDelaysMs: [100, 200], batchRows: 500 } });
    const jobs = new Jobs(app, { reclusterInChild: false });
    app.starter.start({ runner: jobs.runner, recluster: jobs.recluster, onModel: () => app.recommender.currentIndex() });
    return {
      app,
      jobs,
      logs: lines,
      async stop() {
        app.starter.stop();
        await jobs.stop(5_000);
        app.close();
      },
    };
  };
  const messages = (logs: string[]) => logs.map((l) => (JSON.parse(l) as { msg: string }).msg);

  beforeAll(async () => {
    host = await startDatasetHost();
    host.put('/songs.csv', { body: sample.csv });
  });
  afterAll(async () => {
    await host.close();
    temp.dispose();
  });

  it('logs a failed download with what to do, retries with backoff, then loads, clusters and serves', async () => {
    host.put('/flaky.csv', { body: sample.csv });
    host.fault('/flaky.csv', { kind: 'status', status: 404 }, 2);
    const bot = start({ STARTER_DATASETS: host.url('/flaky.csv') });
    try {
      await bot.app.starter.settled();
      expect(host.requests('/flaky.csv')).toBe(3);
      const warnings = messages(bot.logs).filter((m) => m.startsWith('could not load the starter dataset'));
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toBe(
        `could not load the starter dataset ${host.url('/flaky.csv')}: Cannot download ${host.url('/flaky.csv')}: the server answered 404 Not Found. ` +
          "Check the machine's internet access; change STARTER_DATASETS (`none` turns this off) or import a file with `npm run cli -- import <file or URL>`. Trying again in 1 s.",
      );
      expect(messages(bot.logs)).toContain(`starter catalog ready: ${bot.app.catalog.counts().tracks} songs; /recommend answers from it`);
      const song = bot.app.database.sqlite.prepare('SELECT name FROM tracks ORDER BY id LIMIT 1 OFFSET 5').pluck().get() as string;
      await expect(bot.app.recommender.recommend(song)).resolves.toMatchObject({ seed: { name: song } });
    } finally {
      await bot.stop();
    }
  });

  it('says how far it got while it loads, and meanwhile the recommender says so too', async () => {
    host.put('/slow.csv', { body: sample.csv, chunkBytes: 32 * 1024, chunkDelayMs: 30 });
    const bot = start({ STARTER_DATASETS: host.url('/slow.csv') });
    try {
      await expect.poll(() => bot.app.starter.progress()?.rowsRead ?? 0, { timeout: 20_000, interval: 20 }).toBeGreaterThan(0);
      const progress = bot.app.starter.progress()!;
      expect(progress.phase).toBe('loading');
      expect(describeStarterProgress(progress)).toMatch(/^Warming up: \d+ % of the starter catalog loaded\. Ask again in a minute or two\.$/);
      await expect(bot.app.recommender.recommend('anything')).rejects.toMatchObject({ code: 'warming_up' });
      await bot.app.starter.settled();
      expect(bot.app.starter.progress()).toBeNull();
    } finally {
      await bot.stop();
    }
  });

  it('resumes after a restart part-way, ending with exactly the tracks of one clean import', async () => {
    const databasePath = join(temp.dir, 'restart.db');
    host.put('/restart.csv', { body: sample.csv, chunkBytes: 16 * 1024, chunkDelayMs: 40 });
    const first = start({ STARTER_DATASETS: host.url('/restart.csv') }, databasePath);
    await expect.poll(() => first.app.catalog.counts().tracks, { timeout: 20_000, interval: 20 }).toBeGreaterThan(0);
    await first.stop();

    // The second process finds tracks in the catalog, but an unfinished fill: it resumes that.
    const second = start({ STARTER_DATASETS: host.url('/restart.csv') }, databasePath);
    try {
      expect(second.app.starter.progress()?.phase).toBe('loading');
      await second.app.starter.settled();
      expect(second.app.database.sqlite.prepare('SELECT attempts, status FROM starter_imports').get()).toEqual({ attempts: 2, status: 'done' });
      const clean = start({ STARTER_DATASETS: 'none' });
      try {
        const cleanPath = join(temp.dir, 'clean.csv');
        const { writeFileSync } = await import('node:fs');
        writeFileSync(cleanPath, sample.csv);
        await importCsv(clean.app.catalog, cleanPath);
        const names = (app: App) => app.database.sqlite.prepare('SELECT spotify_id, name FROM tracks ORDER BY id').all();
        expect(names(second.app)).toEqual(names(clean.app));
        expect(second.app.catalog.counts()).toMatchObject({ ...clean.app.catalog.counts(), featuresByProvider: { 'dataset:restart.csv': clean.app.catalog.counts().withFeatures } });
      } finally {
        await clean.stop();
      }
      expect(second.app.models.activeModelId()).not.toBeNull();
    } finally {
      await second.stop();
    }
  });

  it('stops warming up, with a warning saying what to do, when the starter catalog is too small to cluster', async () => {
    const few = syntheticTracks({ clusters: 1, perCluster: 10, seed: 3 });
    host.put('/few.csv', { body: Buffer.from(['track_id,track_name,artists,danceability,energy,loudness,speechiness,acousticness,instrumentalness,liveness,valence,tempo', ...few.map((t) => [t.spotifyId, t.name, t.artists[0], t.features.danceability, t.features.energy, t.features.loudness, t.features.speechiness, t.features.acousticness, t.features.instrumentalness, t.features.liveness, t.features.valence, t.features.tempo].join(','))].join('\n')) });
    const bot = start({ STARTER_DATASETS: host.url('/few.csv') });
    try {
      await bot.app.starter.settled();
      expect(bot.app.starter.progress()).toBeNull();
      expect(messages(bot.logs).find((m) => m.startsWith('the starter catalog could not be clustered'))).toMatch(/needs at least 30 tracks with audio features; the catalog has 10\..*npm run cli -- cluster/);
      await expect(bot.app.recommender.recommend(few[0]!.name)).rejects.toMatchObject({ code: 'no_model' });
    } finally {
      await bot.stop();
    }
  });

  it('never starts on a catalog that already has tracks, nor with STARTER_DATASETS=none', async () => {
    const databasePath = join(temp.dir, 'has-tracks.db');
    const seeded = start({ STARTER_DATASETS: 'none' }, databasePath);
    const file = writeCsv(join(temp.dir, 'own.csv'), ['track_id', 'track_name', 'artists', 'danceability', 'energy', 'loudness', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo'],
      syntheticTracks({ clusters: 1, perCluster: 5 }).map((t) => [t.spotifyId, t.name, t.artists[0]!, t.features.danceability, t.features.energy, t.features.loudness, t.features.speechiness, t.features.acousticness, t.features.instrumentalness, t.features.liveness, t.features.valence, t.features.tempo]));
    await importCsv(seeded.app.catalog, file);
    expect(seeded.app.starter.progress()).toBeNull();
    await seeded.stop();

    const before = host.requests('/songs.csv');
    const restarted = start({ STARTER_DATASETS: host.url('/songs.csv') }, databasePath);
    try {
      expect(restarted.app.starter.progress()).toBeNull();
      await restarted.app.starter.settled();
      expect(host.requests('/songs.csv')).toBe(before);
      expect(restarted.app.catalog.counts().tracks).toBe(5);
      await expect(restarted.app.recommender.recommend('Synthetic Song 0-1')).rejects.toMatchObject({ code: 'no_model' });
    } finally {
      await restarted.stop();
    }
  });
});
