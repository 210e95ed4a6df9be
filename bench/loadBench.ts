import { join } from 'node:path';
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { deployCommands } from '../bot/deploy.js';
import { createApp } from '../src/app.js';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { parseConfig } from '../src/config.js';
import { importCsv } from '../src/import/importCsv.js';
import { createLogger } from '../src/logger.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type InteractionHandle, type InteractionSnapshot } from '../test/fakes/discord.js';
import { generateFakeCatalog, startFakeSpotify, type FakeCatalog, type FakeSpotify } from '../test/fakes/spotify.js';
import { sampleCsv } from '../test/helpers/botWorld.js';
import { startBotProcess, type BotProcess } from './botProcess.js';
import { label, type SyntheticCatalogs } from './catalogs.js';
import { percentile, type Report } from './stats.js';

// Members pressing /recommend at once, through the fake Discord (in this process) into the real
// bot (compiled, in its own process, as `npm start` runs it): how long until each interaction
// gets its first response (a reply or a deferral; Discord's limit is 3 s), and whether every one
// is answered. A response past the deadline is counted and reported loudly, not thrown.

const DEADLINE_MS = 3_000;
const FIRST_RESPONSE_GOAL_MS = 500;
const ANSWER_TIMEOUT_MS = 120_000;

export interface BotUnderLoad {
  discord: FakeDiscord;
  spotify: FakeSpotify;
  bot: BotProcess;
  databasePath: string;
  /** Spotify track URIs of catalog tracks, as autocomplete offers them. */
  songs: string[];
  stop(): Promise<void>;
}

/** Fake Discord and Spotify here, the commands registered, the compiled bot started on `databasePath`. */
export async function startBotUnderLoad(
  databasePath: string,
  extra: Record<string, string> = {},
  withIndex = true,
  fakes: { discord?: FakeDiscordOptions; spotifyCatalog?: FakeCatalog } = {},
): Promise<BotUnderLoad> {
  const discord: FakeDiscord = await startFakeDiscord({ heartbeatIntervalMs: 20_000, ...fakes.discord });
  const spotify: FakeSpotify = await startFakeSpotify({ catalog: fakes.spotifyCatalog ?? generateFakeCatalog({ seed: 5 }), mode: 'extended', clientId: 'id', clientSecret: 'secret' });
  const env = {
    DATABASE_PATH: databasePath,
    DISCORD_TOKEN: discord.token,
    DISCORD_APP_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.guild().id,
    DISCORD_API_URL: discord.apiUrl,
    ...spotify.settings(),
    RECOMMEND_COOLDOWN_SECONDS: '0',
    ...extra,
  };
  // Every guild gets the commands (registered per guild, so they appear at once).
  for (const guild of discord.guilds) await deployCommands({ ...process.env, ...env, DISCORD_GUILD_ID: guild.id, CLUSTER_DJ_IGNORE_DOTENV: '1' });
  const app = createApp(parseConfig({ DATABASE_PATH: databasePath, LOG_LEVEL: 'silent' }), { logger: createLogger({ level: 'silent' }) });
  const songs = (app.database.sqlite.prepare('SELECT t.spotify_id FROM tracks t JOIN audio_features f ON f.track_id = t.id ORDER BY random() LIMIT 2000').pluck().all() as string[]).map(
    (id) => `spotify:track:${id}`,
  );
  app.close();
  let bot: BotProcess;
  try {
    bot = await startBotProcess(env, withIndex);
  } catch (error) {
    await discord.close();
    await spotify.close();
    throw error;
  }
  return {
    discord,
    spotify,
    bot,
    databasePath,
    songs,
    async stop() {
      await bot.stop();
      await discord.close();
      await spotify.close();
    },
  };
}

interface Outcome {
  firstResponseMs: number | null;
  deferred: boolean;
  missedDeadline: boolean;
  answeredMs: number | null;
  error: boolean;
}

