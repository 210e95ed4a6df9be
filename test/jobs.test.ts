import { afterEach, describe, expect, it } from 'vitest';
import { createDailyPublisher } from '../bot/dailyPublisher.js';
import type { Clock } from '../src/http/httpClient.js';
import { createApp } from '../src/app.js';
import { Jobs } from '../src/jobs/jobs.js';
import { createLogger } from '../src/logger.js';
import { snowflakeOnShard } from './fakes/discord.js';
import { reclusterCatalog } from '../src/jobs/recluster.js';
import { catalogStats } from '../src/stats.js';
import { startBotWorld, type BotWorld } from './helpers/botWorld.js';

/** The jobs' notion of now, moved by the test (no real waiting). */
class TestClock implements Clock {
  constructor(private at: number) {}
  now(): number {
    return this.at;
  }
  set(iso: string): Date {
    this.at = Date.parse(iso);
    return new Date(this.at);
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

const TWO_GUILDS = {
  guilds: [
    { name: 'Tokyo listeners', channels: [{ name: 'music' }, { name: 'quiet', botDeny: ['SendMessages'] as ['SendMessages'] }] },
    { name: 'LA listeners', channels: [{ name: 'music' }] },
  ],
};

describe('background jobs', () => {
  let world: BotWorld;
  let jobs: Jobs | null = null;
  afterEach(async () => {
    await jobs?.stop(1_000);
    jobs = null;
    await world.dispose();
  });

  function startJobs(clock: Clock, reclusterInChild = false) {
    jobs = new Jobs(world.app, { clock, publisher: createDailyPublisher(world.bot.client, world.app, world.bot.pictures), reclusterInChild });
    return jobs;
  }
  const runs = (job: string) => world.app.database.sqlite.prepare('SELECT status, error FROM job_runs WHERE job = ? ORDER BY id').all(job) as { status: string; error: string | null }[];

  it('fires each schedule at its time: re-crawl, re-cluster', async () => {
    world = await startBotWorld({ settings: { CRON_RECRAWL: '0 3 * * *', CRON_RECLUSTER: '30 4 * * *', CRON_TIMEZONE: 'UTC', RECLUSTER_MIN_CHANGE: '0' } });
    const catalog = world.spotifyCatalog;
    world.app.seeds.add(world.discord.guild().id, catalog.ids.playlists.large, { expandArtists: false });
    const clock = new TestClock(Date.parse('2026-11-23T02:00:00Z'));
    const scheduler = startJobs(clock).scheduler;
    const fired = async (iso: string) => (await scheduler.fireDue(clock.set(iso))).filter((name) => name !== 'daily-posts');
    expect(await fired('2026-11-23T02:59:00Z')).toEqual([]);
    expect(await fired('2026-11-23T03:00:00Z')).toEqual(['recrawl']);
    expect(runs('recrawl')).toEqual([{ status: 'ok', error: null }]);
    expect(world.app.catalog.findIdBySpotifyId([...catalog.tracks.values()].find((t) => t.playable)!.id)).not.toBeNull();
    const before = world.app.models.activeModelId();
    expect(await fired('2026-11-23T04:30:00Z')).toEqual(['recluster']);
    expect(runs('recluster')).toEqual([{ status: 'ok', error: null }]);
    expect(world.app.models.activeModelId()).toBeGreaterThan(before!);
  });

  it('skips a run that finds the previous one still going, and records it', async () => {
    world = await startBotWorld();
    world.app.seeds.add(world.discord.guild().id, world.spotifyCatalog.ids.playlists.large, { expandArtists: false });
    world.spotify.fault({ service: 'api', kind: 'slow', delayMs: 300, times: Infinity });
    const j = startJobs(new TestClock(Date.now()));
    const first = j.runner.run(j.recrawl);
    const second = await j.runner.run(j.recrawl);
    const recluster = await j.runner.run(j.recluster);
    expect(second).toEqual({ status: 'skipped', reason: 'its previous run is still going' });
    expect(recluster).toEqual({ status: 'skipped', reason: 'a "catalog" job is running' }); // a crawl and a re-cluster never overlap
    expect((await first).status).toBe('ok');
    expect(runs('recrawl').map((r) => r.status)).toEqual(['ok', 'skipped']); // by start: the first run's row came first
  });

  it('a second process on the same database cannot take the lock while the first holds it', async () => {
    world = await startBotWorld();
    const other = new Jobs(world.app, { clock: new TestClock(Date.now()), reclusterInChild: false });
    expect(other.store.tryLock('catalog', 'someone-else', Date.now(), 60_000)).toBe(true);
    const j = startJobs(new TestClock(Date.now()));
    expect(await j.runner.run(j.recluster)).toEqual({ status: 'skipped', reason: 'another process holds the "catalog" lock' });
    // An expired lock is taken over.
    expect(await startJobs(new TestClock(Date.now() + 3_600_000)).runner.run(j.recluster)).toMatchObject({ status: 'ok' });
  });

  it('with two processes on one database, a scheduled firing runs in one of them, once', async () => {
    world = await startBotWorld({ settings: { CRON_RECRAWL: '0 3 * * *', CRON_RECLUSTER: '30 4 * * *', RECLUSTER_MIN_CHANGE: '0' } });
    const other = createApp(world.app.config, { logger: createLogger({ level: 'silent' }) });
    try {
      const clock = new TestClock(Date.parse('2026-11-23T02:00:00Z'));
      const mine = startJobs(clock);
      const theirs = new Jobs(other, { clock, reclusterInChild: false });
      const fire = async (iso: string) => [...(await mine.scheduler.fireDue(clock.set(iso))), ...(await theirs.scheduler.fireDue(clock.set(iso)))].filter((n) => n !== 'daily-posts');
      expect(await fire('2026-11-23T03:00:00Z')).toEqual(['recrawl']);
      expect(await fire('2026-11-23T04:30:00Z')).toEqual(['recluster']);
      // The same slot fired late by either process is not run again; the next day's is.
      expect(await fire('2026-11-23T03:00:00Z')).toEqual([]);
      expect(await fire('2026-11-24T03:00:00Z')).toEqual(['recrawl']);
      expect(runs('recrawl').map((r) => r.status)).toEqual(['ok', 'ok']);
      expect(runs('recluster').map((r) => r.status)).toEqual(['ok']);
      await theirs.stop(1_000);
    } finally {
      other.close();
    }
  });

  it('with two processes crawling the same seed at once, the second waits for the first and finds it unchanged', async () => {
    world = await startBotWorld();
    const other = createApp(world.app.config, { logger: createLogger({ level: 'silent' }) });
    try {
      const seed = world.app.seeds.add(world.discord.guild().id, world.spotifyCatalog.ids.playlists.large, { expandArtists: false });
      world.spotify.fault({ service: 'api', kind: 'slow', delayMs: 30, times: Infinity });
      const first = world.app.spotify!.crawls.enqueue(seed.id, seed.guildId);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = other.spotify!.crawls.enqueue(seed.id, seed.guildId);
      const [a, b] = await Promise.all([first, second]);
      expect(a.unchanged).toBe(false);
      expect(b).toMatchObject({ unchanged: true, resumed: false });
      const crawlRuns = world.app.database.sqlite.prepare('SELECT status FROM crawl_runs WHERE seed_id = ? ORDER BY id').pluck().all(seed.id);
      expect(crawlRuns).toEqual(['done', 'done']);
    } finally {
      other.close();
    }
  });

  it('sharded, each process posts for the guilds on its own shards, each guild once', async () => {
    world = await startBotWorld({
      discord: { guilds: [0, 1, 1].map((shard, i) => ({ id: snowflakeOnShard(shard, 2), name: `Server ${i}`, channels: [{ name: 'music' }] })) },
    });
    const clock = new TestClock(Date.parse('2026-11-23T08:00:00Z'));
    for (const guild of world.discord.guilds) {
      world.app.daily.set(guild.id, { channelId: guild.channels[0]!.id, time: '09:00', timeZone: 'UTC' }, clock.now());
    }
    const publisher = (shard: number) => createDailyPublisher(world.bot.client, world.app, world.bot.pictures, { ids: [shard], count: 2 });
    const processes = [0, 1].map((shard) => new Jobs(world.app, { clock, publisher: publisher(shard), reclusterInChild: false }));
    try {
      const counts = [];
      for (const j of processes) counts.push(await j.runner.run(j.dailyPosts!));
      expect(counts.map((c) => c.status === 'ok' && c.counts.sent)).toEqual([0, 0]);
      clock.set('2026-11-23T09:00:00Z');
      counts.length = 0;
      for (const j of [...processes, ...processes]) counts.push(await j.runner.run(j.dailyPosts!));
      expect(counts.map((c) => c.status === 'ok' && c.counts.sent)).toEqual([1, 2, 0, 0]);
      for (const guild of world.discord.guilds) expect(world.discord.channelMessages(guild.channels[0]!.id)).toHaveLength(1);
      // Their locks are their own: shard 1's process is not skipped while shard 0's posts.
      expect(runs('daily-posts').filter((r) => r.status === 'skipped')).toEqual([]);
    } finally {
      for (const j of processes) await j.stop(1_000);
    }
  });

  it('posts once a day per guild at its local time, east and west of UTC, with catch-up after downtime', async () => {
    world = await startBotWorld({ discord: TWO_GUILDS });
    const [tokyo, la] = world.discord.guilds;
    const music = (g: typeof tokyo) => g!.channels.find((c) => c.name === 'music')!.id;
    const clock = new TestClock(Date.parse('2026-11-23T23:00:00Z'));
    // Set at 08:00 in Tokyo (today's post is still ahead) and 15:00 in Los Angeles (tomorrow's is the first).
    world.app.daily.set(tokyo!.id, { channelId: music(tokyo), time: '09:00', timeZone: 'Asia/Tokyo' }, clock.now());
    world.app.daily.set(la!.id, { channelId: music(la), time: '09:00', timeZone: 'America/Los_Angeles' }, clock.now());
    const scheduler = startJobs(clock).scheduler;
    const posts = (g: typeof tokyo) => world.discord.channelMessages(music(g)).length;

    await scheduler.fireDue(clock.set('2026-11-23T23:59:00Z')); // 08:59 in Tokyo
    expect(posts(tokyo)).toBe(0);
    await scheduler.fireDue(clock.set('2026-11-24T00:00:00Z')); // 09:00 in Tokyo
    expect(posts(tokyo)).toBe(1);
    expect(posts(la)).toBe(0); // 16:00 the day before in Los Angeles
    await scheduler.fireDue(clock.set('2026-11-24T00:01:00Z'));
    expect(posts(tokyo)).toBe(1); // never twice the same day
    await scheduler.fireDue(clock.set('2026-11-24T17:00:00Z')); // 09:00 in Los Angeles
    expect(posts(la)).toBe(1);

    const post = world.discord.channelMessages(music(tokyo))[0]!;
    expect(post.embeds[0]!.title).toMatch(/^🎧 Song of the cluster: /);
    expect(post.attachments.map((a) => a.filename)).toEqual(['cluster.png']);
    expect(post.embeds[0]!.description).toMatch(/typically .* \(catalog /);

    // The bot was down at 09:00 on the 25th in Tokyo; it comes back at 11:30 local and catches up once.
    await jobs!.stop(1_000);
    clock.set('2026-11-25T02:30:00Z');
    const restarted = startJobs(clock);
    await restarted.start();
    expect(posts(tokyo)).toBe(2);
    await restarted.scheduler.fireDue(clock.set('2026-11-25T02:31:00Z'));
    expect(posts(tokyo)).toBe(2);
    // A different cluster each day.
    const clusters = world.app.database.sqlite.prepare("SELECT cluster FROM daily_posts WHERE guild_id = ? AND status = 'sent' ORDER BY date").pluck().all(tokyo!.id);
    expect(new Set(clusters).size).toBe(2);
    // Readers vote on the daily pick like on any other, on a post from before the restart.
    const buttons = (post.components![0] as { components: { custom_id?: string }[] }).components.map((b) => b.custom_id);
    const up = buttons.find((id) => id?.startsWith('fb:up:'))!;
    expect(buttons).toContain(up.replace('fb:up:', 'fb:down:'));
    const reader = { id: '630000000000000001', username: 'reader' };
    const vote = await world.discord.button({ customId: up, message: post.id, user: reader }).final();
    expect(vote.original!.embeds[0]!.description).toMatch(/^👍 Noted/);
    expect(world.app.feedback.votesOf(tokyo!.id, reader.id).liked).toEqual([Number(up.split(':')[2])]);
  });

  it('switches a guild\'s post off after three failures in a row, and /stats shows it', async () => {
    world = await startBotWorld({ discord: TWO_GUILDS });
    const tokyo = world.discord.guilds[0]!;
    const quiet = tokyo.channels.find((c) => c.name === 'quiet')!.id;
    const clock = new TestClock(Date.parse('2026-11-23T08:00:00Z'));
    world.app.daily.set(tokyo.id, { channelId: quiet, time: '09:00', timeZone: 'UTC' }, clock.now());
    const scheduler = startJobs(clock).scheduler;
    for (const day of ['23', '24', '25']) await scheduler.fireDue(clock.set(`2026-11-${day}T09:00:00Z`));
    expect(world.app.daily.get(tokyo.id)).toMatchObject({ enabled: false, failures: 3, lastError: 'missing Send Messages in the channel' });
    await scheduler.fireDue(clock.set('2026-11-26T09:00:00Z'));
    expect(world.app.database.sqlite.prepare('SELECT COUNT(*) FROM daily_posts').pluck().get()).toBe(3);
    const stats = await world.discord.command({ name: 'stats', guildId: tokyo.id }).final();
    expect(stats.original!.embeds[0]!.fields!.find((f) => f.name === 'This server')!.value).toMatch(/daily post off \(missing Send Messages in the channel\)/);
  });

  it('keeps cluster numbers stable across a re-cluster when the sound is the same', async () => {
    world = await startBotWorld();
    const before = world.app.models.active()!;
    const clusterOf = (modelId: number) =>
      new Map(
        (world.app.database.sqlite.prepare('SELECT track_id AS t, cluster AS c FROM track_clusters WHERE model_id = ?').all(modelId) as { t: number; c: number }[]).map((r) => [r.t, r.c]),
      );
    // A different seed gives a different k-means run, so raw numbering would shuffle.
    world.app.config.clustering.seed = 999;
    const outcome = reclusterCatalog(world.app, { force: true, k: before.k });
    expect(outcome.status).toBe('done');
    const after = world.app.models.active()!;
    const [old, next] = [clusterOf(before.id), clusterOf(after.id)];
    let same = 0;
    for (const [track, cluster] of old) if (next.get(track) === cluster) same++;
    // Another seed may settle in another local minimum, so not every track can keep its number:
    // no numbering keeps more than each new cluster's largest overlap with an old one, summed.
    const overlaps = new Map<string, number>();
    for (const [track, cluster] of old) {
      const key = `${next.get(track)}:${cluster}`;
      overlaps.set(key, (overlaps.get(key) ?? 0) + 1);
    }
    const largest = new Map<string, number>();
    for (const [key, n] of overlaps) {
      const newCluster = key.split(':')[0]!;
      largest.set(newCluster, Math.max(largest.get(newCluster) ?? 0, n));
    }
    const keepable = [...largest.values()].reduce((a, b) => a + b, 0);
    expect(same / keepable).toBeGreaterThan(0.9);
    expect(same / old.size).toBeGreaterThan(0.6);
    const renamed = before.labels.filter((label, c) => label === after.labels[c]).length;
    // By chance about one number in k would keep its label; labels now need the median to agree too.
    expect(renamed).toBeGreaterThanOrEqual(before.k / 2);
  });

  it('answers recommendations from the old model while a child process builds the new one, then switches', async () => {
    world = await startBotWorld({ settings: { RECLUSTER_MIN_CHANGE: '0' } });
    const oldModel = world.app.models.activeModelId()!;
    const song = world.app.database.sqlite.prepare('SELECT spotify_id FROM tracks ORDER BY id LIMIT 1').pluck().get() as string;
    const j = startJobs(new TestClock(Date.now()), true);
    const recluster = j.runner.run(j.recluster);
    const seen = new Set<number>();
    let answered = 0;
    let done = false;
    void recluster.then(() => (done = true));
    while (!done) {
      const r = await world.app.recommender.recommend(song, { dryRun: true });
      seen.add(r.modelId);
      answered++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await recluster).status).toBe('ok');
    await world.app.recommender.settled();
    const newModel = world.app.models.activeModelId()!;
    expect(newModel).toBeGreaterThan(oldModel);
    expect(answered).toBeGreaterThan(5);
    expect(seen.has(oldModel)).toBe(true);
    expect((await world.app.recommender.recommend(song, { dryRun: true })).modelId).toBe(newModel);
    // The old complete model is still there until pruned; the active one is complete.
    const stats = catalogStats(world.app);
    expect(stats.model!.trackCount).toBeGreaterThanOrEqual(stats.withFeatures);
  });

  it('stops at a safe point on shutdown mid-crawl; the next run resumes, losing and doubling nothing', async () => {
    world = await startBotWorld();
    const catalog = world.spotifyCatalog;
    const seed = world.app.seeds.add(world.discord.guild().id, catalog.ids.playlists.mine, { expandArtists: true });
    world.spotify.fault({ service: 'api', kind: 'slow', delayMs: 40, times: Infinity });
    const j = startJobs(new TestClock(Date.now()));
    const run = j.runner.run(j.recrawl);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await j.stop(5_000)).toBe(true);
    expect((await run).status).toBe('failed');
    const unfinished = world.app.crawls.unfinished(seed.id);
    expect(unfinished).not.toBeNull();
    world.spotify.clearFaults();
    const again = startJobs(new TestClock(Date.now()));
    expect((await again.runner.run(again.recrawl)).status).toBe('ok');
    const tracks = world.app.database.sqlite.prepare("SELECT spotify_id FROM tracks WHERE source = 'spotify' ORDER BY spotify_id").pluck().all();

    // The same crawl, uninterrupted, on a fresh world.
    const reference = await startBotWorld();
    try {
      const refSeed = reference.app.seeds.add(reference.discord.guild().id, catalog.ids.playlists.mine, { expandArtists: true });
      await reference.app.spotify!.crawler.crawl(refSeed.id);
      const expected = reference.app.database.sqlite.prepare("SELECT spotify_id FROM tracks WHERE source = 'spotify' ORDER BY spotify_id").pluck().all();
      expect(tracks).toEqual(expected);
    } finally {
      await reference.dispose();
    }
    expect(world.app.database.sqlite.prepare('SELECT COUNT(*) FROM seed_tracks WHERE seed_id = ?').pluck().get(seed.id)).toBe(
      new Set(catalog.playlists.get(catalog.ids.playlists.mine)!.entries.filter((e) => e.kind === 'track').map((e) => (e as { trackId: string }).trackId)).size,
    );
  });
});
