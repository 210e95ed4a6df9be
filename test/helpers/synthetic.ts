import { writeFileSync } from 'node:fs';
import { seededRandom, type Random } from '../../src/clustering/random.js';
import type { AudioFeatures } from '../../src/types.js';

// Generated tracks with known structure: no dataset rows are copied into the repository.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function spotifyId(random: Random): string {
  let id = '';
  for (let i = 0; i < 22; i++) id += BASE62[Math.floor(random() * 62)];
  return id;
}

export interface SyntheticTrack {
  spotifyId: string;
  name: string;
  artists: string[];
  cluster: number;
  genre: string;
  features: AudioFeatures;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function gaussian(random: Random): number {
  const u = Math.max(1e-12, random());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Well-separated blobs in sound-space: each cluster has its own centre on every feature. */
export function syntheticTracks(options: { clusters: number; perCluster: number; seed?: number; spread?: number }): SyntheticTrack[] {
  const random = seededRandom(options.seed ?? 7);
  const spread = options.spread ?? 0.03;
  const centres = Array.from({ length: options.clusters }, () => ({
    danceability: random(),
    energy: random(),
    loudness: -30 + random() * 28,
    speechiness: random() * 0.6,
    acousticness: random(),
    instrumentalness: random(),
    liveness: random() * 0.8,
    valence: random(),
    tempo: 70 + random() * 110,
  }));
  const tracks: SyntheticTrack[] = [];
  centres.forEach((c, cluster) => {
    for (let i = 0; i < options.perCluster; i++) {
      const unit = (v: number) => clamp(v + gaussian(random) * spread, 0, 1);
      tracks.push({
        spotifyId: spotifyId(random),
        name: `Synthetic Song ${cluster}-${i}`,
        artists: [`Artist ${cluster}-${i % 7}`],
        cluster,
        genre: `genre-${cluster}`,
        features: {
          danceability: unit(c.danceability),
          energy: unit(c.energy),
          key: Math.floor(random() * 12),
          loudness: clamp(c.loudness + gaussian(random) * spread * 30, -60, 0),
          mode: random() < 0.5 ? 0 : 1,
          speechiness: unit(c.speechiness),
          acousticness: unit(c.acousticness),
          instrumentalness: unit(c.instrumentalness),
          liveness: unit(c.liveness),
          valence: unit(c.valence),
          tempo: clamp(c.tempo + gaussian(random) * spread * 100, 40, 220),
          durationMs: 150_000 + Math.floor(random() * 120_000),
          timeSignature: 4,
        },
      });
    }
  });
  return tracks;
}

export const TRACK_CSV_HEADER = [
  'track_id', 'track_name', 'artists', 'genre', 'danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness',
  'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo', 'duration_ms', 'time_signature',
];

/** A synthetic track's cells under TRACK_CSV_HEADER. */
export function trackCsvRow(t: SyntheticTrack): (string | number | null)[] {
  const f = t.features;
  return [
    t.spotifyId, t.name, t.artists.join(';'), t.genre, f.danceability, f.energy, f.key, f.loudness, f.mode, f.speechiness,
    f.acousticness, f.instrumentalness, f.liveness, f.valence, f.tempo, f.durationMs, f.timeSignature,
  ];
}

function csvCell(value: string | number | null): string {
  const text = value == null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tracksToCsv(tracks: SyntheticTrack[]): string {
  return `${[TRACK_CSV_HEADER.join(','), ...tracks.map((t) => trackCsvRow(t).map(csvCell).join(','))].join('\n')}\n`;
}

export function writeCsv(path: string, header: string[], rows: (string | number | null)[][]): string {
  writeFileSync(path, `${[header.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n')}\n`);
  return path;
}
