import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { editPlaylist, generateFakeCatalog, startFakeSpotify, type ApiMode } from '../test/fakes/spotify.js';
import { loginToFake } from '../test/helpers/spotifyApp.js';
import type { Report } from './stats.js';

// Requests per 1,000 crawled tracks, against the fake Spotify, next to the fewest the API allows
// for the same crawl and to seed 000's way (one audio-features call per track).

const PLAYLIST = 250;
const ARTISTS = 100;

/** A playlist of a few songs by each of many artists, as curated playlists are: expansion then finds most tracks. */
function curatedCatalog() {
  const catalog = generateFakeCatalog({ seed: 9, artists: ARTISTS, albumsPerArtist: 4, tracksPerAlbum: 10, reccobeatsCoverage: 0.9 });
  const all = [...catalog.tracks.values()].filter((t) => t.playable);
  const stride = Math.floor(all.length / PLAYLIST);
  editPlaylist(catalog, catalog.ids.playlists.large, () =>
    Array.from({ length: PLAYLIST }, (_, i) => ({ kind: 'track' as const, trackId: all[i * stride]!.id, addedAt: '2025-06-01T12:00:00Z', addedBy: catalog.ids.fixtureUser })),
  );
  return catalog;
}

export async function benchCrawl(report: Report, dir: string): Promise<void> {
  for (const mode of ['development-2026', 'extended'] as ApiMode[]) {
    const catalog = curatedCatalog();
    const extended = mode === 'extended';
    const fake = await startFakeSpotify({ catalog, mode, audioFeaturesAccess: extended, clientId: 'id', clientSecret: 'secret' });
    const app = createApp(
      parseConfig({
        DATABASE_PATH: join(dir, `crawl-${mode}.db`),
        ...fake.settings(),
      }),
      { logger: createLogger({ level: 'silent' }) },
    );
    try {
      if (!extended) await loginToFake(app);
      fake.resetLog();
      const seed = app.seeds.add('bench', catalog.ids.playlists.large, { expandArtists: true });
      const started = performance.now();
      const summary = await app.spotify!.crawler.crawl(seed.id);
      const seconds = (performance.now() - started) / 1000;
      const c = summary.counts;
      const tracks = c.playlistTracks + c.albumTracks;
      const made = fake.requests.length;
      const count = (path: RegExp, service: 'api' | 'reccobeats' | 'accounts' = 'api') => fake.count({ service, path });

      // The fewest requests this crawl can take in this mode.
      const pageSize = extended ? 100 : 50;
      const playlistCalls = 1 + Math.ceil(Math.max(0, c.playlistTracks + Object.values(c.skipped).reduce((a, b) => a + b, 0) - (extended ? 100 : 50)) / pageSize);
      const artistPages = count(/\/artists\/[^/]+\/albums$/); // at least one per artist; more only for long discographies
      const albumCalls = extended ? Math.ceil(c.albumsVisited / 20) : c.albumsVisited;
      const needingFeatures = c.featuresFetched + c.featuresMissing;
      const featureCalls = extended
        ? Math.ceil(needingFeatures / 100) + Math.ceil(count(/audio-features/, 'reccobeats') > 0 ? c.featuresMissing / 40 : 0)
        : 1 + Math.ceil(needingFeatures / 40); // one 403 tells us Spotify's endpoint is closed
      const tokens = extended ? 1 : 2;
      const minimum = tokens + playlistCalls + artistPages + albumCalls + featureCalls;
      const seed000 = minimum - featureCalls + needingFeatures;
      const per1000 = (n: number) => (n / tracks) * 1000;
      report.add('crawl', `${mode}: tracks crawled (playlist + artists' albums)`, tracks, 'tracks', `${seconds.toFixed(1)} s; ${c.artistsVisited} artists, ${c.albumsVisited} albums`);
      report.add('crawl', `${mode}: requests per 1,000 tracks`, per1000(made), 'requests', `${made} in all`);
      report.add('crawl', `${mode}: minimum possible per 1,000 tracks`, per1000(minimum), 'requests', `over the minimum by ${(((made / minimum) - 1) * 100).toFixed(1)} %`);
      report.add('crawl', `${mode}: seed 000's way (one features call per track)`, per1000(seed000), 'requests');
    } finally {
      app.close();
      await fake.close();
    }
  }
}
