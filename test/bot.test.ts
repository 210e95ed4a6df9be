import { ButtonStyle, ComponentType, MessageFlags, type APIEmbed, type APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf } from './fakes/discord.js';
import { startBotWorld, type BotWorld } from './helpers/botWorld.js';

// End to end: the real discord.js client, started as in production, against the fake Discord
// and the fake Spotify, on a catalog from a real dataset sample (or synthetic when absent).

const embedOf = (message: APIMessage | null | undefined): APIEmbed => {
  const embed = message?.embeds[0];
  if (!embed) throw new Error(`no embed in ${JSON.stringify(message)}`);
  return embed;
};
const isEphemeral = (message: APIMessage | null | undefined) => ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;

describe('the Discord bot', () => {
  let world: BotWorld;
  let known: { name: string; artist: string; spotifyId: string };

  beforeAll(async () => {
    world = await startBotWorld();
    const row = world.app.database.sqlite
      .prepare("SELECT name, json_extract(artists, '$[0]') AS artist, spotify_id AS spotifyId FROM tracks WHERE name NOT LIKE '%(%' ORDER BY id LIMIT 1 OFFSET 10")
      .get() as { name: string; artist: string; spotifyId: string };
    known = row;
  });
  afterAll(() => world.dispose());

  it('registers its commands with deploy-commands (to the development guild)', () => {
    const names = world.discord.registeredCommands(world.discord.guild().id).map((c) => c.name).sort();
    expect(names).toEqual(['cluster', 'daily', 'mix', 'recommend', 'seed', 'stats', 'taste']);
    const seed = world.discord.registeredCommands(world.discord.guild().id).find((c) => c.name === 'seed')!;
    expect(seed.default_member_permissions).toBe('32'); // Manage Server
  });

  it('/recommend by name answers at once with an embed, buttons, and no mentions', async () => {
    const handle = world.discord.command({ name: 'recommend', options: { song: `${known.name} - ${known.artist}` } });
    const state = await handle.final();
    expect(state.callbacks[0]!.type).toBe(4); // answered directly: the catalog had it
    const message = state.original!;
    const embed = embedOf(message);
    expect(embed.url).toMatch(/^https:\/\/open\.spotify\.com\/track\/[0-9A-Za-z]{22}$/);
    expect(embed.author?.name).toContain(known.name);
    expect(embed.fields?.map((f) => f.name)).toEqual(['Cluster', 'Similarity', 'Why']);
    expect(embed.footer?.text).toContain(known.name);
    const buttons = message.components?.[0];
    expect(buttons?.type).toBe(ComponentType.ActionRow);
    const row = (buttons as { components: { style: ButtonStyle; custom_id?: string; url?: string }[] }).components;
    expect(row.map((b) => b.custom_id?.split(':').slice(0, 2).join(':') ?? 'link')).toEqual(['rec:another', 'fb:up', 'fb:down', 'link']);
    const open = row.find((b) => b.style === ButtonStyle.Link);
    expect(open!.style).toBe(ButtonStyle.Link);
    expect(open!.url).toBe(embed.url);
    const call = world.discord.calls.find((c) => c.path.includes(`/interactions/${handle.id}/`))!;
    expect((call.body as { data: { allowed_mentions: unknown } }).data.allowed_mentions).toEqual({ parse: [] });
    // The picture of both songs' features, attached and shown by the embed.
    expect((call.body as { data: { embeds: APIEmbed[] } }).data.embeds[0]!.image?.url).toBe('attachment://sound.png');
    expect(call.files.map((f) => f.filename)).toEqual(['sound.png']);
    expect(call.files[0]!.data.subarray(1, 4).toString()).toBe('PNG');
    expect(message.attachments[0]?.description).toMatch(/^Bar chart comparing how two songs sound/);
  });

  it('/cluster shows a cluster\'s portrait and a map of all clusters', async () => {
    const show = await world.discord.command({ name: 'cluster', subcommand: 'show', options: { cluster: '#2' } }).final();
    expect(embedOf(show.original).title).toMatch(/^Cluster #2 · /);
    expect(embedOf(show.original).image?.url).toMatch(/cluster\.png/);
    expect(show.original!.attachments.map((a) => a.filename)).toEqual(['cluster.png']);
    const map = await world.discord.command({ name: 'cluster', subcommand: 'map' }).final();
    expect(map.original!.attachments.map((a) => a.filename)).toEqual(['map.png']);
    const unknown = await world.discord.command({ name: 'cluster', subcommand: 'show', options: { cluster: 'polka yodel' } }).final();
    expect(embedOf(unknown.original).description).toMatch(/No cluster's label matches "polka yodel"/);
    const choices = world.discord.autocomplete({ name: 'cluster', subcommand: 'show', focused: 'cluster', options: { cluster: '' } });
    await choices.final();
    expect(choices.state.choices).toHaveLength(8);
  });

  it('/recommend by a Spotify link to a song it does not have: deferred, fetched, answered', async () => {
    const outside = [...world.spotifyCatalog.tracks.values()].find((t) => t.features && t.featuresKnownBy.reccobeats && t.playable)!;
    const handle = world.discord.command({ name: 'recommend', options: { song: `https://open.spotify.com/track/${outside.id}?si=abc` } });
    const state = await handle.final();
    expect(state.callbacks[0]!.type).toBe(5); // deferred: Spotify had to be asked
    expect(embedOf(state.original).author?.name).toContain(outside.name);
    expect(world.app.catalog.findIdBySpotifyId(outside.id)).not.toBeNull();
  });

  it('an unknown song gets a private answer with suggestions, and the public deferral is removed', async () => {
    const handle = world.discord.command({ name: 'recommend', options: { song: `${known.name} qqzzvx` } });
    const state = await handle.final({ until: (s) => s.followUps.length > 0 });
    expect(state.originalDeleted).toBe(true);
    const reply = state.followUps[0]!;
    expect(isEphemeral(reply)).toBe(true);
    expect(embedOf(reply).description).toMatch(/couldn't find/);
    expect(embedOf(reply).description).toContain(known.name.replace(/[*_~`|>\\]/g, '').slice(0, 5));
  });

  it('autocomplete offers catalog songs by prefix', async () => {
    const handle = world.discord.autocomplete({ name: 'recommend', focused: 'song', options: { song: known.name.slice(0, 6) } });
    await handle.final();
    const choices = handle.state.choices!;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.every((c) => typeof c.value === 'string' && /^spotify:track:[0-9A-Za-z]{22}$/.test(c.value) && c.name.length <= 100)).toBe(true);
  });

  it('autocomplete adds Spotify\'s songs for text the catalog lacks; a member\'s flood still gets the catalog\'s matches', async () => {
    const user = { id: '400000000000000077', username: 'typist' };
    const onSpotify = [...world.spotifyCatalog.tracks.values()].find((t) => t.playable && !world.app.catalog.findIdBySpotifyId(t.id))!;
    const remote = await world.discord.autocomplete({ name: 'recommend', focused: 'song', options: { song: onSpotify.name }, user }).choices();
    expect(remote.find((c) => c.value === `spotify:track:${onSpotify.id}`)?.name).toMatch(/ · Spotify$/);
    // Past Spotify's four searches a member, within the bot's ten autocompletes (see autocompleteFlood.test.ts).
    for (let i = 0; i < 6; i++) await world.discord.autocomplete({ name: 'recommend', focused: 'song', options: { song: `zqv${i} nothing` }, user }).choices();
    const local = await world.discord.autocomplete({ name: 'recommend', focused: 'song', options: { song: known.name.slice(0, 6) }, user }).choices();
    expect(local.some((c) => c.value === `spotify:track:${known.spotifyId}`)).toBe(true);
  });

  it('"Another one" updates the asker\'s message in place, never repeating, and answers others privately', async () => {
    const user = { id: '400000000000000001', username: 'asker' };
    const first = await world.discord.command({ name: 'recommend', options: { song: known.spotifyId }, user }).final();
    const message = first.original!;
    const customId = (message.components![0] as { components: { custom_id?: string }[] }).components[0]!.custom_id!;
    const seen = new Set([embedOf(message).url]);
    for (let i = 0; i < 3; i++) {
      const click = await world.discord.button({ customId, message: message.id, user }).final();
      expect(click.callbacks[0]!.type).toBe(7); // UPDATE_MESSAGE
      const url = embedOf(world.discord.message(message.id)).url;
      expect(seen.has(url)).toBe(false);
      seen.add(url);
    }
    const other = await world.discord.button({ customId, message: message.id, user: { id: '400000000000000002', username: 'other' } }).final();
    expect(other.callbacks[0]!.type).toBe(4);
    expect(isEphemeral(other.original)).toBe(true);
  });

  it('"Not this one?" under a title several songs share: the asker\'s choice answers for that song in place, others get their own privately', async () => {
    // Two songs called "Lighthouse Waltz" that sound like two different clusters' members.
    const { sqlite } = world.app.database;
    const modelId = world.app.models.activeModelId();
    const memberOf = (cluster: number) =>
      sqlite.prepare('SELECT track_id FROM track_clusters WHERE model_id = ? AND cluster = ? ORDER BY track_id LIMIT 1').pluck().get(modelId, cluster) as number;
    const add = (artist: string, popularity: number, releaseYear: number, soundsLike: number) => {
      const { trackId } = world.app.catalog.upsertTrack(
        { spotifyId: `lighthouse${artist.replace(/\W/g, '').padEnd(12, 'x')}`.slice(0, 22), name: 'Lighthouse Waltz', artists: [artist], popularity, releaseYear },
        'test',
      );
      world.app.catalog.setFeatures(trackId, world.app.catalog.getTrack(memberOf(soundsLike))!.features!, 'test');
      return trackId;
    };
    const original = add('Old Master', 80, 1970, 0);
    const cover = add('Cover Crew', 30, 2015, 1);
    const user = { id: '400000000000000011', username: 'asker' };
    const first = await world.discord.command({ name: 'recommend', options: { song: 'lighthouse waltz' }, user }).final();
    const message = first.original!;
    expect(embedOf(message).author?.name).toContain('Lighthouse Waltz — Old Master');
    expect(embedOf(message).footer?.text).toContain('took Lighthouse Waltz — Old Master (1970) · not this one? Pick another below');
    const menu = (message.components!.at(-1) as { components: { custom_id: string; placeholder: string; options: { label: string; value: string }[] }[] }).components[0]!;
    expect(menu.custom_id).toBe(`rec:alt:${original}:${user.id}`);
    expect(menu.placeholder).toBe('Not this one? Pick the song you meant');
    expect(menu.options).toEqual([expect.objectContaining({ label: 'Lighthouse Waltz — Cover Crew (2015)', value: String(cover) })]);
    const firstPick = embedOf(message).url;

    const chosen = await world.discord.select({ customId: menu.custom_id, values: [String(cover)], message: message.id, user }).final();
    expect(chosen.callbacks[0]!.type).toBe(7); // UPDATE_MESSAGE: the asker's message now answers for the cover
    const updated = world.discord.message(message.id);
    expect(embedOf(updated).author?.name).toContain('Lighthouse Waltz — Cover Crew');
    expect(embedOf(updated).url).not.toBe(firstPick);
    const menuAfter = (updated!.components!.at(-1) as { components: { custom_id: string; options: { label: string; value: string }[] }[] }).components[0]!;
    expect(menuAfter.custom_id).toBe(`rec:alt:${cover}:${user.id}`);
    expect(menuAfter.options.map((o) => o.value)).toEqual([String(original)]);

    const other = await world.discord
      .select({ customId: menuAfter.custom_id, values: [String(original)], message: message.id, user: { id: '400000000000000012', username: 'other' } })
      .final();
    expect(other.callbacks[0]!.type).toBe(4);
    expect(isEphemeral(other.original)).toBe(true);
    expect(embedOf(other.original).author?.name).toContain('Lighthouse Waltz — Old Master');
    // The asker's message is untouched by someone else's choice.
    expect(embedOf(world.discord.message(message.id)).author?.name).toContain('Cover Crew');
  });

  it('a member without Manage Server cannot add seeds, even if Discord showed them the command', async () => {
    const state = await world.discord
      .command({ name: 'seed', subcommand: 'add', options: { playlist: world.spotifyCatalog.ids.playlists.theirs }, memberPermissions: [] })
      .final();
    expect(isEphemeral(state.original)).toBe(true);
    expect(embedOf(state.original).description).toBe('You need the Manage Server permission to do that.');
  });

  it('/seed add crawls with live progress edits and ends with a summary', async () => {
    const playlist = world.spotifyCatalog.ids.playlists.large;
    const handle = world.discord.command({
      name: 'seed',
      subcommand: 'add',
      options: { playlist: `https://open.spotify.com/playlist/${playlist}`, expand_artists: true },
      memberPermissions: ['ManageGuild'],
    });
    const state = await handle.final({ until: (s) => /✅/.test(s.original?.embeds[0]?.title ?? ''), timeoutMs: 20_000 });
    expect(state.callbacks[0]!.type).toBe(5);
    expect(isEphemeral(state.original)).toBe(true);
    expect(state.originalEdits).toBeGreaterThanOrEqual(2); // queued/progress, then the summary
    expect(embedOf(state.original).description).toMatch(/new songs? in the catalog/);
    const list = await world.discord.command({ name: 'seed', subcommand: 'list', memberPermissions: ['ManageGuild'] }).final();
    expect(embedOf(list.original).description).toContain(playlist);
  });

  it('/seed add explains a playlist it cannot read, and does not keep it', async () => {
    const editorial = world.spotifyCatalog.ids.playlists.editorial;
    const state = await world.discord
      .command({ name: 'seed', subcommand: 'add', options: { playlist: `spotify:playlist:${editorial}` }, memberPermissions: ['ManageGuild'] })
      .final({ until: (s) => /editorial/.test(s.original?.embeds[0]?.description ?? '') });
    expect(isEphemeral(state.original)).toBe(true);
    expect(world.app.seeds.find(world.discord.guild().id, editorial)).toBeNull();
    const wrongKind = await world.discord
      .command({ name: 'seed', subcommand: 'add', options: { playlist: `https://open.spotify.com/track/${known.spotifyId}` }, memberPermissions: ['ManageGuild'] })
      .final();
    expect(embedOf(wrongKind.original).description).toBe('That is a Spotify track link; I need a playlist link.');
  });

  it('/daily checks it may post in the channel, validates time and zone, and can be switched off', async () => {
    const general = world.discord.channel('general').id;
    const muted = world.discord.channel('bot-muted').id;
    const ok = await world.discord
      .command({ name: 'daily', subcommand: 'set', options: { channel: general, time: '9:30', timezone: 'europe/berlin' }, memberPermissions: ['ManageGuild'] })
      .final();
    expect(embedOf(ok.original).description).toMatch(/every day at \*\*09:30\*\* \(Europe\/Berlin\)/);
    expect(world.app.daily.get(world.discord.guild().id)).toMatchObject({ channelId: general, time: '09:30', timeZone: 'Europe/Berlin', enabled: true });
    const denied = await world.discord
      .command({ name: 'daily', subcommand: 'set', options: { channel: muted, time: '09:30', timezone: 'UTC' }, memberPermissions: ['ManageGuild'] })
      .final();
    expect(embedOf(denied.original).description).toMatch(/I can't post in <#\d+>: I'm missing Send Messages, Embed Links/);
    const badTime = await world.discord
      .command({ name: 'daily', subcommand: 'set', options: { channel: general, time: '25:00', timezone: 'UTC' }, memberPermissions: ['ManageGuild'] })
      .final();
    expect(embedOf(badTime.original).description).toMatch(/not a time of day/);
    const badZone = await world.discord
      .command({ name: 'daily', subcommand: 'set', options: { channel: general, time: '10:00', timezone: 'Mars/Olympus' }, memberPermissions: ['ManageGuild'] })
      .final();
    expect(embedOf(badZone.original).description).toMatch(/not a time zone I know/);
    const zones = world.discord.autocomplete({ name: 'daily', subcommand: 'set', focused: 'timezone', options: { timezone: 'berl' } });
    await zones.final();
    expect(zones.state.choices?.map((c) => c.value)).toContain('Europe/Berlin');
    const off = await world.discord.command({ name: 'daily', subcommand: 'off', memberPermissions: ['ManageGuild'] }).final();
    expect(embedOf(off.original).description).toMatch(/daily post is off/);
  });

  it('/stats shows the catalog, clusters and this server\'s seeds', async () => {
    const state = await world.discord.command({ name: 'stats' }).final();
    const fields = embedOf(state.original).fields!;
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining(['Catalog', 'Clusters', 'This server']));
    expect(fields.find((f) => f.name === 'Clusters')!.value).toMatch(/^8 clusters/);
  });

  it('rides out a Discord 500 on the reply (retried) and keeps answering after a lasting one', async () => {
    world.discord.failNext({ method: 'POST', path: /\/callback$/, status: 500, times: 1 });
    const retried = await world.discord.command({ name: 'recommend', options: { song: known.spotifyId } }).final();
    expect(embedOf(retried.original).title).toBeTruthy();
    world.discord.failNext({ method: 'POST', path: /\/callback$/, status: 500, times: 8 });
    const lost = world.discord.command({ name: 'recommend', options: { song: known.spotifyId } });
    await world.discord.waitFor((c) => c.path.includes(lost.id) && c.status === 500);
    await new Promise((resolve) => setTimeout(resolve, 300));
    world.discord.clearFaults();
    const later = await world.discord.command({ name: 'stats' }).final();
    expect(later.original).not.toBeNull();
  });

  it('answers 50 concurrent /recommend interactions', async () => {
    const handles = Array.from({ length: 50 }, (_, i) =>
      world.discord.command({ name: 'recommend', options: { song: known.spotifyId }, user: { id: `5000000000000${String(i).padStart(5, '0')}`, username: `member${i}` } }),
    );
    const states = await Promise.all(handles.map((h) => h.final({ timeoutMs: 20_000 })));
    expect(states.every((s) => s.original !== null && embedOf(s.original).url !== undefined)).toBe(true);
  });
});

describe('the Discord bot, other situations', () => {
  it('escapes Markdown and mentions in track names, and slows down floods', async () => {
    const world = await startBotWorld({ settings: { RECOMMEND_COOLDOWN_SECONDS: '30' } });
    try {
      const { trackId } = world.app.catalog.upsertTrack({ spotifyId: 'EVIL000000000000000001', name: '@everyone **bold** <@&123456789012345678>', artists: ['__Under__'] }, 'test');
      world.app.catalog.setFeatures(trackId, { danceability: 0.5, energy: 0.5, key: 1, loudness: -8, mode: 1, speechiness: 0.05, acousticness: 0.3, instrumentalness: 0, liveness: 0.1, valence: 0.5, tempo: 120, durationMs: null, timeSignature: null }, 'test');
      world.app.placeNewTracks();
      const first = await world.discord.command({ name: 'recommend', options: { song: 'spotify:track:EVIL000000000000000001' } }).final();
      const author = embedOf(first.original).author!.name;
      expect(author).not.toContain('@everyone');
      expect(author).toContain('@\u200beveryone');
      const second = await world.discord.command({ name: 'recommend', options: { song: 'spotify:track:EVIL000000000000000001' } }).final();
      expect(isEphemeral(second.original)).toBe(true);
      expect(embedOf(second.original).description).toMatch(/^Easy there! You can ask again in \d+ s\.$/);
    } finally {
      await world.dispose();
    }
  });

  it('says what a moderator can do when the catalog has not been clustered', async () => {
    const world = await startBotWorld({ cluster: false });
    try {
      // A song the catalog lacks is looked up on Spotify first (a deferred reply, then deleted for
      // a private follow-up): wait for the answer itself.
      const state = await world.discord.command({ name: 'recommend', options: { song: 'anything' } }).final({ until: (s) => answerOf(s) !== null });
      expect(isEphemeral(answerOf(state))).toBe(true);
      expect(embedOf(answerOf(state)).description).toMatch(/not been clustered yet.*npm run cli -- cluster/);
    } finally {
      await world.dispose();
    }
  });
});
