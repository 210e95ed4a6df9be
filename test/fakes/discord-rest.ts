import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { DiscordHttpError, httpStatusError, jsonError } from './discord-errors.js';
import type { FaultInjector } from './discord-faults.js';
import { parseBody, readRaw, sendJson, sendNoContent, type ParsedBody } from './discord-http.js';
import type { CallRecorder, RecordedCall } from './discord-recorder.js';
import { interactionRoutes } from './discord-rest-interactions.js';
import { resourceRoutes } from './discord-rest-resources.js';
import type { RestContext, Route } from './discord-rest-types.js';

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  injected: boolean;
}

/** Serves Discord's HTTP API under /api/v10 (and /api/v9) and records every request. */
export class FakeRest {
  private readonly routes: Route[];

  constructor(
    private readonly ctx: RestContext,
    private readonly recorder: CallRecorder,
    private readonly faults: FaultInjector,
  ) {
    this.routes = [...resourceRoutes(ctx), ...interactionRoutes(ctx)];
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'GET' && url.pathname.startsWith('/attachments/')) return this.serveAttachment(url.pathname, res);
    const match = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(url.pathname);
    // discord.js encodes route parameters (`@original` arrives as `%40original`); routes and recordings see them decoded.
    const segments = (match?.[2] ?? '/').split('/').slice(1).map(safeDecode);
    const path = `/${segments.join('/')}`;
    const call: RecordedCall = {
      method,
      path,
      apiVersion: match?.[1] === undefined ? null : Number(match[1]),
      query: Object.fromEntries(url.searchParams),
      headers: {
        ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
        ...(req.headers['user-agent'] === undefined ? {} : { userAgent: req.headers['user-agent'] }),
        ...(req.headers['content-type'] === undefined ? {} : { contentType: req.headers['content-type'] }),
      },
      body: undefined,
      files: [],
      status: 0,
      response: undefined,
      injected: false,
      at: Date.now(),
    };
    const answer = await this.answer(req, url, match, segments, call);
    call.status = answer.status;
    call.response = answer.status === 204 ? undefined : answer.body;
    call.injected = answer.injected;
    if (answer.status === 204) sendNoContent(res, answer.headers);
    else sendJson(res, answer.status, answer.body, answer.headers);
    this.recorder.record(call);
  }

  private async answer(req: IncomingMessage, url: URL, match: RegExpExecArray | null, segments: string[], call: RecordedCall): Promise<Answer> {
    const fail = (error: DiscordHttpError, injected = false): Answer => ({ status: error.status, body: error.body, headers: {}, injected });
    let parsed: ParsedBody;
    try {
      parsed = await parseBody(await readRaw(req), req.headers['content-type']);
    } catch (error) {
      if (error instanceof DiscordHttpError) return fail(error);
      throw error;
    }
    call.body = parsed.json;
    call.files = parsed.files;
    if (!match) return fail(httpStatusError(404));
    if (call.apiVersion !== null && call.apiVersion !== 9 && call.apiVersion !== 10) return fail(jsonError(RESTJSONErrorCodes.InvalidAPIVersion));

    const delay = this.faults.takeDelay(call.method, call.path);
    if (delay > 0) await sleep(delay);

    const candidates = this.routes.filter((r) => matchParams(r.pattern, segments) !== undefined);
    const route = candidates.find((r) => r.method === call.method);
    const bucket = bucketOf(call.method, route?.pattern ?? call.path);
    const injected = this.faults.takeFailure(call.method, call.path, bucket);
    if (injected) return { ...injected, injected: true };
    if (!route) return fail(httpStatusError(candidates.length > 0 ? 405 : 404));
    if (route.auth && req.headers.authorization !== `Bot ${this.ctx.token}`) return fail(httpStatusError(401));

    try {
      const result = route.handle({
        method: call.method,
        params: matchParams(route.pattern, segments) ?? {},
        query: url.searchParams,
        body: parsed.json,
        files: parsed.files,
      });
      return { status: result.status, body: result.body, headers: rateLimitHeaders(bucket), injected: false };
    } catch (error) {
      if (error instanceof DiscordHttpError) return fail(error);
      // A bug in the fake must not pass for a Discord outage: shout, then answer like Discord would.
      console.error(`fake discord: ${call.method} ${call.path} crashed`, error);
      return fail(httpStatusError(500));
    }
  }

  private serveAttachment(pathname: string, res: ServerResponse): void {
    const id = pathname.split('/')[3] ?? '';
    const file = this.ctx.messages.attachmentData(id);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.size });
    res.end(file.data);
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchParams(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').slice(1);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

function bucketOf(method: string, pattern: string): string {
  return createHash('sha1').update(`${method} ${pattern}`).digest('hex').slice(0, 32);
}

/** Discord sends bucket headers on every answer; these never ask discord.js to wait. */
function rateLimitHeaders(bucket: string): Record<string, string> {
  return {
    'x-ratelimit-bucket': bucket,
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '4',
    'x-ratelimit-reset': ((Date.now() + 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': '1.000',
  };
}
