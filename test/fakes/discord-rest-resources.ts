import {
  MessageFlags,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type APIGatewayBotInfo,
  type APIGatewayInfo,
  type APIGuildMember,
  type APIMessage,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { invalidFormBody, jsonError } from './discord-errors.js';
import { apiGuild } from './discord-payloads.js';
import { asObject, refuseEmpty } from './discord-rest-interactions.js';
import type { MessageBodyView } from './discord-messages.js';
import type { RestContext, RestRequest, RestResult, Route } from './discord-rest-types.js';
import { validateMessageBody } from './discord-validate.js';
import { botChannelPermissions, isTextChannel, type FakeGuild, type FakeGuildChannel } from './discord-world.js';

export function resourceRoutes(ctx: RestContext): Route[] {
  const ok = (body: unknown): RestResult => ({ status: 200, body });
  return [
    { method: 'GET', pattern: '/gateway', auth: false, handle: () => ok({ url: ctx.gatewayUrl() } satisfies APIGatewayInfo) },
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: true,
      handle: () => ok({ url: ctx.gatewayUrl(), shards: ctx.recommendedShards, session_start_limit: ctx.sessionStartLimit() } satisfies APIGatewayBotInfo),
    },
    { method: 'GET', pattern: '/users/@me', auth: true, handle: () => ok(ctx.botUser) },
    { method: 'GET', pattern: '/channels/:channel', auth: true, handle: (r) => ok(visibleChannel(ctx, r).channel) },
    { method: 'POST', pattern: '/channels/:channel/messages', auth: true, handle: (r) => ok(createChannelMessage(ctx, r)) },
    { method: 'GET', pattern: '/channels/:channel/messages/:message', auth: true, handle: (r) => ok(channelMessage(ctx, r)) },
    { method: 'PATCH', pattern: '/channels/:channel/messages/:message', auth: true, handle: (r) => ok(editChannelMessage(ctx, r)) },
    { method: 'DELETE', pattern: '/channels/:channel/messages/:message', auth: true, handle: (r) => deleteChannelMessage(ctx, r) },
    { method: 'GET', pattern: '/guilds/:guild', auth: true, handle: (r) => ok(withCounts(ctx, r)) },
    { method: 'GET', pattern: '/guilds/:guild/channels', auth: true, handle: (r) => ok(guildOf(ctx, r.params.guild).channels) },
    { method: 'GET', pattern: '/guilds/:guild/roles', auth: true, handle: (r) => ok(guildOf(ctx, r.params.guild).roles) },
    { method: 'GET', pattern: '/guilds/:guild/members/:user', auth: true, handle: (r) => ok(member(ctx, r)) },
    { method: 'GET', pattern: '/applications/:app/commands', auth: true, handle: (r) => ok(ctx.commands.list(commandScope(ctx, r))) },
    { method: 'PUT', pattern: '/applications/:app/commands', auth: true, handle: (r) => ok(putCommands(ctx, r)) },
    { method: 'GET', pattern: '/applications/:app/guilds/:guild/commands', auth: true, handle: (r) => ok(ctx.commands.list(commandScope(ctx, r))) },
    { method: 'PUT', pattern: '/applications/:app/guilds/:guild/commands', auth: true, handle: (r) => ok(putCommands(ctx, r)) },
  ];
}

function guildOf(ctx: RestContext, id: string | undefined): FakeGuild {
  const guild = ctx.guilds.find((g) => g.id === id);
  if (!guild) throw jsonError(RESTJSONErrorCodes.UnknownGuild);
  return guild;
}

function withCounts(ctx: RestContext, request: RestRequest) {
  const guild = guildOf(ctx, request.params.guild);
  const body = apiGuild(guild);
  if (request.query.get('with_counts') === 'true') {
    body.approximate_member_count = guild.memberCount;
    body.approximate_presence_count = 1;
  }
  return body;
}

function member(ctx: RestContext, request: RestRequest): APIGuildMember {
  const guild = guildOf(ctx, request.params.guild);
  if (request.params.user === guild.botMember.user.id || request.params.user === '@me') return guild.botMember;
  const known = ctx.members.get(guild.id)?.get(request.params.user ?? '');
  if (!known) throw jsonError(RESTJSONErrorCodes.UnknownMember);
  return known;
}

