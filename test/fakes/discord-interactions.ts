import {
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIApplicationCommandOptionChoice,
  type APIInteraction,
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  type RESTPostAPIInteractionCallbackJSONBody,
} from 'discord-api-types/v10';
import type { UploadedFile } from './discord-http.js';
import type { MessageStore } from './discord-messages.js';
import type { CallRecorder } from './discord-recorder.js';
import { waitUntil, type WaitOptions } from './discord-wait.js';

/** An accepted POST /interactions/{id}/{token}/callback. */
export interface RecordedCallback {
  type: InteractionResponseType;
  body: RESTPostAPIInteractionCallbackJSONBody;
  files: UploadedFile[];
  withResponse: boolean;
  at: number;
}

/** Internal, mutable per-interaction state, keyed by token. */
export interface InteractionRecord {
  payload: APIInteraction;
  createdAt: number;
  callbacks: RecordedCallback[];
  /** The message @original points at: a reply, a deferral's loading message, or the clicked message. */
  originalMessageId: string | undefined;
  followUpIds: string[];
  /** PATCHes of @original after the callback (a deferred update settles on the first). */
  originalEdits: number;
}

/** What the invoking user sees for one interaction, at one moment. */
export interface InteractionSnapshot {
  id: string;
  token: string;
  acknowledged: boolean;
  callbacks: RecordedCallback[];
  /** Id of the @original message, even once deleted. */
  originalId: string | undefined;
  /** Current @original message; null when there is none or it was deleted. */
  original: APIMessage | null;
  originalDeleted: boolean;
  /** Versions @original went through before the current one (e.g. the loading message of a deferral). */
  originalHistory: APIMessage[];
  /** How many times the bot edited @original after acknowledging. */
  originalEdits: number;
  /** Follow-ups still visible, current versions, in send order. */
  followUps: APIMessage[];
  /** Autocomplete choices (callback type 8). */
  choices: APIApplicationCommandOptionChoice[] | undefined;
  /** Modal the bot opened (callback type 9). */
  modal: APIModalInteractionResponseCallbackData | undefined;
}

/** What the user sees last for an interaction: its latest follow-up, else @original. */
export function answerOf(state: Pick<InteractionSnapshot, 'followUps' | 'original'>): APIMessage | null {
  return state.followUps.at(-1) ?? state.original;
}

export class InteractionRegistry {
  private readonly byToken = new Map<string, InteractionRecord>();

  constructor(
    private readonly messages: MessageStore,
    private readonly recorder: CallRecorder,
  ) {}

  register(payload: APIInteraction): InteractionRecord {
    const record: InteractionRecord = { payload, createdAt: Date.now(), callbacks: [], originalMessageId: undefined, followUpIds: [], originalEdits: 0 };
    // A component's @original is the message it sits on until the bot replies anew.
    if (payload.type === InteractionType.MessageComponent) record.originalMessageId = payload.message.id;
    this.byToken.set(payload.token, record);
    return record;
  }

  get(token: string): InteractionRecord | undefined {
    return this.byToken.get(token);
  }

  snapshot(record: InteractionRecord): InteractionSnapshot {
    const original = record.originalMessageId === undefined ? undefined : this.messages.get(record.originalMessageId);
    const lastOf = (type: InteractionResponseType) => record.callbacks.find((c) => c.type === type)?.body;
    const autocomplete = lastOf(InteractionResponseType.ApplicationCommandAutocompleteResult);
    const modal = lastOf(InteractionResponseType.Modal);
    return {
      id: record.payload.id,
      token: record.payload.token,
      acknowledged: record.callbacks.length > 0,
      callbacks: [...record.callbacks],
      originalId: record.originalMessageId,
      original: original && !original.deleted ? original.message : null,
      originalDeleted: original?.deleted ?? false,
      originalHistory: original ? [...original.history] : [],
      originalEdits: record.originalEdits,
      followUps: record.followUpIds.flatMap((id) => {
        const stored = this.messages.get(id);
        return stored && !stored.deleted ? [stored.message] : [];
      }),
      choices: autocomplete?.type === InteractionResponseType.ApplicationCommandAutocompleteResult ? (autocomplete.data.choices ?? []) : undefined,
      modal: modal?.type === InteractionResponseType.Modal ? modal.data : undefined,
    };
  }

