import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  PermissionFlagsBits,
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandInteractionDataSubcommandOption,
  type APIApplicationCommandOption,
  type APIAuthorizingIntegrationOwnersMap,
  type APIChatInputApplicationCommandInteraction,
  type APIInteractionDataResolved,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentInteraction,
  type APIUser,
  type ChannelFlags,
  type GuildMemberFlags,
} from 'discord-api-types/v10';
import type { CommandRegistry } from './discord-commands.js';
import { interactionToken, snowflake } from './discord-ids.js';
import type { MessageStore } from './discord-messages.js';
import { ALL_PERMISSIONS, toPermissionBits, type PermissionSpec } from './discord-permissions.js';
import { botChannelPermissions, isTextChannel, memberChannelPermissions, type FakeGuild, type FakeGuildChannel } from './discord-world.js';

export interface InteractionWorld {
  applicationId: string;
  botUser: APIUser;
  defaultUser: APIUser;
  guilds: readonly FakeGuild[];
  /** Servers the bot is not in, where members who installed the app can still use it. */
  externalGuilds: readonly FakeGuild[];
  commands: CommandRegistry;
  messages: MessageStore;
  /** Discord's upload limit for this guild's boost tier; 10 MiB unboosted. */
  attachmentSizeLimit: number;
}

/**
 * Where an interaction comes from: a server the bot is in (the default); the DM with the bot
 * (context BOT_DM); a group DM or another user's DM (PRIVATE_CHANNEL); or a server without the bot,
 * where a member uses the app they installed (context GUILD, authorised by the user install only).
 */
export type InteractionLocation = 'guild' | 'bot-dm' | 'private-channel' | 'external-guild';

/** Who installed what, as authorizing_integration_owners will say. */
export type InstallKind = 'guild' | 'user';

/** Who invokes the interaction, and where. */
export interface InteractionUserInput {
  /** Default 'guild'. */
  location?: InteractionLocation;
  /**
   * The installations that authorise it: default the guild install in a server the bot is in, the
   * user install anywhere else. A command must be registered for one of them (integration_types).
   */
  installs?: readonly InstallKind[];
  /** Defaults to the first guild (of the external ones, for 'external-guild'). */
  guildId?: string;
  /** Channel id or name; defaults to the guild's first text channel (for components: the message's channel). */
  channelId?: string;
  /** Merged over the default test user. */
  user?: Partial<APIUser>;
  /** Role ids or names the member has (besides @everyone). */
  roles?: readonly string[];
  /** Extra permissions on top of what @everyone, `roles` and overwrites give, e.g. `['ManageGuild']`. */
  memberPermissions?: PermissionSpec;
  locale?: Locale;
}

/** A shorthand option value; objects pin the wire type when no registered schema says it. */
export type OptionValue = string | number | boolean | { type: ApplicationCommandOptionType; value: string | number | boolean };

export interface CommandInput extends InteractionUserInput {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** `{ playlist: 'url', expand_artists: true }`, typed from the registered schema when there is one; or raw wire options. */
  options?: Record<string, OptionValue> | APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>[];
}

export interface AutocompleteInput extends Omit<CommandInput, 'options'> {
  options?: Record<string, OptionValue>;
  /** The option being typed; its value in `options` is the partial text (default ''). */
  focused: string;
}

export interface ComponentInput extends Omit<InteractionUserInput, 'channelId' | 'guildId' | 'location' | 'installs'> {
  customId: string;
  /** A message the bot sent (as returned by the fake) or its id. */
  message: APIMessage | string;
}

export interface SelectInput extends ComponentInput {
  values: string[];
}

interface Invocation {
  location: InteractionLocation;
  installs: readonly InstallKind[];
  /** Null in DMs and group DMs. */
  guild: FakeGuild | null;
  channel: InteractionChannel;
  user: APIUser;
  member: APIInteractionGuildMember | null;
  appPermissions: bigint;
}

type InteractionChannel = NonNullable<APIChatInputApplicationCommandInteraction['channel']>;

/** Documented: (G)DMs with other users give ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE; the bot's DM adds USE_EXTERNAL_EMOJIS. */
const PRIVATE_CHANNEL_APP_PERMISSIONS = PermissionFlagsBits.AttachFiles | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.MentionEveryone;
const BOT_DM_APP_PERMISSIONS = PRIVATE_CHANNEL_APP_PERMISSIONS | PermissionFlagsBits.UseExternalEmojis;

/** The same DM or group DM every time for one user, as on Discord. */
const dmChannels = new Map<string, InteractionChannel>();

