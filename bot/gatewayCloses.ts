import { GatewayCloseCodes } from 'discord.js';

// Gateway close codes after which discord.js never reconnects: staying up would leave the bot
// disconnected for good. Each says what to fix; the process then exits non-zero, so a supervisor
// (Docker's restart policy, systemd) restarts it once the setting is fixed.
const FATAL_CLOSES: Record<number, string> = {
  [GatewayCloseCodes.AuthenticationFailed]:
    'the Discord token was rejected (it was reset or revoked): put a fresh token from the Developer Portal, Bot page, in DISCORD_TOKEN',
  [GatewayCloseCodes.InvalidShard]:
    'Discord does not accept the shard it was given: check DISCORD_SHARD_IDS against DISCORD_SHARD_COUNT (every machine must use the same count)',
  [GatewayCloseCodes.ShardingRequired]:
    'the bot is in too many servers for its shards: set DISCORD_SHARD_COUNT=auto or a larger count (see the README, "Sharded")',
  [GatewayCloseCodes.InvalidAPIVersion]: 'Discord no longer accepts the gateway version this discord.js speaks: update discord.js',
  [GatewayCloseCodes.InvalidIntents]: 'Discord rejected the intents the bot sent as invalid (a bug: please report it)',
  [GatewayCloseCodes.DisallowedIntents]:
    'the bot asks for a privileged intent its application does not have: enable it in the Developer Portal, Bot page, or remove it',
};

/** What to fix after Discord closed the gateway with this code, or null when discord.js reconnects by itself. */
export function fatalGatewayClose(code: number): string | null {
  const fix = FATAL_CLOSES[code];
  return fix ? `Discord closed the gateway connection with ${code} (${GatewayCloseCodes[code]}): ${fix}.` : null;
}
