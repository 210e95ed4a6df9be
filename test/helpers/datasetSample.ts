import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dataset, DATASETS } from './datasets.js';
import { syntheticTracks, tracksToCsv } from './synthetic.js';

// A CSV to serve from the fake dataset host: the first rows of the real TidyTuesday file when
// ../shared/data has it (repeated tracks, playlists, a few bad rows), generated tracks otherwise.
// Nothing of it is written into the repository.

export interface DatasetSample {
  csv: Buffer;
  rows: number;
  /** True when the rows are TidyTuesday's. */
  real: boolean;
}

export function datasetSample(rows = 4_000): DatasetSample {
  const tidy = dataset(DATASETS.tidyTuesday);
  if (tidy.path) {
    const lines = gunzipSync(readFileSync(tidy.path)).toString('utf8').split('\n').slice(0, rows + 1);
    return { csv: Buffer.from(`${lines.join('\n')}\n`), rows, real: true };
  }
  const perCluster = Math.ceil(rows / 8);
  return { csv: Buffer.from(tracksToCsv(syntheticTracks({ clusters: 8, perCluster }))), rows: perCluster * 8, real: false };
}
