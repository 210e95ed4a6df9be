import { once } from 'node:events';
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  HTTPError,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  type ClientOptions,
  type Interaction,
} from 'discord.js';
import type { APIApplicationCommand, RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { snowflakeOnShard, startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './discord.js';

type Handler = (interaction: Interaction) => Promise<void>;

/** A real discord.js Client wired to the fake, with a swappable interaction handler and captured handler errors. */
interface Bot {
  client: Client;
  errors: unknown[];
  handle(handler: Handler): void;
}

async function startBot(fake: FakeDiscord, options: Partial<ClientOptions> = {}): Promise<Bot> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], ...options, rest: { api: fake.apiUrl, ...options.rest } });
  const errors: unknown[] = [];
  let current: Handler = () => Promise.resolve();
  client.on(Events.InteractionCreate, (interaction) => {
    current(interaction).catch((error: unknown) => errors.push(error));
  });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return { client, errors, handle: (handler) => (current = handler) };
}

async function waitForErrors(bot: Bot, count = 1): Promise<unknown[]> {
  await expect.poll(() => bot.errors.length, { timeout: 5000, interval: 10 }).toBeGreaterThanOrEqual(count);
  return bot.errors;
}

const COMMANDS: RESTPutAPIApplicationCommandsJSONBody = [
  {
    name: 'recommend',
    description: 'Recommend songs that sound like a seed',
    options: [
      { type: ApplicationCommandOptionType.String, name: 'seed', description: 'A song to start from', required: true, autocomplete: true },
      { type: ApplicationCommandOptionType.Integer, name: 'count', description: 'How many songs', min_value: 1, max_value: 10 },
      { type: ApplicationCommandOptionType.Channel, name: 'post_in', description: 'Where to post', channel_types: [ChannelType.GuildText] },
    ],
  },
  {
    name: 'seed',
    description: 'Manage seed playlists',
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: 'Add a playlist',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'playlist', description: 'Playlist URL', required: true },
          { type: ApplicationCommandOptionType.Boolean, name: 'expand_artists', description: 'Also add the artists' },
        ],
      },
    ],
  },
];

