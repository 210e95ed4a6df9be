import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../app.js';
import { parseConfig } from '../config.js';
import { importCsv } from '../import/importCsv.js';
import { createLogger } from '../logger.js';
import type { ImportReport } from '../types.js';

// A throwaway catalog for one evaluation: a fresh database in a temp directory, the dataset
// imported through the real importer, and the app wired with the shipped defaults (not the
// user's .env), so what is measured is what ships.

export interface EvalCatalog {
  app: App;
  imported: ImportReport;
  dispose(): void;
}

export async function openEvalCatalog(datasetPath: string, settings: Record<string, string> = {}): Promise<EvalCatalog> {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-dj-eval-'));
  const app = createApp(parseConfig({ DATABASE_PATH: join(dir, 'eval.db'), LOG_LEVEL: 'silent', ...settings }), {
    logger: createLogger({ level: 'silent' }),
  });
  const dispose = () => {
    app.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    return { app, imported: await importCsv(app.catalog, datasetPath), dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
