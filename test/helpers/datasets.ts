import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../../src/eval/datasets.js';

// The public datasets beside the project root (../shared/data). Tests that need them are skipped,
// with the reason in their name, when they are absent. SHARED_DATA_DIR points elsewhere.

export const SHARED_DATA_DIR = sharedDataDir();

export const DATASETS = {
  hitPredictor: 'spotify_hit_predictor_tracks.csv.gz',
  tidyTuesday: 'tidytuesday_spotify_songs.csv.gz',
  musicOSet: 'musicoset_tracks.csv',
} as const;

export interface Dataset {
  path: string | null;
  /** Appended to a describe() title: empty when present, the skip reason when absent. */
  note: string;
}

export function dataset(name: (typeof DATASETS)[keyof typeof DATASETS]): Dataset {
  const path = join(SHARED_DATA_DIR, name);
  return existsSync(path)
    ? { path, note: '' }
    : { path: null, note: ` (skipped: ${path} is absent; set SHARED_DATA_DIR to the datasets folder)` };
}