describe('fake Discord with a real discord.js client', () => {
  let fake: FakeDiscord;
  let bot: Bot;

  beforeAll(async () => {
    fake = await startFakeDiscord();
    bot = await startBot(fake);
  });

  afterAll(async () => {
    await bot.client.destroy();
    await fake.close();
  });

  afterEach(() => {
    fake.clearFaults();
    bot.errors.length = 0;
  });

  it('logs in over REST and the gateway exactly as in production', () => {
    const gatewayBot = fake.calls.find((c) => c.path === '/gateway/bot');
    expect(gatewayBot).toMatchObject({ method: 'GET', apiVersion: 10, status: 200, headers: { authorization: `Bot ${fake.token}` } });
    expect(fake.gatewayEvents.find((e) => e.kind === 'connect')?.url).toBe('/gateway?v=10&encoding=json');
    expect(fake.identifies[0]).toMatchObject({ token: fake.token, intents: GatewayIntentBits.Guilds, compress: false, shard: [0, 1] });
    expect(bot.client.user?.id).toBe(fake.botUser.id);
    expect(bot.client.application?.id).toBe(fake.applicationId);

    const guild = bot.client.guilds.cache.get(fake.guild().id);
    expect(guild?.available).toBe(true);
    const me = guild?.members.me;
    expect(me).toBeTruthy();
    const general = guild?.channels.cache.get(fake.channel('general').id);
    const muted = guild?.channels.cache.get(fake.channel('bot-muted').id);
    expect(general && me && general.permissionsFor(me).has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(muted && me && muted.permissionsFor(me).has(PermissionFlagsBits.SendMessages)).toBe(false);
    expect(muted && me && muted.permissionsFor(me).has(PermissionFlagsBits.EmbedLinks)).toBe(false);
  });

  it('registers commands through client.rest and rejects invalid ones with 50035', async () => {
    const registered = (await bot.client.rest.put(Routes.applicationCommands(fake.applicationId), { body: COMMANDS })) as APIApplicationCommand[];
    expect(registered.map((c) => c.name)).toEqual(['recommend', 'seed']);
    expect(fake.registeredCommands().map((c) => c.id)).toEqual(registered.map((c) => c.id));

    const bad = bot.client.rest.put(Routes.applicationGuildCommands(fake.applicationId, fake.guild().id), {
      body: [{ name: 'Bad Name', description: 'x' }],
    });
    await expect(bad).rejects.toSatisfy((e: unknown) => e instanceof DiscordAPIError && e.code === 50035 && e.status === 400);
  });

  it('records deferReply + editReply with an embed and buttons as the final reply', async () => {
    bot.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('more').setLabel('More like this').setStyle(ButtonStyle.Primary),
        new ButtonBuilder().setCustomId('done').setLabel('Done').setStyle(ButtonStyle.Secondary),
      );
      const embed = new EmbedBuilder().setTitle(`Picks for ${i.options.getString('seed', true)}`).addFields({ name: 'Count', value: String(i.options.getInteger('count')) });
      await i.editReply({ embeds: [embed], components: [row] });
    });
    const handle = fake.command({ name: 'recommend', options: { seed: 'Teardrop', count: 3 } });
    expect(handle.payload.data.options).toEqual([
      { name: 'seed', type: ApplicationCommandOptionType.String, value: 'Teardrop' },
      { name: 'count', type: ApplicationCommandOptionType.Integer, value: 3 },
    ]);

    const final = await handle.final();
    expect(final.callbacks[0]?.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(final.originalHistory[0]?.flags).toBe(MessageFlags.Loading);
    expect(final.original?.embeds[0]).toMatchObject({ type: 'rich', title: 'Picks for Teardrop', fields: [{ name: 'Count', value: '3', inline: false }] });
    expect(final.original?.components?.[0]).toMatchObject({ type: 1, components: [{ custom_id: 'more' }, { custom_id: 'done' }] });
    expect(final.original?.flags).toBe(0);

    const callback = fake.calls.find((c) => c.path === `/interactions/${handle.id}/${handle.token}/callback`);
    expect(callback).toMatchObject({ status: 204, response: undefined, query: { with_response: 'false' }, body: { type: 5, data: { flags: 0 } } });
    expect(fake.calls.some((c) => c.method === 'PATCH' && c.path === `/webhooks/${fake.applicationId}/${handle.token}/messages/@original`)).toBe(true);
  });

  it('shows an ephemeral reply, a follow-up, then the reply deleted', async () => {
    bot.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'Only you can see this', flags: MessageFlags.Ephemeral });
      await i.followUp({ content: 'Everyone sees this' });
      await i.deleteReply();
    });
    const handle = fake.command({ name: 'recommend', options: { seed: 'x' } });
    const reply = await handle.reply();
    expect(reply.body).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'Only you can see this', flags: MessageFlags.Ephemeral } });
    const final = await handle.final({ until: (s) => s.originalDeleted && s.followUps.length === 1 });
    expect(final.original).toBeNull();
    expect(final.followUps[0]).toMatchObject({ content: 'Everyone sees this', flags: 0, webhook_id: fake.applicationId });
    expect(final.followUps[0]?.interaction_metadata).toMatchObject({ id: handle.id, original_response_message_id: final.originalId });
    expect(fake.message(final.originalId ?? '')?.flags).toBe(MessageFlags.Ephemeral);
  });

  it('answers with_response=true with the documented InteractionCallbackResponse', async () => {
    let loading: boolean | undefined;
    let messageId: string | undefined;
    bot.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      const response = await i.deferReply({ withResponse: true, flags: MessageFlags.Ephemeral });
      loading = response.interaction.responseMessageLoading ?? undefined;
      messageId = response.resource?.message?.id;
      await i.editReply('done');
    });
    const handle = fake.command({ name: 'recommend', options: { seed: 'x' } });
    const final = await handle.final();
    expect(loading).toBe(true);
    expect(messageId).toBe(final.originalId);
    expect(final.original).toMatchObject({ content: 'done', flags: MessageFlags.Ephemeral });
    const call = fake.calls.find((c) => c.path.endsWith(`${handle.token}/callback`));
    expect(call).toMatchObject({ status: 200, query: { with_response: 'true' }, response: { interaction: { id: handle.id, response_message_ephemeral: true } } });
  });

  it('answers autocomplete with choices', async () => {
    bot.handle(async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      await i.respond([{ name: `${typed} (Massive Attack)`, value: 'spotify:track:1' }]);
    });
    const handle = fake.autocomplete({ name: 'recommend', options: { seed: 'Tear', count: 2 }, focused: 'seed' });
    expect(handle.payload.data.options).toContainEqual({ name: 'count', type: ApplicationCommandOptionType.Integer, value: '2' });
    expect(await handle.choices()).toEqual([{ name: 'Tear (Massive Attack)', value: 'spotify:track:1' }]);
  });

  it('updates the message when a button on it is clicked', async () => {
    bot.handle(async (i) => {
      if (i.isChatInputCommand()) {
        await i.reply({ content: 'Pick one', components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('more').setLabel('More').setStyle(ButtonStyle.Primary))] });
      } else if (i.isButton()) {
        await i.update({ content: `You clicked ${i.customId}`, components: [] });
      }
    });
    const command = await fake.command({ name: 'recommend', options: { seed: 'x' } }).final();
    const message = command.original;
    if (!message) throw new Error('no reply');
    const click = fake.button({ customId: 'more', message });
    const final = await click.final();
    expect(final.callbacks[0]?.type).toBe(InteractionResponseType.UpdateMessage);
    expect(final.original).toMatchObject({ id: message.id, content: 'You clicked more', components: [] });
    expect(fake.message(message.id)?.content).toBe('You clicked more');
    expect(() => fake.button({ customId: 'more', message: message.id })).toThrow(/no component/);
  });

  it('passes subcommands, options and member permissions through', async () => {
    const seen: unknown[] = [];
    bot.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      seen.push([i.options.getSubcommand(), i.options.getString('playlist'), i.options.getBoolean('expand_artists'), i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)]);
      await i.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
    });
    await fake.command({ name: 'seed', subcommand: 'add', options: { playlist: 'https://open.spotify.com/playlist/1', expand_artists: true }, memberPermissions: ['ManageGuild'] }).final();
    await fake.command({ name: 'seed', subcommand: 'add', options: { playlist: 'p' } }).final();
    expect(seen).toEqual([
      ['add', 'https://open.spotify.com/playlist/1', true, true],
      ['add', 'p', null, false],
    ]);
    expect(() => fake.command({ name: 'seed', options: { playlist: 'p' } })).toThrow(/subcommand/);
    expect(() => fake.command({ name: 'recommend', options: {} })).toThrow(/requires option "seed"/);
  });

  it('resolves channel options and app_permissions', async () => {
    let appCanSend: boolean | undefined;
    let target: string | undefined;
    bot.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      appCanSend = i.appPermissions.has(PermissionFlagsBits.SendMessages);
      target = i.options.getChannel('post_in')?.id;
      await i.reply({ content: 'ok' });
    });
    await fake.command({ name: 'recommend', channelId: 'bot-muted', options: { seed: 's', post_in: 'general' } }).final();
    expect(appCanSend).toBe(false);
    expect(target).toBe(fake.channel('general').id);
  });

  it('sends to a channel with channel.send, and gets 50013 where the bot may not write', async () => {
    const general = await bot.client.channels.fetch(fake.channel('general').id);
    if (!general?.isSendable()) throw new Error('general is not sendable');
    const sent = await general.send({ content: 'Now playing', embeds: [new EmbedBuilder().setTitle('Teardrop')] });
    expect(fake.channelMessages('general').map((m) => m.id)).toContain(sent.id);
    expect(fake.message(sent.id)).toMatchObject({ author: { id: fake.botUser.id }, embeds: [{ title: 'Teardrop' }], channel_id: general.id });

    const muted = await bot.client.channels.fetch(fake.channel('bot-muted').id);
    if (!muted?.isSendable()) throw new Error('bot-muted is not sendable');
    await expect(muted.send('hi')).rejects.toSatisfy((e: unknown) => e instanceof DiscordAPIError && e.code === 50013 && e.status === 403);
  });

  it('records multipart attachments', async () => {
    bot.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'Your playlist', files: [{ attachment: Buffer.from('title,artist\nTeardrop,Massive Attack\n'), name: 'picks.csv' }] });
    });
    const handle = fake.command({ name: 'recommend', options: { seed: 'x' } });
    const reply = await handle.reply();
    expect(reply.files).toHaveLength(1);
    expect(reply.files[0]).toMatchObject({ field: 'files[0]', index: 0, filename: 'picks.csv' });
    expect(reply.files[0]?.data.toString()).toContain('Teardrop,Massive Attack');
    const call = fake.calls.find((c) => c.path.endsWith(`${handle.token}/callback`));
    expect(call?.headers.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(call?.body).toMatchObject({ type: 4, data: { attachments: [{ id: '0' }] } });
    const final = await handle.final();
    expect(final.original?.attachments[0]).toMatchObject({ filename: 'picks.csv', size: reply.files[0]?.size });
    const download = await fetch(final.original?.attachments[0]?.url ?? '');
    expect(await download.text()).toContain('Teardrop');
  });

  it('retries a 500 on the callback 3 times by default, then the handler gets an HTTPError', async () => {
    bot.handle(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'never shown' });
    });
    // @discordjs/rest defaults to retries: 3, i.e. 4 attempts, with no backoff between them.
    fake.failNext({ method: 'POST', path: /\/callback$/, status: 500, times: 4 });
    const handle = fake.command({ name: 'recommend', options: { seed: 'x' } });
    const [error] = await waitForErrors(bot);
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).status).toBe(500);
    expect(fake.calls.filter((c) => c.path.endsWith(`${handle.token}/callback`)).map((c) => c.status)).toEqual([500, 500, 500, 500]);
    expect(handle.state.acknowledged).toBe(false);
  });

  it('waits out a 429 on the callback and succeeds', async () => {
    bot.handle(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'after the rate limit' });
    });
    fake.failNext({ path: /\/callback$/, status: 429, retryAfterSeconds: 0.05 });
    const handle = fake.command({ name: 'recommend', options: { seed: 'x' } });
    const final = await handle.final();
    expect(final.original?.content).toBe('after the rate limit');
    const calls = fake.calls.filter((c) => c.path.endsWith(`${handle.token}/callback`));
    expect(calls.map((c) => [c.status, c.injected])).toEqual([[429, true], [204, false]]);
    expect(calls[0]?.response).toEqual({ message: 'You are being rate limited.', retry_after: 0.05, global: false });
  });

  it('lets the first follow-up after a deferral replace the loading message, as documented', async () => {
    bot.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.followUp({ content: 'here you go' });
    });
    const final = await fake.command({ name: 'recommend', options: { seed: 'x' } }).final();
    expect(final.followUps).toHaveLength(0);
    expect(final.original).toMatchObject({ content: 'here you go', flags: MessageFlags.Ephemeral });
  });

  it('rejects what Discord rejects: over-long content (50035) and empty messages (50006)', async () => {
    bot.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'x'.repeat(2001) }).catch((error: unknown) => bot.errors.push(error));
      await i.reply({ content: '' });
    });
    fake.command({ name: 'recommend', options: { seed: 'x' } });
    const [tooLong, empty] = (await waitForErrors(bot, 2)) as DiscordAPIError[];
    expect(tooLong?.code).toBe(50035);
    expect(tooLong?.message).toContain('content[BASE_TYPE_MAX_LENGTH]: Must be 2000 or fewer in length.');
    expect(empty?.code).toBe(50006);
  });

  it('refuses a second acknowledgement like Discord (40060)', async () => {
    bot.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'first' });
      await bot.client.rest.post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'second' } }, auth: false });
    });
    fake.command({ name: 'recommend', options: { seed: 'x' } });
    const [error] = await waitForErrors(bot);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(40060);
  });

  it('served every route discord.js used (no 404/405 from the fake)', () => {
    expect(fake.calls.filter((c) => c.status === 404 || c.status === 405).map((c) => `${c.method} ${c.path}`)).toEqual([]);
  });
});

