import {
  EmbedType,
  type InteractionContextType,
  type APIAuthorizingIntegrationOwnersMap,
  MessageFlags,
  MessageType,
  type APIAllowedMentions,
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIMessageInteraction,
  type APIMessageInteractionMetadata,
  type APIMessageTopLevelComponent,
  type APIUser,
  type RESTAPIAttachment,
  type RESTAPIMessageReference,
  type RESTAPIPoll,
} from 'discord-api-types/v10';
import { snowflake } from './discord-ids.js';
import type { UploadedFile } from './discord-http.js';

/**
 * The fields shared by every body that creates or edits a message: channel messages, webhook
 * executions, interaction callbacks (types 4 and 7) and @original / follow-up edits. Edits may send null to clear.
 */
export interface MessageBodyView {
  content?: string | null | undefined;
  embeds?: APIEmbed[] | null | undefined;
  components?: APIMessageTopLevelComponent[] | null | undefined;
  attachments?: RESTAPIAttachment[] | null | undefined;
  flags?: MessageFlags | null | undefined;
  tts?: boolean | undefined;
  poll?: RESTAPIPoll | undefined;
  sticker_ids?: readonly string[] | undefined;
  allowed_mentions?: APIAllowedMentions | null | undefined;
  message_reference?: RESTAPIMessageReference | undefined;
}

/** Where an interaction response was sent from, so a click on it comes from the same place. */
export interface MessageOrigin {
  context: InteractionContextType | undefined;
  owners: APIAuthorizingIntegrationOwnersMap;
}

export interface StoredMessage {
  message: APIMessage;
  guildId: string | undefined;
  origin?: MessageOrigin | undefined;
  deleted: boolean;
  /** Earlier versions, oldest first, so tests can see what the user saw before an edit. */
  history: APIMessage[];
}

export interface CreateMessageArgs {
  channelId: string;
  guildId: string | undefined;
  origin?: MessageOrigin | undefined;
  author: APIUser;
  body: MessageBodyView;
  files: readonly UploadedFile[];
  type?: MessageType;
  /** Flags Discord sets itself (Loading for deferrals, Ephemeral decided by the ACK). */
  forcedFlags?: number;
  webhookId?: string;
  applicationId?: string;
  interaction?: { metadata: APIMessageInteractionMetadata; legacy: APIMessageInteraction };
  /** Runs on the finished message before it is stored; throw to refuse it (e.g. empty messages). */
  check?: (message: APIMessage) => void;
}

// Flags a bot may set on a message it sends; Discord ignores the rest.
const SETTABLE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.Ephemeral | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;

export class MessageStore {
  private readonly messages = new Map<string, StoredMessage>();
  private readonly blobs = new Map<string, UploadedFile>();

  constructor(private readonly baseUrl: () => string) {}

  get(id: string): StoredMessage | undefined {
    return this.messages.get(id);
  }

  /** Live (not deleted) messages in a channel, oldest first. */
  inChannel(channelId: string): APIMessage[] {
    return [...this.messages.values()].filter((m) => !m.deleted && m.message.channel_id === channelId).map((m) => m.message);
  }

  all(): StoredMessage[] {
    return [...this.messages.values()];
  }

  attachmentData(attachmentId: string): UploadedFile | undefined {
    return this.blobs.get(attachmentId);
  }

  create(args: CreateMessageArgs): APIMessage {
    const id = snowflake();
    const flags = ((args.body.flags ?? 0) & SETTABLE_FLAGS) | (args.forcedFlags ?? 0);
    const message: APIMessage = {
      id,
      channel_id: args.channelId,
      author: args.author,
      content: args.body.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: args.body.tts ?? false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: this.attachmentsFor(args.channelId, args.body.attachments ?? undefined, args.files, [], flags),
      embeds: normalizeEmbeds(args.body.embeds ?? []),
      components: numberComponents(args.body.components ?? []),
      pinned: false,
      type: args.type ?? MessageType.Default,
      flags,
    };
    if (args.webhookId !== undefined) message.webhook_id = args.webhookId;
    if (args.applicationId !== undefined) message.application_id = args.applicationId;
    if (args.interaction) {
      message.interaction_metadata = args.interaction.metadata;
      message.interaction = args.interaction.legacy;
    }
    args.check?.(message);
    this.messages.set(id, { message, guildId: args.guildId, origin: args.origin, deleted: false, history: [] });
    return message;
  }