/** Whether what the member sees has settled: a reply, or a deferral followed by its edit or a follow-up. */
function isAnswered(state: InteractionSnapshot): boolean {
  const first = state.callbacks[0];
  if (!first) return false;
  if (first.type !== InteractionResponseType.DeferredChannelMessageWithSource) return true;
  const loading = ((state.original?.flags ?? 0) & MessageFlags.Loading) !== 0;
  return state.followUps.length > 0 || state.originalDeleted || (state.original !== null && !loading);
}

function outcomeOf(state: InteractionSnapshot, sentAt: number, lastCallAt: Map<string, number>, refused: Set<string>): Outcome {
  const first = state.callbacks[0];
  const ephemeral = (flags: number | undefined) => ((flags ?? 0) & MessageFlags.Ephemeral) !== 0;
  const callbackData = first && 'data' in first.body ? (first.body.data as { flags?: number } | undefined) : undefined;
  return {
    firstResponseMs: first ? first.at - sentAt : null,
    deferred: first?.type === InteractionResponseType.DeferredChannelMessageWithSource,
    // Discord refused the callback: the bot answered too late (10062 Unknown interaction).
    missedDeadline: !first && refused.has(state.token),
    answeredMs: isAnswered(state) ? (lastCallAt.get(state.token) ?? first!.at) - sentAt : null,
    error: ephemeral(callbackData?.flags) || state.followUps.some((m) => ephemeral(m.flags)),
  };
}

/** Sends `count` /recommend at once (from distinct members) and waits until each is answered or given up on. */
export interface BurstResult {
  outcomes: Outcome[];
  wallMs: number;
  /** CPU the bot used from the first interaction until every one settled. */
  botCpuMs: number;
}