describe('fake Discord edge cases', () => {
  const open: { fake: FakeDiscord; client?: Client }[] = [];

  async function start(options?: FakeDiscordOptions): Promise<FakeDiscord> {
    const fake = await startFakeDiscord(options);
    open.push({ fake });
    return fake;
  }

  afterEach(async () => {
    for (const { fake, client } of open.splice(0)) {
      await client?.destroy();
      await fake.close();
    }
  });

  it('makes login reject on a bad token (401 on /gateway/bot)', async () => {
    const fake = await start();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    open[0]!.client = client;
    await expect(client.login('wrong-token')).rejects.toThrow(/invalid token/i);
    expect(fake.calls.find((c) => c.path === '/gateway/bot')).toMatchObject({ status: 401, response: { message: '401: Unauthorized', code: 0 } });
  });

  it.each([
    ['a 4000 close', 4000],
    ['a cut TCP connection (1006)', undefined],
  ])('resumes after %s, replays what was missed and keeps answering', async (_label, code) => {
    const fake = await start({ heartbeatIntervalMs: 200 });
    const bot = await startBot(fake);
    open[0]!.client = bot.client;
    bot.handle(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: `pong ${i.options.getString('seed')}` });
    });
    const firstSession = fake.sessionId;
    const resumedSeen = once(bot.client, Events.ShardResume);
    const mark = fake.gatewayEvents.length;

    await fake.dropGateway(code);
    // Sent while the socket is down: Discord buffers it and replays it on RESUME.
    const missed = fake.command({ name: 'ping', options: { seed: 'missed' } });
    await fake.waitForGateway((e) => e.kind === 'resumed', { after: mark });
    await resumedSeen;

    expect(fake.gatewayEvents.slice(mark).find((e) => e.kind === 'connect')?.url).toBe('/resume?v=10&encoding=json');
    expect(fake.gatewayEvents.slice(mark).find((e) => e.kind === 'resume')?.data).toMatchObject({ session_id: firstSession, token: fake.token });
    expect(fake.sessionId).toBe(firstSession);
    const missedSeq = fake.gatewayEvents.slice(mark).find((e) => e.kind === 'dispatch' && e.t === 'INTERACTION_CREATE')?.seq ?? 0;
    const resumeData = fake.gatewayEvents.slice(mark).find((e) => e.kind === 'resume')?.data;
    expect(resumeData && 'seq' in resumeData ? resumeData.seq : Infinity).toBeLessThan(missedSeq);
    expect((await missed.final()).original?.content).toBe('pong missed');
    expect((await fake.command({ name: 'ping', options: { seed: 'later' } }).final()).original?.content).toBe('pong later');
    // Heartbeats keep flowing on the resumed socket.
    await fake.waitForGateway((e) => e.kind === 'heartbeat', { after: fake.gatewayEvents.length });
  });

  it('honours rest.retries: 0 (one attempt) and rejects interactions older than 3 s', async () => {
    const fake = await start({ interactionAckTimeoutMs: 50 });
    const bot = await startBot(fake, { rest: { retries: 0 } });
    open[0]!.client = bot.client;
    fake.failNext({ path: /\/callback$/, status: 502 });
    bot.handle(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'x' });
    });
    const handle = fake.command({ name: 'ping' });
    const [error] = await waitForErrors(bot);
    expect((error as HTTPError).status).toBe(502);
    expect(fake.calls.filter((c) => c.path.endsWith(`${handle.token}/callback`))).toHaveLength(1);

    bot.handle(async (i) => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      if (i.isChatInputCommand()) await i.reply({ content: 'too late' });
    });
    fake.command({ name: 'ping' });
    const errors = await waitForErrors(bot, 2);
    expect((errors[1] as DiscordAPIError).code).toBe(10062);
  });

  it('closes with 4014 when a privileged intent is not enabled', async () => {
    const fake = await start();
    const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent], rest: { api: fake.apiUrl } });
    open[0]!.client = client;
    const disconnected = once(client, Events.ShardDisconnect);
    void client.login(fake.token).catch(() => undefined);
    const [event] = (await disconnected) as [{ code: number }];
    expect(event.code).toBe(4014);
  });
});

