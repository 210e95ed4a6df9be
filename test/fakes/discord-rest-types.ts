import type { APIGatewaySessionStartLimit, APIGuildMember, APIUser } from 'discord-api-types/v10';
import type { CommandRegistry } from './discord-commands.js';
import type { UploadedFile } from './discord-http.js';
import type { InteractionRegistry } from './discord-interactions.js';
import type { MessageStore } from './discord-messages.js';
import type { FakeGuild } from './discord-world.js';

export interface RestRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

export interface RestResult {
  status: number;
  /** JSON body; omitted for 204. */
  body?: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Segments after `/api/v10`, with `:name` parameters, e.g. `/channels/:channel/messages`. */
  pattern: string;
  /** Whether `Authorization: Bot <token>` is required (webhook and interaction routes authenticate by URL token). */
  auth: boolean;
  handle: (request: RestRequest) => RestResult;
}

/** Everything the REST routes read and change. */
export interface RestContext {
  token: string;
  applicationId: string;
  botUser: APIUser;
  guilds: readonly FakeGuild[];
  /** Guild members the fake knows besides the bot (interaction users), per guild id. */
  members: Map<string, Map<string, APIGuildMember>>;
  messages: MessageStore;
  interactions: InteractionRegistry;
  commands: CommandRegistry;
  httpUrl(): string;
  gatewayUrl(): string;
  /** GET /gateway/bot's `shards`. */
  recommendedShards: number;
  sessionStartLimit(): APIGatewaySessionStartLimit;
  /** Discord forgets an interaction that was not acknowledged within 3 s. */
  interactionAckTimeoutMs: number;
}
