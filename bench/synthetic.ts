import { closeSync, openSync, writeSync } from 'node:fs';
import type { Catalog } from '../src/catalog/catalog.js';
import { seededRandom, type Random } from '../src/clustering/random.js';
import type { AudioFeatures } from '../src/types.js';

// Benchmark catalogs of any size: names from a word list (so full-text search has realistic
// posting lists) and features from a mixture of blobs (so k-means has structure to find).

const WORDS = (
  'love night dance baby heart fire blue dream girl boy time away home rain summer light star gold wild young ' +
  'city river road moon sun sky ocean wave storm thunder shadow ghost angel devil money party feel free fly ' +
  'run fall rise burn shine cold hot sweet bitter lonely happy crazy lost found forever never always tonight ' +
  'tomorrow yesterday morning midnight radio electric golden silver diamond paper glass stone heaven hell ' +
  'king queen prince lady man woman friend stranger lover secret magic mystery echo silence thunderbolt'
).split(' ');
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function word(random: Random): string {
  const w = WORDS[Math.floor(random() * WORDS.length)]!;
  // A numeric suffix now and then makes rarer terms, as real catalogs have.
  return random() < 0.3 ? `${w}${Math.floor(random() * 500)}` : w;
}

const title = (s: string) => s.replace(/\b\w/g, (c) => c.toUpperCase());

export function syntheticId(random: Random): string {
  let id = '';
  for (let i = 0; i < 22; i++) id += BASE62[Math.floor(random() * 62)];
  return id;
}

/** Features of n tracks as a row-major matrix over the nine clustered features, from 30 blobs. */
export function blobFeatures(n: number, seed: number): AudioFeatures[] {
  const random = seededRandom(seed);
  const centres = Array.from({ length: 30 }, () => Array.from({ length: 9 }, () => random()));
  const out: AudioFeatures[] = [];
  const jitter = () => (random() + random() + random() - 1.5) * 0.15;
  const unit = (v: number) => Math.min(1, Math.max(0, v));
  for (let i = 0; i < n; i++) {
    const c = centres[Math.floor(random() * centres.length)]!;
    out.push({
      danceability: unit(c[0]! + jitter()),
      energy: unit(c[1]! + jitter()),
      key: Math.floor(random() * 12),
      loudness: -30 + unit(c[2]! + jitter()) * 29,
      mode: random() < 0.6 ? 1 : 0,
      speechiness: unit(c[3]! * 0.5 + jitter() / 3),
      acousticness: unit(c[4]! + jitter()),
      instrumentalness: unit(c[5]! ** 3 + jitter() / 2),
      liveness: unit(c[6]! * 0.6 + jitter() / 2),
      valence: unit(c[7]! + jitter()),
      tempo: 60 + unit(c[8]! + jitter()) * 140,
      durationMs: 120_000 + Math.floor(random() * 200_000),
      timeSignature: 4,
    });
  }
  return out;
}

/** Fills a catalog with n synthetic tracks through the same code path as an import. Returns their names. */
export function fillCatalog(catalog: Catalog, n: number, seed = 11): string[] {
  const random = seededRandom(seed);
  const features = blobFeatures(n, seed + 1);
  const artists = Array.from({ length: Math.max(10, Math.floor(n / 20)) }, () => title(`${word(random)} ${word(random)}`));
  const names: string[] = [];
  const batch = 20_000;
  for (let start = 0; start < n; start += batch) {
    catalog.transaction(() => {
      for (let i = start; i < Math.min(n, start + batch); i++) {
        const name = title(Array.from({ length: 1 + Math.floor(random() * 4) }, () => word(random)).join(' '));
        const artist = artists[Math.floor(random() * artists.length)]!;
        const { trackId, outcome } = catalog.upsertTrack({ spotifyId: syntheticId(random), name, artists: [artist] }, 'bench');
        if (outcome === 'added') {
          catalog.setFeatures(trackId, features[i]!, 'bench');
          names.push(`${name} ${artist}`);
        }
      }
    });
  }
  return names;
}

const CSV_HEADER =
  'track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,' +
  'speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre';
const GENRES = ['pop', 'rock', 'hip-hop', 'edm', 'latin', 'r&b', 'jazz', 'classical', 'country', 'metal', 'folk', 'soul'];

const csvCell = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * Writes an n-row CSV in the layout of the Kaggle "spotify-tracks-dataset" (the largest public
 * layout), with what real files have: a few rows repeated (the same track in two genres), a few
 * other IDs of a recording already listed, quoted names, features in blobs.
 */
export function writeSyntheticCsv(path: string, n: number, seed = 21): void {
  const random = seededRandom(seed);
  const features = blobFeatures(Math.min(n, 100_000), seed + 1);
  const artists = Array.from({ length: Math.max(10, Math.floor(n / 15)) }, () => title(`${word(random)} ${word(random)}`));
  const fd = openSync(path, 'w');
  let chunk = `${CSV_HEADER}\n`;
  const recent: string[][] = [];
  try {
    for (let i = 0; i < n; i++) {
      const roll = random();
      let cells: string[];
      if (roll < 0.02 && recent.length > 0) {
        // The same track again, filed under another genre.
        cells = [...recent[Math.floor(random() * recent.length)]!];
        cells[19] = GENRES[Math.floor(random() * GENRES.length)]!;
      } else if (roll < 0.04 && recent.length > 0) {
        // Another ID of a recording already listed (a re-release).
        cells = [...recent[Math.floor(random() * recent.length)]!];
        cells[0] = syntheticId(random);
      } else {
        const f = features[i % features.length]!;
        const artist = artists[Math.floor(random() * artists.length)]!;
        const featured = random() < 0.15 ? `;${artists[Math.floor(random() * artists.length)]!}` : '';
        const name = title(Array.from({ length: 1 + Math.floor(random() * 4) }, () => word(random)).join(' '));
        cells = [
          syntheticId(random),
          csvCell(`${artist}${featured}`),
          csvCell(random() < 0.1 ? `${name}, Vol. ${1 + Math.floor(random() * 3)}` : name),
          csvCell(random() < 0.05 ? `${name} - ${1990 + Math.floor(random() * 30)} Remaster` : name),
          String(Math.floor(random() * 100)),
          String(f.durationMs),
          random() < 0.1 ? 'True' : 'False',
          f.danceability.toFixed(3), f.energy.toFixed(3), String(f.key), f.loudness.toFixed(3), String(f.mode),
          f.speechiness.toFixed(4), f.acousticness.toFixed(4), f.instrumentalness.toExponential(2), f.liveness.toFixed(4),
          f.valence.toFixed(3), f.tempo.toFixed(3), String(f.timeSignature),
          GENRES[Math.floor(random() * GENRES.length)]!,
        ];
        if (recent.length < 1_000) recent.push(cells);
        else recent[Math.floor(random() * recent.length)] = cells;
      }
      chunk += `${cells.join(',')}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}
