import { ShardClientUtil, type ClientOptions } from 'discord.js';
import type { ShardSettings } from '../../src/config.js';

// Which gateway shards a process runs, from the settings or from the shard manager, and the guilds
// they hold: Discord sends a guild's events to shard (guild_id >> 22) % shard count.

export interface ShardAssignment {
  /** The shards this process runs. */
  ids: number[];
  /** Shards across every process and machine. */
  count: number;
}

/** The Client's sharding options for the settings of a single process (`npm start` without a manager). */
export function clientShardOptions(settings: ShardSettings, assigned?: ShardAssignment): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (assigned) return { shards: assigned.ids, shardCount: assigned.count };
  if (settings.count === 'auto') return { shards: 'auto' };
  return { shards: settings.ids ?? Array.from({ length: settings.count }, (_, id) => id), shardCount: settings.count };
}

/** Whether a guild's events come to one of these shards. */
export function holdsGuild(assignment: ShardAssignment, guildId: string): boolean {
  return assignment.ids.includes(ShardClientUtil.shardIdForGuildId(guildId, assignment.count));
}

/** "shards 0-1 of 4", for logs and lock names. */
export function describeShards({ ids, count }: ShardAssignment): string {
  const ranges: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    ranges.push(i === j ? String(ids[i]) : `${ids[i]}-${ids[j]}`);
    i = j;
  }
  return `${ids.length === 1 ? 'shard' : 'shards'} ${ranges.join(',')} of ${count}`;
}
