import {
  ChannelType,
  Locale,
  OverwriteType,
  type APIGuildCategoryChannel,
  type APIGuildMember,
  type APIGuildVoiceChannel,
  type APINewsChannel,
  type APIOverwrite,
  type APIRole,
  type APITextChannel,
  type APIUser,
  type GuildFeature,
  type GuildMemberFlags,
  type RoleFlags,
} from 'discord-api-types/v10';
import { snowflake } from './discord-ids.js';
import { channelPermissions, toPermissionBits, type PermissionSpec } from './discord-permissions.js';

export type FakeGuildChannel = APITextChannel | APINewsChannel | APIGuildCategoryChannel | APIGuildVoiceChannel;

export interface FakeRoleInput {
  id?: string;
  name: string;
  permissions?: PermissionSpec;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

export interface FakeChannelInput {
  id?: string;
  name: string;
  type?: ChannelType.GuildText | ChannelType.GuildAnnouncement | ChannelType.GuildCategory | ChannelType.GuildVoice;
  topic?: string | null;
  parentId?: string | null;
  nsfw?: boolean;
  /** Raw overwrites, exactly as Discord stores them. */
  permissionOverwrites?: APIOverwrite[];
  /** Shorthand for an overwrite on the bot's managed role. */
  botAllow?: PermissionSpec;
  botDeny?: PermissionSpec;
}

export interface FakeGuildInput {
  id?: string;
  name?: string;
  ownerId?: string;
  locale?: Locale;
  features?: GuildFeature[];
  /** Permissions of the @everyone role. */
  everyonePermissions?: PermissionSpec;
  roles?: FakeRoleInput[];
  channels?: FakeChannelInput[];
  /** Permissions of the bot's managed integration role. */
  botPermissions?: PermissionSpec;
  memberCount?: number;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  locale: Locale;
  features: GuildFeature[];
  joinedAt: string;
  memberCount: number;
  roles: APIRole[];
  channels: FakeGuildChannel[];
  botRoleId: string;
  /** Members Discord would send the bot without the privileged GuildMembers intent: itself. */
  botMember: APIGuildMember;
}

export const DEFAULT_EVERYONE_PERMISSIONS: PermissionSpec = [
  'ViewChannel',
  'SendMessages',
  'SendMessagesInThreads',
  'CreatePublicThreads',
  'EmbedLinks',
  'AttachFiles',
  'AddReactions',
  'UseExternalEmojis',
  'ReadMessageHistory',
  'UseApplicationCommands',
  'Connect',
  'Speak',
  'ChangeNickname',
  'CreateInstantInvite',
];

export const DEFAULT_BOT_PERMISSIONS: PermissionSpec = [
  'ViewChannel',
  'SendMessages',
  'SendMessagesInThreads',
  'EmbedLinks',
  'AttachFiles',
  'AddReactions',
  'ReadMessageHistory',
  'UseApplicationCommands',
];

export function defaultBotUser(): APIUser {
  return {
    id: snowflake(),
    username: 'Cluster DJ',
    // Bot accounts kept their four-digit discriminators when users migrated to '0'.
    discriminator: '4821',
    global_name: null,
    avatar: null,
    bot: true,
  };
}

export function defaultHumanUser(name = 'tester'): APIUser {
  return {
    id: snowflake(),
    username: name,
    discriminator: '0',
    global_name: name.charAt(0).toUpperCase() + name.slice(1),
    avatar: null,
  };
}

/** One guild with #general (the bot may do anything) and #bot-muted (no SendMessages / EmbedLinks for the bot). */
export function defaultGuildInput(): FakeGuildInput {
  return {
    name: 'Cluster DJ Test Server',
    roles: [{ name: 'DJ Admin', permissions: ['ManageGuild'], color: 0x1db954, hoist: true }],
    channels: [
      { name: 'general', topic: 'Talk about music' },
      { name: 'bot-muted', topic: 'The bot may read but not write here', botDeny: ['SendMessages', 'EmbedLinks'] },
    ],
  };
}

// These enums have no zero member, yet zero is what Discord sends for "no flags".
const NO_ROLE_FLAGS = 0 as RoleFlags;
const NO_MEMBER_FLAGS = 0 as GuildMemberFlags;

type RoleInput = { id: string; name: string; permissions: bigint; position: number } & Omit<Partial<APIRole>, 'permissions'>;

function role(input: RoleInput): APIRole {
  const color = input.color ?? 0;
  return {
    color,
    colors: { primary_color: color, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    managed: false,
    mentionable: false,
    flags: NO_ROLE_FLAGS,
    ...input,
    permissions: input.permissions.toString(),
  };
}

export function buildGuild(input: FakeGuildInput, bot: APIUser, fallbackOwnerId: string): FakeGuild {
  const id = input.id ?? snowflake();
  const botRoleId = snowflake();
  const roles: APIRole[] = [
    role({ id, name: '@everyone', position: 0, permissions: toPermissionBits(input.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS) }),
    ...(input.roles ?? []).map((r, index) =>
      role({
        id: r.id ?? snowflake(),
        name: r.name,
        position: index + 1,
        permissions: toPermissionBits(r.permissions),
        color: r.color ?? 0,
        hoist: r.hoist ?? false,
        mentionable: r.mentionable ?? false,
      }),
    ),
  ];
  // Discord gives every bot a managed role named after it, tagged with its id, placed above the roles it was added to.
  roles.push(
    role({
      id: botRoleId,
      name: bot.username,
      position: roles.length,
      permissions: toPermissionBits(input.botPermissions ?? DEFAULT_BOT_PERMISSIONS),
      managed: true,
      tags: { bot_id: bot.id },
    }),
  );
  const joinedAt = new Date().toISOString();
  const channels = (input.channels ?? []).map((c, position) => buildChannel(c, id, botRoleId, position));
  return {
    id,
    name: input.name ?? 'Fake Guild',
    ownerId: input.ownerId ?? fallbackOwnerId,
    locale: input.locale ?? Locale.EnglishUS,
    features: input.features ?? [],
    joinedAt,
    memberCount: input.memberCount ?? 3,
    roles,
    channels,
    botRoleId,
    botMember: {
      user: bot,
      nick: null,
      avatar: null,
      banner: null,
      roles: [botRoleId],
      joined_at: joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      pending: false,
      flags: NO_MEMBER_FLAGS,
      communication_disabled_until: null,
    },
  };
}

function buildChannel(input: FakeChannelInput, guildId: string, botRoleId: string, position: number): FakeGuildChannel {
  const overwrites = [...(input.permissionOverwrites ?? [])];
  if (input.botAllow !== undefined || input.botDeny !== undefined) {
    overwrites.push({
      id: botRoleId,
      type: OverwriteType.Role,
      allow: toPermissionBits(input.botAllow).toString(),
      deny: toPermissionBits(input.botDeny).toString(),
    });
  }
  const base = {
    id: input.id ?? snowflake(),
    guild_id: guildId,
    name: input.name,
    position,
    permission_overwrites: overwrites,
    nsfw: input.nsfw ?? false,
    flags: 0,
  };
  switch (input.type ?? ChannelType.GuildText) {
    case ChannelType.GuildCategory:
      return { ...base, type: ChannelType.GuildCategory, parent_id: null };
    case ChannelType.GuildVoice:
      return {
        ...base,
        type: ChannelType.GuildVoice,
        parent_id: input.parentId ?? null,
        bitrate: 64_000,
        user_limit: 0,
        rtc_region: null,
        last_message_id: null,
        rate_limit_per_user: 0,
      };
    case ChannelType.GuildAnnouncement:
      return { ...textFields(input), ...base, type: ChannelType.GuildAnnouncement };
    case ChannelType.GuildText:
      return { ...textFields(input), ...base, type: ChannelType.GuildText };
  }
}

function textFields(input: FakeChannelInput) {
  return {
    parent_id: input.parentId ?? null,
    topic: input.topic ?? null,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
  };
}

export function isTextChannel(channel: FakeGuildChannel): channel is APITextChannel | APINewsChannel | APIGuildVoiceChannel {
  return channel.type !== ChannelType.GuildCategory;
}

/** The bot's own permissions in a channel: what `app_permissions` carries and what message routes enforce. */
export function botChannelPermissions(guild: FakeGuild, channel: FakeGuildChannel): bigint {
  return channelPermissions(
    { id: guild.id, owner_id: guild.ownerId, roles: guild.roles },
    channel.permission_overwrites ?? [],
    guild.botMember.user.id,
    guild.botMember.roles,
  );
}

export function memberChannelPermissions(
  guild: FakeGuild,
  channel: FakeGuildChannel,
  userId: string,
  roleIds: readonly string[],
): bigint {
  return channelPermissions(
    { id: guild.id, owner_id: guild.ownerId, roles: guild.roles },
    channel.permission_overwrites ?? [],
    userId,
    roleIds,
  );
}
