import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../src/app.js';
import { clusterCatalog } from '../../src/clustering/clusterCatalog.js';
import { seededRandom } from '../../src/clustering/random.js';
import { parseConfig } from '../../src/config.js';
import { importCsv } from '../../src/import/importCsv.js';
import { createLogger } from '../../src/logger.js';
import { spotifyId, syntheticTracks, TRACK_CSV_HEADER, trackCsvRow, tracksToCsv, writeCsv, type SyntheticTrack } from '../helpers/synthetic.js';

// Data for the crash tests, generated (no dataset rows are copied into the repository).

function row(t: SyntheticTrack, overrides: { id?: string; name?: string; genre?: string; danceability?: number } = {}) {
  return trackCsvRow({
    ...t,
    spotifyId: overrides.id ?? t.spotifyId,
    name: overrides.name ?? t.name,
    genre: overrides.genre ?? t.genre,
    features: { ...t.features, danceability: overrides.danceability ?? t.features.danceability },
  });
}

/**
 * A CSV of `rows` synthetic tracks with what a real dataset has besides: the same track again
 * (another genre label), the same recording under another ID ("- Remastered 2011", an alias),
 * and invalid rows (skipped). Returns how many rows of each it wrote.
 */
export function writeImportCsv(path: string, rows: number, seed = 11): { tracks: number; repeats: number; merges: number; invalid: number } {
  const tracks = syntheticTracks({ clusters: 10, perCluster: Math.ceil(rows / 10), seed });
  const random = seededRandom(seed + 1);
  const out: (string | number | null)[][] = [];
  const counts = { tracks: tracks.length, repeats: 0, merges: 0, invalid: 0 };
  tracks.forEach((t, i) => {
    out.push(row(t));
    if (i % 50 === 49) {
      out.push(row(tracks[i - 10]!, { genre: 'repeat-genre' }));
      counts.repeats++;
    }
    if (i % 70 === 69) {
      out.push(row(t, { id: spotifyId(random), name: `${t.name} - Remastered 2011` }));
      counts.merges++;
    }
    if (i % 97 === 96) {
      out.push(row(t, { id: spotifyId(random), name: `Broken ${t.name}`, danceability: 1.7 }));
      counts.invalid++;
    }
  });
  writeCsv(path, TRACK_CSV_HEADER, out);
  return counts;
}

/**
 * A database with a small clustered catalog (an active model, k = 6), built in this process:
 * the state the crash tests start from. Returns the model's ID.
 */
export async function writeTemplateDatabase(dir: string, options: { tracks?: number; k?: number } = {}): Promise<string> {
  const path = join(dir, 'template.db');
  const csv = join(dir, 'template.csv');
  const perCluster = Math.ceil((options.tracks ?? 1_200) / 6);
  const tracks = syntheticTracks({ clusters: 6, perCluster, seed: 3 }).map((t) => ({ ...t, name: t.name.replace('Synthetic', 'Template') }));
  writeFileSync(csv, tracksToCsv(tracks));
  const config = parseConfig({ DATABASE_PATH: path, LOG_LEVEL: 'silent', CLUSTER_K: String(options.k ?? 6) });
  const logger = createLogger({ level: 'silent' });
  const app = createApp(config, { logger });
  try {
    await importCsv(app.catalog, csv);
    clusterCatalog({ database: app.database, settings: config.clustering, logger });
  } finally {
    app.close();
  }
  return path;
}
