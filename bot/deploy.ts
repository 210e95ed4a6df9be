import { REST, Routes } from 'discord.js';
import { commands } from '../commands/index.js';
import { ConfigError, loadConfig, requireDiscord } from '../src/config.js';

// `npm run deploy-commands`: registers the slash commands, to one server when DISCORD_GUILD_ID is
// set (instant, for development) or globally (every server; Discord may take a while to show them).

export async function deployCommands(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const config = loadConfig(env);
  const { token, appId } = requireDiscord(config);
  const rest = new REST({ api: config.discord.apiUrl }).setToken(token);
  const body = commands.map((c) => c.data);
  const guildId = config.discord.guildId;
  await rest.put(guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId), { body });
  const names = commands.map((c) => `/${c.data.name}`).join(', ');
  return guildId ? `Registered ${names} in server ${guildId}.` : `Registered ${names} globally (new servers see them within the hour).`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  deployCommands()
    .then((line) => process.stdout.write(`${line}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof ConfigError ? error.message : `Could not register the commands: ${error instanceof Error ? error.message : String(error)}`}\n`);
      process.exit(1);
    });
}
