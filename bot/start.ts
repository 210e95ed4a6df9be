import { Client, Events, GatewayIntentBits, Status, type RESTOptions } from 'discord.js';
import { buttons, commands, selects } from '../commands/index.js';
import type { App } from '../src/app.js';
import { ConfigError } from '../src/config.js';
import { isUserError } from '../src/errors.js';
import { forgetGuild } from '../src/guilds.js';
import { connectClient } from './connect.js';
import { Cooldowns } from './cooldown.js';
import { NO_MENTIONS } from './embeds/types.js';
import { fatalGatewayClose } from './gatewayCloses.js';
import { createInteractionHandler } from './interactions.js';
import { Pictures } from './pictures.js';
import { clientShardOptions, describeShards, type ShardAssignment } from './sharding/plan.js';
import { WorkQueue } from './workQueue.js';

/** One gateway shard as /healthz shows it. */
export interface ShardState {
  id: number;
  /** discord.js's status in words: ready, connecting, reconnecting, resuming, identifying... */
  status: string;
  pingMs: number | null;
  guilds: number;
}

export interface Bot {
  client: Client<true>;
  pictures: Pictures;
  /** The shards this process runs, as Discord assigned them (known once logged in). */
  shards: ShardAssignment;
  shardStates(): ShardState[];
  /**
   * Settles when Discord closed the gateway with a code after which discord.js never reconnects
   * (4004 token reset, 4010-4014): the error says what to fix. Never settles otherwise.
   */
  closedForGood: Promise<ConfigError>;
  stop(): Promise<void>;
}

export interface BotOptions {
  token: string;
  /** Test seam for discord.js's REST retries; production keeps discord.js's defaults. */
  rest?: Partial<RESTOptions>;
  /** Set by the shard manager; otherwise the DISCORD_SHARD_* settings decide. */
  shards?: ShardAssignment;
}

/**
 * Logs in with the Guilds intent only (slash commands need nothing else), wires the interaction
 * handler, and resolves once Discord says the bot is ready. The same start-up runs in tests.
 */
export async function startBot(app: App, options: BotOptions): Promise<Bot> {
  const logger = app.logger.child({ service: 'discord' });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: app.config.discord.apiUrl, ...options.rest },
    allowedMentions: NO_MENTIONS,
    // Several shards in one process share this process's catalog index (internal sharding).
    ...clientShardOptions(app.config.discord.shards, options.shards),
  });
  const pictures = new Pictures(logger.child({ component: 'pictures' }));
  const handle = createInteractionHandler(commands, buttons, {
    app,
    logger: logger.child({ component: 'interactions' }),
    cooldowns: new Cooldowns(app.config.recommend.cooldownSeconds),
    pictures,
    work: new WorkQueue(),
  }, selects);
  client.on(Events.InteractionCreate, (interaction) => void handle(interaction));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  // Removed from a server (not merely an outage): forget what it gave us.
  client.on(Events.GuildDelete, (guild) => {
    if (!guild.available) return;
    logger.info({ guildId: guild.id, removed: forgetGuild(app, guild.id) }, 'left a server; forgot its data');
  });
  client.on(Events.Warn, (message) => logger.warn(message));
  let fatal: ConfigError | null = null;
  let closeForGood: (error: ConfigError) => void = () => undefined;
  const closedForGood = new Promise<ConfigError>((resolve) => (closeForGood = resolve));
  client.on(Events.ShardDisconnect, (event, shard) => {
    const fix = fatalGatewayClose(event.code);
    if (!fix) return logger.warn({ code: event.code, shard }, 'gateway disconnected');
    logger.error({ code: event.code, shard }, fix);
    fatal ??= new ConfigError(fix);
    closeForGood(fatal);
  });
  client.on(Events.ShardResume, (shard) => logger.info({ shard }, 'gateway connection resumed'));

  const readyClient = await connectClient(client, {
    token: options.token,
    timeoutMs: app.config.discord.connectTimeoutMs,
    logger,
    closedForGood: () => fatal,
  });
  // Load the cluster index now, not on the first /recommend (it takes seconds on a big catalog).
  try {
    app.recommender.currentIndex();
  } catch (error) {
    // An empty, warming or unclustered catalog is answered per command with what a moderator can do.
    if (!isUserError(error)) logger.error({ err: error }, 'could not load the cluster index');
  }
  const stats = app.catalog.counts();
  // discord.js resolved "auto" into the shard IDs and count it connected with.
  const shards: ShardAssignment = { ids: [...(readyClient.options.shards as number[])], count: readyClient.options.shardCount! };
  const onShards = shards.count > 1 ? ` on ${describeShards(shards)}` : '';
  logger.info(
    { user: readyClient.user.tag, guilds: readyClient.guilds.cache.size, tracks: stats.tracks, model: app.models.activeModelId(), shards: shards.ids, shardCount: shards.count },
    `ready: logged in as ${readyClient.user.tag} in ${readyClient.guilds.cache.size} server(s)${onShards}, ${stats.tracks} tracks in the catalog`,
  );
  return {
    client: readyClient,
    pictures,
    shards,
    shardStates: () =>
      [...readyClient.ws.shards.values()].map((shard) => ({
        id: shard.id,
        status: (Status[shard.status] ?? 'unknown').replace(/^./, (c) => c.toLowerCase()),
        pingMs: shard.ping >= 0 ? shard.ping : null,
        guilds: readyClient.guilds.cache.filter((guild) => guild.shardId === shard.id).size,
      })),
    closedForGood,
    stop: async () => {
      await client.destroy();
    },
  };
}