/** A bare gateway connection that speaks JSON by hand, for what discord.js would never send. */
async function rawGateway(fake: FakeDiscord): Promise<{ send(payload: unknown): void; next(op: number): Promise<{ op: number; d: unknown }>; closed: Promise<number> }> {
  const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
  const received: { op: number; d: unknown }[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data: Buffer) => {
    received.push(JSON.parse(data.toString()) as { op: number; d: unknown });
    waiters.splice(0).forEach((wake) => wake());
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await once(socket, 'open');
  return {
    send: (payload) => socket.send(JSON.stringify(payload)),
    async next(op) {
      for (;;) {
        const index = received.findIndex((p) => p.op === op);
        if (index >= 0) return received.splice(index, 1)[0]!;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    closed,
  };
}

describe('fake Discord with several shards', () => {
  // Two guilds on shard 0 of 2, one on shard 1.
  const guilds = [0, 0, 1].map((shard, i) => ({ id: snowflakeOnShard(shard, 2), name: `Server ${i}`, channels: [{ name: 'general' }] }));
  let fake: FakeDiscord;
  let client: Client;
  const raw: { t: string | null; shard: number }[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord({ guilds, shards: 2, maxConcurrency: 2, identifyRateLimit: true });
    client = new Client({ intents: [GatewayIntentBits.Guilds], shards: 'auto', rest: { api: fake.apiUrl } });
    client.on(Events.Raw, (packet: { t: string | null }, shard: number) => raw.push({ t: packet.t, shard }));
    client.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isChatInputCommand()) void interaction.reply({ content: `shard ${interaction.guild?.shardId}` });
    });
    const ready = once(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
  });

  afterAll(async () => {
    await client.destroy();
    await fake.close();
  });

  it('recommends its shard count on GET /gateway/bot, with max_concurrency', () => {
    expect(fake.calls.find((c) => c.path === '/gateway/bot')?.response).toMatchObject({
      shards: 2,
      session_start_limit: { total: 1000, reset_after: 14_400_000, max_concurrency: 2 },
    });
  });

  it('takes IDENTIFY as [shard_id, num_shards] and sends each shard only its own guilds', () => {
    expect(fake.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const sessions = [...fake.shardSessions].sort((a, b) => a.shard[0] - b.shard[0]);
    expect(sessions.map((s) => s.guildIds)).toEqual([[guilds[0]!.id, guilds[1]!.id], [guilds[2]!.id]]);
    expect(raw.filter((p) => p.t === 'GUILD_CREATE').map((p) => p.shard).sort()).toEqual([0, 0, 1]);
    for (const guild of guilds) expect(client.guilds.cache.get(guild.id)?.shardId).toBe(fake.shardOf(guild.id, 2));
  });

  it("delivers an interaction on its guild's shard only", async () => {
    const handle = fake.command({ name: 'recommend', guildId: guilds[2]!.id });
    expect(handle.deliveredOn).toEqual([[1, 2]]);
    expect((await handle.final()).original?.content).toBe('shard 1');
    expect(raw.filter((p) => p.t === 'INTERACTION_CREATE').map((p) => p.shard)).toEqual([1]);
  });

  it('resumes one shard while the other keeps its session', async () => {
    const before = fake.shardSessions.map((s) => s.sessionId).sort();
    const mark = fake.gatewayEvents.length;
    await fake.dropGateway(4000, { shard: 1 });
    await fake.waitForGateway((e) => e.kind === 'resumed', { after: mark, timeoutMs: 10_000 });
    expect(fake.gatewayEvents.slice(mark).find((e) => e.kind === 'resumed')?.shard).toEqual([1, 2]);
    expect(fake.shardSessions.map((s) => s.sessionId).sort()).toEqual(before);
    expect((await fake.command({ name: 'recommend', guildId: guilds[0]!.id }).final()).original?.content).toBe('shard 0');
  });

  it('closes an IDENTIFY for a shard outside num_shards with 4010 Invalid shard', async () => {
    const gateway = await rawGateway(fake);
    gateway.send({ op: 2, d: { token: fake.token, intents: 1, properties: {}, shard: [2, 2] } });
    expect(await gateway.closed).toBe(4010);
  });

  it('answers a second IDENTIFY in one rate-limit bucket within 5 s with op 9', async () => {
    const gateway = await rawGateway(fake);
    // Bucket 0 % 2 = 0 was used by the client moments ago.
    gateway.send({ op: 2, d: { token: fake.token, intents: 1, properties: {}, shard: [0, 2] } });
    expect((await gateway.next(9)).d).toBe(false);
  });

  it('closes with 4011 Sharding required when one session would hold too many guilds', async () => {
    const crowded = await startFakeDiscord({ guilds, maxGuildsPerShard: 2 });
    try {
      const gateway = await rawGateway(crowded);
      gateway.send({ op: 2, d: { token: crowded.token, intents: 1, properties: {} } });
      expect(await gateway.closed).toBe(4011);
    } finally {
      await crowded.close();
    }
  });
});
