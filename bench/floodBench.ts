import { answerOf, type InteractionSnapshot } from '../test/fakes/discord.js';
import { defaultGuildInput } from '../test/fakes/discord-world.js';
import { editPlaylist, generateFakeCatalog, type GeneratedFakeCatalog } from '../test/fakes/spotify.js';
import { smallCatalog, startBotUnderLoad, type BotUnderLoad } from './loadBench.js';
import type { Report } from './stats.js';

// One member flooding autocomplete must not slow Spotify for anyone else (issue 17, item 1). The
// compiled bot in its own process, the fake Discord and a fake Spotify that takes 150 ms for every
// API request: another guild's `/seed add` alone (the anchor), then the same crawl of an equal
// playlist while one member sends 600 autocompletes that each miss the catalog. Then a
// `/recommend` by a link the catalog lacks while Spotify answers 429 with a long Retry-After.

const SPOTIFY_LATENCY_MS = 150;
const FLOOD = 600;
const PLAYLIST_TRACKS = 1_000;
const RATE_LIMIT_SECONDS = 30;
const ANSWER_TIMEOUT_MS = Number(process.env.BENCH_FLOOD_TIMEOUT_MS ?? 300_000);

/** Two playlists of the same size, no track in both, so each crawl makes the same requests. */
function floodCatalog(): { catalog: GeneratedFakeCatalog; alone: string; flooded: string; unknownTrack: string } {
  const catalog = generateFakeCatalog({ seed: 9, artists: 100, albumsPerArtist: 6, tracksPerAlbum: 10, reccobeatsCoverage: 0.9 });
  const all = [...catalog.tracks.values()].filter((t) => t.playable);
  const entries = (from: number) =>
    all.slice(from, from + PLAYLIST_TRACKS).map((t) => ({ kind: 'track' as const, trackId: t.id, addedAt: '2025-06-01T12:00:00Z', addedBy: catalog.ids.fixtureUser }));
  editPlaylist(catalog, catalog.ids.playlists.large, () => entries(0));
  editPlaylist(catalog, catalog.ids.playlists.mine, () => entries(PLAYLIST_TRACKS));
  return { catalog, alone: catalog.ids.playlists.large, flooded: catalog.ids.playlists.mine, unknownTrack: all[2 * PLAYLIST_TRACKS + 1]!.id };
}

const title = (s: InteractionSnapshot) => s.original?.embeds[0]?.title ?? '';
const finished = (s: InteractionSnapshot) => title(s).startsWith('✅');
/** Past "added" and "crawling…": the summary, or an error. */
const settled = (s: InteractionSnapshot) => s.original !== null && !/^(Seed playlist added|Crawling)/.test(title(s));

async function seedAdd(world: BotUnderLoad, guildId: string, playlistId: string): Promise<{ ms: number; ok: boolean; shown: string }> {
  const started = performance.now();
  const handle = world.discord.command({
    name: 'seed',
    subcommand: 'add',
    guildId,
    options: { playlist: `https://open.spotify.com/playlist/${playlistId}` },
    user: { id: '810000000000000001', username: 'moderator' },
    memberPermissions: ['ManageGuild'],
  });
  const state = await handle.final({ timeoutMs: ANSWER_TIMEOUT_MS, until: (s) => settled(s) || s.followUps.length > 0 }).catch(() => null);
  if (!state) {
    // Reported, not thrown: the figures after it are still worth having.
    console.error(`\n  !!! /seed add was never answered; the bot's last log lines:\n${world.bot.logs.slice(-10).map((l) => `    ${JSON.stringify(l).slice(0, 300)}`).join('\n')}\n`);
    process.exitCode = 1;
    return { ms: Number.NaN, ok: false, shown: 'never answered' };
  }
  return { ms: performance.now() - started, ok: finished(state), shown: `${title(state)} ${state.original?.embeds[0]?.description ?? state.original?.content ?? ''}`.slice(0, 200) };
}

