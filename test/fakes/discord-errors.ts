import {
  RESTJSONErrorCodes,
  type RESTError,
  type RESTErrorData,
  type RESTErrorFieldInformation,
  type RESTRateLimit,
} from 'discord-api-types/v10';

/** An error Discord answers with: HTTP status plus its documented JSON body. */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: RESTError,
  ) {
    super(`${status} ${body.message}`);
  }
}

/** Discord's bodies for errors that have no JSON error code, e.g. `{"message": "401: Unauthorized", "code": 0}`. */
export function httpStatusError(status: 401 | 403 | 404 | 405 | 500 | 502 | 503 | 504): DiscordHttpError {
  const reason: Record<typeof status, string> = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return new DiscordHttpError(status, { message: `${status}: ${reason[status]}`, code: 0 });
}

const messages: Partial<Record<RESTJSONErrorCodes, string>> = {
  [RESTJSONErrorCodes.UnknownChannel]: 'Unknown Channel',
  [RESTJSONErrorCodes.UnknownGuild]: 'Unknown Guild',
  [RESTJSONErrorCodes.UnknownMember]: 'Unknown Member',
  [RESTJSONErrorCodes.UnknownMessage]: 'Unknown Message',
  [RESTJSONErrorCodes.UnknownWebhook]: 'Unknown Webhook',
  [RESTJSONErrorCodes.UnknownApplication]: 'Unknown Application',
  [RESTJSONErrorCodes.UnknownInteraction]: 'Unknown interaction',
  [RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged]: 'Interaction has already been acknowledged.',
  [RESTJSONErrorCodes.MissingAccess]: 'Missing Access',
  [RESTJSONErrorCodes.MissingPermissions]: 'Missing Permissions',
  [RESTJSONErrorCodes.CannotSendAnEmptyMessage]: 'Cannot send an empty message',
  [RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser]: 'Cannot edit a message authored by another user',
  [RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType]: 'Cannot execute action on this channel type',
  [RESTJSONErrorCodes.InvalidWebhookToken]: 'Invalid Webhook Token',
  [RESTJSONErrorCodes.InvalidFormBodyOrContentType]: 'Invalid Form Body',
  [RESTJSONErrorCodes.RequestBodyContainsInvalidJSON]: 'The request body contains invalid JSON.',
};

const statusOf: Partial<Record<RESTJSONErrorCodes, number>> = {
  [RESTJSONErrorCodes.MissingAccess]: 403,
  [RESTJSONErrorCodes.MissingPermissions]: 403,
  [RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser]: 403,
  [RESTJSONErrorCodes.InvalidWebhookToken]: 401,
};

export function jsonError(code: RESTJSONErrorCodes, errors?: RESTErrorData): DiscordHttpError {
  // 10xxx codes are the "Unknown <thing>" family, which Discord answers with 404.
  const numeric: number = code;
  const status = statusOf[code] ?? (numeric >= 10_001 && numeric < 20_000 ? 404 : 400);
  const body: RESTError = { message: messages[code] ?? `Error ${code}`, code };
  if (errors !== undefined) body.errors = errors;
  return new DiscordHttpError(status, body);
}

/** One field problem as Discord nests it: `{ content: { _errors: [{ code, message }] } }`. */
export interface FieldProblem {
  path: readonly (string | number)[];
  code: string;
  message: string;
}

export function invalidFormBody(problems: readonly FieldProblem[]): DiscordHttpError {
  const root: ErrorNode = { errors: [], children: new Map() };
  for (const problem of problems) {
    let node = root;
    for (const key of problem.path) {
      let child = node.children.get(String(key));
      if (!child) {
        child = { errors: [], children: new Map() };
        node.children.set(String(key), child);
      }
      node = child;
    }
    node.errors.push({ code: problem.code, message: problem.message });
  }
  return jsonError(RESTJSONErrorCodes.InvalidFormBodyOrContentType, toErrorData(root));
}

interface ErrorNode {
  errors: RESTErrorFieldInformation[];
  children: Map<string, ErrorNode>;
}

function toErrorData(node: ErrorNode): RESTErrorData {
  const children: Record<string, RESTErrorData> = {};
  for (const [key, child] of node.children) children[key] = toErrorData(child);
  return node.errors.length > 0 ? { ...children, _errors: node.errors } : children;
}

export function rateLimitBody(retryAfterSeconds: number, global: boolean): RESTRateLimit {
  return { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global };
}
