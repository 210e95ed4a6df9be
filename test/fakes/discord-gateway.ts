import type { IncomingMessage } from 'node:http';
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  type APIInteraction,
  type APIUser,
  type ApplicationFlags,
  type GatewayDispatchPayload,
  type GatewayIdentifyData,
  type GatewayReceivePayload,
  type GatewayResumeData,
} from 'discord-api-types/v10';
import type { RawData, WebSocket } from 'ws';
import { sessionId as newSessionId, shardOfGuild } from './discord-ids.js';
import { guildCreateData, readyData } from './discord-payloads.js';
import type { CallRecorder } from './discord-recorder.js';
import { waitUntil, type WaitOptions } from './discord-wait.js';
import type { FakeGuild } from './discord-world.js';

export interface GatewayConfig {
  token: string;
  botUser: APIUser;
  applicationId: string;
  applicationFlags: ApplicationFlags;
  guilds: readonly FakeGuild[];
  heartbeatIntervalMs: number;
  /** Close with 4009 when no heartbeat arrives for this long. */
  heartbeatTimeoutMs: number;
  /** Privileged intents enabled for the app in the developer portal; others close the socket with 4014. */
  privilegedIntents: number;
  resumeGatewayUrl: () => string;
  /** `max_concurrency`: IDENTIFYs allowed per 5 s, one per bucket `shard_id % max_concurrency`. */
  maxConcurrency: number;
  /** Answer an IDENTIFY beyond `max_concurrency` with op 9, as Discord does (off: clients started back to back stay quick). */
  identifyRateLimit: boolean;
  /** A session holding more guilds than this closes with 4011 Sharding required (Discord: 2500). */
  maxGuildsPerShard: number;
}

export type GatewayEventKind =
  | 'connect'
  | 'identify'
  | 'ready'
  | 'resume'
  | 'resumed'
  | 'heartbeat'
  | 'invalid-session'
  | 'reconnect-request'
  | 'dispatch'
  | 'close';

/** Everything that happened on the gateway, in order. */
export interface GatewayEvent {
  kind: GatewayEventKind;
  at: number;
  sessionId?: string;
  /** connect: the URL the client opened (path and query). */
  url?: string;
  /** close: who closed and with which code. */
  code?: number;
  by?: 'client' | 'fake';
  /** dispatch: event name and sequence. */
  t?: string;
  seq?: number;
  /** identify / resume: what the client sent. */
  data?: GatewayIdentifyData | GatewayResumeData;
  /** The session's [shard_id, num_shards], once known. */
  shard?: [number, number];
}

/** A session the fake holds, for tests that look at shards. */
export interface GatewaySessionInfo {
  sessionId: string;
  shard: [number, number];
  /** A socket is attached (not waiting for a RESUME). */
  live: boolean;
  guildIds: string[];
}

interface Session {
  id: string;
  shard: [number, number];
  seq: number;
  sent: GatewayDispatchPayload[];
  socket: WebSocket | undefined;
  invalidated: boolean;
}

interface Connection {
  socket: WebSocket;
  session: Session | undefined;
  heartbeatTimer: NodeJS.Timeout | undefined;
  closedByFake: boolean;
}

const PRIVILEGED = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
// Codes after which Discord will not let the session be resumed.
const ENDS_SESSION = new Set<number>([1000, 1001, GatewayCloseCodes.InvalidSeq, GatewayCloseCodes.SessionTimedOut, GatewayCloseCodes.AuthenticationFailed]);

const IDENTIFY_WINDOW_MS = 5_000;

const shardKey = ([id, count]: readonly [number, number]) => `${id}/${count}`;

/**
 * The Discord gateway: JSON encoding, no compression, any number of shards. A client identifies
 * as `[shard_id, num_shards]`; it is sent READY and GUILD_CREATE for the guilds with
 * `(guild_id >> 22) % num_shards == shard_id` only, and so are their interactions (those of a
 * user install in a server the bot is not in too: they carry that server's guild_id). Events
 * without a guild (DM interactions) go to shard 0. Each shard key has one current session.
 */
