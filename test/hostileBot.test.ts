import { InteractionResponseType, type APIEmbed } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APOLOGY } from '../bot/embeds/notices.js';
import { requireSpotifyRef } from '../src/spotify/links.js';
import { hostileInputs, type HostileInput } from './corpus/hostile.js';
import { answerOf, type InteractionSnapshot, type RecordedCall } from './fakes/discord.js';
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
/** Text a message shows (not URLs or custom IDs, which render as nothing a mention could hide in). */
function visibleText(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return key === 'url' || key === 'custom_id' || key === 'proxy_url' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => visibleText(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => visibleText(v, k));
  return [];
}

const PING = /@(everyone|here)\b|<@[!&]?\d+>/i;

/** The last word of /seed add: its reply is edited more than once ("Starting the crawl…", progress). */
function finalSeedAnswer(state: InteractionSnapshot): boolean {
  const embed = answerOf(state)?.embeds[0];
  return embed !== undefined && embed.title !== 'Seed playlist added' && !(embed.title ?? '').startsWith('Crawling');
}

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
    // Three crawls per server at once (the default is two): the overlapping /seed adds below need room.
    world = await startBotWorld({ settings: { CRAWL_MAX_PER_GUILD: '3' } });
    // discord.js spaces webhook requests (edits, follow-ups) at 50 a second, Discord's global
    // limit; the fake has none, and a thousand deferred answers would otherwise take a minute.
    world.bot.client.rest.options.globalRequestsPerSecond = 2_000;
    // The pick's picture is drawn from the two tracks' features, never from what was typed, and
    // rendering hundreds would be most of this file's time: picks go out without it here (as they
    // do when a picture fails).
    world.bot.pictures.comparison = () => Promise.resolve(null);
    const sqlite = world.app.database.sqlite;
    const album = [...world.spotifyCatalog.albums.keys()][0]!;
    const artist = [...world.spotifyCatalog.artists.keys()][0]!;
    const known = sqlite.prepare('SELECT spotify_id FROM tracks ORDER BY id LIMIT 1 OFFSET 20').pluck().get() as string;
    inputs = hostileInputs({ track: known, album, artist });
    tracksBefore = new Set(sqlite.prepare('SELECT spotify_id FROM tracks').pluck().all() as string[]);
  });
  afterAll(() => world.dispose());

  it('uses a corpus of at least 1,000 distinct inputs', () => {
    expect(new Set(inputs.map((i) => i.text)).size).toBe(inputs.length);
    expect(inputs.length).toBeGreaterThanOrEqual(1_000);
  });

  // Lone UTF-16 surrogates have their own test below (a bug); every other input is here.
  let wellFormed: HostileInput[];
  beforeAll(() => {
    wellFormed = inputs.filter((i) => i.text.isWellFormed());
  });

  it('/recommend answers every input clearly, pings nobody, and stores only songs it found on Spotify', async () => {
    const states = await pool(wellFormed, CONCURRENCY, async ({ text }, i) =>
      world.discord
        .command({ name: 'recommend', options: { song: text }, user: { id: `6${String(i).padStart(17, '0')}`, username: `hostile${i}` } })
        // A public deferral is deleted before the private answer follows: wait for that answer.
        .final({ timeoutMs: 15_000, until: (s) => answerOf(s) !== null }),
    );
    const problems: string[] = [];
    states.forEach((state, i) => {
      const answer = answerOf(state);
      const embed: APIEmbed | undefined = answer?.embeds[0];
      const what = JSON.stringify(wellFormed[i]!.text).slice(0, 80);
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
    // Inputs that name a playlist start a crawl: those go one at a time, since overlapping adds of
    // one playlist, or more than CRAWL_MAX_PER_GUILD at once, meet two bugs (the it.fails tests
    // below); the others are refused at once and go CONCURRENCY at a time.
    const crawls = (text: string) => {
      try {
        return requireSpotifyRef(text, 'playlist') !== null;
      } catch {
        return false;
      }
    };
    const add = ({ text }: HostileInput) =>
      world.discord
        .command({ name: 'seed', subcommand: 'add', options: { playlist: text }, memberPermissions: ['ManageGuild'] })
        .final({ timeoutMs: 15_000, until: finalSeedAnswer });
    const crawling = inputs.filter((i) => crawls(i.text));
    expect(crawling.length).toBeGreaterThan(50);
    const refused = inputs.filter((i) => !crawls(i.text));
    const [first, second] = await Promise.all([pool(crawling, 1, add), pool(refused, CONCURRENCY, add)]);
    const states = [...first, ...second];
    const asked = [...crawling, ...refused];
    const problems: string[] = [];
    states.forEach((state, i) => {
      const embed = answerOf(state)?.embeds[0];
      const what = JSON.stringify(asked[i]!.text).slice(0, 80);
      if (!embed?.description) problems.push(`no answer to ${what}`);
      else if (embed.description === APOLOGY) problems.push(`apology (an unexpected error) for ${what}`);
    });
    expect(problems).toEqual([]);
    expect(sqlite.prepare('SELECT guild_id, playlist_id FROM seeds').all()).toEqual([]);
    expect(sqlite.prepare('SELECT count(*) FROM crawl_runs').pluck().get()).toBe(0);
    expect(sqlite.prepare('SELECT count(*) FROM seed_tracks').pluck().get()).toBe(0);
  });

  // Options are made well-formed where they are read (a lone surrogate used to break the Spotify search).
  it('/recommend answers a song name with a lone UTF-16 surrogate clearly', async () => {
    const lone = inputs.filter((i) => !i.text.isWellFormed());
    expect(lone.length).toBeGreaterThan(0);
    for (const { text } of lone) {
      const state = await world.discord.command({ name: 'recommend', options: { song: text } }).final({ until: (s) => answerOf(s) !== null });
      expect(answerOf(state)?.embeds[0]?.description).not.toBe(APOLOGY);
    }
  });

  // /seed add when adds overlap: the per-guild cap holds, and adds of one seed share its crawl.
  describe('/seed add, overlapping', () => {
    const add = (playlist: string) =>
      world.discord.command({ name: 'seed', subcommand: 'add', options: { playlist }, memberPermissions: ['ManageGuild'] }).final({ until: finalSeedAnswer });
    let refused: string | undefined;
    let seedsAfterRefusal: unknown[];
    let sameAtOnce: (string | undefined)[];

    beforeAll(async () => {
      // Spotify answers playlist reads slowly, so the crawls are still going when the next add comes.
      const slow = world.spotify.fault({ service: 'api', kind: 'slow', delayMs: 300, path: /^\/v1\/playlists\//, times: Infinity });
      const four = await Promise.all(['Unreadable000000000001', 'Unreadable000000000002', 'Unreadable000000000003', 'Unreadable000000000004'].map(add));
      refused = four.map((s) => answerOf(s)?.embeds[0]?.description).find((d) => d?.includes('crawls going'));
      seedsAfterRefusal = world.app.database.sqlite.prepare('SELECT playlist_id FROM seeds').pluck().all();
      world.app.database.sqlite.prepare('DELETE FROM seeds').run();
      const id = 'Unreadable000000000005';
      const same = await Promise.all([id, `spotify:playlist:${id}`, `https://open.spotify.com/playlist/${id}?si=x`].map(add));
      sameAtOnce = same.map((s) => answerOf(s)?.embeds[0]?.description);
      slow.cancel();
    });

    it('(a fourth add while three crawls are going is refused with a clear answer)', () => {
      expect(refused).toBe('This server already has 3 playlist crawls going. Please wait for one to finish.');
    });

    // The queue's room is checked before the seed is stored, so a refused add leaves nothing behind.
    it('a refused add keeps no seed', () => {
      expect(seedsAfterRefusal).toEqual([]);
    });

    // Adds of a seed already queued or crawling join that crawl, so all get its answer.
    it('three adds of one unreadable playlist at once all get the clear answer', () => {
      const notFound = "Spotify says that playlist doesn't exist, or it is private. Check the link, or make the playlist public.";
      expect(sameAtOnce).toEqual([notFound, notFound, notFound]);
    });
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
