import { afterEach, describe, expect, it } from 'vitest';
import { CRAWL_STAGES, type CrawlStage } from '../src/crawl/types.js';
import { CrawlPausedError, isUserError, PlaylistNotReadableError, ServiceUnavailableError, SpotifyPagingError } from '../src/errors.js';
import { addTracksToPlaylist, removeTracksFromPlaylist, type GeneratedFakeCatalog } from './fakes/spotify.js';
import type { TestApp } from './helpers/app.js';
import { startSpotifyWorld, type SpotifyTestWorld } from './helpers/spotifyApp.js';

function catalogRows(app: TestApp) {
  const q = (sql: string) => app.database.sqlite.prepare(sql).all();
  return {
    tracks: q('SELECT spotify_id, name, artists, album, album_id, cover_url, release_year, duration_ms FROM tracks ORDER BY spotify_id'),
    features: q('SELECT t.spotify_id, f.danceability, f.tempo, f.provider FROM audio_features f JOIN tracks t ON t.id = f.track_id ORDER BY t.spotify_id'),
    aliases: q('SELECT spotify_id FROM track_aliases ORDER BY spotify_id'),
    members: q('SELECT t.spotify_id, s.removed_at IS NULL AS present FROM seed_tracks s JOIN tracks t ON t.id = s.track_id ORDER BY t.spotify_id'),
    backlog: q('SELECT t.spotify_id FROM feature_backlog b JOIN tracks t ON t.id = b.track_id ORDER BY t.spotify_id'),
    albums: q('SELECT album_id FROM crawled_albums ORDER BY album_id'),
  };
}

