import { PermissionFlagsBits, type GuildBasedChannel, type PermissionResolvable } from 'discord.js';
import { InvalidOptionError, MissingPermissionError } from '../src/errors.js';

/**
 * Moderator commands carry Manage Server as their default member permission, which a server can
 * override; the handler checks again so the rule holds whatever the server's settings say.
 */
export function requireManageGuild(memberPermissions: { has(p: PermissionResolvable): boolean } | null): void {
  if (!memberPermissions?.has(PermissionFlagsBits.ManageGuild)) throw new MissingPermissionError('Manage Server');
}

const NEEDED_TO_POST: [bigint, string][] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
  [PermissionFlagsBits.AttachFiles, 'Attach Files'],
];

/** Throws, naming the missing permissions, unless the bot may post embeds and pictures in `channel`. */
export function requireCanPost(channel: GuildBasedChannel): void {
  const me = channel.guild.members.me;
  const permissions = me ? channel.permissionsFor(me) : null;
  const missing = NEEDED_TO_POST.filter(([flag]) => !permissions?.has(flag)).map(([, name]) => name);
  if (missing.length > 0) {
    throw new InvalidOptionError(
      'channel',
      `I can't post in <#${channel.id}>: I'm missing ${missing.join(', ')} there. Give me ${missing.length === 1 ? 'that permission' : 'those permissions'} in the channel's settings, or pick another channel.`,
    );
  }
}
