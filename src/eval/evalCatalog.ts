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

function throwawayApp(settings: Record<string, string>): { app: App; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-dj-eval-'));
  const app = createApp(parseConfig({ DATABASE_PATH: join(dir, 'eval.db'), LOG_LEVEL: 'silent', ...settings }), {
    logger: createLogger({ level: 'silent' }),
  });
  return {
    app,
    dispose: () => {
      app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openEvalCatalog(datasetPath: string, settings: Record<string, string> = {}): Promise<EvalCatalog> {
  const { app, dispose } = throwawayApp(settings);
  try {
    return { app, imported: await importCsv(app.catalog, datasetPath), dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/** Several datasets imported one after the other into one catalog, as a bot fed all of them would hold them. */
export async function openCombinedCatalog(datasetPaths: readonly string[]): Promise<{ app: App; dispose: () => void }> {
  const opened = throwawayApp({});
  try {
    for (const path of datasetPaths) await importCsv(opened.app.catalog, path);
    return opened;
  } catch (error) {
    opened.dispose();
    throw error;
  }
}
