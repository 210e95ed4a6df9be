import { afterEach, describe, expect, it } from 'vitest';
import { rankByName } from '../src/catalog/search.js';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { NoFeaturesError, ServiceBusyError, UnknownSongError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { SpotifyAuthError } from '../src/spotify/auth.js';
import { generateFakeCatalog, type GeneratedFakeCatalog } from './fakes/spotify.js';
import { startSpotifyWorld, type SpotifyTestWorld } from './helpers/spotifyApp.js';

const logger = createLogger({ level: 'silent' });

describe('resolving songs on Spotify', () => {
  let world: SpotifyTestWorld;
  afterEach(() => world.dispose());

  /** A clustered catalog of the "large" playlist; other fake tracks are only on Spotify. */
  async function clusteredWorld(mode: 'extended' | 'development-2026') {
    world = await startSpotifyWorld({ mode, catalog: generateFakeCatalog({ seed: 1, spotifyFeaturesCoverage: 1, reccobeatsCoverage: 1 }) });
    if (mode === 'development-2026') await world.login();
    const catalog = world.fake.catalog as GeneratedFakeCatalog;
    const seed = world.app.seeds.add('g1', catalog.ids.playlists.large, { expandArtists: false });
    await world.app.spotify!.crawler.crawl(seed.id);
    clusterCatalog({ database: world.app.database, settings: { ...world.app.config.clustering, k: 3 }, logger });
    const outside = [...catalog.tracks.values()].filter((t) => !world.app.catalog.findIdBySpotifyId(t.id) && t.features && t.playable);
    return { catalog, outside };
  }

  it.each(['extended', 'development-2026'] as const)('recommends from a linked song not in the catalog yet (%s)', async (mode) => {
    const { outside } = await clusteredWorld(mode);
    const song = outside[0]!;
    const before = world.app.catalog.counts().tracks;
    const r = await world.app.recommender.recommend(`https://open.spotify.com/track/${song.id}?si=123`, { userId: 'u' });
    expect(r.seed.spotifyId).toBe(song.id);
    expect(r.seed.features).not.toBeNull();
    expect(world.app.catalog.counts().tracks).toBe(before + 1);
    // It is placed in the active model, so it can be picked for others too.
    const placed = world.app.database.sqlite.prepare('SELECT COUNT(*) FROM track_clusters WHERE track_id = ?').pluck().get(r.seed.id);
    expect(placed).toBe(1);
  });

  it('finds a song by name with Spotify search, never asking for more than 10 results', async () => {
    const { outside } = await clusteredWorld('development-2026');
    const query = (t: (typeof outside)[number]) => `${t.name} ${world.fake.catalog.artists.get(t.artistIds[0]!)!.name}`;
    // A song whose name and artist match nothing in the catalog.
    const song = outside.find((t) => world.app.search.resolve(query(t)).hit === null)!;
    const artist = world.fake.catalog.artists.get(song.artistIds[0]!)!;
    const { track, source } = await world.app.recommender.resolve(`${song.name} ${artist.name}`);
    expect(source).toBe('spotify');
    expect(track.spotifyId).toBe(song.id);
    const searches = world.fake.filterRequests({ path: /\/search$/ });
    expect(searches.length).toBe(1);
    expect(searches.every((r) => Number(r.query.limit) <= 10)).toBe(true);
    // Asking again is answered from the catalog, without Spotify.
    expect((await world.app.recommender.resolve(`${song.name} ${artist.name}`)).source).toBe('catalog');
    expect(world.fake.filterRequests({ path: /\/search$/ }).length).toBe(1);
  });

  it('ranks search results by name and artist rather than taking the first hit', () => {
    const results = [
      { name: 'Halo (Karaoke Version)', artists: ['Party Tyme'], popularity: 70 },
      { name: 'Halo', artists: ['Beyoncé'], popularity: 90 },
      { name: 'Halo', artists: ['Depeche Mode'], popularity: 60 },
      { name: 'Something Else Entirely', artists: ['Nobody'], popularity: 99 },
    ];
    expect(rankByName('halo depeche mode', results).map((r) => r.artists[0])).toEqual(['Depeche Mode']);
    expect(rankByName('halo', results)[0]).toMatchObject({ artists: ['Beyoncé'] });
    expect(rankByName('bohemian rhapsody', results)).toEqual([]);
  });

  it('says at once that Spotify is busy when it asks for a long pause, instead of keeping the member waiting', async () => {
    const { outside } = await clusteredWorld('extended');
    world.fake.fault({ service: 'api', kind: '429', retryAfterSeconds: 120, times: 1 });
    const asked = world.app.recommender.recommend(`https://open.spotify.com/track/${outside[0]!.id}`);
    await expect(asked).rejects.toBeInstanceOf(ServiceBusyError);
    await expect(asked).rejects.toThrow('Spotify is busy right now and asked the bot to pause for 2 minutes. Please try again after that.');
    expect(world.clock.sleeps).toEqual([]);
    expect(world.fake.count({ service: 'api', path: /^\/v1\/tracks\// })).toBe(1);
  });

  it('says so when neither the catalog nor Spotify knows the song', async () => {
    await clusteredWorld('development-2026');
    await expect(world.app.recommender.recommend('zzqx nonexistent vvkw')).rejects.toBeInstanceOf(UnknownSongError);
    await expect(world.app.recommender.recommend('https://open.spotify.com/track/ZZZZZZZZZZZZZZZZZZZZZZ')).rejects.toBeInstanceOf(UnknownSongError);
  });

  it('stores a song no provider has features for, says so, and queues it', async () => {
    world = await startSpotifyWorld({ mode: 'development-2026', catalog: generateFakeCatalog({ seed: 2, reccobeatsCoverage: 0 }) });
    const catalog = world.fake.catalog as GeneratedFakeCatalog;
    const { trackId } = world.app.catalog.upsertTrack({ spotifyId: 'SEEDTRACK0000000000001', name: 'x', artists: ['y'] }, 'test');
    world.app.catalog.setFeatures(trackId, { danceability: 0.5, energy: 0.5, key: 1, loudness: -5, mode: 1, speechiness: 0.1, acousticness: 0.1, instrumentalness: 0, liveness: 0.1, valence: 0.5, tempo: 120, durationMs: null, timeSignature: null }, 'test');
    for (let i = 0; i < 30; i++) {
      const { trackId: id } = world.app.catalog.upsertTrack({ spotifyId: `FILLER${String(i).padStart(16, '0')}`, name: `filler ${i}`, artists: [`a${i}`] }, 'test');
      world.app.catalog.setFeatures(id, { danceability: i / 30, energy: 0.5, key: 1, loudness: -5, mode: 1, speechiness: 0.1, acousticness: 0.1, instrumentalness: 0, liveness: 0.1, valence: 0.5, tempo: 120, durationMs: null, timeSignature: null }, 'test');
    }
    clusterCatalog({ database: world.app.database, settings: { ...world.app.config.clustering, k: 2 }, logger });
    const song = catalog.tracks.get(catalog.ids.featurelessTrack)!;
    await expect(world.app.recommender.recommend(`spotify:track:${song.id}`)).rejects.toBeInstanceOf(NoFeaturesError);
    expect(world.app.backlog.size()).toBe(1);
  });
});

describe('spotify-login (Authorization Code with PKCE)', () => {
  let world: SpotifyTestWorld;
  afterEach(() => world.dispose());

  it('stores the account\'s refresh token and uses it for playlist reads', async () => {
    world = await startSpotifyWorld({ mode: 'development-2026' });
    await world.login();
    const account = world.app.spotifyAccounts.get();
    expect(account).toMatchObject({ userId: 'fixture-user', scope: expect.stringContaining('playlist-read-private') as string });
    const authorize = world.fake.filterRequests({ service: 'accounts', path: '/authorize' })[0]!;
    expect(authorize.query).toMatchObject({ code_challenge_method: 'S256', response_type: 'code', client_id: 'client-id' });
    expect(authorize.query.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const catalog = world.fake.catalog as GeneratedFakeCatalog;
    const seed = world.app.seeds.add('g1', catalog.ids.playlists.mine, { expandArtists: false });
    await world.app.spotify!.crawler.crawl(seed.id);
    const reads = world.fake.filterRequests({ path: new RegExp(`/playlists/${catalog.ids.playlists.mine}`) });
    expect(reads.every((r) => r.userId === 'fixture-user')).toBe(true);
    // Other calls stay on the app's own (client-credentials) token.
    expect(world.fake.filterRequests({ service: 'reccobeats' }).length).toBeGreaterThan(0);
  });

  it('explains wrong app credentials', async () => {
    world = await startSpotifyWorld({ mode: 'development-2026', settings: { SPOTIFY_CLIENT_SECRET: 'wrong' } });
    await expect(world.app.recommender.resolve('https://open.spotify.com/track/ZZZZZZZZZZZZZZZZZZZZZZ')).rejects.toBeInstanceOf(SpotifyAuthError);
  });
});
