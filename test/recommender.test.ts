import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { DEFAULT_FEATURE_SPEC } from '../src/clustering/featureSpec.js';
import {
  ClusterExhaustedError,
  EmptyCatalogError,
  InvalidLinkError,
  NoFeaturesError,
  NoModelError,
  UnknownSongError,
} from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import type { AudioFeatures } from '../src/types.js';
import { createTestApp, type TestApp } from './helpers/app.js';

const logger = createLogger({ level: 'silent' });

function features(base: number, overrides: Partial<AudioFeatures> = {}): AudioFeatures {
  return {
    danceability: base, energy: base, key: 5, loudness: -20 + base * 15, mode: 1, speechiness: 0.05 + base * 0.1,
    acousticness: 1 - base, instrumentalness: 0.1, liveness: 0.1, valence: base, tempo: 80 + base * 80,
    durationMs: 200_000, timeSignature: 4, ...overrides,
  };
}

// Two groups far apart in sound. Within the near group, distances to "Seed" grow with the offset.
const CATALOG: { id: string; name: string; artist: string; f: AudioFeatures | null }[] = [
  { id: 'SEED000000000000000001', name: 'Seed Song', artist: 'Artist X', f: features(0.2) },
  { id: 'LIVE000000000000000001', name: 'Seed Song - Live at Wembley', artist: 'Artist X', f: features(0.2, { liveness: 0.12 }) },
  { id: 'SAME000000000000000001', name: 'Other Song', artist: 'Artist X', f: features(0.201) },
  { id: 'NEAR000000000000000001', name: 'Near One', artist: 'Artist Y', f: features(0.21) },
  { id: 'NEAR000000000000000002', name: 'Near Two', artist: 'Artist Z', f: features(0.22) },
  { id: 'NEAR000000000000000003', name: 'Near Three', artist: 'Artist W', f: features(0.23) },
  ...Array.from({ length: 16 }, (_, i) => ({
    id: `FAR${String(i).padStart(19, '0')}`,
    name: `Far Song ${i}`,
    artist: `Far Artist ${i}`,
    f: features(0.85 + i * 0.01),
  })),
  { id: 'NOFEATURES000000000001', name: 'Silent Song', artist: 'Mystery', f: null },
];

