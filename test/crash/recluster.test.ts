import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/clustering/random.js';
import { reclusterCatalog } from '../../src/jobs/recluster.js';
import { tempDir } from '../helpers/app.js';
import { catalogDifferences, catalogRows, type CatalogRows } from '../helpers/catalogRows.js';
import { writeTemplateDatabase } from './data.js';
import {
  activeAssignments,
  activeModel,
  integrity,
  killAllChildren,
  killWhen,
  runCli,
  startCli,
  withAppOnCopy,
  withDb,
} from './harness.js';

// `cli cluster --force` on a 12k-track catalog with an active model (k = 6), asked for k = 8,
// killed with SIGKILL while it fits, while it stores the new model, and around its switch and
// prune: the active model is always a whole one (the old or the new), and a restart ends with the
// model an uninterrupted run builds.

const TRACKS = 12_000;

interface ModelRow {
  k: number;
  track_count: number;
  centroids: string;
  labels: string;
  scaler: string;
}

const activeModelRow = (db: Parameters<typeof catalogRows>[0]) =>
  db.prepare('SELECT k, track_count, centroids, labels, scaler FROM cluster_models WHERE active = 1').get() as ModelRow;

describe('crash safety: re-cluster killed with SIGKILL', () => {
  const temp = tempDir();
  let template: string;
  let templateModelId: number;
  let catalog: CatalogRows;
  let reference: { model: ModelRow; assignments: unknown[] };
  // One version kept: every run that gets as far as the prune deletes the previous model (12k rows).
  const settings = { LOG_LEVEL: 'info', CLUSTER_K: '8', MODEL_KEEP_VERSIONS: '1' };
  /** `cli cluster --force` right after the first kill. */
  let rerunAfterKill: { code: number | null; stdout: string; stderr: string } | undefined;

  beforeAll(async () => {
    template = await writeTemplateDatabase(temp.dir, { tracks: TRACKS, k: 6 });
    ({ catalog, templateModelId } = withDb(template, (db) => ({ catalog: catalogRows(db), templateModelId: activeModel(db)!.id })));
    // The uninterrupted re-cluster (the job `cli cluster --force` runs).
    await withAppOnCopy(template, join(temp.dir, 'reference.db'), settings, (app) => {
      const outcome = reclusterCatalog(app, { force: true });
      expect(outcome).toMatchObject({ status: 'done', k: 8 });
      reference = { model: activeModelRow(app.database.sqlite), assignments: activeAssignments(app.database.sqlite) };
    });
  });
  afterAll(async () => {
    await killAllChildren();
    temp.dispose();
  });

  /** After any kill: an intact database, one active model, whole, and the catalog untouched. */
  function checkAfterKill(path: string, label: string): { activeId: number; k: number } {
    return withDb(path, (db) => {
      expect(integrity(db), label).toEqual({ integrity: ['ok'], foreignKeys: [] });
      const model = activeModel(db);
      expect(model, label).not.toBeNull();
      // Complete: every track with features has its cluster in the active model, no more and no less.
      expect(model!.unplaced, label).toBe(0);
      expect(model!.assigned, label).toBe(model!.trackCount);
      expect(model!.assigned, label).toBe(catalog.audio_features!.length);
      expect([model!.centroids, model!.labels], label).toEqual([model!.k, model!.k]);
      // Every model kept is whole too (a half-written one would be a trap for `activate`).
      const partial = db
        .prepare('SELECT count(*) FROM cluster_models m WHERE (SELECT count(*) FROM track_clusters c WHERE c.model_id = m.id) < m.track_count')
        .pluck()
        .get() as number;
      expect(partial, label).toBe(0);
      expect(catalogDifferences(catalogRows(db), catalog), label).toEqual({});
      return { activeId: model!.id, k: model!.k };
    });
  }

  it('the active model is always a whole one, and a restart (once the killed run\'s lock has expired) ends with the uninterrupted model', async () => {
    const path = join(temp.dir, 'killed.db');
    copyFileSync(template, path);
    const env = { ...settings, DATABASE_PATH: path };
    const random = seededRandom(4_242);
    const killPoints = [
      { label: 'while fitting', after: '"msg":"job started"', delayMs: 30 + Math.floor(random() * 150) },
      { label: 'while storing the new model', after: '"msg":"clustered the catalog"', delayMs: Math.floor(random() * 20) },
      { label: 'around the switch and the prune', after: '"msg":"clustered the catalog"', delayMs: 20 + Math.floor(random() * 60) },
    ];
    const outcomes: string[] = [];
    for (const point of killPoints) {
      const run = startCli(['cluster', '--force', '--json'], env);
      const killed = await killWhen(run, () => run.stderr().includes(point.after), point.delayMs);
      if (!killed) expect((await run.exited).code, `${point.label}: ${run.stderr()}`).toBe(0);
      const { activeId, k } = checkAfterKill(path, point.label);
      outcomes.push(`${point.label}: ${killed ? 'killed' : 'finished'}, active model ${activeId} (k = ${k})`);
      if (killed && rerunAfterKill === undefined) {
        // What an operator would do next: run it again (see the test below).
        rerunAfterKill = await runCli(['cluster', '--force', '--json'], env);
        checkAfterKill(path, 'the re-run right after the kill');
      }
      // The killed run's "catalog" lock stays behind for its 30-minute TTL (see the test below):
      // let it expire, as the time passing would.
      withDb(path, (db) => db.prepare('UPDATE job_locks SET expires_at = 0').run());
    }
    expect(outcomes.filter((o) => o.includes('killed')).length, outcomes.join('\n')).toBeGreaterThanOrEqual(2);
    expect(outcomes[0], 'a kill mid-fit keeps the old model').toContain(`active model ${templateModelId} (k = 6)`);

    const finish = await runCli(['cluster', '--force', '--json'], env);
    expect(finish.code, finish.stderr).toBe(0);
    expect(JSON.parse(finish.stdout)).toMatchObject({ status: 'done', k: 8, tracks: catalog.audio_features!.length });
    checkAfterKill(path, 'finished');
    withDb(path, (db) => {
      expect(activeModelRow(db)).toEqual(reference.model);
      expect(activeAssignments(db)).toEqual(reference.assignments);
    });
  });

  // A killed run's lock names its host and PID: the next run sees the process is gone, takes the
  // lock over and marks the killed run failed (it used to block every job for the lock's TTL).
  it('a re-run right after a kill re-clusters (uses the run above)', () => {
    expect(rerunAfterKill, 'recorded by the test above').toBeDefined();
    expect(rerunAfterKill!.code, rerunAfterKill!.stderr).toBe(0);
    expect(JSON.parse(rerunAfterKill!.stdout)).toMatchObject({ status: 'done', k: 8 });
  });
});
