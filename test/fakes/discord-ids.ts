import { randomBytes } from 'node:crypto';

// Discord snowflakes count milliseconds from the first second of 2015.
const DISCORD_EPOCH = 1_420_070_400_000n;
const WORKER_AND_PROCESS = 1n << 17n;
let increment = 0n;

/** A fresh snowflake stamped with `at`, so discord.js's createdTimestamp is truthful. */
export function snowflake(at: number = Date.now()): string {
  const id = ((BigInt(at) - DISCORD_EPOCH) << 22n) | WORKER_AND_PROCESS | (increment & 0xfffn);
  increment += 1n;
  return id.toString();
}

/** Interaction tokens are long opaque URL-safe strings; discord.js puts them in paths unescaped. */
export function interactionToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;
}

export function sessionId(): string {
  return randomBytes(16).toString('hex');
}

/** Discord's sharding formula: the shard that receives a guild's events among `shardCount`. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A fresh snowflake whose guild would live on `shard` of `shardCount` (its timestamp is chosen for it). */
export function snowflakeOnShard(shard: number, shardCount: number, at: number = Date.now()): string {
  const since = at - Number(DISCORD_EPOCH);
  return snowflake(Number(DISCORD_EPOCH) + since - (since % shardCount) + shard - shardCount);
}