/** The bot's count of the flood's autocompletes by outcome, once it has counted `total` of them. */
async function floodOutcomes(world: BotUnderLoad, total: number): Promise<Record<string, number>> {
  const deadline = performance.now() + ANSWER_TIMEOUT_MS;
  for (;;) {
    const outcomes: Record<string, number> = {};
    for (const [key, value] of await world.bot.metrics()) {
      const outcome = /^cluster_dj_interactions_total\{command="autocomplete:recommend",outcome="([a-z_]+)"\}$/.exec(key)?.[1];
      if (outcome) outcomes[outcome] = value;
    }
    if (Object.values(outcomes).reduce((a, b) => a + b, 0) >= total || performance.now() > deadline) return outcomes;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function benchFlood(report: Report, dir: string): Promise<void> {
  const small = await smallCatalog(dir);
  const { catalog, alone, flooded, unknownTrack } = floodCatalog();
  const world = await startBotUnderLoad(small.path, {}, true, {
    discord: { guilds: [defaultGuildInput(), { ...defaultGuildInput(), name: 'Another Server' }] },
    spotifyCatalog: catalog,
  });
  try {
    const [first, second] = world.discord.guilds;
    world.spotify.fault({ service: 'api', kind: 'slow', delayMs: SPOTIFY_LATENCY_MS, times: Infinity });

    const anchor = await seedAdd(world, second!.id, alone);
    const requestsAlone = world.spotify.count({ service: 'api' });
    report.add('flood', `/seed add alone (${PLAYLIST_TRACKS.toLocaleString('en')} tracks, ${SPOTIFY_LATENCY_MS} ms a Spotify request)`, anchor.ms, 'ms', `${requestsAlone} Spotify requests${anchor.ok ? '' : `; NOT FINISHED: ${anchor.shown}`}`);

    world.spotify.resetLog();
    const botCpu = world.bot.cpuSeconds();
    const benchCpu = process.cpuUsage();
    const flood = Array.from({ length: FLOOD }, (_, i) =>
      world.discord.autocomplete({
        name: 'recommend',
        guildId: first!.id,
        options: { song: `zq${i.toString(36)}x` },
        focused: 'song',
        user: { id: '820000000000000001', username: 'flooder' },
      }),
    );
    const during = await seedAdd(world, second!.id, flooded);
    const searches = world.spotify.count({ service: 'api', path: '/v1/search' });
    // Past its budget the bot leaves a member's autocompletes unanswered: wait until it has counted every one.
    const outcomes = await floodOutcomes(world, FLOOD);
    const answeredInTime = flood.filter((h) => h.state.choices !== undefined).length;
    const benchCpuMs = (process.cpuUsage(benchCpu).user + process.cpuUsage(benchCpu).system) / 1000;
    report.add(
      'flood',
      '  bot CPU per autocomplete of the flood',
      ((world.bot.cpuSeconds() - botCpu) * 1000) / FLOOD,
      'ms',
      `the crawl's included; the fake Discord's (this process): ${(benchCpuMs / FLOOD).toFixed(2)} ms; ${answeredInTime} of ${FLOOD} answered within Discord's 3 s, ${outcomes.limited ?? 0} left unanswered (over the member's budget), ${outcomes.late ?? 0} too late`,
    );
    report.add('flood', `the same /seed add during ${FLOOD} autocompletes from one member`, during.ms, 'ms', `${searches} searches reached Spotify meanwhile${during.ok ? '' : `; NOT FINISHED: ${during.shown}`}`);
    report.target('flood', `/seed add slowed by one member's autocomplete flood`, during.ms / anchor.ms, 2, 'at most', 'anchor: /seed add alone, same run');

    world.spotify.clearFaults();
    world.spotify.fault({ service: 'api', kind: '429', retryAfterSeconds: RATE_LIMIT_SECONDS, times: 2 });
    const started = performance.now();
    const recommend = world.discord.command({
      name: 'recommend',
      guildId: first!.id,
      options: { song: `https://open.spotify.com/track/${unknownTrack}` },
      user: { id: '830000000000000001', username: 'listener' },
    });
    const state = await recommend.final({ timeoutMs: ANSWER_TIMEOUT_MS, until: (s) => answerOf(s) !== null });
    const answer = answerOf(state);
    const shown = answer?.embeds[0]?.description ?? answer?.content ?? '';
    report.add('flood', `/recommend by an unknown link, Spotify answering 429 (Retry-After ${RATE_LIMIT_SECONDS} s)`, performance.now() - started, 'ms', `answer: ${shown.replace(/\s+/g, ' ').slice(0, 90)}`);
  } finally {
    await world.stop();
  }
}
