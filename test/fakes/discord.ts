import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteInteraction,
  type APIChatInputApplicationCommandInteraction,
  type APIGuildMember,
  type APIInteraction,
  type APIMessage,
  type APIMessageComponentInteraction,
  type APIUser,
  type ApplicationFlags,
} from 'discord-api-types/v10';
import { WebSocketServer } from 'ws';
import { CommandRegistry } from './discord-commands.js';
import { FaultInjector, type DelayRule, type FailRule } from './discord-faults.js';
import { FakeGateway, type GatewayEvent, type GatewaySessionInfo } from './discord-gateway.js';
import { shardOfGuild } from './discord-ids.js';
import {
  autocompletePayload,
  buttonPayload,
  chatInputPayload,
  stringSelectPayload,
  type AutocompleteInput,
  type CommandInput,
  type ComponentInput,
  type InteractionWorld,
  type SelectInput,
} from './discord-interaction-payloads.js';
import { InteractionRegistry, type InteractionHandle } from './discord-interactions.js';
import { MessageStore } from './discord-messages.js';
import { CallRecorder, type RecordedCall } from './discord-recorder.js';
import { FakeRest } from './discord-rest.js';
import type { RestContext } from './discord-rest-types.js';
import type { WaitOptions } from './discord-wait.js';
import { buildGuild, defaultBotUser, defaultGuildInput, defaultHumanUser, type FakeGuild, type FakeGuildChannel, type FakeGuildInput } from './discord-world.js';

export type { AutocompleteInput, CommandInput, ComponentInput, InstallKind, InteractionLocation, OptionValue, SelectInput, InteractionUserInput } from './discord-interaction-payloads.js';
export { answerOf } from './discord-interactions.js';
export type { FinalOptions, InteractionHandle, InteractionSnapshot, RecordedCallback } from './discord-interactions.js';
export type { FailRule, DelayRule } from './discord-faults.js';
export type { GatewayEvent, GatewayEventKind, GatewaySessionInfo } from './discord-gateway.js';
export { shardOfGuild, snowflakeOnShard } from './discord-ids.js';
export type { RecordedCall, RecordedFile } from './discord-recorder.js';
export type { FakeChannelInput, FakeGuild, FakeGuildChannel, FakeGuildInput, FakeRoleInput } from './discord-world.js';
export type { PermissionName, PermissionSpec } from './discord-permissions.js';
export type { WaitOptions } from './discord-wait.js';

export interface FakeDiscordOptions {
  /** The bot token the client must present; default 'fake-bot-token'. */
  token?: string;
  /** Defaults to the bot user's id, as for most real bots. */
  applicationId?: string;
  botUser?: Partial<APIUser>;
  /** The user who invokes interactions unless a helper gets `user`. */
  defaultUser?: Partial<APIUser>;
  /** Default: one guild with #general and #bot-muted (see defaultGuildInput). */
  guilds?: FakeGuildInput[];
  /** Servers the bot is not in (never sent on the gateway), where a member can use the app they installed. Default: one. */
  externalGuilds?: FakeGuildInput[];
  /** HELLO's heartbeat_interval; Discord sends 41250. */
  heartbeatIntervalMs?: number;
  /** No heartbeat for this long closes the socket with 4009; default 1.5 intervals + 1 s. */
  heartbeatTimeoutMs?: number;
  /** Privileged intents switched on in the developer portal; asking for others closes with 4014. */
  privilegedIntents?: number;
  /** Discord's 3 s window for the first callback; later callbacks get 10062 Unknown interaction. */
  interactionAckTimeoutMs?: number;
  /** `attachment_size_limit` sent with interactions; default 10 MiB. */
  attachmentSizeLimit?: number;
  applicationFlags?: ApplicationFlags;
  /** GET /gateway/bot's recommended `shards`; default one per 1000 guilds, as Discord recommends. */
  shards?: number;
  /** `session_start_limit.max_concurrency`: IDENTIFYs per 5 s (Discord gives most bots 1). */
  maxConcurrency?: number;
  /** Answer IDENTIFYs beyond max_concurrency with op 9 as Discord does; off by default so clients started back to back stay quick. */
  identifyRateLimit?: boolean;
  /** Guilds one session may hold before IDENTIFY closes with 4011 Sharding required; Discord's is 2500. */
  maxGuildsPerShard?: number;
}