describe('playlist crawl', () => {
  let world: SpotifyTestWorld;
  afterEach(() => world.dispose());

  async function crawl(playlist: keyof GeneratedFakeCatalog['ids']['playlists'], options: { expand?: boolean; force?: boolean; app?: TestApp } = {}) {
    const app = options.app ?? world.app;
    const catalog = world.fake.catalog as GeneratedFakeCatalog;
    const seed = app.seeds.add('g1', catalog.ids.playlists[playlist], { expandArtists: options.expand ?? false });
    return app.spotify!.crawler.crawl(seed.id, { force: options.force });
  }

  describe('development mode (2026)', () => {
    it('reads the logged-in account\'s playlist through /items, 50 a page, and stores every track with features', async () => {
      world = await startSpotifyWorld({ mode: 'development-2026' });
      await world.login();
      const summary = await crawl('large');
      const catalog = world.fake.catalog as GeneratedFakeCatalog;
      const playlist = catalog.playlists.get(catalog.ids.playlists.large)!;
      const pages = world.fake.filterRequests({ path: /\/items$/ });
      expect(pages.length).toBe(Math.ceil(playlist.entries.length / 50) - 1); // the first page came with the playlist
      expect(pages.every((r) => r.query.limit === '50')).toBe(true);
      expect(world.fake.count({ path: /\/tracks$/ })).toBe(0);
      expect(summary.counts.playlistTracks).toBe(playlist.entries.filter((e) => e.kind === 'track').length - summary.counts.skipped.unavailable);
      const stored = world.app.catalog.counts();
      expect(stored.tracks).toBeGreaterThan(100);
      expect(stored.withFeatures + stored.withoutFeatures).toBe(stored.tracks);
      // Spotify's audio features are closed to this app: one 403, then ReccoBeats in batches of 40.
      expect(world.fake.count({ service: 'api', path: /audio-features/ })).toBe(1);
      const recco = world.fake.filterRequests({ service: 'reccobeats' });
      expect(recco.every((r) => r.query.ids!.split(',').length <= 40)).toBe(true);
      expect(stored.featuresByProvider).toEqual({ reccobeats: stored.withFeatures });
    });

    it('explains playlists the app may not read: someone else\'s, editorial, missing', async () => {
      world = await startSpotifyWorld({ mode: 'development-2026' });
      await world.login();
      await expect(crawl('theirs')).rejects.toMatchObject({ reason: 'forbidden' });
      await expect(crawl('editorial')).rejects.toMatchObject({ reason: 'editorial' });
      const seed = world.app.seeds.add('g1', 'AAAAAAAAAAAAAAAAAAAAAA', { expandArtists: false });
      await expect(world.app.spotify!.crawler.crawl(seed.id)).rejects.toBeInstanceOf(PlaylistNotReadableError);
      expect(world.app.catalog.counts().tracks).toBe(0);
    });

    it('without a login, even the account\'s own playlists are refused with what to do', async () => {
      world = await startSpotifyWorld({ mode: 'development-2026' });
      await expect(crawl('mine')).rejects.toThrow(/spotify-login/);
    });

    it('expands artists into their albums and singles, one album per request', async () => {
      world = await startSpotifyWorld({ mode: 'development-2026', settings: { CRAWL_MAX_ALBUMS_PER_ARTIST: '2' } });
      await world.login();
      const summary = await crawl('mine', { expand: true });
      expect(summary.counts.artists).toBeGreaterThan(0);
      expect(summary.counts.artistsVisited).toBe(summary.counts.artists);
      expect(summary.counts.albumsVisited).toBeLessThanOrEqual(2 * summary.counts.artists);
      expect(world.fake.count({ path: /^\/v1\/albums$/ })).toBe(1); // the batch endpoint, refused once
      const albumRequests = world.fake.filterRequests({ path: /^\/v1\/albums\/[^/]+$/ });
      expect(albumRequests).toHaveLength(summary.counts.albumsVisited);
      expect(world.fake.filterRequests({ path: /\/artists\/.*\/albums/ }).every((r) => r.query.include_groups === 'album,single')).toBe(true);
      // A second crawl does not fetch the same albums again.
      const before = world.fake.count({ path: /^\/v1\/albums\// });
      await crawl('mine', { expand: true, force: true });
      expect(world.fake.count({ path: /^\/v1\/albums\// })).toBe(before);
    });
  });

  describe('extended quota', () => {
    it('reads /tracks 100 a page, batches albums by 20 and takes Spotify\'s own audio features', async () => {
      world = await startSpotifyWorld({ mode: 'extended', audioFeaturesAccess: true });
      const summary = await crawl('large');
      expect(world.fake.filterRequests({ path: /\/tracks$/ }).every((r) => r.query.limit === '100')).toBe(true);
      expect(summary.counts.featuresFetched).toBeGreaterThan(0);
      expect(Object.keys(world.app.catalog.counts().featuresByProvider)).toContain('spotify');
      await crawl('mine', { expand: true });
      const batches = world.fake.filterRequests({ path: /^\/v1\/albums$/ });
      expect(batches.length).toBeGreaterThan(0);
      expect(batches.every((r) => r.query.ids!.split(',').length <= 20)).toBe(true);
      expect(world.fake.filterRequests({ path: /audio-features/, service: 'api' }).every((r) => r.query.ids!.split(',').length <= 100)).toBe(true);
    });
  });

  it('skips local files, episodes, removed and unavailable items', async () => {
    world = await startSpotifyWorld({ mode: 'development-2026' });
    await world.login();
    const summary = await crawl('special');
    expect(summary.counts.skipped).toEqual({ local: 2, episode: 1, unavailable: 2, empty: 1 });
    expect(world.app.catalog.counts().tracks).toBe(summary.counts.playlistTracks);
  });

  it('does not re-read an unchanged playlist, and marks tracks that left it', async () => {
    world = await startSpotifyWorld({ mode: 'development-2026' });
    await world.login();
    const catalog = world.fake.catalog as GeneratedFakeCatalog;
    await crawl('mine');
    const requests = world.fake.requests.length;
    const again = await crawl('mine');
    expect(again.unchanged).toBe(true);
    expect(world.fake.requests.length - requests).toBe(1); // the playlist's metadata only
    const playlist = catalog.playlists.get(catalog.ids.playlists.mine)!;
    const leaving = playlist.entries.find((e) => e.kind === 'track')!;
    const leavingId = leaving.kind === 'track' ? leaving.trackId : '';
    const newcomer = [...catalog.tracks.keys()].find((id) => !playlist.entries.some((e) => e.kind === 'track' && e.trackId === id))!;
    removeTracksFromPlaylist(catalog, playlist.id, [leavingId]);
    addTracksToPlaylist(catalog, playlist.id, [newcomer]);
    const changed = await crawl('mine');
    expect(changed.unchanged).toBe(false);
    const members = catalogRows(world.app).members as { spotify_id: string; present: number }[];
    expect(members.find((m) => m.spotify_id === leavingId)?.present).toBe(0);
    expect(members.find((m) => m.spotify_id === newcomer)?.present).toBe(1);
    expect(world.app.catalog.getTrackBySpotifyId(leavingId)).not.toBeNull(); // still in the catalog
  });

  it('stores tracks without features when ReccoBeats is down, and a later crawl fills them in', async () => {
    world = await startSpotifyWorld({ mode: 'development-2026' });
    await world.login();
    world.fake.fault({ service: 'reccobeats', kind: '503', times: Infinity });
    const first = await crawl('mine');
    expect(first.counts.featuresFetched).toBe(0);
    expect(world.app.catalog.counts().withFeatures).toBe(0);
    expect(world.app.backlog.size()).toBe(world.app.catalog.counts().tracks);
    world.fake.clearFaults();
    const second = await crawl('mine', { force: true });
    expect(second.counts.featuresFetched).toBeGreaterThan(0);
    expect(world.app.backlog.size()).toBe(world.app.catalog.counts().withoutFeatures);
  });

  it('pauses when Spotify stays down, leaving the catalog as it was, and resumes later', async () => {
    world = await startSpotifyWorld({ mode: 'development-2026' });
    await world.login();
    world.fake.fault({ service: 'api', kind: '502', path: /\/items$/, times: Infinity });
    await expect(crawl('large')).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(world.app.catalog.counts().tracks).toBe(0);
    world.fake.clearFaults();
    const resumed = await crawl('large');
    expect(resumed.resumed).toBe(true);
    expect(world.app.catalog.counts().tracks).toBeGreaterThan(100);
  });

  it('rides out faults: 429 storms, 5xx, hung and malformed answers, expired tokens', async () => {
    world = await startSpotifyWorld({ mode: 'development-2026' });
    await world.login();
    world.fake.fault({ service: 'api', kind: '429', path: /\/items$/, times: 2, retryAfterSeconds: 2 });
    world.fake.fault({ service: 'api', kind: '500', path: /\/items$/, times: 1 });
    world.fake.fault({ service: 'api', kind: 'hang', path: /\/items$/, times: 1 });
    world.fake.fault({ service: 'api', kind: 'malformed', path: /\/items$/, times: 1 });
    world.fake.fault({ service: 'api', kind: 'expired-token', path: /\/items$/, times: 1 });
    world.fake.fault({ service: 'reccobeats', kind: '429', times: 3, retryAfterSeconds: 1 });
    const summary = await crawl('large');
    const reference = await startSpotifyWorld({ mode: 'development-2026' });
    try {
      await reference.login();
      const catalog = reference.fake.catalog as GeneratedFakeCatalog;
      const seed = reference.app.seeds.add('g1', catalog.ids.playlists.large, { expandArtists: false });
      const clean = await reference.app.spotify!.crawler.crawl(seed.id);
      expect(summary.counts.playlistTracks).toBe(clean.counts.playlistTracks);
      expect(catalogRows(world.app).tracks).toEqual(catalogRows(reference.app).tracks);
      expect(catalogRows(world.app).features).toEqual(catalogRows(reference.app).features);
    } finally {
      await reference.dispose();
    }
    expect(world.clock.sleeps.filter((ms) => ms >= 2_000).length).toBeGreaterThanOrEqual(2);
    // A 401 renews the user token once: two token requests in all for the user (login + renewal).
    expect(world.fake.count({ service: 'accounts', path: '/api/token' })).toBeGreaterThanOrEqual(3);
  });

  it('slows down for a storm of 429s and finishes, with no more requests than the 429s themselves cost', async () => {
    world = await startSpotifyWorld({ mode: 'development-2026', settings: { CRAWL_MAX_ALBUMS_PER_ARTIST: '3' } });
    await world.login();
    const calm = await startSpotifyWorld({ mode: 'development-2026', settings: { CRAWL_MAX_ALBUMS_PER_ARTIST: '3' } });
    let baseline: number;
    try {
      await calm.login();
      calm.fake.resetLog();
      const seed = calm.app.seeds.add('g1', (calm.fake.catalog as GeneratedFakeCatalog).ids.playlists.mine, { expandArtists: true });
      await calm.app.spotify!.crawler.crawl(seed.id);
      baseline = calm.fake.requests.length;
    } finally {
      await calm.dispose();
    }
    world.fake.resetLog();
    world.fake.fault({ service: 'api', kind: '429', times: 25, retryAfterSeconds: 3 });
    world.fake.fault({ service: 'reccobeats', kind: '429', times: 5, retryAfterSeconds: 2 });
    const summary = await crawl('mine', { expand: true });
    expect(summary.stage).toBe('done');
    const throttled = world.fake.count({ status: 429 });
    expect(throttled).toBe(30);
    // Every other request is one the calm crawl also made: the storm cost exactly its 429s.
    expect(world.fake.requests.length).toBe(baseline + throttled);
    expect(world.clock.sleeps.filter((ms) => ms >= 2_000).length).toBeGreaterThanOrEqual(30);
  });

  // A process killed after any step restarts with the run's cursor: the result equals an
  // uninterrupted crawl (same tracks, features, memberships; nothing doubled).
  it.each(CRAWL_STAGES.filter((s) => s !== 'done' && s !== 'playlist'))('resumes after a crash during the %s stage', async (stage: CrawlStage) => {
    world = await startSpotifyWorld({ mode: 'development-2026', settings: { CRAWL_MAX_ALBUMS_PER_ARTIST: '2' } });
    await world.login();
    const catalog = world.fake.catalog as GeneratedFakeCatalog;
    const seed = world.app.seeds.add('g1', catalog.ids.playlists.mine, { expandArtists: true });
    const crash = new AbortController();
    await expect(
      world.app.spotify!.crawler.crawl(seed.id, {
        signal: crash.signal,
        onProgress: (p) => {
          if (p.stage === stage) crash.abort(new Error('killed'));
        },
      }),
    ).rejects.toThrow('killed');
    expect(world.app.crawls.unfinished(seed.id)?.stage).toBe(stage);
    const restarted = world.restart();
    const summary = await restarted.spotify!.crawler.crawl(seed.id);
    expect(summary.resumed).toBe(true);

    const reference = await startSpotifyWorld({ mode: 'development-2026', settings: { CRAWL_MAX_ALBUMS_PER_ARTIST: '2' } });
    try {
      await reference.login();
      const refSeed = reference.app.seeds.add('g1', catalog.ids.playlists.mine, { expandArtists: true });
      await reference.app.spotify!.crawler.crawl(refSeed.id);
      expect(catalogRows(restarted)).toEqual(catalogRows(reference.app));
    } finally {
      await reference.dispose();
    }
    expect(restarted.database.sqlite.prepare('SELECT COUNT(*) FROM crawl_items').pluck().get()).toBe(0);
  });

  describe('stopped crawls keep what they read', () => {
    const stagedCount = (app: TestApp) => app.database.sqlite.prepare('SELECT COUNT(*) FROM crawl_items').pluck().get() as number;
    const expectedTracks = () => {
      const catalog = world.fake.catalog as GeneratedFakeCatalog;
      return catalog.playlists.get(catalog.ids.playlists.large)!.entries.filter((e) => e.kind === 'track').length;
    };

    /** The crawl stops with `fault` on every playlist page after the first; then resumes once it is gone. */
    async function stopAndResume(fault: Parameters<SpotifyTestWorld['fake']['fault']>[0]) {
      world.fake.fault(fault);
      const error = await crawl('large').catch((e: unknown) => e);
      const staged = stagedCount(world.app);
      const seedId = world.app.seeds.list('g1')[0]!.id;
      const unfinished = world.app.crawls.unfinished(seedId);
      world.fake.clearFaults();
      world.fake.resetLog();
      const resumed = await crawl('large');
      return { error, staged, unfinished, resumed };
    }

    it('pauses on a body that stalls after its headers (retried, then given up), and the next crawl goes on from its cursor', async () => {
      world = await startSpotifyWorld({ mode: 'development-2026', settings: { HTTP_TIMEOUT_MS: '1000', HTTP_MAX_RETRIES: '1' } });
      await world.login();
      const { error, staged, unfinished, resumed } = await stopAndResume({ service: 'api', kind: 'stall-body', path: /\/items$/, times: Infinity });
      expect(error).toBeInstanceOf(CrawlPausedError);
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^The crawl paused after reading \d+ songs: Spotify is not answering right now \(no answer within 1000 ms after 2 attempts\)\. Nothing it read is lost/);
      expect(staged).toBeGreaterThan(0);
      expect(unfinished?.stage).toBe('items');
      expect(resumed.resumed).toBe(true);
      // The playlist and its first page were not read again.
      expect(world.fake.count({ service: 'api', path: /^\/v1\/playlists\/[^/]+$/ })).toBe(0);
      expect(resumed.counts.playlistTracks + resumed.counts.skipped.unavailable).toBe(expectedTracks());
      expect(stagedCount(world.app)).toBe(0);
    });

    it('pauses when Spotify refuses even a renewed token, with a message that says so, and resumes', async () => {
      world = await startSpotifyWorld({ mode: 'development-2026' });
      await world.login();
      const { error, staged, unfinished, resumed } = await stopAndResume({ service: 'api', kind: 'expired-token', path: /\/items$/, times: Infinity });
      expect(error).toBeInstanceOf(CrawlPausedError);
      expect((error as Error).message).toContain('it refused a freshly renewed access token (HTTP 401)');
      expect(staged).toBeGreaterThan(0);
      expect(unfinished).not.toBeNull();
      expect(resumed.resumed).toBe(true);
      expect(resumed.counts.playlistTracks + resumed.counts.skipped.unavailable).toBe(expectedTracks());
    });

    it('stops a `next` link that points back at its own page, keeping what it read', async () => {
      world = await startSpotifyWorld({ mode: 'development-2026' });
      await world.login();
      const { error, staged, resumed } = await stopAndResume({ service: 'api', kind: 'next-loops', path: /\/items$/, times: 1 });
      expect(error).toBeInstanceOf(SpotifyPagingError);
      expect(error).toMatchObject({ problem: 'loops' });
      expect((error as Error).message).toMatch(/a "next" link points back to a page already read/);
      expect(staged).toBeGreaterThan(0);
      expect(resumed.counts.playlistTracks + resumed.counts.skipped.unavailable).toBe(expectedTracks());
    });

    it('stops `next` links that go on past the playlist\'s total', async () => {
      world = await startSpotifyWorld({ mode: 'development-2026' });
      await world.login();
      world.fake.fault({ service: 'api', kind: 'next-endless', path: /\/items$/, times: Infinity });
      await expect(crawl('large')).rejects.toMatchObject({ problem: 'too_many' });
      // 130 tracks are 3 pages of 50 (the first came with the playlist); one spare page was read, no more.
      expect(world.fake.count({ service: 'api', path: /\/items$/ })).toBe(3);
    });
  });

  it('keeps crawling while members flood Spotify with lookups: the crawl\'s requests take turns with theirs', async () => {
    world = await startSpotifyWorld({ mode: 'extended' });
    const names = [...(world.fake.catalog as GeneratedFakeCatalog).tracks.values()].map((t) => t.name);
    world.fake.fault({ service: 'api', kind: 'slow', path: '/v1/search', delayMs: 30, times: Infinity });
    let answered = 0;
    const flood = Array.from({ length: 100 }, (_, i) => world.app.spotify!.resolver.searchTracks(names[i % names.length]!).then(() => answered++));
    const summary = await crawl('large');
    const answeredMeanwhile = answered;
    await Promise.all(flood);
    expect(summary.stage).toBe('done');
    // Behind one FIFO queue the crawl would have waited for nearly all 100 lookups.
    expect(answeredMeanwhile).toBeLessThan(50);
  });

  it('takes guilds in turn: one guild\'s queued crawls do not hold back another\'s', async () => {
    world = await startSpotifyWorld({ mode: 'extended', settings: { CRAWL_MAX_PER_GUILD: '3' } });
    const ids = (world.fake.catalog as GeneratedFakeCatalog).ids.playlists;
    const finished: string[] = [];
    const enqueue = (guildId: string, playlist: keyof typeof ids) => {
      const seed = world.app.seeds.add(guildId, ids[playlist], { expandArtists: false });
      return world.app.spotify!.crawls.enqueue(seed.id, guildId).then(() => finished.push(`${guildId}:${playlist}`));
    };
    await Promise.all([enqueue('1001', 'mine'), enqueue('1001', 'large'), enqueue('1001', 'collaborative'), enqueue('1002', 'special')]);
    expect(finished).toEqual(['1001:mine', '1002:special', '1001:large', '1001:collaborative']);
  });
});
