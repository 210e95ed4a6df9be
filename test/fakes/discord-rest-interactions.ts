import {
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  RESTJSONErrorCodes,
  type APIInteraction,
  type APIMessage,
  type APIMessageInteraction,
  type APIMessageInteractionMetadata,
  type RESTPostAPIInteractionCallbackJSONBody,
  type RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord-api-types/v10';
import { invalidFormBody, jsonError } from './discord-errors.js';
import type { InteractionRecord } from './discord-interactions.js';
import type { MessageBodyView } from './discord-messages.js';
import type { RestContext, RestRequest, RestResult, Route } from './discord-rest-types.js';
import { isEmptyMessage, validateChoices, validateMessageBody, validateModal } from './discord-validate.js';

/** Callback types Discord accepts per interaction type. */
const ALLOWED: Record<InteractionType, readonly InteractionResponseType[]> = {
  [InteractionType.Ping]: [InteractionResponseType.Pong],
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
    InteractionResponseType.LaunchActivity,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
    InteractionResponseType.LaunchActivity,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

export function interactionRoutes(ctx: RestContext): Route[] {
  return [
    { method: 'POST', pattern: '/interactions/:id/:token/callback', auth: false, handle: (r) => callback(ctx, r) },
    { method: 'POST', pattern: '/webhooks/:app/:token', auth: false, handle: (r) => followUp(ctx, r) },
    { method: 'GET', pattern: '/webhooks/:app/:token/messages/:message', auth: false, handle: (r) => getMessage(ctx, r) },
    { method: 'PATCH', pattern: '/webhooks/:app/:token/messages/:message', auth: false, handle: (r) => editMessage(ctx, r) },
    { method: 'DELETE', pattern: '/webhooks/:app/:token/messages/:message', auth: false, handle: (r) => deleteMessage(ctx, r) },
  ];
}

export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidFormBody([{ path: [], code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' }]);
  }
  return body as Record<string, unknown>;
}

function callback(ctx: RestContext, request: RestRequest): RestResult {
  const record = ctx.interactions.get(request.params.token ?? '');
  if (!record || record.payload.id !== request.params.id) throw jsonError(RESTJSONErrorCodes.UnknownInteraction);
  if (record.callbacks.length > 0) throw jsonError(RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged);
  if (Date.now() - record.createdAt > ctx.interactionAckTimeoutMs) throw jsonError(RESTJSONErrorCodes.UnknownInteraction);
  const raw = asObject(request.body);
  if (typeof raw.type !== 'number') throw invalidFormBody([{ path: ['type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
  const body = raw as unknown as RESTPostAPIInteractionCallbackJSONBody;
  if (!ALLOWED[record.payload.type].includes(body.type)) {
    throw invalidFormBody([{ path: ['type'], code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: 'Interaction callback type is not valid for this interaction' }]);
  }
  const payload = record.payload;
  let message: APIMessage | undefined;
  switch (body.type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const data: MessageBodyView = body.data ?? {};
      validateMessageBody(data);
      message = createResponseMessage(ctx, record, data, request, 0);
      record.originalMessageId = message.id;
      break;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource:
      // Discord shows "<bot> is thinking..." as a real message flagged Loading until the bot edits it.
      message = createResponseMessage(ctx, record, { content: '' }, { ...request, files: [] }, MessageFlags.Loading | ((body.data?.flags ?? 0) & MessageFlags.Ephemeral));
      record.originalMessageId = message.id;
      break;
    case InteractionResponseType.UpdateMessage: {
      const data: MessageBodyView = body.data ?? {};
      validateMessageBody(data);
      message = editChecked(ctx, requireOriginal(ctx, record), data, request);
      break;
    }
    case InteractionResponseType.ApplicationCommandAutocompleteResult:
      validateChoices(body.data.choices);
      break;
    case InteractionResponseType.Modal:
      validateModal(body.data);
      break;
    default:
      break;
  }
  record.callbacks.push({ type: body.type, body, files: request.files, withResponse: request.query.get('with_response') === 'true', at: Date.now() });
  ctx.interactions.changed();
  if (request.query.get('with_response') !== 'true') return { status: 204 };
  const result: RESTPostAPIInteractionCallbackWithResponseResult = {
    interaction: { id: payload.id, type: payload.type },
    resource: { type: body.type },
  };
  if (message) {
    result.interaction.response_message_id = message.id;
    result.interaction.response_message_loading = ((message.flags ?? 0) & MessageFlags.Loading) !== 0;
    result.interaction.response_message_ephemeral = ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    if (result.resource) result.resource.message = message;
  }
  return { status: 200, body: result };
}

function followUp(ctx: RestContext, request: RestRequest): RestResult {
  const record = webhookRecord(ctx, request);
  const data = asObject(request.body ?? {}) as MessageBodyView;
  validateMessageBody(data);
  const original = record.originalMessageId === undefined ? undefined : ctx.messages.get(record.originalMessageId);
  const first = record.callbacks[0];
  // Documented: the first follow-up after a deferred reply replaces the loading message; the ACK decided ephemerality.
  if (first?.type === InteractionResponseType.DeferredChannelMessageWithSource && original && !original.deleted && ((original.message.flags ?? 0) & MessageFlags.Loading) !== 0) {
    const { flags: _ignored, ...rest } = data;
    const message = editChecked(ctx, original.message, rest, request);
    record.originalEdits += 1;
    ctx.interactions.changed();
    return { status: 200, body: message };
  }
  // Interaction follow-ups behave as if ?wait=true were always set.
  const message = createResponseMessage(ctx, record, data, request, 0, original?.message.id);
  record.followUpIds.push(message.id);
  ctx.interactions.changed();
  return { status: 200, body: message };
}

function getMessage(ctx: RestContext, request: RestRequest): RestResult {
  const record = webhookRecord(ctx, request);
  return { status: 200, body: targetMessage(ctx, record, request.params.message ?? '') };
}

function editMessage(ctx: RestContext, request: RestRequest): RestResult {
  const record = webhookRecord(ctx, request);
  const target = targetMessage(ctx, record, request.params.message ?? '');
  const data = asObject(request.body ?? {}) as MessageBodyView;
  validateMessageBody(data);
  const message = editChecked(ctx, target, data, request);
  if (target.id === record.originalMessageId) record.originalEdits += 1;
  ctx.interactions.changed();
  return { status: 200, body: message };
}

function deleteMessage(ctx: RestContext, request: RestRequest): RestResult {
  const record = webhookRecord(ctx, request);
  const target = targetMessage(ctx, record, request.params.message ?? '');
  ctx.messages.delete(target.id);
  ctx.interactions.changed();
  return { status: 204 };
}

/** The interaction behind /webhooks/{application.id}/{interaction.token}; it only exists once acknowledged. */
function webhookRecord(ctx: RestContext, request: RestRequest): InteractionRecord {
  if (request.params.app !== ctx.applicationId) throw jsonError(RESTJSONErrorCodes.UnknownWebhook);
  const record = ctx.interactions.get(request.params.token ?? '');
  if (!record) throw jsonError(RESTJSONErrorCodes.InvalidWebhookToken);
  if (record.callbacks.length === 0) throw jsonError(RESTJSONErrorCodes.UnknownWebhook);
  return record;
}

/** `@original` or one of this interaction's follow-ups; anything else is an Unknown Message. */
function targetMessage(ctx: RestContext, record: InteractionRecord, ref: string): APIMessage {
  const id = ref === '@original' ? record.originalMessageId : ref;
  const owned = id !== undefined && (id === record.originalMessageId || record.followUpIds.includes(id));
  const stored = owned ? ctx.messages.get(id) : undefined;
  if (!stored || stored.deleted) throw jsonError(RESTJSONErrorCodes.UnknownMessage);
  return stored.message;
}

function requireOriginal(ctx: RestContext, record: InteractionRecord): APIMessage {
  return targetMessage(ctx, record, '@original');
}

function editChecked(ctx: RestContext, target: APIMessage, data: MessageBodyView, request: RestRequest): APIMessage {
  return ctx.messages.edit(target.id, data, request.files, refuseEmpty);
}

/** Discord refuses messages, new or edited, that would show nothing. */
export function refuseEmpty(message: APIMessage): void {
  if (isEmptyMessage(message)) throw jsonError(RESTJSONErrorCodes.CannotSendAnEmptyMessage);
}

function createResponseMessage(
  ctx: RestContext,
  record: InteractionRecord,
  data: MessageBodyView,
  request: Pick<RestRequest, 'files'>,
  forcedFlags: number,
  originalId?: string,
): APIMessage {
  const payload = record.payload;
  const loading = (forcedFlags & MessageFlags.Loading) !== 0;
  const isOriginal = originalId === undefined;
  return ctx.messages.create({
    channelId: payload.channel?.id ?? '',
    guildId: payload.guild_id,
    origin: { context: payload.context, owners: payload.authorizing_integration_owners },
    author: ctx.botUser,
    body: data,
    files: request.files,
    forcedFlags,
    type: isOriginal && payload.type === InteractionType.ApplicationCommand && payload.data.type === ApplicationCommandType.ChatInput ? MessageType.ChatInputCommand : MessageType.Default,
    webhookId: ctx.applicationId,
    applicationId: ctx.applicationId,
    interaction: interactionMetadata(payload, originalId),
    check: loading ? undefined : refuseEmpty,
  });
}

function interactionMetadata(payload: APIInteraction, originalId: string | undefined): { metadata: APIMessageInteractionMetadata; legacy: APIMessageInteraction } {
  const user = payload.member?.user ?? payload.user;
  if (!user) throw new Error('fake discord: interaction without a user');
  const base = { id: payload.id, user, authorizing_integration_owners: payload.authorizing_integration_owners };
  const extra = originalId === undefined ? {} : { original_response_message_id: originalId };
  if (payload.type === InteractionType.MessageComponent) {
    return {
      metadata: { ...base, ...extra, type: InteractionType.MessageComponent, interacted_message_id: payload.message.id },
      legacy: { id: payload.id, type: payload.type, name: payload.data.custom_id, user },
    };
  }
  const name = payload.type === InteractionType.ApplicationCommand ? payload.data.name : '';
  return {
    metadata: { ...base, ...extra, type: InteractionType.ApplicationCommand },
    legacy: { id: payload.id, type: InteractionType.ApplicationCommand, name, user },
  };
}
