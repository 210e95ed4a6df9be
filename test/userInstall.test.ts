import { ApplicationIntegrationType, InteractionContextType, MessageFlags, type APIEmbed, type APIMessage, type APIStringSelectComponent } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAL_SCOPE } from '../src/feedback/scope.js';
import { startBotWorld, type BotWorld } from './helpers/botWorld.js';

// The app installed to a member, used where the bot is not in a server (the DM with the bot, a
// group DM, a server that never added it), and the features that go with it: steering, /mix and
// "not for me". The real discord.js client, started as in production, against the fake Discord,
// which sends these interactions as Discord does (no guild_id, context 1 or 2, the user's
// install in authorizing_integration_owners) and refuses commands not registered for them.

const embedOf = (message: APIMessage | null | undefined): APIEmbed => {
  const embed = message?.embeds[0];
  if (!embed) throw new Error(`no embed in ${JSON.stringify(message)}`);
  return embed;
};
const isEphemeral = (message: APIMessage | null | undefined) => ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
type Row = { components: { type: number; custom_id?: string; options?: { value: string; label: string }[] }[] };
const rows = (message: APIMessage) => (message.components ?? []) as unknown as Row[];
const customIds = (message: APIMessage) => rows(message).flatMap((r) => r.components.map((c) => c.custom_id ?? 'link'));
const findId = (message: APIMessage, prefix: string) => customIds(message).find((id) => id.startsWith(prefix))!;
const selectOf = (message: APIMessage, prefix: string) => rows(message).flatMap((r) => r.components).find((c) => c.custom_id?.startsWith(prefix)) as unknown as APIStringSelectComponent;
const pickIdOf = (message: APIMessage) => Number(findId(message, 'fb:up:').split(':')[2]);

