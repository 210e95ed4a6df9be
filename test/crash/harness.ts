import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { catalogInvariants, NO_VIOLATIONS } from '../helpers/catalogRows.js';

// Crash tests: the real CLI in a child process, killed with SIGKILL at chosen points. The test
// process watches the child's database (a second connection: WAL lets it read while the child
// writes) and its log lines to decide when to kill, then inspects what the kill left behind.

const ROOT = new URL('../..', import.meta.url).pathname;

export interface CliRun {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the child wrote so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves when the child has exited (by itself or killed). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: () => boolean;
  /** SIGKILL, then wait for the exit. Returns true when this call killed it (false: it had already ended). */
  kill(): Promise<boolean>;
}

const children = new Set<ChildProcessWithoutNullStreams>();

/** Kills every child still running: for afterEach/afterAll, so no test leaves a process behind. */
export async function killAllChildren(): Promise<void> {
  const waits = [...children].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
  children.clear();
}

/** Starts `node --import tsx src/cli/main.ts ...args` from the project root (asynchronous: a fake in this process keeps answering). */
export function startCli(args: string[], env: NodeJS.ProcessEnv): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, CLUSTER_DJ_IGNORE_DOTENV: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  let done = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      done = true;
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    running: () => !done,
    async kill() {
      if (done) return false;
      const killed = child.kill('SIGKILL');
      await exited;
      return killed;
    },
  };
}

/** Runs the CLI to its end. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startCli(args, env);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `condition` every `pollMs` while the child runs; once it holds, waits `extraDelayMs` and
 * kills the child. Returns whether the kill happened while the child was still running (false:
 * the child had finished before the kill point was reached).
 */
export async function killWhen(run: CliRun, condition: () => boolean, extraDelayMs: number, pollMs = 5): Promise<boolean> {
  while (run.running()) {
    let reached = false;
    try {
      reached = condition();
    } catch {
      // The database may not exist or be migrated yet: not reached.
    }
    if (reached) {
      if (extraDelayMs > 0) await sleep(extraDelayMs);
      return run.kill();
    }
    await sleep(pollMs);
  }
  return false;
}

/** A read connection to a database another process writes; null until the file exists. */
export class DbWatcher {
  private db: BetterSqlite3.Database | null = null;
  constructor(private readonly path: string) {}

  /** The first value of a one-column query, or null when the database or table is not there yet. */
  value<T>(sql: string): T | null {
    if (!this.db) {
      if (!existsSync(this.path)) return null;
      this.db = new BetterSqlite3(this.path, { fileMustExist: true, timeout: 2_000 });
    }
    try {
      return (this.db.prepare(sql).pluck().get() as T | undefined) ?? null;
    } catch {
      return null;
    }
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }
}

/**
 * Copies the template database to `path` and runs `fn` on a quiet app over the copy: how the
 * tests make the uninterrupted run that every killed one is compared with.
 */
export async function withAppOnCopy<T>(template: string, path: string, settings: Record<string, string>, fn: (app: App) => T | Promise<T>): Promise<T> {
  copyFileSync(template, path);
  const app = createApp(parseConfig({ ...settings, DATABASE_PATH: path, LOG_LEVEL: 'silent' }), { logger: createLogger({ level: 'silent' }) });
  try {
    return await fn(app);
  } finally {
    app.close();
  }
}

/** Opens a database for inspection, runs `fn`, closes it. */
export function withDb<T>(path: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(path, { fileMustExist: true, timeout: 5_000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function integrity(db: BetterSqlite3.Database): { integrity: string[]; foreignKeys: unknown[] } {
  return {
    integrity: (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
    foreignKeys: db.pragma('foreign_key_check') as unknown[],
  };
}

/** What every kill must leave: a sound file (pages and foreign keys) and a consistent catalog. */
export function expectIntactCatalog(db: BetterSqlite3.Database, label?: string): void {
  expect(integrity(db), label).toEqual({ integrity: ['ok'], foreignKeys: [] });
  expect(catalogInvariants(db), label).toEqual(NO_VIOLATIONS);
}

export interface ActiveModelState {
  id: number;
  k: number;
  trackCount: number;
  /** Assignment rows of the model. */
  assigned: number;
  /** Tracks with features and no assignment in it. */
  unplaced: number;
  /** Lengths of the stored centroid and label lists (k each in a complete model). */
  centroids: number;
  labels: number;
}

/** The active model and how complete its stored assignments are; null when none is active. */
export function activeModel(db: BetterSqlite3.Database): ActiveModelState | null {
  const models = db.prepare('SELECT id, k, track_count AS trackCount, centroids, labels FROM cluster_models WHERE active = 1').all() as {
    id: number;
    k: number;
    trackCount: number;
    centroids: string;
    labels: string;
  }[];
  if (models.length > 1) throw new Error(`${models.length} active models`);
  const model = models[0];
  if (!model) return null;
  const n = (sql: string) => db.prepare(sql).pluck().get(model.id) as number;
  return {
    id: model.id,
    k: model.k,
    trackCount: model.trackCount,
    assigned: n('SELECT count(*) FROM track_clusters WHERE model_id = ?'),
    unplaced: n('SELECT count(*) FROM audio_features f WHERE NOT EXISTS (SELECT 1 FROM track_clusters c WHERE c.model_id = ? AND c.track_id = f.track_id)'),
    centroids: (JSON.parse(model.centroids) as unknown[]).length,
    labels: (JSON.parse(model.labels) as unknown[]).length,
  };
}

/** Every track's cluster and distance in the active model, by Spotify ID. */
export function activeAssignments(db: BetterSqlite3.Database): unknown[] {
  return db
    .prepare(
      `SELECT t.spotify_id, c.cluster, round(c.distance, 9) FROM track_clusters c JOIN tracks t ON t.id = c.track_id
       WHERE c.model_id = (SELECT id FROM cluster_models WHERE active = 1) ORDER BY t.spotify_id`,
    )
    .raw()
    .all();
}
