import {
  APIVersion,
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  type APIGuild,
  type APIUser,
  type ApplicationFlags,
  type GatewayGuildCreateDispatchData,
  type GatewayReadyDispatchData,
  type GuildSystemChannelFlags,
} from 'discord-api-types/v10';
import type { FakeGuild } from './discord-world.js';

/** The guild object of GET /guilds/{id} (and the base of GUILD_CREATE). */
export function apiGuild(guild: FakeGuild): APIGuild {
  const systemChannel = guild.channels.find((c) => c.type === ChannelType.GuildText);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    roles: guild.roles,
    emojis: [],
    stickers: [],
    features: guild.features,
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: systemChannel?.id ?? null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: guild.locale,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    incidents_data: null,
  };
}

/**
 * GUILD_CREATE as sent after READY. Without the privileged GuildMembers intent `members` holds only the bot,
 * which is exactly what discord.js needs to compute its own channel permissions.
 */
export function guildCreateData(guild: FakeGuild): GatewayGuildCreateDispatchData {
  return {
    ...apiGuild(guild),
    joined_at: guild.joinedAt,
    large: guild.memberCount > 250,
    unavailable: false,
    member_count: guild.memberCount,
    voice_states: [],
    members: [guild.botMember],
    channels: guild.channels,
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function readyData(args: {
  user: APIUser;
  guilds: readonly FakeGuild[];
  sessionId: string;
  resumeGatewayUrl: string;
  shard: [number, number];
  applicationId: string;
  applicationFlags: ApplicationFlags;
}): GatewayReadyDispatchData {
  return {
    v: Number(APIVersion),
    user: { ...args.user, verified: true, mfa_enabled: false, email: null },
    guilds: args.guilds.map((g) => ({ id: g.id, unavailable: true })),
    session_id: args.sessionId,
    resume_gateway_url: args.resumeGatewayUrl,
    shard: args.shard,
    application: { id: args.applicationId, flags: args.applicationFlags, flags_new: String(args.applicationFlags) },
  };
}
