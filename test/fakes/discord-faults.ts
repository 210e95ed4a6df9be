import type { RESTError } from 'discord-api-types/v10';
import { httpStatusError, rateLimitBody } from './discord-errors.js';

export interface FailRule {
  /** Any method when omitted. */
  method?: string;
  /** Tested against the decoded path below `/api/v10`, e.g. `/interactions/1/tok/callback`. */
  path: RegExp;
  status: number;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** 429 only: seconds in `retry-after` / `retry_after`; default 0.05 so suites stay fast. */
  retryAfterSeconds?: number;
  /** 429 only: a global rate limit (`x-ratelimit-global`, scope `global`). */
  global?: boolean;
  /** 429 only: `x-ratelimit-scope` for non-global limits; default 'user'. */
  scope?: 'user' | 'shared';
  /** Override the JSON error body (other 4xx). */
  body?: RESTError;
}

export interface DelayRule {
  method?: string;
  path: RegExp;
  ms: number;
  /** Default: every matching request. */
  times?: number;
}

export interface InjectedResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface Armed<T> {
  rule: T;
  left: number;
}

/** failNext()/delay() rules; each matching request consumes one use. */
export class FaultInjector {
  private failures: Armed<FailRule>[] = [];
  private delays: Armed<DelayRule>[] = [];

  failNext(rule: FailRule): void {
    this.failures.push({ rule, left: rule.times ?? 1 });
  }

  delay(rule: DelayRule): void {
    this.delays.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.failures = [];
    this.delays = [];
  }

  takeDelay(method: string, path: string): number {
    const armed = this.take(this.delays, method, path);
    return armed?.ms ?? 0;
  }

  takeFailure(method: string, path: string, bucket: string): InjectedResponse | undefined {
    const rule = this.take(this.failures, method, path);
    return rule ? respond(rule, bucket) : undefined;
  }

  private take<T extends { method?: string; path: RegExp }>(list: Armed<T>[], method: string, path: string): T | undefined {
    const armed = list.find((a) => a.left > 0 && (a.rule.method === undefined || a.rule.method.toUpperCase() === method) && a.rule.path.test(path));
    if (!armed) return undefined;
    armed.left -= 1;
    return armed.rule;
  }
}

/** Discord's real 429 and 5xx shapes, so discord.js's retry logic runs exactly as in production. */
function respond(rule: FailRule, bucket: string): InjectedResponse {
  if (rule.status === 429) {
    const retryAfter = rule.retryAfterSeconds ?? 0.05;
    const global = rule.global ?? false;
    const headers: Record<string, string> = {
      'retry-after': String(retryAfter),
      'x-ratelimit-scope': global ? 'global' : (rule.scope ?? 'user'),
    };
    if (global) {
      headers['x-ratelimit-global'] = 'true';
    } else {
      Object.assign(headers, {
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
        'x-ratelimit-reset-after': retryAfter.toFixed(3),
        'x-ratelimit-bucket': bucket,
      });
    }
    return { status: 429, body: rateLimitBody(retryAfter, global), headers };
  }
  const known = [401, 403, 404, 405, 500, 502, 503, 504] as const;
  const status = known.find((s) => s === rule.status);
  const body = rule.body ?? (status ? httpStatusError(status).body : { message: `${rule.status}: Injected failure`, code: 0 });
  return { status: rule.status, body, headers: {} };
}