function privateChannel(location: 'bot-dm' | 'private-channel', user: APIUser, channelId: string | undefined): InteractionChannel {
  const key = `${location}:${user.id}:${channelId ?? ''}`;
  const known = dmChannels.get(key);
  if (known) return known;
  const noFlags = 0 as ChannelFlags;
  const channel: InteractionChannel =
    location === 'bot-dm'
      ? { id: channelId ?? snowflake(), type: ChannelType.DM, name: null, flags: noFlags, last_message_id: null, recipients: [user] }
      : { id: channelId ?? snowflake(), type: ChannelType.GroupDM, name: 'listening party', flags: noFlags, last_message_id: null, owner_id: user.id, icon: null, recipients: [user] };
  dmChannels.set(key, channel);
  return channel;
}

export function resolveInvocation(world: InteractionWorld, input: InteractionUserInput): Invocation {
  const location = input.location ?? 'guild';
  const user: APIUser = { ...world.defaultUser, ...input.user };
  const installs = input.installs ?? (location === 'guild' ? ['guild'] : ['user']);
  if (location === 'bot-dm' || location === 'private-channel') {
    if (location === 'private-channel' && installs.includes('guild')) throw new Error('fake discord: a guild install never authorises a group DM or another user\'s DM');
    return {
      location,
      installs,
      guild: null,
      channel: privateChannel(location, user, input.channelId),
      user,
      member: null,
      appPermissions: location === 'bot-dm' ? BOT_DM_APP_PERMISSIONS : PRIVATE_CHANNEL_APP_PERMISSIONS,
    };
  }
  const pool = location === 'guild' ? world.guilds : world.externalGuilds;
  if (location === 'external-guild' && installs.includes('guild')) throw new Error('fake discord: the bot is not in that server, so no guild install authorises it');
  const guild = input.guildId === undefined ? pool[0] : pool.find((g) => g.id === input.guildId);
  if (!guild) throw new Error(`fake discord: unknown ${location === 'guild' ? '' : 'external '}guild ${input.guildId ?? '(none configured)'}`);
  const channel =
    input.channelId === undefined
      ? guild.channels.find(isTextChannel)
      : guild.channels.find((c) => c.id === input.channelId || c.name === input.channelId);
  if (!channel) throw new Error(`fake discord: no channel ${input.channelId ?? '(text)'} in guild ${guild.id}`);
  const roles = (input.roles ?? []).map((ref) => {
    const role = guild.roles.find((r) => r.id === ref || r.name === ref);
    if (!role || role.id === guild.id) throw new Error(`fake discord: no role ${ref} in guild ${guild.id}`);
    return role.id;
  });
  let permissions = memberChannelPermissions(guild, channel, user.id, roles) | toPermissionBits(input.memberPermissions);
  if ((permissions & PermissionFlagsBits.Administrator) !== 0n) permissions = ALL_PERMISSIONS;
  const member: APIInteractionGuildMember = {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: new Date(Date.now() - 86_400_000).toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0 as GuildMemberFlags,
    communication_disabled_until: null,
    permissions: permissions.toString(),
  };
  // Without the bot in the server, the app can do what a message from it may carry there: embeds
  // and files where the channel's @everyone may, as for the (G)DM set.
  const appPermissions =
    location === 'guild' ? botChannelPermissions(guild, channel) : memberChannelPermissions(guild, channel, '0', []) & PRIVATE_CHANNEL_APP_PERMISSIONS;
  return { location, installs, guild, channel: interactionChannel(channel), user, member, appPermissions };
}

/** Discord sends the channel as a partial object, without its overwrites. */
function interactionChannel(channel: FakeGuildChannel): InteractionChannel {
  const { permission_overwrites: _overwrites, ...partial } = channel;
  return partial;
}

const CONTEXT_OF: Record<InteractionLocation, InteractionContextType> = {
  guild: InteractionContextType.Guild,
  'external-guild': InteractionContextType.Guild,
  'bot-dm': InteractionContextType.BotDM,
  'private-channel': InteractionContextType.PrivateChannel,
};

/** Documented: GUILD_INSTALL maps to the guild's ID, or "0" in the bot's DM; USER_INSTALL to the authorising user. */
function owners(at: Invocation): APIAuthorizingIntegrationOwnersMap {
  const map: APIAuthorizingIntegrationOwnersMap = {};
  if (at.installs.includes('guild')) map[ApplicationIntegrationType.GuildInstall] = at.guild?.id ?? '0';
  if (at.installs.includes('user')) map[ApplicationIntegrationType.UserInstall] = at.user.id;
  return map;
}

