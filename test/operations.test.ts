import { afterEach, describe, expect, it } from 'vitest';
import { appLogger } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { startBotWorld, type BotWorld } from './helpers/botWorld.js';
import { captureLogs } from './helpers/logs.js';

// Operations and security: health and metrics, secrets kept out of logs, guild isolation,
// Discord's own faults (429 on posts, a dropped gateway), and the per-guild crawl cap.

describe('operations and security', () => {
  let world: BotWorld;
  afterEach(() => world.dispose());

  it('serves /healthz and Prometheus /metrics', async () => {
    // The same wiring as npm start: bot, jobs and the health server.
    world = await startBotWorld({ settings: { HEALTH_PORT: '0' }, full: true });
    const health = world.running!.health!;
    await world.discord.command({ name: 'recommend', options: { song: 'zzqqxxv nothing like it' } }).final({ until: (s) => s.followUps.length > 0 });
    const known = world.app.database.sqlite.prepare('SELECT spotify_id FROM tracks LIMIT 1').pluck().get() as string;
    await world.discord.command({ name: 'recommend', options: { song: known } }).final();
    const ok = await fetch(`${health.url}/healthz`);
    expect(ok.status).toBe(200);
    const report = (await ok.json()) as { status: string; gateway: { connected: boolean }; database: { writable: boolean } };
    expect(report).toMatchObject({ status: 'ok', gateway: { connected: true }, database: { writable: true } });
    const metrics = await (await fetch(`${health.url}/metrics`)).text();
    expect(metrics).toMatch(/cluster_dj_interactions_total\{command="recommend",outcome="user_error"\} 1/);
    expect(metrics).toMatch(/cluster_dj_http_requests_total\{host="127\.0\.0\.1:\d+",status="200"\}/);
    expect(metrics).toMatch(/cluster_dj_catalog_tracks\{with_features="true"\} \d+/);
    expect(metrics).toContain('cluster_dj_recommend_seconds_bucket');
    expect((await fetch(`${health.url}/nope`)).status).toBe(404);
    await world.bot.stop();
    const down = await fetch(`${health.url}/healthz`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { gateway: { connected: boolean } }).gateway.connected).toBe(false);
  });

  it('keeps secrets out of the logs, also when things fail', async () => {
    const { lines, destination } = captureLogs();
    const settings = { LOG_LEVEL: 'debug' };
    // The logger production builds from the config, writing where the test can read it.
    world = await startBotWorld({ settings, logger: appLogger(parseConfig({ LOG_LEVEL: 'debug', DISCORD_TOKEN: 'fake-bot-token', SPOTIFY_CLIENT_SECRET: 'secret' }), destination) });
    world.discord.failNext({ method: 'POST', path: /\/callback$/, status: 500, times: 6 });
    const handle = world.discord.command({ name: 'recommend', options: { song: 'anything at all' } });
    await world.discord.waitFor((c) => c.path.includes(handle.id) && c.status === 500);
    world.spotify.fault({ service: 'api', kind: 'expired-token', times: 2 });
    world.spotify.fault({ service: 'api', kind: '503', times: 3 });
    await world.app.recommender.resolve(`spotify:track:${[...world.spotifyCatalog.tracks.keys()][3]!}`).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const text = lines.join('');
    expect(text.length).toBeGreaterThan(1_000);
    for (const secret of ['fake-bot-token', 'client-secret', 'Y2xpZW50', handle.token]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Bearer (?!\[redacted\])\S/);
  });

  it('keeps seeds, daily settings and their autocomplete inside their own guild', async () => {
    world = await startBotWorld({ discord: { guilds: [{ name: 'A', channels: [{ name: 'general' }] }, { name: 'B', channels: [{ name: 'general' }] }] } });
    const [a, b] = world.discord.guilds;
    const playlist = world.spotifyCatalog.ids.playlists.large;
    await world.discord
      .command({ name: 'seed', subcommand: 'add', guildId: a!.id, options: { playlist }, memberPermissions: ['ManageGuild'] })
      .final({ until: (s) => /✅/.test(s.original?.embeds[0]?.title ?? ''), timeoutMs: 20_000 });
    const listB = await world.discord.command({ name: 'seed', subcommand: 'list', guildId: b!.id, memberPermissions: ['ManageGuild'] }).final();
    expect(listB.original!.embeds[0]!.description).toMatch(/None yet/);
    const removeFromB = await world.discord.command({ name: 'seed', subcommand: 'remove', guildId: b!.id, options: { playlist }, memberPermissions: ['ManageGuild'] }).final();
    expect(removeFromB.original!.embeds[0]!.description).toMatch(/not one of this server's seeds/);
    expect(world.app.seeds.find(a!.id, playlist)).not.toBeNull();
    const suggestions = world.discord.autocomplete({ name: 'seed', subcommand: 'remove', guildId: b!.id, focused: 'playlist', options: { playlist: '' }, memberPermissions: ['ManageGuild'] });
    await suggestions.final();
    expect(suggestions.state.choices).toEqual([]);
    const offInB = await world.discord.command({ name: 'daily', subcommand: 'off', guildId: b!.id, memberPermissions: ['ManageGuild'] }).final();
    expect(offInB.original!.embeds[0]!.description).toMatch(/no daily post/);
  });

  it('waits out a Discord 429 on a channel post, and answers again after the gateway drops', async () => {
    world = await startBotWorld();
    const general = world.discord.channel('general').id;
    world.discord.failNext({ method: 'POST', path: /\/channels\/\d+\/messages$/, status: 429, retryAfterSeconds: 0.2, times: 1 });
    const channel = await world.bot.client.channels.fetch(general);
    if (!channel?.isSendable()) throw new Error('#general should be sendable');
    const sent = await channel.send({ content: 'hello', allowedMentions: { parse: [] } });
    expect(sent.id).toBeTruthy();
    expect(world.discord.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${general}/messages`).map((c) => c.status)).toEqual([429, 200]);
    await world.discord.dropGateway(4000);
    const after = await world.discord.command({ name: 'stats' }).final({ timeoutMs: 15_000 });
    expect(after.original).not.toBeNull();
  });

  it('caps the crawls one guild may have going at once', async () => {
    world = await startBotWorld({ settings: { CRAWL_MAX_PER_GUILD: '1' } });
    world.spotify.fault({ service: 'api', kind: 'slow', delayMs: 200, times: Infinity });
    const first = world.discord.command({ name: 'seed', subcommand: 'add', options: { playlist: world.spotifyCatalog.ids.playlists.large }, memberPermissions: ['ManageGuild'] });
    await first.reply();
    const second = await world.discord
      .command({ name: 'seed', subcommand: 'add', options: { playlist: world.spotifyCatalog.ids.playlists.theirs }, memberPermissions: ['ManageGuild'] })
      .final({ until: (s) => /already has/.test(s.original?.embeds[0]?.description ?? '') });
    expect(second.original!.embeds[0]!.description).toBe('This server already has 1 playlist crawl going. Please wait for it to finish.');
    world.spotify.clearFaults();
    await first.final({ until: (s) => /✅/.test(s.original?.embeds[0]?.title ?? ''), timeoutMs: 20_000 });
  });
});