export class FakeGateway {
  readonly events: GatewayEvent[] = [];
  /** IDENTIFY payloads, so tests can check intents and properties. */
  readonly identifies: GatewayIdentifyData[] = [];
  sessionStartsRemaining = 1000;
  /** Accept sockets but never say HELLO: a gateway (or a network path to it) that stalls. */
  stalled = false;
  private readonly sessions = new Map<string, Session>();
  private readonly connections = new Set<Connection>();
  /** The current session of each `[shard_id, num_shards]`. */
  private readonly current = new Map<string, Session>();
  /** When each rate-limit bucket last let an IDENTIFY through. */
  private readonly lastIdentify = new Map<number, number>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly recorder: CallRecorder,
  ) {}

  accept(socket: WebSocket, request: IncomingMessage): void {
    const connection: Connection = { socket, session: undefined, heartbeatTimer: undefined, closedByFake: false };
    this.connections.add(connection);
    this.log({ kind: 'connect', url: request.url ?? '' });
    const query = new URL(request.url ?? '/', 'ws://127.0.0.1').searchParams;
    socket.on('close', (code) => this.onClose(connection, code));
    socket.on('message', (data, isBinary) => this.onMessage(connection, isBinary ? undefined : textOf(data)));
    if (query.get('v') !== '10' && query.get('v') !== '9') {
      this.closeWith(connection, GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version');
      return;
    }
    if ((query.get('encoding') ?? 'json') !== 'json' || query.has('compress')) {
      this.closeWith(connection, GatewayCloseCodes.DecodeError, 'fake discord speaks uncompressed JSON only');
      return;
    }
    if (this.stalled) return;
    this.send(connection, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.config.heartbeatIntervalMs }, s: null, t: null });
    this.armHeartbeatTimeout(connection);
  }

  /**
   * Sends INTERACTION_CREATE on the session of the interaction's guild's shard (shard 0 without a
   * guild), or buffers it for replay if that socket is down. Returns the shards it went to.
   */
  dispatchInteraction(interaction: APIInteraction): [number, number][] {
    return this.dispatchFor(interaction.guild_id, (s) => ({ op: GatewayOpcodes.Dispatch, t: GatewayDispatchEvents.InteractionCreate, d: interaction, s }));
  }

  /** GUILD_DELETE without `unavailable`: Discord's way of saying the bot was removed from the guild. */
  dispatchGuildDelete(guildId: string): void {
    this.dispatchFor(guildId, (s) => ({ op: GatewayOpcodes.Dispatch, t: GatewayDispatchEvents.GuildDelete, d: { id: guildId }, s }));
  }

  /** Every session the fake holds a shard for, current ones only. */
  shardSessions(): GatewaySessionInfo[] {
    return [...this.current.values()]
      .filter((session) => !session.invalidated)
      .map((session) => ({
        sessionId: session.id,
        shard: session.shard,
        live: session.socket !== undefined,
        guildIds: this.guildsOf(session.shard).map((g) => g.id),
      }));
  }

  /** Closes the bot's socket from the server side; without a code the TCP connection is just cut (client sees 1006). */
  async drop(code?: number, shard?: number): Promise<void> {
    const session = this.sessionFor(shard);
    const connection = [...this.connections].find((c) => c.session === session && c.socket.readyState === c.socket.OPEN);
    if (!connection) throw new Error('fake discord: no live gateway connection to drop');
    const closed = new Promise<void>((resolve) => connection.socket.once('close', () => resolve()));
    if (code === undefined) {
      this.log({ kind: 'close', by: 'fake', code: 1006, sessionId: connection.session?.id });
      connection.closedByFake = true;
      connection.socket.terminate();
    } else {
      this.closeWith(connection, code, 'Dropped by test');
    }
    await closed;
  }

  /** Op 7: Discord asks the client to reconnect and resume. */
  requestReconnect(shard?: number): void {
    const connection = this.liveConnection(shard);
    this.log({ kind: 'reconnect-request', sessionId: connection.session?.id });
    this.send(connection, { op: GatewayOpcodes.Reconnect, d: undefined, s: null, t: null });
  }

  /** Op 9: invalid session; not resumable means the client must identify again. */
  invalidateSession(resumable: boolean, shard?: number): void {
    const connection = this.liveConnection(shard);
    if (!resumable && connection.session) connection.session.invalidated = true;
    this.log({ kind: 'invalid-session', sessionId: connection.session?.id });
    this.send(connection, { op: GatewayOpcodes.InvalidSession, d: resumable, s: null, t: null });
  }

  async waitFor(predicate: (event: GatewayEvent) => boolean, what: string, options?: WaitOptions, after = 0): Promise<GatewayEvent> {
    return waitUntil(
      this.recorder.events,
      'change',
      () => this.events.slice(after).find(predicate),
      what,
      () => this.events.map((e) => `  ${e.kind}${e.t ? ` ${e.t}` : ''}${e.code === undefined ? '' : ` ${e.code}`}`).join('\n') || '  (no gateway events)',
      options,
    );
  }

  /** The session of shard 0 (or of the only shard). */
  get sessionId(): string | undefined {
    return this.findSession()?.id;
  }

  close(): void {
    for (const connection of this.connections) {
      clearTimeout(connection.heartbeatTimer);
      connection.socket.terminate();
    }
    this.connections.clear();
  }

  private liveConnection(shard?: number): Connection {
    const session = this.sessionFor(shard);
    const connection = [...this.connections].find((c) => c.session === session);
    if (!connection) throw new Error('fake discord: no live gateway session');
    return connection;
  }

  /** The current session of a shard id (any shard count); without one, the only session or shard 0's. */
  private findSession(shard?: number): Session | undefined {
    const sessions = [...this.current.values()].filter((s) => !s.invalidated);
    if (shard === undefined && sessions.length === 1) return sessions[0];
    return sessions.find((s) => s.shard[0] === (shard ?? 0));
  }

  private sessionFor(shard?: number): Session {
    const session = this.findSession(shard);
    if (!session) throw new Error(`fake discord: no gateway session${shard === undefined ? '' : ` for shard ${shard}`}; log the client in first`);
    return session;
  }

  private guildsOf([shardId, shardCount]: readonly [number, number]): readonly FakeGuild[] {
    return this.config.guilds.filter((guild) => shardOfGuild(guild.id, shardCount) === shardId);
  }

  /** Dispatches to every current session whose shard receives this guild's events (shard 0 without a guild). */
  private dispatchFor(guildId: string | undefined, build: (seq: number) => GatewayDispatchPayload): [number, number][] {
    const targets = [...this.current.values()].filter(
      (session) => !session.invalidated && (guildId === undefined ? session.shard[0] === 0 : shardOfGuild(guildId, session.shard[1]) === session.shard[0]),
    );
    if (targets.length === 0) {
      throw new Error(`fake discord: no gateway session receives ${guildId === undefined ? 'events without a guild (shard 0)' : `guild ${guildId}`}; log the client in first`);
    }
    for (const session of targets) this.dispatch(session, build);
    return targets.map((session) => session.shard);
  }

  private onMessage(connection: Connection, text: string | undefined): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(text ?? '') as { op?: unknown; d?: unknown };
    } catch {
      this.closeWith(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.log({ kind: 'heartbeat', sessionId: connection.session?.id });
        this.armHeartbeatTimeout(connection);
        this.send(connection, { op: GatewayOpcodes.HeartbeatAck, d: undefined, s: null, t: null });
        return;
      case GatewayOpcodes.Identify:
        this.identify(connection, payload.d as GatewayIdentifyData);
        return;
      case GatewayOpcodes.Resume:
        this.resume(connection, payload.d as GatewayResumeData);
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
        if (!connection.session) this.closeWith(connection, GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        return;
      default:
        this.closeWith(connection, GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  }

  private identify(connection: Connection, data: GatewayIdentifyData): void {
    this.log({ kind: 'identify', data });
    this.identifies.push(data);
    if (connection.session) return this.closeWith(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
    if (data.token !== this.config.token) return this.closeWith(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    if (typeof data.intents !== 'number') return this.closeWith(connection, GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
    if ((data.intents & PRIVILEGED & ~this.config.privilegedIntents) !== 0) {
      return this.closeWith(connection, GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
    }
    const [shardId, shardCount] = data.shard ?? [0, 1];
    if (!Number.isInteger(shardCount) || !Number.isInteger(shardId) || shardCount < 1 || shardId < 0 || shardId >= shardCount) {
      return this.closeWith(connection, GatewayCloseCodes.InvalidShard, 'Invalid shard.');
    }
    const shard: [number, number] = [shardId, shardCount];
    const guilds = this.guildsOf(shard);
    if (guilds.length > this.config.maxGuildsPerShard) return this.closeWith(connection, GatewayCloseCodes.ShardingRequired, 'Sharding required.');
    // max_concurrency: one IDENTIFY per bucket per 5 s; beyond that Discord answers op 9.
    const bucket = shardId % this.config.maxConcurrency;
    const now = Date.now();
    if (this.config.identifyRateLimit && now - (this.lastIdentify.get(bucket) ?? -Infinity) < IDENTIFY_WINDOW_MS) {
      this.log({ kind: 'invalid-session', shard });
      this.send(connection, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    this.lastIdentify.set(bucket, now);
    this.sessionStartsRemaining -= 1;
    const session: Session = { id: newSessionId(), shard, seq: 0, sent: [], socket: connection.socket, invalidated: false };
    const previous = this.current.get(shardKey(shard));
    if (previous) previous.invalidated = true;
    this.sessions.set(session.id, session);
    this.current.set(shardKey(shard), session);
    connection.session = session;
    const ready = readyData({
      user: this.config.botUser,
      guilds,
      sessionId: session.id,
      resumeGatewayUrl: this.config.resumeGatewayUrl(),
      shard: [shardId, shardCount],
      applicationId: this.config.applicationId,
      applicationFlags: this.config.applicationFlags,
    });
    this.dispatch(session, (s) => ({ op: GatewayOpcodes.Dispatch, t: GatewayDispatchEvents.Ready, d: ready, s }));
    this.log({ kind: 'ready', sessionId: session.id, shard });
    // Guild data only flows with the Guilds intent; discord.js then stops waiting for guilds at once.
    if ((data.intents & GatewayIntentBits.Guilds) !== 0) {
      for (const guild of guilds) {
        this.dispatch(session, (s) => ({ op: GatewayOpcodes.Dispatch, t: GatewayDispatchEvents.GuildCreate, d: guildCreateData(guild), s }));
      }
    }
  }

  private resume(connection: Connection, data: GatewayResumeData): void {
    this.log({ kind: 'resume', data, sessionId: data.session_id });
    if (connection.session) return this.closeWith(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
    if (data.token !== this.config.token) return this.closeWith(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    const session = this.sessions.get(data.session_id);
    if (!session || session.invalidated) {
      this.log({ kind: 'invalid-session', sessionId: data.session_id });
      this.send(connection, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    if (data.seq > session.seq) return this.closeWith(connection, GatewayCloseCodes.InvalidSeq, 'Invalid seq.');
    const stale = [...this.connections].find((c) => c !== connection && c.session === session);
    if (stale) {
      stale.closedByFake = true;
      stale.socket.terminate();
    }
    session.socket = connection.socket;
    connection.session = session;
    // Replay what the client missed, then confirm.
    for (const payload of session.sent.filter((p) => p.s > data.seq)) this.send(connection, payload);
    this.dispatch(session, (s) => ({ op: GatewayOpcodes.Dispatch, t: GatewayDispatchEvents.Resumed, d: undefined, s }));
    this.log({ kind: 'resumed', sessionId: session.id, shard: session.shard });
  }

  private dispatch(session: Session, build: (seq: number) => GatewayDispatchPayload): void {
    session.seq += 1;
    const payload = build(session.seq);
    session.sent.push(payload);
    const connection = [...this.connections].find((c) => c.session === session && c.socket.readyState === c.socket.OPEN);
    this.log({ kind: 'dispatch', t: payload.t, seq: payload.s, sessionId: session.id, shard: session.shard });
    if (connection) this.send(connection, payload);
  }

  private send(connection: Connection, payload: GatewayReceivePayload): void {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(payload));
  }

  private closeWith(connection: Connection, code: number, reason: string): void {
    this.log({ kind: 'close', by: 'fake', code, sessionId: connection.session?.id });
    if (connection.session && ENDS_SESSION.has(code)) connection.session.invalidated = true;
    connection.closedByFake = true;
    clearTimeout(connection.heartbeatTimer);
    connection.socket.close(code, reason);
  }

  private armHeartbeatTimeout(connection: Connection): void {
    clearTimeout(connection.heartbeatTimer);
    connection.heartbeatTimer = setTimeout(
      () => this.closeWith(connection, GatewayCloseCodes.SessionTimedOut, 'Session timed out.'),
      this.config.heartbeatTimeoutMs,
    );
  }

  private onClose(connection: Connection, code: number): void {
    clearTimeout(connection.heartbeatTimer);
    this.connections.delete(connection);
    if (connection.session?.socket === connection.socket) connection.session.socket = undefined;
    // A client closing with 1000/1001 ends its session; 4xxx (discord.js uses 4200) keeps it resumable.
    if (!connection.closedByFake && connection.session && (code === 1000 || code === 1001)) connection.session.invalidated = true;
    if (!connection.closedByFake) this.log({ kind: 'close', by: 'client', code, sessionId: connection.session?.id });
  }

  private log(event: Omit<GatewayEvent, 'at'>): void {
    this.events.push({ ...event, at: Date.now() });
    this.recorder.changed();
  }
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
