import { ApplicationIntegrationType, InteractionContextType } from 'discord.js';

// Where a command can be installed and used, as its registration payload says it.

/** Installed to a server or to a member, and usable in servers, the bot's DM, and group DMs / other DMs. */
export const USER_INSTALLABLE = {
  integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel],
} as const;

/** Moderator and server commands: a server's install, used in that server. */
export const SERVER_ONLY = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild],
} as const;
