import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { PROJECT_ROOT } from '../paths.js';

// The public datasets the evaluation reads: ../shared/data beside the project root, or
// SHARED_DATA_DIR. Only files named here are read (never ../shared/holdout, which is reserved
// for independent evaluation).

export type LabelKind = 'genre' | 'playlist';

export interface EvalDataset {
  name: string;
  file: string;
  /** What a hit means on this dataset: sharing a genre, a playlist, or both (reported side by side). */
  measures: LabelKind[];
}

export const EVAL_DATASETS: EvalDataset[] = [
  { name: 'TidyTuesday', file: 'tidytuesday_spotify_songs.csv.gz', measures: ['genre', 'playlist'] },
  { name: 'MusicOSet', file: 'musicoset_tracks.csv', measures: ['genre'] },
];

/** The search check's catalog: every shared dataset imported together, in this order. */
export const SEARCH_CHECK_DATASETS: readonly Pick<EvalDataset, 'name' | 'file'>[] = [
  EVAL_DATASETS[0]!,
  EVAL_DATASETS[1]!,
  { name: 'Spotify Hit Predictor', file: 'spotify_hit_predictor_tracks.csv.gz' },
];

/**
 * SHARED_DATA_DIR from the environment, else from `.env`, else ../shared/data beside the project.
 * `.env` is read even where tests ignore it for settings: this says where data is, not how to behave.
 */
export function sharedDataDir(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): string {
  const fromFile = existsSync(envFile) ? parseDotenv(readFileSync(envFile)).SHARED_DATA_DIR : undefined;
  const given = [env.SHARED_DATA_DIR, fromFile].find((value) => value !== undefined && value.trim() !== '');
  return given ? resolve(given) : resolve(PROJECT_ROOT, '../shared/data');
}

/** The dataset's path, or why it cannot be evaluated. */
export function locateDataset(dataset: Pick<EvalDataset, 'file'>, dir = sharedDataDir()): { path: string } | { missing: string } {
  const path = join(dir, dataset.file);
  return existsSync(path)
    ? { path }
    : { missing: `${path} is absent; set SHARED_DATA_DIR to the folder holding the public datasets` };
}