export async function burst(world: BotUnderLoad, count: number, offset = 0): Promise<BurstResult> {
  const started = Date.now();
  const cpuBefore = world.bot.cpuSeconds();
  const sent: { handle: InteractionHandle; at: number }[] = [];
  for (let i = 0; i < count; i++) {
    const song = world.songs[(offset + i) % world.songs.length]!;
    const at = Date.now();
    const handle = world.discord.command({ name: 'recommend', options: { song }, user: { id: `70000000000${String(offset + i).padStart(7, '0')}`, username: `load${offset + i}` } });
    sent.push({ handle, at });
  }
  // Polled rather than awaited one by one: hundreds of waiters re-checked on every REST call would
  // slow the fake Discord itself. One never acknowledged 5 s past the deadline can no longer be.
  for (;;) {
    const now = Date.now();
    const pending = sent.filter(({ handle, at }) => {
      const state = handle.state;
      return !isAnswered(state) && (state.callbacks.length > 0 || now - at < DEADLINE_MS + 5_000);
    });
    if (pending.length === 0 || now - started > ANSWER_TIMEOUT_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const wallMs = Date.now() - started;
  const botCpuMs = (world.bot.cpuSeconds() - cpuBefore) * 1000;
  // When each member's message last changed, and which callbacks Discord refused, from the REST log.
  const lastCallAt = new Map<string, number>();
  const refused = new Set<string>();
  for (const call of world.discord.calls) {
    const token = /^\/(?:interactions\/\d+|webhooks\/\d+)\/([^/]+)/.exec(call.path)?.[1];
    if (!token) continue;
    if (call.status < 300) lastCallAt.set(token, call.at);
    else if (call.path.endsWith('/callback') && call.status === 404) refused.add(token);
  }
  return { outcomes: sent.map(({ handle, at }) => outcomeOf(handle.state, at, lastCallAt, refused)), wallMs, botCpuMs };
}

/** Prints a burst's figures; a missed deadline or an unanswered interaction is reported loudly and fails the run. */
export function reportBurst(report: Report, what: string, count: number, result: BurstResult): void {
  const { outcomes, wallMs, botCpuMs } = result;
  const first = outcomes.flatMap((o) => (o.firstResponseMs === null ? [] : [o.firstResponseMs]));
  const missed = outcomes.filter((o) => o.missedDeadline).length;
  const late = first.filter((ms) => ms > DEADLINE_MS).length;
  const unanswered = outcomes.filter((o) => o.answeredMs === null).length;
  const p99 = percentile(first, 99);
  console.log(`  ${count} members press /recommend at once, ${what}:`);
  report.add('load', '  first response (reply or deferral): p50', percentile(first, 50), 'ms', `${outcomes.filter((o) => o.deferred).length} of ${count} deferred first`);
  report.add('load', '  first response: p99', p99, 'ms', `Discord's limit: ${DEADLINE_MS.toLocaleString('en')} ms`);
  report.add('load', '  first response: slowest', Math.max(...first, 0), 'ms');
  report.add('load', '  answered (the message with its picture): p99', percentile(outcomes.flatMap((o) => (o.answeredMs === null ? [] : [o.answeredMs])), 99), 'ms', `all ${count} in ${wallMs.toLocaleString('en')} ms`);
  report.add('load', '  bot CPU per /recommend (its process, all threads)', botCpuMs / count, 'ms', 'pictures included');
  report.add('load', "  past Discord's 3 s deadline, or never answered", missed + late + unanswered, 'requests', `${outcomes.filter((o) => o.error).length} answered with an error message`);
  report.target('load', `first response p99 over the ${FIRST_RESPONSE_GOAL_MS} ms goal, ${count} at once, ${what}`, p99 / FIRST_RESPONSE_GOAL_MS, 1, 'at most', `anchor: Discord's ${DEADLINE_MS.toLocaleString('en')} ms deadline = ${(DEADLINE_MS / FIRST_RESPONSE_GOAL_MS).toFixed(0)}× the goal`);
  if (missed + late + unanswered > 0) {
    console.error(
      `\n  !!! ${what}: ${missed + late} of ${count} interactions missed Discord's 3 s deadline and ${unanswered} were never answered: members saw "The application did not respond".\n`,
    );
    process.exitCode = 1;
  }
}

/** The small catalog the bot tests use: the first rows of TidyTuesday (or generated tracks), clustered. */
export async function smallCatalog(dir: string): Promise<{ path: string; real: boolean }> {
  const path = join(dir, 'load-small.db');
  const app = createApp(parseConfig({ DATABASE_PATH: path, LOG_LEVEL: 'silent' }), { logger: createLogger({ level: 'silent' }) });
  try {
    const sample = sampleCsv(dir);
    await importCsv(app.catalog, sample.path);
    clusterCatalog({ database: app.database, settings: { ...app.config.clustering, k: 8 }, logger: app.logger });
    return { path, real: sample.real };
  } finally {
    app.close();
  }
}

async function warmUp(world: BotUnderLoad): Promise<void> {
  // A running bot has answered before: the first answer loads the charts and fills caches.
  for (let i = 0; i < 3; i++) await world.discord.command({ name: 'recommend', options: { song: world.songs[1000 + i] ?? world.songs[i]! } }).final({ timeoutMs: 30_000 });
}

export async function benchLoad(report: Report, dir: string, catalogs: SyntheticCatalogs, sizes: { small: number; large: number; tracks: number }): Promise<void> {
  const small = await smallCatalog(dir);
  let world = await startBotUnderLoad(small.path);
  try {
    await warmUp(world);
    reportBurst(report, small.real ? 'TidyTuesday sample, 2,500 tracks' : 'synthetic sample, 2,000 tracks', sizes.small, await burst(world, sizes.small));
  } finally {
    await world.stop();
  }
  world = await startBotUnderLoad(catalogs.copy(sizes.tracks, 'load-large'));
  try {
    await warmUp(world);
    reportBurst(report, `synthetic catalog, ${label(sizes.tracks)}`, sizes.large, await burst(world, sizes.large));
  } finally {
    await world.stop();
  }
}
