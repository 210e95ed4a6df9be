import { MessageFlags, type APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotWorld, type BotWorld } from './helpers/botWorld.js';

// 👍/👎 through the fake Discord: votes stored and changed, /taste, and a guild's data forgotten.

const customIds = (message: APIMessage): string[] =>
  (message.components ?? [])
    .flatMap((row) => ('components' in row ? (row.components as { custom_id?: string }[]) : []))
    .flatMap((c) => (c.custom_id ? [c.custom_id] : []));

describe('feedback', () => {
  let world: BotWorld;
  let song: string;
  beforeAll(async () => {
    world = await startBotWorld({ discord: { guilds: [{ name: 'Home', channels: [{ name: 'general' }] }, { name: 'Elsewhere', channels: [{ name: 'general' }] }] } });
    song = world.app.database.sqlite.prepare('SELECT spotify_id FROM tracks ORDER BY id LIMIT 1 OFFSET 5').pluck().get() as string;
  });
  afterAll(() => world.dispose());
  const home = () => world.discord.guilds[0]!.id;
  const user = { id: '610000000000000001', username: 'voter' };

  async function recommendAndVote(vote: 'up' | 'down', who = user) {
    const state = await world.discord.command({ name: 'recommend', guildId: home(), options: { song }, user: who }).final();
    const message = state.original!;
    const id = customIds(message).find((c) => c.startsWith(`fb:${vote}:`))!;
    const click = await world.discord.button({ customId: id, message: message.id, user: who }).final();
    return { message, click, trackId: Number(id.split(':')[2]) };
  }

  it('puts 👍 and 👎 on every pick, and stores one vote per member and pick', async () => {
    const { message, click, trackId } = await recommendAndVote('up');
    expect(customIds(message)).toEqual(expect.arrayContaining([expect.stringMatching(/^rec:another:/) as string, `fb:up:${trackId}`, `fb:down:${trackId}`]));
    expect(((click.original?.flags ?? 0) & MessageFlags.Ephemeral) !== 0).toBe(true);
    expect(click.original!.embeds[0]!.description).toMatch(/^👍 Noted/);
    const again = await world.discord.button({ customId: `fb:up:${trackId}`, message: message.id, user }).final();
    expect(again.original!.embeds[0]!.description).toMatch(/already liked/);
    const changed = await world.discord.button({ customId: `fb:down:${trackId}`, message: message.id, user }).final();
    expect(changed.original!.embeds[0]!.description).toMatch(/^Changed your vote\. 👎/);
    expect(world.app.database.sqlite.prepare('SELECT vote FROM feedback WHERE user_id = ? AND track_id = ?').all(user.id, trackId)).toEqual([{ vote: -1 }]);
  });

  it('/taste shows what it learnt, in clusters and songs, and resets on request', async () => {
    await recommendAndVote('up');
    const taste = await world.discord.command({ name: 'taste', subcommand: 'show', guildId: home(), user }).final();
    const fields = taste.original!.embeds[0]!.fields!;
    expect(fields.map((f) => f.name)).toEqual(['👍 Clusters you like', '👎 Clusters you skip', 'Liked lately', 'Disliked lately']);
    expect(fields[0]!.value).toMatch(/^#\d+ /);
    // Only its owner may press "Forget my votes here".
    const button = customIds(taste.original!)[0]!;
    const other = await world.discord.button({ customId: button, message: taste.original!.id, user: { id: '610000000000000009', username: 'nosy' } }).final();
    expect(other.original!.embeds[0]!.description).toMatch(/belongs to someone else/);
    const reset = await world.discord.command({ name: 'taste', subcommand: 'reset', guildId: home(), user }).final();
    expect(reset.original!.embeds[0]!.description).toMatch(/^Forgotten: your \d+ votes? in this server\.$/);
    expect(world.app.feedback.votesOf(home(), user.id)).toEqual({ liked: [], disliked: [] });
  });

  it('/stats shows the server\'s most liked clusters and songs, and another server\'s nothing of them', async () => {
    const first = await recommendAndVote('up');
    const second = await recommendAndVote('up', { id: '610000000000000002', username: 'second' });
    const stats = await world.discord.command({ name: 'stats', guildId: home(), user }).final();
    const favourites = stats.original!.embeds[0]!.fields!.find((f) => f.name === 'Most liked here')!.value;
    expect(favourites).toMatch(/^• #\d+ /);
    const likes = first.trackId === second.trackId ? 2 : 1;
    for (const { trackId } of [first, second]) {
      const liked = world.app.catalog.getTrack(trackId)!;
      expect(favourites).toContain(`• ${liked.name} — ${liked.artists.join(', ')} (👍 ${likes})`);
    }
    const elsewhere = await world.discord.command({ name: 'stats', guildId: world.discord.guilds[1]!.id, user }).final();
    expect(elsewhere.original!.embeds[0]!.fields!.map((f) => f.name)).not.toContain('Most liked here');
  });

  it('forgets a guild\'s votes, history, seeds and daily post when the bot is removed from it', async () => {
    await recommendAndVote('up');
    world.app.daily.set(home(), { channelId: world.discord.guilds[0]!.channels[0]!.id, time: '09:00', timeZone: 'UTC' });
    const elsewhere = world.discord.guilds[1]!.id;
    await world.discord.command({ name: 'recommend', guildId: elsewhere, options: { song }, user }).final();
    expect(world.app.feedback.count(home())).toBeGreaterThan(0);
    world.discord.removeBotFromGuild(home());
    await expect.poll(() => world.app.feedback.count(home())).toBe(0);
    expect(world.app.daily.get(home())).toBeNull();
    expect(world.app.database.sqlite.prepare('SELECT COUNT(*) FROM recommendations WHERE guild_id = ?').pluck().get(home())).toBe(0);
    // Another guild's data is untouched.
    expect(world.app.database.sqlite.prepare('SELECT COUNT(*) FROM recommendations WHERE guild_id = ?').pluck().get(elsewhere)).toBe(1);
  });
});

const pickOf = (message: APIMessage): number => Number(customIds(message).find((c) => c.startsWith('fb:up:'))!.split(':')[2]);
const shapedBy = (message: APIMessage): string | undefined => message.embeds[0]!.fields?.find((f) => f.name === 'Shaped by feedback')?.value;
const member = (n: number) => ({ id: `62000000000000${String(n).padStart(4, '0')}`, username: `member${n}` });

describe('feedback shapes picks', () => {
  // No history: asking the same song again gives the same pick unless votes change it.
  let world: BotWorld;
  const guilds = Array.from({ length: 2 }, (_, i) => ({ name: `Server ${i}`, channels: [{ name: 'general' }] }));
  beforeAll(async () => {
    world = await startBotWorld({ discord: { guilds }, settings: { RECOMMEND_USER_HISTORY_DAYS: '0', RECOMMEND_GUILD_HISTORY_HOURS: '0' } });
  });
  afterAll(() => world.dispose());
  const guild = (i: number) => world.discord.guilds[i]!.id;
  const songAt = (offset: number) => world.app.database.sqlite.prepare('SELECT spotify_id FROM tracks ORDER BY id LIMIT 1 OFFSET ?').pluck().get(offset) as string;
  const recommend = async (guildId: string, user: { id: string; username: string }, song: string) =>
    (await world.discord.command({ name: 'recommend', guildId, options: { song }, user }).final()).original!;
  const vote = (message: APIMessage, user: { id: string; username: string }, which: 'up' | 'down') =>
    world.discord.button({ customId: `fb:${which}:${pickOf(message)}`, message: message.id, user }).final();

  it('never gives a member a song they disliked again, while others still get it', async () => {
    const song = songAt(11);
    const [asker, control] = [member(1), member(2)];
    const first = await recommend(guild(0), asker, song);
    const disliked = pickOf(first);
    // Without a vote the same song gets the same answer (there is no history to avoid).
    expect(pickOf(await recommend(guild(0), control, song))).toBe(disliked);
    await vote(first, asker, 'down');
    const again = await recommend(guild(0), asker, song);
    expect(pickOf(again)).not.toBe(disliked);
    expect(shapedBy(again)).toBe('A closer song was one you disliked, so it was skipped.');
    const given = [pickOf(again)];
    for (let i = 0; i < 3; i++) given.push(pickOf(await recommend(guild(0), asker, song)));
    const anotherOne = customIds(again).find((c) => c.startsWith('rec:another:'))!;
    for (let i = 0; i < 3; i++) {
      await world.discord.button({ customId: anotherOne, message: again.id, user: asker }).final();
      given.push(pickOf(world.discord.message(again.id)!));
    }
    expect(given).not.toContain(disliked);
    expect(pickOf(await recommend(guild(0), control, song))).toBe(disliked);
  });

  it('demotes a song in a guild once enough members dislike it, and only in that guild', async () => {
    const song = songAt(23);
    const demoteAfter = world.app.config.recommend.demoteAfterDislikes;
    let demoted = 0;
    for (let n = 0; n < demoteAfter; n++) {
      const message = await recommend(guild(0), member(10 + n), song);
      demoted = pickOf(message);
      await vote(message, member(10 + n), 'down');
    }
    const newcomer = await recommend(guild(0), member(20), song);
    expect(pickOf(newcomer)).not.toBe(demoted);
    expect(shapedBy(newcomer)).toBe('A closer song is one this server dislikes, so it went further down.');
    expect(pickOf(await recommend(guild(1), member(20), song))).toBe(demoted);
  });

});

describe('a 👍', () => {
  // One pair of servers per trial, so that nothing but the vote differs between asker and control.
  const TRIALS = 6;
  let world: BotWorld;
  beforeAll(async () => {
    const guilds = Array.from({ length: 2 * TRIALS }, (_, i) => ({ name: `Server ${i}`, channels: [{ name: 'general' }] }));
    world = await startBotWorld({ discord: { guilds } });
  });
  afterAll(() => world.dispose());

  it('moves the member\'s next pick towards the song they liked, measurably', async () => {
    // A member asks for song A, gets P1, presses "Another one", likes what comes (L) and presses
    // "Another one" again; a control member in another server does the same without the vote.
    const index = () => world.app.recommender.currentIndex();
    const distance = (a: number, b: number) => {
      const [x, y] = [index().vectorOf(a)!, index().vectorOf(b)!];
      return Math.sqrt(x.reduce((sum, v, j) => sum + (v - y[j]!) ** 2, 0));
    };
    const walk = async (guildId: string, user: { id: string; username: string }, song: string, like: boolean) => {
      const first = (await world.discord.command({ name: 'recommend', guildId, options: { song }, user }).final()).original!;
      const another = customIds(first).find((c) => c.startsWith('rec:another:'))!;
      const next = () => world.discord.button({ customId: another, message: first.id, user }).final();
      await next();
      const liked = world.discord.message(first.id)!;
      if (like) await world.discord.button({ customId: `fb:up:${pickOf(liked)}`, message: first.id, user }).final();
      await next();
      return { liked: pickOf(liked), last: world.discord.message(first.id)! };
    };
    const trials = [];
    for (let t = 0; t < TRIALS; t++) {
      const song = world.app.database.sqlite.prepare('SELECT spotify_id FROM tracks ORDER BY id LIMIT 1 OFFSET ?').pluck().get(100 + 37 * t) as string;
      const shaped = await walk(world.discord.guilds[2 * t]!.id, member(100 + t), song, true);
      const plain = await walk(world.discord.guilds[2 * t + 1]!.id, member(200 + t), song, false);
      expect(plain.liked).toBe(shaped.liked);
      trials.push({ like: shaped.liked, shaped: shaped.last, plain: plain.last });
    }
    const changed = trials.filter((t) => pickOf(t.shaped) !== pickOf(t.plain));
    expect(changed.length).toBeGreaterThanOrEqual(TRIALS / 2);
    for (const t of trials) expect(distance(pickOf(t.shaped), t.like)).toBeLessThanOrEqual(distance(pickOf(t.plain), t.like));
    for (const t of changed) {
      const like = world.app.catalog.getTrack(t.like)!;
      expect(shapedBy(t.shaped)).toBe(`Picked for sounding close to "${like.name}" by ${like.artists.join(', ')}, which you liked.`);
    }
    for (const t of trials) expect(shapedBy(t.plain)).toBeUndefined();
  });
});
