import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/clustering/random.js';
import { CRAWL_STAGES, type CrawlCounts } from '../../src/crawl/types.js';
import { generateFakeCatalog, startFakeSpotify, type FakeSpotify, type GeneratedFakeCatalog } from '../fakes/spotify.js';
import { tempDir } from '../helpers/app.js';
import { catalogDifferences, catalogRows, type CatalogRows } from '../helpers/catalogRows.js';
import { writeTemplateDatabase } from './data.js';
import {
  activeAssignments,
  activeModel,
  DbWatcher,
  expectIntactCatalog,
  killAllChildren,
  killWhen,
  runCli,
  startCli,
  withAppOnCopy,
  withDb,
} from './harness.js';

// `cli crawl <playlist> --expand-artists` against the fake Spotify (slowed, so the crawl takes a
// while), killed with SIGKILL in each of its stages in turn and restarted: every restart resumes
// the run, a killed crawl leaves the catalog as it was, and the last run ends with the catalog of
// one uninterrupted crawl.

const CATALOG_TABLES = ['tracks', 'audio_features', 'track_aliases', 'track_labels', 'seed_tracks', 'feature_backlog', 'crawled_albums'];
const pick = (rows: CatalogRows, tables = CATALOG_TABLES): CatalogRows => Object.fromEntries(tables.map((t) => [t, rows[t] ?? []]));

describe('crash safety: playlist crawl killed with SIGKILL', () => {
  const temp = tempDir();
  let fake: FakeSpotify;
  let catalog: GeneratedFakeCatalog;
  let settings: Record<string, string>;
  let template: string;
  let before: CatalogRows;
  let reference: CatalogRows;
  let referenceAssignments: unknown[];
  let playlist: string;

  beforeAll(async () => {
    catalog = generateFakeCatalog({ seed: 9 });
    playlist = catalog.ids.playlists.large;
    fake = await startFakeSpotify({ catalog, mode: 'extended', clientId: 'id', clientSecret: 'secret' });
    settings = {
      LOG_LEVEL: 'warn',
      ...fake.settings(),
      HTTP_MAX_RETRIES: '1',
      HTTP_TIMEOUT_MS: '5000',
      CRAWL_MAX_ALBUMS_PER_ARTIST: '3',
    };
    template = await writeTemplateDatabase(temp.dir);
    before = withDb(template, catalogRows);
    // The uninterrupted crawl, as the CLI runs it.
    await withAppOnCopy(template, join(temp.dir, 'reference.db'), settings, async (app) => {
      const seed = app.seeds.add('cli', playlist, { expandArtists: true, addedBy: 'cli' });
      const summary = await app.spotify!.crawler.crawl(seed.id);
      expect(summary.counts.albumsVisited).toBeGreaterThan(5);
      reference = catalogRows(app.database.sqlite);
      referenceAssignments = activeAssignments(app.database.sqlite);
    });
    fake.resetLog();
  });
  afterAll(async () => {
    await killAllChildren();
    await fake?.close();
    temp.dispose();
  });

  it('every kill leaves the catalog as it was and the run resumable; the last restart ends with the uninterrupted catalog', async () => {
    const path = join(temp.dir, 'killed.db');
    copyFileSync(template, path);
    const env = { ...settings, DATABASE_PATH: path };
    const random = seededRandom(7_001);
    // Every request waits a little, so each stage lasts long enough to be killed in.
    fake.fault({ service: 'api', kind: 'slow', delayMs: 25, times: Infinity });
    fake.fault({ service: 'reccobeats', kind: 'slow', delayMs: 60, times: Infinity });
    const stageIndex = (stage: string | null) => (stage === null ? -1 : CRAWL_STAGES.indexOf(stage as (typeof CRAWL_STAGES)[number]));
    // Three kills: in a seeded one of the reading stages, of the album and feature stages, and in
    // the commit stage (in or right around its one transaction).
    const pickOne = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const killPoints = [
      { stage: pickOne(['items', 'artists'] as const), delayMs: Math.floor(random() * 60) },
      { stage: pickOne(['albums', 'features'] as const), delayMs: Math.floor(random() * 60) },
      { stage: 'commit' as const, delayMs: Math.floor(random() * 5) },
    ];
    const killedIn: string[] = [];
    for (const point of killPoints) {
      const run = startCli(['crawl', `https://open.spotify.com/playlist/${playlist}`, '--expand-artists', '--json'], env);
      const watcher = new DbWatcher(path);
      const killed = await killWhen(
        run,
        () => stageIndex(watcher.value<string>("SELECT stage FROM crawl_runs WHERE status = 'running' ORDER BY id DESC LIMIT 1")) >= stageIndex(point.stage),
        point.delayMs,
      );
      watcher.close();
      if (!killed) {
        expect((await run.exited).code, `${point.stage}: ${run.stderr()}`).toBe(0);
        continue;
      }
      withDb(path, (db) => {
        expectIntactCatalog(db, point.stage);
        const runs = db.prepare('SELECT id, status, stage, counts FROM crawl_runs ORDER BY id').all() as { id: number; status: string; stage: string; counts: string }[];
        expect(runs.length, 'one run, resumed by every restart').toBe(1);
        const last = runs[0]!;
        killedIn.push(`${point.stage}→${last.stage}`);
        if (last.status === 'done') {
          expect(catalogDifferences(catalogRows(db), reference), point.stage).toEqual({});
          return;
        }
        expect(last.status).toBe('running');
        // Nothing reached the catalog yet: it is as it was before the crawl.
        expect(catalogDifferences(pick(catalogRows(db)), pick(before)), point.stage).toEqual({});
        // The staged tracks are exactly what the saved progress counted: nothing lost or doubled.
        const counts = JSON.parse(last.counts) as CrawlCounts;
        const staged = db.prepare('SELECT count(*) FROM crawl_items WHERE run_id = ?').pluck().get(last.id) as number;
        expect(staged, point.stage).toBe(counts.playlistTracks + counts.albumTracks);
        const asked = db.prepare('SELECT count(*) FROM crawl_items WHERE run_id = ? AND features_tried = 1').pluck().get(last.id) as number;
        expect(asked, point.stage).toBe(counts.featuresFetched + counts.featuresMissing);
        expect(activeModel(db)).toMatchObject({ unplaced: 0 });
      });
    }
    expect(killedIn.filter((k) => !k.endsWith('done')).length, `kills that landed mid-crawl: ${killedIn.join(', ')}`).toBeGreaterThanOrEqual(2);

    // A kill that came just after the commit left a finished run: the restart below starts a second.
    const statusesBefore = withDb(path, (db) => db.prepare('SELECT status FROM crawl_runs ORDER BY id').pluck().all() as string[]);
    const expectedRuns = statusesBefore.at(-1) === 'done' ? statusesBefore.length + 1 : statusesBefore.length;
    const finish = await runCli(['crawl', `https://open.spotify.com/playlist/${playlist}`, '--expand-artists', '--json'], env);
    expect(finish.code, finish.stderr).toBe(0);
    withDb(path, (db) => {
      expectIntactCatalog(db);
      expect(catalogDifferences(catalogRows(db), reference)).toEqual({});
      expect(activeModel(db)).toMatchObject({ unplaced: 0 });
      expect(activeAssignments(db)).toEqual(referenceAssignments);
      expect(db.prepare('SELECT status FROM crawl_runs ORDER BY id').pluck().all()).toEqual(Array.from({ length: expectedRuns }, () => 'done'));
      expect(db.prepare('SELECT count(*) FROM crawl_items').pluck().get()).toBe(0);
    });
  });
});