  /** PATCH semantics: absent fields stay, null clears. Resolving a deferred (Loading) message is not an "edit". */
  edit(id: string, body: MessageBodyView, files: readonly UploadedFile[], check?: (message: APIMessage) => void): APIMessage {
    const stored = this.mustGet(id);
    const previous = stored.message;
    const wasLoading = ((previous.flags ?? 0) & MessageFlags.Loading) !== 0;
    const next: APIMessage = structuredClone(previous);
    if (body.content !== undefined) next.content = body.content ?? '';
    if (body.embeds !== undefined) next.embeds = normalizeEmbeds(body.embeds ?? []);
    if (body.components !== undefined) next.components = numberComponents(body.components ?? []);
    // Ephemerality and Loading are decided by Discord, never by an edit.
    const requested = body.flags == null ? (previous.flags ?? 0) : body.flags & SETTABLE_FLAGS;
    next.flags = (requested & ~(MessageFlags.Ephemeral | MessageFlags.Loading)) | ((previous.flags ?? 0) & MessageFlags.Ephemeral);
    if (body.attachments !== undefined || files.length > 0) {
      next.attachments = this.attachmentsFor(previous.channel_id, body.attachments ?? undefined, files, previous.attachments, next.flags);
    }
    if (!wasLoading) next.edited_timestamp = new Date().toISOString();
    check?.(next);
    stored.history.push(previous);
    stored.message = next;
    return next;
  }

  delete(id: string): void {
    this.mustGet(id).deleted = true;
  }

  private mustGet(id: string): StoredMessage {
    const stored = this.messages.get(id);
    if (!stored) throw new Error(`fake discord: no message ${id}`);
    return stored;
  }

  /**
   * `attachments[].id` is either the n of an uploaded `files[n]` (a new file) or the snowflake of an attachment
   * the message already has (keep it). Without an `attachments` list every upload is added.
   */
  private attachmentsFor(
    channelId: string,
    listed: RESTAPIAttachment[] | undefined,
    files: readonly UploadedFile[],
    existing: readonly APIAttachment[],
    flags: number,
  ): APIAttachment[] {
    const ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
    if (listed === undefined) {
      return [...existing, ...files.map((file) => this.upload(channelId, file, undefined, ephemeral))];
    }
    const result: APIAttachment[] = [];
    for (const entry of listed) {
      const upload = files.find((file) => file.index !== null && String(file.index) === String(entry.id));
      if (upload) {
        result.push(this.upload(channelId, upload, entry, ephemeral));
        continue;
      }
      const kept = existing.find((attachment) => attachment.id === String(entry.id));
      if (kept) result.push(kept);
    }
    return result;
  }

  private upload(channelId: string, file: UploadedFile, entry: RESTAPIAttachment | undefined, ephemeral: boolean): APIAttachment {
    const id = snowflake();
    const filename = entry?.filename ?? file.filename;
    this.blobs.set(id, file);
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    const attachment: APIAttachment = {
      id,
      filename,
      size: file.size,
      url: `${this.baseUrl()}${path}`,
      proxy_url: `${this.baseUrl()}${path}`,
      content_type: file.contentType,
    };
    if (entry?.description !== undefined) attachment.description = entry.description;
    if (entry?.title !== undefined) attachment.title = entry.title;
    if (ephemeral) attachment.ephemeral = true;
    return attachment;
  }
}

/** Discord stores embeds with a type and explicit field inlining. */
function normalizeEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  return embeds.map((embed) => {
    const normalized: APIEmbed = { type: EmbedType.Rich, ...embed };
    if (embed.fields) normalized.fields = embed.fields.map((field) => ({ ...field, inline: field.inline ?? false }));
    return normalized;
  });
}

/** Discord numbers every component (`id`) in a message when the sender did not. */
function numberComponents(components: readonly APIMessageTopLevelComponent[]): APIMessageTopLevelComponent[] {
  const copy = structuredClone(components) as APIMessageTopLevelComponent[];
  const used = new Set<number>();
  walk(copy, (node) => {
    if (typeof node.id === 'number') used.add(node.id);
  });
  let next = 1;
  walk(copy, (node) => {
    if (typeof node.id === 'number') return;
    while (used.has(next)) next += 1;
    node.id = next;
    used.add(next);
  });
  return copy;
}

interface ComponentNode {
  type?: unknown;
  id?: unknown;
  components?: unknown;
  accessory?: unknown;
}

function walk(nodes: unknown, visit: (node: ComponentNode) => void): void {
  if (!Array.isArray(nodes)) return;
  for (const node of nodes as unknown[]) {
    if (typeof node !== 'object' || node === null) continue;
    const component = node as ComponentNode;
    if (typeof component.type !== 'number') continue;
    visit(component);
    walk(component.components, visit);
    if (component.accessory !== undefined) walk([component.accessory], visit);
  }
}