  changed(): void {
    this.recorder.changed();
  }

  handle<P extends APIInteraction>(record: InteractionRecord): InteractionHandle<P> {
    return new InteractionHandle<P>(this, record, this.recorder);
  }
}

export interface FinalOptions extends WaitOptions {
  /** Extra condition on top of "settled", e.g. `(s) => s.followUps.length === 2`. */
  until?: (snapshot: InteractionSnapshot) => boolean;
}

/** Returned by fake.command()/autocomplete()/button(): what was sent, and waits on what the bot did with it. */
export class InteractionHandle<P extends APIInteraction = APIInteraction> {
  /** The gateway shards (`[shard_id, num_shards]`) the interaction was delivered on. */
  deliveredOn: [number, number][] = [];

  constructor(
    private readonly registry: InteractionRegistry,
    private readonly record: InteractionRecord,
    private readonly recorder: CallRecorder,
  ) {}

  get payload(): P {
    return this.record.payload as P;
  }

  get id(): string {
    return this.record.payload.id;
  }

  get token(): string {
    return this.record.payload.token;
  }

  get state(): InteractionSnapshot {
    return this.registry.snapshot(this.record);
  }

  async waitFor(predicate: (snapshot: InteractionSnapshot) => boolean, what: string, options?: WaitOptions): Promise<InteractionSnapshot> {
    return waitUntil(
      this.recorder.events,
      'change',
      () => {
        const snapshot = this.state;
        return predicate(snapshot) ? snapshot : undefined;
      },
      `${what} (interaction ${this.id})`,
      () => `${describe(this.state)}\nREST calls:\n${this.recorder.describe()}`,
      options,
    );
  }

  /** The first accepted interaction callback (reply, deferral, update, choices or modal). */
  async reply(options?: WaitOptions): Promise<RecordedCallback> {
    const snapshot = await this.waitFor((s) => s.acknowledged, 'the interaction callback', options);
    return snapshot.callbacks[0]!;
  }

  /**
   * Waits until what the user sees has settled: a reply/update/choices/modal was sent, or a deferral was
   * followed by an edit of @original, its deletion, or a follow-up. Use `until` to wait for more.
   */
  async final(options: FinalOptions = {}): Promise<InteractionSnapshot> {
    return this.waitFor((s) => isSettled(s) && (options.until?.(s) ?? true), 'the final reply', options);
  }

  async followUps(count: number, options?: WaitOptions): Promise<APIMessage[]> {
    const snapshot = await this.waitFor((s) => s.followUps.length >= count, `${count} follow-up(s)`, options);
    return snapshot.followUps;
  }

  async choices(options?: WaitOptions): Promise<APIApplicationCommandOptionChoice[]> {
    const snapshot = await this.waitFor((s) => s.choices !== undefined, 'autocomplete choices', options);
    return snapshot.choices ?? [];
  }

  async modal(options?: WaitOptions): Promise<APIModalInteractionResponseCallbackData> {
    const snapshot = await this.waitFor((s) => s.modal !== undefined, 'a modal', options);
    return snapshot.modal!;
  }
}

function isSettled(s: InteractionSnapshot): boolean {
  const first = s.callbacks[0];
  if (!first) return false;
  switch (first.type) {
    case InteractionResponseType.DeferredChannelMessageWithSource:
      return s.originalDeleted || (s.original !== null && ((s.original.flags ?? 0) & MessageFlags.Loading) === 0) || s.followUps.length > 0;
    case InteractionResponseType.DeferredMessageUpdate:
      return s.originalDeleted || s.originalEdits > 0 || s.followUps.length > 0;
    default:
      return true;
  }
}

function describe(s: InteractionSnapshot): string {
  const original = s.original ? JSON.stringify({ content: s.original.content, flags: s.original.flags, embeds: s.original.embeds.length }) : 'none';
  return [
    `  callbacks: ${s.callbacks.map((c) => c.type).join(', ') || 'none'}`,
    `  @original: ${original}${s.originalDeleted ? ' (deleted)' : ''}`,
    `  follow-ups: ${s.followUps.length}`,
  ].join('\n');
}
