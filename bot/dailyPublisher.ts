import { PermissionFlagsBits, type Client } from 'discord.js';
import type { DailyPublisher } from '../src/jobs/dailyPosts.js';
import { dailyPostMessage } from './embeds/daily.js';

const NEEDED: [bigint, string][] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

/** Posts the song of the cluster in a guild's channel, or throws saying why it cannot. */
export function createDailyPublisher(client: Client<true>): DailyPublisher {
  return {
    async publish(guildId, channelId, pick) {
      const channel = await client.channels.fetch(channelId).catch(() => null);
      if (!channel || channel.isDMBased() || channel.guildId !== guildId || !channel.isSendable()) {
        throw new Error('the channel no longer exists, or is not a text channel');
      }
      const me = channel.guild.members.me;
      const permissions = me ? channel.permissionsFor(me) : null;
      const missing = NEEDED.filter(([flag]) => !permissions?.has(flag)).map(([, name]) => name);
      if (missing.length > 0) throw new Error(`missing ${missing.join(', ')} in the channel`);
      const message = await channel.send(dailyPostMessage(pick));
      return { messageId: message.id };
    },
  };
}