/** The channel, if it exists and the bot can see it (Discord answers 403 Missing Access otherwise). */
function visibleChannel(ctx: RestContext, request: RestRequest): { guild: FakeGuild; channel: FakeGuildChannel; permissions: bigint } {
  for (const guild of ctx.guilds) {
    const channel = guild.channels.find((c) => c.id === request.params.channel);
    if (!channel) continue;
    const permissions = botChannelPermissions(guild, channel);
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) throw jsonError(RESTJSONErrorCodes.MissingAccess);
    return { guild, channel, permissions };
  }
  throw jsonError(RESTJSONErrorCodes.UnknownChannel);
}

function has(permissions: bigint, flag: bigint): boolean {
  return (permissions & flag) === flag;
}

function createChannelMessage(ctx: RestContext, request: RestRequest): APIMessage {
  const { guild, channel, permissions } = visibleChannel(ctx, request);
  if (!isTextChannel(channel)) throw jsonError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  if (!has(permissions, PermissionFlagsBits.SendMessages)) throw jsonError(RESTJSONErrorCodes.MissingPermissions);
  if (request.files.length > 0 && !has(permissions, PermissionFlagsBits.AttachFiles)) throw jsonError(RESTJSONErrorCodes.MissingPermissions);
  const body = asObject(request.body ?? {}) as MessageBodyView;
  if (body.flags != null && (body.flags & MessageFlags.Ephemeral) !== 0) {
    throw invalidFormBody([{ path: ['flags'], code: 'MESSAGE_FLAGS_INVALID', message: 'Ephemeral messages can only be sent in response to interactions' }]);
  }
  validateMessageBody(body);
  // Without Embed Links Discord drops the embeds instead of failing; an embed-only message then becomes empty.
  const effective: MessageBodyView = has(permissions, PermissionFlagsBits.EmbedLinks) ? body : { ...body, embeds: [] };
  return ctx.messages.create({
    channelId: channel.id,
    guildId: guild.id,
    author: ctx.botUser,
    body: effective,
    files: request.files,
    check: refuseEmpty,
  });
}

function channelMessage(ctx: RestContext, request: RestRequest): APIMessage {
  const { permissions } = visibleChannel(ctx, request);
  if (!has(permissions, PermissionFlagsBits.ReadMessageHistory)) throw jsonError(RESTJSONErrorCodes.MissingPermissions);
  return channelOwned(ctx, request).message;
}

function channelOwned(ctx: RestContext, request: RestRequest) {
  const stored = ctx.messages.get(request.params.message ?? '');
  // Ephemeral messages exist only for the interaction user; channel routes never see them.
  if (!stored || stored.deleted || stored.message.channel_id !== request.params.channel || ((stored.message.flags ?? 0) & MessageFlags.Ephemeral) !== 0) {
    throw jsonError(RESTJSONErrorCodes.UnknownMessage);
  }
  return stored;
}

function editChannelMessage(ctx: RestContext, request: RestRequest): APIMessage {
  visibleChannel(ctx, request);
  const stored = channelOwned(ctx, request);
  if (stored.message.author.id !== ctx.botUser.id) throw jsonError(RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser);
  const body = asObject(request.body ?? {}) as MessageBodyView;
  validateMessageBody(body);
  return ctx.messages.edit(stored.message.id, body, request.files, refuseEmpty);
}

function deleteChannelMessage(ctx: RestContext, request: RestRequest): RestResult {
  const { permissions } = visibleChannel(ctx, request);
  const stored = channelOwned(ctx, request);
  if (stored.message.author.id !== ctx.botUser.id && !has(permissions, PermissionFlagsBits.ManageMessages)) {
    throw jsonError(RESTJSONErrorCodes.MissingPermissions);
  }
  ctx.messages.delete(stored.message.id);
  return { status: 204 };
}

/** Global scope, or a guild the bot is in; another application's commands are off limits. */
function commandScope(ctx: RestContext, request: RestRequest): string | undefined {
  if (request.params.app !== ctx.applicationId) throw jsonError(RESTJSONErrorCodes.MissingAccess);
  if (request.params.guild === undefined) return undefined;
  // Discord answers 403 Missing Access when the bot is not in the guild (or lacks the applications.commands scope).
  if (!ctx.guilds.some((g) => g.id === request.params.guild)) throw jsonError(RESTJSONErrorCodes.MissingAccess);
  return request.params.guild;
}

function putCommands(ctx: RestContext, request: RestRequest) {
  const scope = commandScope(ctx, request);
  if (!Array.isArray(request.body)) throw invalidFormBody([{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }]);
  return ctx.commands.overwrite(request.body as RESTPutAPIApplicationCommandsJSONBody, scope);
}
