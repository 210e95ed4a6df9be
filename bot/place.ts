import { ApplicationIntegrationType, PermissionFlagsBits, type Interaction } from 'discord.js';
import { PERSONAL_SCOPE } from '../src/feedback/scope.js';

/**
 * Where an interaction happens, as the handlers need it. In a server the bot is in, that server.
 * Anywhere else (a DM, a group DM, or a server that never added the bot, reached through the
 * member's own install of the app) there is no guild the bot knows: the member's votes, history
 * and blocks are their personal ones, and nothing about a guild or a channel is read.
 */
export interface Place {
  /** The server the bot is in, or null. */
  guildId: string | null;
  /** Votes, history and "not for me" live here: the guild ID, or the member's personal scope. */
  scope: string;
  /** False where Discord would only show the member the answer (a server without the bot, when its @everyone lacks Use External Apps). */
  canReplyPublicly: boolean;
  /** Whether the answer may carry a picture (the app's permissions where it was asked). */
  canAttach: boolean;
  /** Installed to the member (USER_INSTALL authorised this interaction). */
  userInstall: boolean;
}

export function placeOf(interaction: Interaction): Place {
  const userInstall = interaction.authorizingIntegrationOwners[ApplicationIntegrationType.UserInstall] !== undefined;
  const canAttach = interaction.appPermissions.has(PermissionFlagsBits.AttachFiles);
  if (interaction.inCachedGuild()) {
    return { guildId: interaction.guildId, scope: interaction.guildId, canReplyPublicly: true, canAttach, userInstall };
  }
  // A server without the bot: public answers only where its members may use external apps.
  const canReplyPublicly = interaction.guildId === null || (interaction.memberPermissions?.has(PermissionFlagsBits.UseExternalApps) ?? false);
  return { guildId: null, scope: PERSONAL_SCOPE, canReplyPublicly, canAttach, userInstall };
}

/** "in this server" or "outside servers I'm in": where a member's votes and blocks apply, in words. */
export function scopeWords(place: Pick<Place, 'guildId'>): string {
  return place.guildId ? 'in this server' : 'in DMs and in servers I am not in';
}