/** Fields every interaction carries; `entitlements` is required even when empty. Guild fields only in servers, `user` only outside them. */
function common(world: InteractionWorld, at: Invocation, locale: Locale | undefined) {
  const base = {
    id: snowflake(),
    application_id: world.applicationId,
    token: interactionToken(),
    version: 1 as const,
    channel: at.channel,
    channel_id: at.channel.id,
    app_permissions: at.appPermissions.toString(),
    locale: locale ?? Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: owners(at),
    context: CONTEXT_OF[at.location],
    attachment_size_limit: world.attachmentSizeLimit,
  };
  if (!at.guild || !at.member) return { ...base, user: at.user };
  return {
    ...base,
    guild_id: at.guild.id,
    guild: { id: at.guild.id, locale: at.guild.locale, features: at.guild.features },
    member: at.member,
    guild_locale: at.guild.locale,
  };
}

/**
 * A user can only invoke what Discord shows them there: outside a server the bot is in, only a
 * global command registered for that context (contexts) and for one of the installations that
 * authorise it (integration_types).
 */
function findInvocable(world: InteractionWorld, name: string, at: Invocation): APIApplicationCommand | undefined {
  const schema = at.location === 'guild' && at.guild ? world.commands.find(name, at.guild.id) : world.commands.findGlobal(name);
  if (!schema) {
    if (at.location === 'guild') return undefined;
    throw new Error(`fake discord: /${name} is not registered globally, so it cannot be used in ${at.location}`);
  }
  if (schema.guild_id !== undefined) return schema;
  const contexts = schema.contexts ?? [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel];
  const context = CONTEXT_OF[at.location];
  const types = schema.integration_types ?? [ApplicationIntegrationType.GuildInstall];
  const allowed = at.installs.some((kind) => types.includes(kind === 'guild' ? ApplicationIntegrationType.GuildInstall : ApplicationIntegrationType.UserInstall));
  if (!contexts.includes(context) || !allowed) {
    throw new Error(`fake discord: /${name} is registered with contexts [${contexts.join(', ')}] and integration_types [${types.join(', ')}]; Discord does not show it in ${at.location} installed as ${at.installs.join(' + ')}`);
  }
  return schema;
}

export function chatInputPayload(world: InteractionWorld, input: CommandInput): APIChatInputApplicationCommandInteraction {
  const at = resolveInvocation(world, input);
  const schema = findInvocable(world, input.name, at);
  const resolved: APIInteractionDataResolved = {};
  let options: APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>[];
  if (Array.isArray(input.options)) {
    options = input.options;
  } else {
    const leafSchema = leafOptions(input, schema?.options);
    const leaf = Object.entries(input.options ?? {}).map(([name, value]) =>
      basicOption(world, at, name, value, leafSchema, resolved, input.name),
    );
    for (const option of leafSchema ?? []) {
      if ('required' in option && option.required === true && !(input.options && option.name in input.options)) {
        throw new Error(`fake discord: /${input.name} requires option "${option.name}" (per the registered schema)`);
      }
    }
    options = wrap(leaf, input.subcommand, input.subcommandGroup);
  }
  const payload: APIChatInputApplicationCommandInteraction = {
    ...common(world, at, input.locale),
    type: InteractionType.ApplicationCommand,
    data: {
      id: schema?.id ?? snowflake(),
      name: input.name,
      type: ApplicationCommandType.ChatInput,
      options,
    },
  };
  if (schema?.guild_id !== undefined) payload.data.guild_id = schema.guild_id;
  if (Object.keys(resolved).length > 0) payload.data.resolved = resolved;
  return payload;
}

export function autocompletePayload(world: InteractionWorld, input: AutocompleteInput): APIApplicationCommandAutocompleteInteraction {
  const at = resolveInvocation(world, input);
  const schema = findInvocable(world, input.name, at);
  const leafSchema = leafOptions(input, schema?.options);
  const values: Record<string, OptionValue> = { ...input.options };
  values[input.focused] ??= '';
  const leaf = Object.entries(values).map(([name, value]): APIApplicationCommandInteractionDataBasicOption<InteractionType.ApplicationCommandAutocomplete> => {
    const option = basicOption(world, at, name, value, leafSchema, {}, input.name);
    const focused = name === input.focused ? { focused: true } : {};
    // While typing, numbers are still the raw text the user entered.
    if (option.type === ApplicationCommandOptionType.Integer || option.type === ApplicationCommandOptionType.Number) {
      return { ...option, value: String(rawValue(value)), ...focused };
    }
    if (option.type === ApplicationCommandOptionType.String) return { ...option, ...focused };
    return option;
  });
  return {
    ...common(world, at, input.locale),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: schema?.id ?? snowflake(),
      name: input.name,
      type: ApplicationCommandType.ChatInput,
      options: wrap(leaf, input.subcommand, input.subcommandGroup),
    },
  };
}

