import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { realClock } from '../src/http/httpClient.js';
import { JobRunner } from '../src/jobs/jobRunner.js';
import { JobStore, lockOwner } from '../src/jobs/jobStore.js';
import { createLogger } from '../src/logger.js';
import { createTestApp, type TestApp } from './helpers/app.js';

// The job record and the database locks across processes: a run ends its row and frees its lock
// however it fails, and a lock left by a process that is gone is recognised as such.

describe('job runs and locks', () => {
  let app: TestApp;
  afterEach(() => app.dispose());
  const locks = () => app.database.sqlite.prepare('SELECT name, owner FROM job_locks').all();

  it('a job that throws at once (before any await) ends as failed with its reason and frees its lock', async () => {
    app = createTestApp();
    const store = new JobStore(app.database);
    const runner = new JobRunner(store, realClock, createLogger({ level: 'silent' }));
    const result = await runner.run({
      name: 'recluster',
      lock: 'catalog',
      run: () => {
        throw new Error('Clustering needs at least 8 tracks with audio features; the catalog has 0.');
      },
    });
    expect(result.status).toBe('failed');
    expect(store.recent(5)).toMatchObject([{ job: 'recluster', status: 'failed', error: 'Clustering needs at least 8 tracks with audio features; the catalog has 0.' }]);
    expect(store.recent(5)[0]!.finishedAt).not.toBeNull();
    expect(locks()).toEqual([]);
  });

  it('takes over a lock whose owner had this PID in an earlier life (a restarted container: node is PID 1 again)', () => {
    app = createTestApp();
    const store = new JobStore(app.database);
    const now = Date.now();
    // The same host and PID, but a process that started at another time: it is gone.
    const before = lockOwner('tok1', { pid: process.pid, started: 'an-earlier-start' });
    expect(store.tryLock('catalog', before, now, 600_000)).toBe(true);
    expect(store.tryLock('catalog', lockOwner('tok2'), now, 600_000)).toBe(true);
    expect(locks()).toEqual([{ name: 'catalog', owner: lockOwner('tok2') }]);
  });

  it('keeps a lock of a live owner: this very process (another holder in it), or a live process elsewhere', () => {
    app = createTestApp();
    const store = new JobStore(app.database);
    const now = Date.now();
    expect(store.tryLock('catalog', lockOwner('mine'), now, 600_000)).toBe(true);
    expect(store.tryLock('catalog', lockOwner('other-holder'), now, 600_000)).toBe(false);
    // The parent of this test process is alive (a PID whose start we can read).
    expect(store.tryLock('parent', lockOwner('theirs', { pid: process.ppid }), now, 600_000)).toBe(true);
    expect(store.tryLock('parent', lockOwner('ours'), now, 600_000)).toBe(false);
    // Another machine's process: never judged from here; it waits for the expiry.
    expect(store.tryLock('remote', `not-${hostname()}:1:x:tok`, now, 600_000)).toBe(true);
    expect(store.tryLock('remote', lockOwner('ours'), now, 600_000)).toBe(false);
  });

  it('takes over a lock whose owner PID now belongs to a process that started later (the PID was reused)', () => {
    app = createTestApp();
    const store = new JobStore(app.database);
    const now = Date.now();
    expect(store.tryLock('catalog', lockOwner('old', { pid: process.ppid, started: 'long-ago' }), now, 600_000)).toBe(true);
    expect(store.tryLock('catalog', lockOwner('new'), now, 600_000)).toBe(true);
  });
});
