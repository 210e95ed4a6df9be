import { afterEach, describe, expect, it } from 'vitest';
import { SeedRemovedError } from '../src/errors.js';
import { forgetGuild } from '../src/guilds.js';
import { recrawlSeeds } from '../src/jobs/recrawl.js';
import { createLogger } from '../src/logger.js';
import type { GeneratedFakeCatalog } from './fakes/spotify.js';
import { captureLogs } from './helpers/logs.js';
import { startSpotifyWorld, type SpotifyTestWorld } from './helpers/spotifyApp.js';

// The nightly re-crawl lists every seed of every server, then crawls them one by one. A seed
// removed in between (by /seed remove, or the bot leaving its server) is skipped with a log line:
// the other seeds, of every server, are still crawled, and the job does not fail.

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('a seed removed while the re-crawl runs', () => {
  let world: SpotifyTestWorld;
  afterEach(() => world.dispose());

  it('is skipped, mid-crawl or before its turn, and the other servers\' seeds are crawled', async () => {
    const logs = captureLogs();
    world = await startSpotifyWorld({ mode: 'development-2026', logger: createLogger({ level: 'info', destination: logs.destination }) });
    await world.login();
    const app = world.app;
    const ids = (world.fake.catalog as GeneratedFakeCatalog).ids.playlists;
    const removedMidway = app.seeds.add('guild-a', ids.large, { expandArtists: false });
    const leftServer = app.seeds.add('guild-c', ids.mine, { expandArtists: false });
    const kept = app.seeds.add('guild-b', ids.collaborative, { expandArtists: false });
    // The large playlist's second page hangs until the seed has been removed.
    world.fake.fault({ service: 'api', kind: 'slow', delayMs: 400, path: new RegExp(`/playlists/${ids.large}/items$`), times: 1 });

    const job = recrawlSeeds(app, new AbortController().signal);
    await until(() => world.fake.filterRequests({ path: new RegExp(`/playlists/${ids.large}/items$`) }).some((r) => r.status === 0));
    expect(app.seeds.remove('guild-a', ids.large)).toBe(true);
    forgetGuild(app, 'guild-c');

    const counts = await job;
    expect(counts).toMatchObject({ seeds: 3, removed: 2, crawled: 1 });
    expect(app.seeds.list('guild-b')[0]).toMatchObject({ id: kept.id, lastCrawledAt: expect.any(Number) as number });
    expect(app.database.sqlite.prepare("SELECT count(*) FROM crawl_runs WHERE status = 'done'").pluck().get()).toBe(1);
    const lines = logs.lines.map((l) => JSON.parse(l) as { msg: string; seedId?: number; level: number });
    expect(lines.filter((l) => l.msg === 'seed removed during the re-crawl: skipped').map((l) => l.seedId)).toEqual([removedMidway.id, leftServer.id]);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('a crawl of a seed that is gone fails with SeedRemovedError, not a foreign-key error', async () => {
    world = await startSpotifyWorld({ mode: 'development-2026' });
    const seed = world.app.seeds.add('g1', (world.fake.catalog as GeneratedFakeCatalog).ids.playlists.mine, { expandArtists: false });
    world.app.seeds.remove('g1', seed.playlistId);
    await expect(world.app.spotify!.crawler.crawl(seed.id)).rejects.toBeInstanceOf(SeedRemovedError);
  });
});