describe('user installs, steering, /mix and "not for me"', () => {
  let world: BotWorld;
  let seedQuery: string;
  const dmUser = { id: '600000000000000001', username: 'listener' };

  beforeAll(async () => {
    world = await startBotWorld({ globalCommands: true });
    // A song in the middle of the mood and energy scales, with a release year; the synthetic catalog
    // (used when ../shared/data is absent) has no years, so there the song closest to the middle.
    const row = world.app.database.sqlite
      .prepare(
        `SELECT t.spotify_id AS spotifyId, (f.valence BETWEEN 0.3 AND 0.6 AND f.energy BETWEEN 0.4 AND 0.7 AND t.release_year IS NOT NULL) AS fits
         FROM tracks t JOIN audio_features f ON f.track_id = t.id
         ORDER BY fits DESC, CASE WHEN fits THEN t.id END, abs(f.valence - 0.45) + abs(f.energy - 0.55), t.id LIMIT 1`,
      )
      .get() as { spotifyId: string };
    seedQuery = row.spotifyId;
  });
  afterAll(() => world.dispose());

  it('registers /recommend, /mix and /taste for user installs and DMs, and keeps server commands to servers', () => {
    const global = world.discord.registeredCommands();
    const anywhere = global.filter((c) => ['recommend', 'mix', 'taste'].includes(c.name));
    expect(anywhere).toHaveLength(3);
    for (const command of anywhere) {
      expect(command.integration_types).toEqual([ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall]);
      expect(command.contexts).toEqual([InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel]);
    }
    for (const name of ['seed', 'daily', 'stats', 'cluster']) {
      const command = global.find((c) => c.name === name)!;
      expect(command.integration_types).toEqual([ApplicationIntegrationType.GuildInstall]);
      expect(command.contexts).toEqual([InteractionContextType.Guild]);
    }
    // Discord shows a member nothing it was not registered for.
    expect(() => world.discord.command({ name: 'seed', subcommand: 'list', location: 'bot-dm' })).toThrow(/does not show it in bot-dm/);
  });

  it('answers /recommend in the DM with the bot, with its picture and vote buttons that count for the member personally', async () => {
    const handle = world.discord.command({ name: 'recommend', options: { song: seedQuery }, location: 'bot-dm', user: dmUser });
    expect(handle.payload.guild_id).toBeUndefined();
    expect(handle.payload.context).toBe(InteractionContextType.BotDM);
    expect(handle.payload.authorizing_integration_owners).toEqual({ [ApplicationIntegrationType.UserInstall]: dmUser.id });
    const state = await handle.final();
    const message = state.original!;
    expect(isEphemeral(message)).toBe(false);
    expect(embedOf(message).image?.url).toBe('attachment://sound.png');
    expect(message.attachments.map((a) => a.filename)).toEqual(['sound.png']);
    const pickId = pickIdOf(message);
    const vote = await world.discord.button({ customId: findId(message, 'fb:up:'), message: message.id, user: dmUser }).final();
    expect(isEphemeral(vote.original)).toBe(true);
    expect(embedOf(vote.original).description).toMatch(/👍 Noted/);
    expect(world.app.feedback.votesOf(PERSONAL_SCOPE, dmUser.id).liked).toEqual([pickId]);
    // Nothing of it is pooled into a server.
    expect(world.app.feedback.votesOf(world.discord.guild().id, dmUser.id).liked).toEqual([]);
    expect(world.app.database.sqlite.prepare('SELECT guild_id FROM recommendations WHERE user_id = ?').pluck().all(dmUser.id)).toEqual([null]);
  });

  it('answers privately in a server without the bot whose members may not use external apps, and publicly in a group DM', async () => {
    const guarded = await world.discord
      .command({ name: 'recommend', options: { song: seedQuery }, location: 'external-guild', user: { id: '600000000000000002', username: 'guest' } })
      .final();
    // The fake's @everyone lacks Use External Apps by default: Discord would only show it to the member.
    expect(isEphemeral(guarded.original)).toBe(true);
    expect(embedOf(guarded.original).title).toBeTruthy();
    const group = await world.discord
      .command({ name: 'recommend', options: { song: seedQuery }, location: 'private-channel', user: { id: '600000000000000003', username: 'friend' } })
      .final();
    expect(group.callbacks[0]!.type).toBe(4);
    expect(isEphemeral(group.original)).toBe(false);
    expect(group.original!.attachments.map((a) => a.filename)).toEqual(['sound.png']);
  });

  it('steers /recommend and keeps the steer on "Another one"', async () => {
    const user = { id: '600000000000000004', username: 'steerer' };
    const first = await world.discord.command({ name: 'recommend', options: { song: seedQuery, steer: 'happier' }, user }).final();
    const message = first.original!;
    const embed = embedOf(message);
    expect(embed.author?.name).toMatch(/, but happier/);
    const steered = embed.fields!.find((f) => f.name === 'Steered: happier')!;
    expect(steered.value).toMatch(/^\+\d+ % happier/);
    const seed = world.app.catalog.getTrackBySpotifyId(seedQuery)!;
    const valenceOf = (id: number) => world.app.catalog.getTrack(id)!.features!.valence;
    expect(valenceOf(pickIdOf(message))).toBeGreaterThan(seed.features!.valence);
    const another = findId(message, 'rec:another:');
    expect(another).toMatch(/:happier$/);
    const click = await world.discord.button({ customId: another, message: message.id, user }).final();
    expect(click.callbacks[0]!.type).toBe(7);
    const updated = world.discord.message(message.id)!;
    expect(embedOf(updated).author?.name).toMatch(/, but happier/);
    expect(pickIdOf(updated)).not.toBe(pickIdOf(message));
    expect(valenceOf(pickIdOf(updated))).toBeGreaterThan(seed.features!.valence);
  });

  it('mixes three songs: a set that leaves out the seeds, caps artists, comes with its picture, links and working votes', async () => {
    const ids = world.app.database.sqlite.prepare('SELECT spotify_id FROM tracks ORDER BY id LIMIT 3 OFFSET 40').pluck().all() as string[];
    const user = { id: '600000000000000005', username: 'mixer' };
    const state = await world.discord.command({ name: 'mix', options: { song1: ids[0]!, song2: ids[1]!, song3: ids[2]! }, location: 'bot-dm', user }).final();
    expect(state.callbacks[0]!.type).toBe(5);
    const message = state.original!;
    const [list, links] = message.embeds;
    const urls = links!.description!.match(/https:\/\/open\.spotify\.com\/track\/\w{22}/g)!;
    expect(urls).toHaveLength(15);
    expect(urls.some((u) => ids.some((id) => u.endsWith(id)))).toBe(false);
    expect(list!.image?.url).toBe('attachment://mix.png');
    expect(message.attachments.map((a) => a.filename)).toEqual(['mix.png']);
    const up = selectOf(message, 'mixfb:up');
    const trackIds = up.options.map((o) => Number(o.value));
    const artists = trackIds.map((id) => world.app.catalog.getTrack(id)!.artists[0]!.toLowerCase());
    expect(Math.max(...[...new Set(artists)].map((a) => artists.filter((x) => x === a).length))).toBeLessThanOrEqual(2);
    const vote = await world.discord.select({ customId: 'mixfb:up', values: [up.options[0]!.value, up.options[1]!.value], message: message.id, user }).final();
    expect(isEphemeral(vote.original)).toBe(true);
    expect(world.app.feedback.votesOf(PERSONAL_SCOPE, user.id).liked.sort()).toEqual(trackIds.slice(0, 2).sort());
  });

  it('"Not for me" holds across /recommend, Another one, steers and /mix, and is undone from /taste', async () => {
    const user = { id: '600000000000000006', username: 'picky' };
    const first = (await world.discord.command({ name: 'recommend', options: { song: seedQuery }, user }).final()).original!;
    const pick = world.app.catalog.getTrack(pickIdOf(first))!;
    const select = selectOf(first, 'nfm:');
    expect(select.options.map((o) => o.value)).toEqual([...pick.artists.slice(0, 4).map((_, i) => `artist:${i}`), 'song']);
    const blocked = await world.discord.select({ customId: select.custom_id, values: ['artist:0'], message: first.id, user }).final();
    expect(isEphemeral(blocked.original)).toBe(true);
    expect(embedOf(blocked.original).description).toMatch(/Not for you/);
    const artist = pick.artists[0]!.toLowerCase();
    const byArtist = (id: number) => world.app.catalog.getTrack(id)!.artists.some((a) => a.toLowerCase() === artist);

    // /recommend again (twice, the same song) and "Another one" three times: never that artist.
    for (let i = 0; i < 2; i++) {
      const again = (await world.discord.command({ name: 'recommend', options: { song: seedQuery }, user }).final()).original!;
      expect(byArtist(pickIdOf(again))).toBe(false);
    }
    for (let i = 0; i < 3; i++) {
      await world.discord.button({ customId: findId(first, 'rec:another:'), message: first.id, user }).final();
      expect(byArtist(pickIdOf(world.discord.message(first.id)!))).toBe(false);
    }
    for (const steer of ['calmer', 'faster']) {
      const steered = (await world.discord.command({ name: 'recommend', options: { song: seedQuery, steer }, user }).final()).original!;
      expect(byArtist(pickIdOf(steered))).toBe(false);
    }
    // A mix seeded with that very pick leaves its artist out.
    const mixed = (await world.discord.command({ name: 'mix', options: { song1: pick.spotifyId, song2: seedQuery }, user }).final()).original!;
    expect(selectOf(mixed, 'mixfb:up').options.every((o) => !byArtist(Number(o.value)))).toBe(true);
    // Someone else still gets that artist's songs: the block is the member's own.
    expect(world.app.blocks.blockedFor(world.discord.guild().id, '600000000000000099').artists.size).toBe(0);

    const taste = (await world.discord.command({ name: 'taste', subcommand: 'show', user }).final()).original!;
    expect(isEphemeral(taste)).toBe(true);
    expect(embedOf(taste).fields!.find((f) => f.name === '"Not for me"')!.value).toContain(pick.artists[0]!.slice(0, 3));
    const undo = selectOf(taste, 'unblock:');
    const undone = await world.discord.select({ customId: undo.custom_id, values: [undo.options[0]!.value], message: taste.id, user }).final();
    expect(undone.callbacks[0]!.type).toBe(7);
    expect(world.app.blocks.list(world.discord.guild().id, user.id)).toEqual([]);
    // Someone else cannot undo a member's list.
    const current = world.discord.message(first.id)!;
    await world.discord.select({ customId: selectOf(current, 'nfm:').custom_id, values: ['song'], message: current.id, user }).final();
    const again = (await world.discord.command({ name: 'taste', subcommand: 'show', user }).final()).original!;
    const other = await world.discord.select({ customId: selectOf(again, 'unblock:').custom_id, values: [selectOf(again, 'unblock:').options[0]!.value], message: again.id, user: { id: '600000000000000007', username: 'other' } }).final();
    expect(embedOf(other.original).description).toMatch(/belongs to someone else/);
    expect(world.app.blocks.list(world.discord.guild().id, user.id)).toHaveLength(1);
  });

  it('refuses server commands where the bot is not in the server, in words', () => {
    // /stats is registered for guild installs only: from a member's own install it is not shown, as the fake checks.
    expect(() => world.discord.command({ name: 'stats', location: 'external-guild' })).toThrow(/Discord does not show it/);
  });
});
