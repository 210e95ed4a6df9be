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
