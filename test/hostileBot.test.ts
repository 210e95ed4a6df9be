import { InteractionResponseType, type APIEmbed, type APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APOLOGY } from '../bot/embeds/notices.js';
import { hostileInputs, type HostileInput } from './corpus/hostile.js';
import type { InteractionSnapshot, RecordedCall } from './fakes/discord.js';
import { startBotWorld, type BotWorld } from './helpers/botWorld.js';

// The hostile-input corpus (test/corpus) through the real bot and the fake Discord, as /recommend
// song:<input> and /seed add playlist:<input> from a moderator. Every interaction gets a clear
// answer (never the apology for an unexpected error), no message can ping anyone, nothing is
// written that should not be, and the bot keeps answering afterwards.

const CONCURRENCY = 6;

/** Runs `task` over `items` with at most `limit` at a time, in order of start. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The message the member ends up seeing: the reply, the edited deferral, or a follow-up. */
function answerOf(state: InteractionSnapshot): APIMessage | null {
  return state.followUps.at(-1) ?? state.original;
}

/** Text a message shows (not URLs or custom IDs, which render as nothing a mention could hide in). */
function visibleText(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return key === 'url' || key === 'custom_id' || key === 'proxy_url' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => visibleText(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => visibleText(v, k));
  return [];
}

const PING = /@(everyone|here)\b|<@[!&]?\d+>/i;

/** Bodies of REST calls that send or edit a message, with the message data. */
function messageBodies(calls: readonly RecordedCall[]): { call: RecordedCall; message: Record<string, unknown> }[] {
  const out: { call: RecordedCall; message: Record<string, unknown> }[] = [];
  for (const call of calls) {
    const body = call.body as Record<string, unknown> | null;
    if (!body || call.status >= 400) continue;
    if (call.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(call.path)) {
      const type = body.type as InteractionResponseType;
      if (type === InteractionResponseType.ChannelMessageWithSource || type === InteractionResponseType.UpdateMessage) {
        out.push({ call, message: (body.data ?? {}) as Record<string, unknown> });
      }
    } else if (/^\/webhooks\/\d+\/[^/]+(\/messages\/[^/]+)?$/.test(call.path) && (call.method === 'POST' || call.method === 'PATCH')) {
      out.push({ call, message: body });
    } else if (call.method === 'POST' && /^\/channels\/\d+\/messages$/.test(call.path)) {
      out.push({ call, message: body });
    }
  }
  return out;
}

describe('hostile input through the Discord bot', () => {
  let world: BotWorld;
  let inputs: HostileInput[];
  let tracksBefore: Set<string>;

  beforeAll(async () => {
    world = await startBotWorld();
    const sqlite = world.app.database.sqlite;
    const known = sqlite.prepare('SELECT spotify_id FROM tracks ORDER BY id LIMIT 1 OFFSET 20').pluck().get() as string;
    const album = [...world.spotifyCatalog.albums.keys()][0]!;
    const artist = [...world.spotifyCatalog.artists.keys()][0]!;
    inputs = hostileInputs({ track: known, album, artist });
    tracksBefore = new Set(sqlite.prepare('SELECT spotify_id FROM tracks').pluck().all() as string[]);
  });
  afterAll(() => world.dispose());

  it('uses a corpus of at least 1,000 distinct inputs', () => {
    expect(new Set(inputs.map((i) => i.text)).size).toBe(inputs.length);
    expect(inputs.length).toBeGreaterThanOrEqual(1_000);
  });

  it('/recommend answers every input clearly, pings nobody, and stores only songs it found on Spotify', async () => {
    const states = await pool(inputs, CONCURRENCY, async ({ text }, i) =>
      world.discord
        .command({ name: 'recommend', options: { song: text }, user: { id: `6${String(i).padStart(17, '0')}`, username: `hostile${i}` } })
        .final({ timeoutMs: 15_000 }),
    );
    const problems: string[] = [];
    states.forEach((state, i) => {
      const answer = answerOf(state);
      const embed: APIEmbed | undefined = answer?.embeds[0];
      const what = JSON.stringify(inputs[i]!.text).slice(0, 80);
      if (!embed || !(embed.description ?? embed.title)) problems.push(`no answer to ${what}`);
      else if (embed.description === APOLOGY) problems.push(`apology (an unexpected error) for ${what}`);
    });
    expect(problems).toEqual([]);

    // Songs it stored are Spotify's, as Spotify has them (found by the link or name it was given).
    const sqlite = world.app.database.sqlite;
    const added = (sqlite.prepare('SELECT spotify_id, name FROM tracks').all() as { spotify_id: string; name: string }[]).filter(
      (t) => !tracksBefore.has(t.spotify_id),
    );
    for (const track of added) expect(world.spotifyCatalog.tracks.get(track.spotify_id)?.name, track.spotify_id).toBe(track.name);
  });

  it('/seed add answers every input clearly and keeps no seed for anything it cannot crawl', async () => {
    const sqlite = world.app.database.sqlite;
    const states = await pool(inputs, CONCURRENCY, async ({ text }) =>
      world.discord
        .command({ name: 'seed', subcommand: 'add', options: { playlist: text }, memberPermissions: ['ManageGuild'] })
        // A crawl's reply is edited more than once: wait for the last word, not "Starting the crawl…".
        .final({
          timeoutMs: 15_000,
          until: (s) => {
            const embed = answerOf(s)?.embeds[0];
            return embed !== undefined && embed.title !== 'Seed playlist added' && !(embed.title ?? '').startsWith('Crawling');
          },
        }),
    );
    const problems: string[] = [];
    states.forEach((state, i) => {
      const embed = answerOf(state)?.embeds[0];
      const what = JSON.stringify(inputs[i]!.text).slice(0, 80);
      if (!embed?.description) problems.push(`no answer to ${what}`);
      else if (embed.description === APOLOGY) problems.push(`apology (an unexpected error) for ${what}`);
    });
    expect(problems).toEqual([]);
    expect(sqlite.prepare('SELECT guild_id, playlist_id FROM seeds').all()).toEqual([]);
    expect(sqlite.prepare('SELECT count(*) FROM crawl_runs').pluck().get()).toBe(0);
    expect(sqlite.prepare('SELECT count(*) FROM seed_tracks').pluck().get()).toBe(0);
  });

  it('every message it sent disables mentions and shows no working mention', () => {
    const bodies = messageBodies(world.discord.calls);
    expect(bodies.length).toBeGreaterThan(2 * inputs.length);
    const unsafe: string[] = [];
    for (const { call, message } of bodies) {
      if (JSON.stringify(message.allowed_mentions) !== JSON.stringify({ parse: [] })) {
        unsafe.push(`${call.method} ${call.path}: allowed_mentions ${JSON.stringify(message.allowed_mentions)}`);
      }
      for (const text of visibleText({ content: message.content, embeds: message.embeds, components: message.components })) {
        if (PING.test(text)) unsafe.push(`${call.method} ${call.path}: ${JSON.stringify(text).slice(0, 160)}`);
      }
    }
    expect(unsafe).toEqual([]);
  });

  it('keeps answering afterwards', async () => {
    const stats = await world.discord.command({ name: 'stats' }).final();
    expect(answerOf(stats)?.embeds[0]?.fields?.length).toBeGreaterThan(0);
    const name = world.app.database.sqlite.prepare('SELECT name FROM tracks ORDER BY id LIMIT 1 OFFSET 30').pluck().get() as string;
    const state = await world.discord.command({ name: 'recommend', options: { song: name } }).final();
    expect(answerOf(state)?.embeds[0]?.url).toMatch(/^https:\/\/open\.spotify\.com\/track\//);
  });
});