describe('recommender', () => {
  let app: TestApp;
  beforeEach(() => {
    app = createTestApp({ RECOMMEND_USER_HISTORY_DAYS: '30', RECOMMEND_GUILD_HISTORY_HOURS: '24' });
  });
  afterEach(() => app.dispose());

  function seedCatalog() {
    for (const t of CATALOG) {
      const { trackId } = app.catalog.upsertTrack({ spotifyId: t.id, name: t.name, artists: [t.artist], album: 'Album' }, 'test');
      if (t.f) app.catalog.setFeatures(trackId, t.f, 'test');
    }
    clusterCatalog({ database: app.database, settings: { k: 2, kMin: 2, kMax: 2, seed: 1 }, logger });
  }

  it('picks the nearest track by another artist, never the seed or another version of it', async () => {
    seedCatalog();
    const r = await app.recommender.recommend('seed song', { userId: 'u1', guildId: 'g1' });
    expect(r.seed.name).toBe('Seed Song');
    expect(r.pick.name).toBe('Near One');
    expect(r.similarity).toBeGreaterThan(0.9);
    expect(r.similarity).toBeLessThanOrEqual(1);
    expect(r.cluster.label).toBe(app.models.active()!.labels[r.cluster.id]);
    const used = DEFAULT_FEATURE_SPEC.features.map((f) => f.feature);
    for (const c of [...r.matches, ...r.differences]) expect(used).toContain(c.feature);
    expect(r.matches).toHaveLength(3);
  });

  it('does not repeat a recent pick to the same user, nor within the guild', async () => {
    seedCatalog();
    const picks: string[] = [];
    for (let i = 0; i < 3; i++) picks.push((await app.recommender.recommend('Seed Song', { userId: 'u1', guildId: 'g1' })).pick.name);
    expect(picks).toEqual(['Near One', 'Near Two', 'Near Three']);
    // Another member of the same guild does not get the guild's recent picks either...
    const other = await app.recommender.recommend('Seed Song', { userId: 'u2', guildId: 'g1' });
    expect(other.pick.name).toBe('Other Song'); // ...so the same-artist track is next, before any repeat.
    // In another guild, a new member starts from the nearest again.
    expect((await app.recommender.recommend('Seed Song', { userId: 'u3', guildId: 'g2' })).pick.name).toBe('Near One');
  });

  it('falls back to a repeat (and says so) only when the cluster has nothing new', async () => {
    seedCatalog();
    const context = { userId: 'u1', guildId: 'g1' };
    for (let i = 0; i < 4; i++) await app.recommender.recommend('Seed Song', context);
    const repeat = await app.recommender.recommend('Seed Song', context);
    expect(repeat.repeated).toBe(true);
    expect(repeat.pick.name).not.toMatch(/Seed Song/);
  });

  it('"Another one" never repeats for the user and says when the cluster is used up', () => {
    seedCatalog();
    const seedId = app.catalog.findIdBySpotifyId('SEED000000000000000001')!;
    const context = { userId: 'u1', guildId: 'g1' };
    const names = Array.from({ length: 4 }, () => app.recommender.recommendForTrack(seedId, context, { noRepeats: true }).pick.name);
    expect(new Set(names).size).toBe(4);
    expect(() => app.recommender.recommendForTrack(seedId, context, { noRepeats: true })).toThrow(ClusterExhaustedError);
  });

  it.each([
    'https://open.spotify.com/track/NEAR000000000000000002?si=abcdef',
    'https://open.spotify.com/intl-de/track/NEAR000000000000000002',
    'spotify:track:NEAR000000000000000002',
    'NEAR000000000000000002',
  ])('takes a track link, URI or ID: %s', async (query) => {
    seedCatalog();
    expect((await app.recommender.recommend(query)).seed.name).toBe('Near Two');
  });

  it('explains an unknown song with the closest names', async () => {
    seedCatalog();
    const attempt = app.recommender.recommend('Seed Tune Xylophone');
    await expect(attempt).rejects.toBeInstanceOf(UnknownSongError);
    const error = (await app.recommender.recommend('Seed Tune Xylophone').catch((e: unknown) => e)) as UnknownSongError;
    expect(error.suggestions).toContain('Seed Song — Artist X');
    await expect(app.recommender.recommend('https://open.spotify.com/track/ABCDEFGHIJKLMNOPQRSTUV')).rejects.toBeInstanceOf(UnknownSongError);
    await expect(app.recommender.recommend('https://open.spotify.com/album/ABCDEFGHIJKLMNOPQRSTUV')).rejects.toBeInstanceOf(InvalidLinkError);
  });

  it('says when a known track has no features', async () => {
    seedCatalog();
    await expect(app.recommender.recommend('Silent Song')).rejects.toBeInstanceOf(NoFeaturesError);
  });

  it('tells an empty catalog from an unclustered one', async () => {
    await expect(app.recommender.recommend('anything')).rejects.toBeInstanceOf(EmptyCatalogError);
    app.catalog.upsertTrack({ spotifyId: 'SEED000000000000000001', name: 'Seed Song', artists: ['X'] }, 'test');
    await expect(app.recommender.recommend('anything')).rejects.toBeInstanceOf(NoModelError);
  });

  it('places a track added after clustering and recommends from it', async () => {
    seedCatalog();
    const { trackId } = app.catalog.upsertTrack({ spotifyId: 'LATE000000000000000001', name: 'Late Arrival', artists: ['Artist Q'] }, 'test');
    app.catalog.setFeatures(trackId, features(0.9), 'test');
    const r = await app.recommender.recommend('Late Arrival');
    expect(r.pick.name).toMatch(/^Far Song/);
    // It is now a candidate for others too.
    const stored = app.database.sqlite.prepare('SELECT COUNT(*) FROM track_clusters WHERE track_id = ?').pluck().get(trackId);
    expect(stored).toBe(1);
  });

  it('logs every pick with guild, user and query, unless it is a dry run', async () => {
    seedCatalog();
    await app.recommender.recommend('Seed Song', { guildId: 'g1', userId: 'u1' });
    await app.recommender.recommend('Seed Song', { guildId: 'g1', userId: 'u1', dryRun: true });
    const rows = app.database.sqlite.prepare('SELECT guild_id, user_id, query FROM recommendations').all();
    expect(rows).toEqual([{ guild_id: 'g1', user_id: 'u1', query: 'Seed Song' }]);
  });
});