/** A fake Discord (REST + gateway) on 127.0.0.1 that the real discord.js Client talks to. */
export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly defaultUser: APIUser;
  readonly guilds: readonly FakeGuild[];
  readonly externalGuilds: readonly FakeGuild[];
  private readonly recorder = new CallRecorder();
  private readonly faults = new FaultInjector();
  private readonly store: MessageStore;
  private readonly interactions: InteractionRegistry;
  private readonly commands: CommandRegistry;
  private readonly members = new Map<string, Map<string, APIGuildMember>>();
  private readonly gateway: FakeGateway;
  private readonly world: InteractionWorld;
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private port = 0;

  constructor(options: FakeDiscordOptions = {}) {
    this.token = options.token ?? 'fake-bot-token';
    this.botUser = { ...defaultBotUser(), ...options.botUser };
    this.defaultUser = { ...defaultHumanUser(), ...options.defaultUser };
    this.applicationId = options.applicationId ?? this.botUser.id;
    const owner = defaultHumanUser('owner');
    this.guilds = (options.guilds ?? [defaultGuildInput()]).map((g) => buildGuild(g, this.botUser, owner.id));
    this.externalGuilds = (options.externalGuilds ?? [{ ...defaultGuildInput(), name: 'A Server Without The Bot' }]).map((g) => buildGuild(g, this.botUser, owner.id));
    this.store = new MessageStore(() => this.httpUrl);
    this.interactions = new InteractionRegistry(this.store, this.recorder);
    this.commands = new CommandRegistry(this.applicationId);
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    const maxConcurrency = options.maxConcurrency ?? 1;
    const recommendedShards = options.shards ?? Math.max(1, Math.ceil(this.guilds.length / 1000));
    this.gateway = new FakeGateway(
      {
        token: this.token,
        botUser: this.botUser,
        applicationId: this.applicationId,
        applicationFlags: options.applicationFlags ?? (0 as ApplicationFlags),
        guilds: this.guilds,
        heartbeatIntervalMs,
        heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? Math.round(heartbeatIntervalMs * 1.5) + 1000,
        privilegedIntents: options.privilegedIntents ?? 0,
        resumeGatewayUrl: () => `ws://127.0.0.1:${this.port}/resume`,
        maxConcurrency,
        identifyRateLimit: options.identifyRateLimit ?? false,
        maxGuildsPerShard: options.maxGuildsPerShard ?? 2500,
      },
      this.recorder,
    );
    this.world = {
      applicationId: this.applicationId,
      botUser: this.botUser,
      defaultUser: this.defaultUser,
      guilds: this.guilds,
      externalGuilds: this.externalGuilds,
      commands: this.commands,
      messages: this.store,
      attachmentSizeLimit: options.attachmentSizeLimit ?? 10 * 1024 * 1024,
    };
    const context: RestContext = {
      token: this.token,
      applicationId: this.applicationId,
      botUser: this.botUser,
      guilds: this.guilds,
      members: this.members,
      messages: this.store,
      interactions: this.interactions,
      commands: this.commands,
      httpUrl: () => this.httpUrl,
      gatewayUrl: () => this.gatewayUrl,
      recommendedShards,
      sessionStartLimit: () => ({ total: 1000, remaining: this.gateway.sessionStartsRemaining, reset_after: 14_400_000, max_concurrency: maxConcurrency }),
      interactionAckTimeoutMs: options.interactionAckTimeoutMs ?? 3000,
    };
    const rest = new FakeRest(context, this.recorder, this.faults);
    this.server = createServer((req, res) => {
      rest.handle(req, res).catch((error: unknown) => {
        console.error('fake discord: request failed', error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (path !== '/gateway' && path !== '/resume') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.gateway.accept(ws, req));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Pass as `rest: { api }`; discord.js appends `/v10`. */
  get apiUrl(): string {
    return `${this.httpUrl}/api`;
  }

  /** What GET /gateway/bot answers; READY's resume_gateway_url is `ws://127.0.0.1:PORT/resume`. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** Every REST call so far, in arrival order. */
  get calls(): readonly RecordedCall[] {
    return this.recorder.calls;
  }

  get gatewayEvents(): readonly GatewayEvent[] {
    return this.gateway.events;
  }

  get identifies() {
    return this.gateway.identifies;
  }

  /** The gateway session of shard 0 (or of the only shard). */
  get sessionId(): string | undefined {
    return this.gateway.sessionId;
  }

  /** The current session of every shard the bot identified, with the guilds it holds. */
  get shardSessions(): GatewaySessionInfo[] {
    return this.gateway.shardSessions();
  }

  /** The shard that receives a guild's events among `shardCount`: `(guild_id >> 22) % shardCount`. */
  shardOf(guildId: string, shardCount: number): number {
    return shardOfGuild(guildId, shardCount);
  }

  guild(id?: string): FakeGuild {
    const guild = id === undefined ? this.guilds[0] : this.guilds.find((g) => g.id === id);
    if (!guild) throw new Error(`fake discord: no guild ${id ?? ''}`);
    return guild;
  }

  /** A channel by id or name, in any guild. */
  channel(ref: string): FakeGuildChannel {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === ref || c.name === ref);
      if (channel) return channel;
    }
    throw new Error(`fake discord: no channel ${ref}`);
  }

  /** Current version of a message the bot sent, deleted ones included. */
  message(id: string): APIMessage | undefined {
    return this.store.get(id)?.message;
  }

  /** Live messages in a channel (interaction replies included), oldest first. */
  channelMessages(ref: string): APIMessage[] {
    return this.store.inChannel(this.channel(ref).id);
  }

  registeredCommands(guildId?: string): APIApplicationCommand[] {
    return this.commands.list(guildId);
  }

  /** A user runs a slash command; options are typed from the registered schema when there is one. */
  command(input: CommandInput): InteractionHandle<APIChatInputApplicationCommandInteraction> {
    return this.inject(chatInputPayload(this.world, input));
  }

  /** A user types into an option with autocomplete. */
  autocomplete(input: AutocompleteInput): InteractionHandle<APIApplicationCommandAutocompleteInteraction> {
    return this.inject(autocompletePayload(this.world, input));
  }

  /** A user clicks a button on a message the bot sent. */
  button(input: ComponentInput): InteractionHandle<APIMessageComponentInteraction> {
    return this.inject(buttonPayload(this.world, input));
  }

  /**
   * A modified client's (or a replayed) click: `customId` sent as if it came from the message's
   * component `onComponent`, although the message carries no such custom_id.
   */
  forgedButton(input: ComponentInput & { onComponent: string }): InteractionHandle<APIMessageComponentInteraction> {
    const payload = buttonPayload(this.world, { ...input, customId: input.onComponent });
    return this.inject({ ...payload, data: { ...payload.data, custom_id: input.customId } });
  }

  /** A user picks values in a string select menu on a message the bot sent. */
  select(input: SelectInput): InteractionHandle<APIMessageComponentInteraction> {
    return this.inject(stringSelectPayload(this.world, input));
  }

  /** The bot is kicked from a guild: the client receives GUILD_DELETE (no `unavailable`). */
  removeBotFromGuild(guildId: string): void {
    this.gateway.dispatchGuildDelete(guildId);
  }

  /** Fail matching REST requests with Discord's own 429 / 5xx / 4xx answers. */
  failNext(rule: FailRule): void {
    this.faults.failNext(rule);
  }

  /** Hold matching REST requests for `ms` before answering. */
  delay(rule: DelayRule): void {
    this.faults.delay(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Close the bot's gateway socket of a shard (default: shard 0; no code: cut the TCP connection). Resolves once it is closed. */
  async dropGateway(code?: number, options: { shard?: number } = {}): Promise<void> {
    await this.gateway.drop(code, options.shard);
  }

  /** From now on (or until called with false), gateway sockets open but HELLO never comes. */
  stallGateway(stalled = true): void {
    this.gateway.stalled = stalled;
  }

  /** Send op 7 Reconnect on a shard (default: shard 0); the client should resume. */
  requestReconnect(options: { shard?: number } = {}): void {
    this.gateway.requestReconnect(options.shard);
  }

  /** Send op 9 Invalid Session on a shard (default: shard 0). */
  invalidateSession(resumable: boolean, options: { shard?: number } = {}): void {
    this.gateway.invalidateSession(resumable, options.shard);
  }

  async waitFor(predicate: (call: RecordedCall) => boolean, options?: WaitOptions): Promise<RecordedCall> {
    return this.recorder.waitFor(predicate, options);
  }

  async waitForCalls(predicate: (call: RecordedCall) => boolean, count: number, options?: WaitOptions): Promise<RecordedCall[]> {
    return this.recorder.waitForCount(predicate, count, options);
  }

  /** The first gateway event matching, counting only events after index `after` (default: all). */
  async waitForGateway(predicate: (event: GatewayEvent) => boolean, options?: WaitOptions & { after?: number }): Promise<GatewayEvent> {
    return this.gateway.waitFor(predicate, 'a matching gateway event', options, options?.after ?? 0);
  }

  async close(): Promise<void> {
    this.gateway.close();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private inject<P extends APIInteraction>(payload: P): InteractionHandle<P> {
    // Only members of servers the bot is in can be fetched by the bot.
    if (payload.guild_id !== undefined && payload.member && this.guilds.some((g) => g.id === payload.guild_id)) {
      let members = this.members.get(payload.guild_id);
      if (!members) {
        members = new Map();
        this.members.set(payload.guild_id, members);
      }
      const { permissions: _permissions, ...member } = payload.member;
      members.set(payload.member.user.id, member);
    }
    const record = this.interactions.register(payload);
    const deliveredOn = this.gateway.dispatchInteraction(payload);
    const handle = this.interactions.handle<P>(record);
    handle.deliveredOn = deliveredOn;
    return handle;
  }
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(options);
  await fake.listen();
  return fake;
}
