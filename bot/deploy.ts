import { REST, Routes } from 'discord.js';
import { commands } from '../commands/index.js';
import { ConfigError, loadConfig, requireDiscord } from '../src/config.js';

// `npm run deploy-commands`: registers the slash commands, to one server when DISCORD_GUILD_ID is
// set (instant, for development) or globally (every server, and user installs; Discord may take a
// while to show them). Guild commands exist in their server only, so they carry no installation
// or context settings: /recommend, /mix and /taste reach DMs and other servers once registered globally.

/** A command as a guild registration takes it: without integration_types and contexts. */
export function forGuild<T extends object>(command: T): Omit<T, 'integration_types' | 'contexts'> {
  const { integration_types: _types, contexts: _contexts, ...rest } = command as T & { integration_types?: unknown; contexts?: unknown };
  return rest;
}

export async function deployCommands(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const config = loadConfig(env);
  const { token, appId } = requireDiscord(config);
  const rest = new REST({ api: config.discord.apiUrl }).setToken(token);
  const guildId = config.discord.guildId;
  const body = commands.map((c) => (guildId ? forGuild(c.data) : c.data));
  await rest.put(guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId), { body });
  const names = commands.map((c) => `/${c.data.name}`).join(', ');
  return guildId
    ? `Registered ${names} in server ${guildId} (for DMs and user installs, register globally: run without DISCORD_GUILD_ID).`
    : `Registered ${names} globally, for servers and user installs (new servers see them within the hour).`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  deployCommands()
    .then((line) => process.stdout.write(`${line}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof ConfigError ? error.message : `Could not register the commands: ${error instanceof Error ? error.message : String(error)}`}\n`);
      process.exit(1);
    });
}
