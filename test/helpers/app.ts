import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';

export interface TestApp extends App {
  dir: string;
  dispose(): void;
}

/** A real app on a fresh database file in a temp directory; settings as the environment would give them. */
export function createTestApp(settings: Record<string, string> = {}, logger?: Logger): TestApp {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-dj-test-'));
  const config = parseConfig({ DATABASE_PATH: join(dir, 'test.db'), LOG_LEVEL: 'silent', ...settings });
  const app = createApp(config, { logger: logger ?? createLogger({ level: 'silent' }) });
  return {
    ...app,
    dir,
    dispose() {
      app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function tempDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-dj-test-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What an import stores, table by table in a fixed order; `withoutTimes` drops when each row was written. */
export function catalogSnapshot(app: TestApp, options: { withoutTimes?: boolean } = {}) {
  const q = (sql: string) =>
    app.database.sqlite
      .prepare(sql)
      .all()
      .map((row) => (options.withoutTimes ? { ...(row as object), created_at: undefined, fetched_at: undefined } : row));
  return {
    tracks: q('SELECT * FROM tracks ORDER BY id'),
    features: q('SELECT * FROM audio_features ORDER BY track_id'),
    aliases: q('SELECT * FROM track_aliases ORDER BY spotify_id'),
    labels: q('SELECT * FROM track_labels ORDER BY track_id, kind, value'),
    search: q('SELECT rowid, search_text FROM track_search ORDER BY rowid'),
  };
}
