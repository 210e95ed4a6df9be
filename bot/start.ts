import { Client, DiscordjsErrorCodes, Events, GatewayIntentBits, type RESTOptions } from 'discord.js';
import { buttons, commands, selects } from '../commands/index.js';
import type { App } from '../src/app.js';
import { ConfigError } from '../src/config.js';
import { forgetGuild } from '../src/guilds.js';
import { Cooldowns } from './cooldown.js';
import { NO_MENTIONS } from './embeds/types.js';
import { createInteractionHandler } from './interactions.js';
import { Pictures } from './pictures.js';

export interface Bot {
  client: Client<true>;
  pictures: Pictures;
  stop(): Promise<void>;
}

export interface BotOptions {
  token: string;
  /** Test seam for discord.js's REST retries; production keeps discord.js's defaults. */
  rest?: Partial<RESTOptions>;
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
  });
  const pictures = new Pictures(logger.child({ component: 'pictures' }));
  const handle = createInteractionHandler(commands, buttons, {
    app,
    logger: logger.child({ component: 'interactions' }),
    cooldowns: new Cooldowns(app.config.recommend.cooldownSeconds),
    pictures,
  }, selects);
  client.on(Events.InteractionCreate, (interaction) => void handle(interaction));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  // Removed from a server (not merely an outage): forget what it gave us.
  client.on(Events.GuildDelete, (guild) => {
    if (!guild.available) return;
    logger.info({ guildId: guild.id, removed: forgetGuild(app, guild.id) }, 'left a server; forgot its data');
  });
  client.on(Events.Warn, (message) => logger.warn(message));
  client.on(Events.ShardDisconnect, (event) => logger.warn({ code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, () => logger.info('gateway connection resumed'));

  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(options.token);
  } catch (error) {
    await client.destroy();
    if (error instanceof Error && 'code' in error && error.code === DiscordjsErrorCodes.TokenInvalid) {
      throw new ConfigError('Discord rejected DISCORD_TOKEN (401 Unauthorized): copy a fresh token from the Developer Portal, Bot page.');
    }
    throw error;
  }
  const readyClient = await ready;
  // Load the cluster index now, not on the first /recommend (it takes seconds on a big catalog).
  try {
    app.recommender.currentIndex();
  } catch {
    // An empty or unclustered catalog is answered per command with what a moderator can do.
  }
  const stats = app.catalog.counts();
  logger.info(
    { user: readyClient.user.tag, guilds: readyClient.guilds.cache.size, tracks: stats.tracks, model: app.models.activeModelId() },
    `ready: logged in as ${readyClient.user.tag} in ${readyClient.guilds.cache.size} server(s), ${stats.tracks} tracks in the catalog`,
  );
  return {
    client: readyClient,
    pictures,
    stop: async () => {
      await client.destroy();
    },
  };
}