export function buttonPayload(world: InteractionWorld, input: ComponentInput): APIMessageComponentInteraction {
  const { message, origin } = componentTarget(world, input, ComponentType.Button);
  const at = resolveInvocation(world, { ...input, ...origin, channelId: message.channel_id });
  return {
    ...common(world, at, input.locale),
    type: InteractionType.MessageComponent,
    data: { custom_id: input.customId, component_type: ComponentType.Button },
    message,
  };
}

export function stringSelectPayload(world: InteractionWorld, input: SelectInput): APIMessageComponentInteraction {
  const { message, origin } = componentTarget(world, input, ComponentType.StringSelect);
  const at = resolveInvocation(world, { ...input, ...origin, channelId: message.channel_id });
  return {
    ...common(world, at, input.locale),
    type: InteractionType.MessageComponent,
    data: { custom_id: input.customId, component_type: ComponentType.StringSelect, values: input.values },
    message,
  };
}

interface FoundComponent {
  type?: unknown;
  custom_id?: unknown;
  disabled?: unknown;
  components?: unknown;
  accessory?: unknown;
}

/**
 * A user can only click what is on screen: the message must exist and carry an enabled component
 * with that id. The click comes from where the message is (a server, a DM, a group DM), authorised
 * by the same installations as the interaction that sent it.
 */
function componentTarget(
  world: InteractionWorld,
  input: ComponentInput,
  type: ComponentType,
): { message: APIMessage; origin: Pick<InteractionUserInput, 'guildId' | 'location' | 'installs'> } {
  const id = typeof input.message === 'string' ? input.message : input.message.id;
  const stored = world.messages.get(id);
  if (!stored || stored.deleted) throw new Error(`fake discord: message ${id} does not exist (deleted, or not sent through the fake)`);
  const found = findComponent(stored.message.components ?? [], input.customId);
  if (!found) throw new Error(`fake discord: message ${id} has no component with custom_id "${input.customId}"`);
  if (found.type !== type) throw new Error(`fake discord: component "${input.customId}" is of type ${String(found.type)}, not ${type}`);
  if (found.disabled === true) throw new Error(`fake discord: component "${input.customId}" is disabled and cannot be used`);
  const origin = stored.origin;
  const location: InteractionLocation = !origin
    ? 'guild'
    : origin.context === InteractionContextType.BotDM
      ? 'bot-dm'
      : origin.context === InteractionContextType.PrivateChannel
        ? 'private-channel'
        : world.guilds.some((g) => g.id === stored.guildId)
          ? 'guild'
          : 'external-guild';
  const installs = origin
    ? (Object.keys(origin.owners).map((key) => (key === ApplicationIntegrationType.GuildInstall.toString() ? 'guild' : 'user')) as InstallKind[])
    : undefined;
  return {
    message: structuredClone(stored.message),
    origin: { location, ...(stored.guildId === undefined ? {} : { guildId: stored.guildId }), ...(installs ? { installs } : {}) },
  };
}

function findComponent(nodes: unknown, customId: string): FoundComponent | undefined {
  if (!Array.isArray(nodes)) return undefined;
  for (const node of nodes as FoundComponent[]) {
    if (node.custom_id === customId) return node;
    const inner = findComponent(node.components, customId) ?? findComponent(node.accessory === undefined ? [] : [node.accessory], customId);
    if (inner) return inner;
  }
  return undefined;
}

/** The schema options that apply to the invoked (sub)command; undefined when the command was never registered. */
function leafOptions(input: Pick<CommandInput, 'name' | 'subcommand' | 'subcommandGroup'>, options: APIApplicationCommandOption[] | undefined): APIApplicationCommandOption[] | undefined {
  if (!options) return undefined;
  let scope: APIApplicationCommandOption[] = options;
  if (input.subcommandGroup !== undefined) {
    const group = scope.find((o) => o.type === ApplicationCommandOptionType.SubcommandGroup && o.name === input.subcommandGroup);
    if (!group || group.type !== ApplicationCommandOptionType.SubcommandGroup) {
      throw new Error(`fake discord: /${input.name} has no subcommand group "${input.subcommandGroup}"`);
    }
    scope = group.options ?? [];
  }
  if (input.subcommand !== undefined) {
    const sub = scope.find((o) => o.type === ApplicationCommandOptionType.Subcommand && o.name === input.subcommand);
    if (!sub || sub.type !== ApplicationCommandOptionType.Subcommand) {
      throw new Error(`fake discord: /${input.name} has no subcommand "${input.subcommand}"`);
    }
    return sub.options ?? [];
  }
  if (scope.some((o) => o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup)) {
    throw new Error(`fake discord: /${input.name} is registered with subcommands; pass subcommand (and subcommandGroup)`);
  }
  return scope;
}

