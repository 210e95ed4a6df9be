import { PermissionFlagsBits, type Client } from 'discord.js';
import type { App } from '../src/app.js';
import type { DailyPublisher } from '../src/jobs/dailyPosts.js';
import { clusterDetails } from '../src/recommender/clusterDetails.js';
import { dailyPostMessage } from './embeds/daily.js';
import { withPicture } from './embeds/types.js';
import type { Pictures } from './pictures.js';
import { describeShards, holdsGuild, type ShardAssignment } from './sharding/plan.js';

const NEEDED: [bigint, string][] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

/**
 * Posts the song of the cluster in a guild's channel, or throws saying why it cannot. With some of
 * the shards only, it posts for the guilds on them: the others are other processes'.
 */
export function createDailyPublisher(client: Client<true>, app: App, pictures: Pictures, shards?: ShardAssignment): DailyPublisher {
  const partial = shards !== undefined && shards.ids.length < shards.count;
  return {
    ...(partial ? { serves: (guildId: string) => holdsGuild(shards, guildId), scope: describeShards(shards) } : {}),
    async publish(guildId, channelId, pick) {
      const channel = await client.channels.fetch(channelId).catch(() => null);
      if (!channel || channel.isDMBased() || channel.guildId !== guildId || !channel.isSendable()) {
        throw new Error('the channel no longer exists, or is not a text channel');
      }
      const me = channel.guild.members.me;
      const permissions = me ? channel.permissionsFor(me) : null;
      const missing = NEEDED.filter(([flag]) => !permissions?.has(flag)).map(([, name]) => name);
      if (missing.length > 0) throw new Error(`missing ${missing.join(', ')} in the channel`);
      // The cluster's portrait, with today's song first among its examples.
      const details = clusterDetails(app, pick.cluster.id, 5);
      const examples = [pick.track, ...details.examples.filter((t) => t.id !== pick.track.id)].slice(0, 5);
      const picture = await pictures.portrait(details.model, pick.cluster.id, examples);
      const message = await channel.send(withPicture(dailyPostMessage(pick), picture));
      return { messageId: message.id };
    },
  };
}