function wrap<T extends InteractionType>(
  leaf: APIApplicationCommandInteractionDataBasicOption<T>[],
  subcommand: string | undefined,
  group: string | undefined,
): APIApplicationCommandInteractionDataOption<T>[] {
  if (subcommand === undefined) return leaf;
  const sub: APIApplicationCommandInteractionDataSubcommandOption<T> = { type: ApplicationCommandOptionType.Subcommand, name: subcommand, options: leaf };
  if (group === undefined) return [sub];
  return [{ type: ApplicationCommandOptionType.SubcommandGroup, name: group, options: [sub] }];
}

function rawValue(value: OptionValue): string | number | boolean {
  return typeof value === 'object' ? value.value : value;
}

function basicOption(
  world: InteractionWorld,
  at: Invocation,
  name: string,
  value: OptionValue,
  schema: APIApplicationCommandOption[] | undefined,
  resolved: APIInteractionDataResolved,
  command: string,
): APIApplicationCommandInteractionDataBasicOption<InteractionType.ApplicationCommand> {
  const declared = schema?.find((o) => o.name === name);
  if (schema && !declared) throw new Error(`fake discord: option "${name}" is not in the registered schema of /${command}`);
  const raw = rawValue(value);
  const type =
    declared?.type ??
    (typeof value === 'object'
      ? value.type
      : typeof raw === 'boolean'
        ? ApplicationCommandOptionType.Boolean
        : typeof raw === 'number'
          ? Number.isInteger(raw)
            ? ApplicationCommandOptionType.Integer
            : ApplicationCommandOptionType.Number
          : ApplicationCommandOptionType.String);
  switch (type) {
    case ApplicationCommandOptionType.String:
      return { name, type, value: String(raw) };
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const number = Number(raw);
      if (!Number.isFinite(number) || (type === ApplicationCommandOptionType.Integer && !Number.isInteger(number))) {
        throw new Error(`fake discord: option "${name}" needs ${type === ApplicationCommandOptionType.Integer ? 'an integer' : 'a number'}`);
      }
      return { name, type, value: number };
    }
    case ApplicationCommandOptionType.Boolean:
      if (typeof raw !== 'boolean') throw new Error(`fake discord: option "${name}" needs a boolean`);
      return { name, type, value: raw };
    case ApplicationCommandOptionType.Channel: {
      if (!at.guild) throw new Error(`fake discord: option "${name}": channel options need a server`);
      const channel = at.guild.channels.find((c) => c.id === String(raw) || c.name === String(raw));
      if (!channel) throw new Error(`fake discord: option "${name}": no channel ${String(raw)}`);
      resolved.channels = {
        ...resolved.channels,
        [channel.id]: {
          id: channel.id,
          name: channel.name,
          type: channel.type,
          permissions: memberChannelPermissions(at.guild, channel, at.user.id, at.member?.roles ?? []).toString(),
        },
      };
      return { name, type, value: channel.id };
    }
    case ApplicationCommandOptionType.Role: {
      if (!at.guild) throw new Error(`fake discord: option "${name}": role options need a server`);
      const role = at.guild.roles.find((r) => r.id === String(raw) || r.name === String(raw));
      if (!role) throw new Error(`fake discord: option "${name}": no role ${String(raw)}`);
      resolved.roles = { ...resolved.roles, [role.id]: role };
      return { name, type, value: role.id };
    }
    case ApplicationCommandOptionType.User:
    case ApplicationCommandOptionType.Mentionable: {
      const id = String(raw);
      const user = [world.botUser, world.defaultUser, at.user].find((u) => u.id === id) ?? {
        id,
        username: `user${id.slice(-4)}`,
        discriminator: '0',
        global_name: null,
        avatar: null,
      };
      resolved.users = { ...resolved.users, [id]: user };
      return { name, type, value: id };
    }
    default:
      throw new Error(`fake discord: option "${name}" of type ${type} is not supported by the fake`);
  }
}
