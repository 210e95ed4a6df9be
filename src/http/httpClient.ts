import { setTimeout as delay } from 'node:timers/promises';
import { ServiceBusyError, ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';

// The one HTTP layer for Spotify, its accounts service, ReccoBeats and dataset downloads: a timeout per attempt
// (the body included, unless the caller streams it), retries (429 after Retry-After; 5xx, timeouts and
// dropped connections with capped exponential backoff and jitter), one limiter per host shared by
// every caller with a lane each for interactive and background requests, and request counters.
// A caller's AbortSignal ends its request wherever it is: queued, waiting out a 429, in flight or between retries.

export interface Clock {
  now(): number;
  /** Rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
};

/**
 * Who is waiting for an answer. 'interactive': a member or a terminal user, who gives up within
 * seconds, so a rate limit longer than `interactiveRateLimitWaitMs` fails at once with
 * ServiceBusyError. 'background': crawls, jobs and downloads, which wait out Retry-After.
 */
export type Lane = 'interactive' | 'background';

/** What a caller tells the layers above the HTTP client about itself. */
export interface Caller {
  lane?: Lane;
  /** Aborting it cancels the request and its retries. */
  signal?: AbortSignal;
}

export interface HttpClientOptions {
  timeoutMs: number;
  maxRetries: number;
  logger: Logger;
  /** Parallel requests per host. */
  concurrency?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited out: the request fails with an explanation. */
  maxRetryAfterMs?: number;
  /** Total time one background request may spend waiting out 429s before it fails. */
  maxRateLimitWaitMs?: number;
  /** The same for an interactive request: past it, it fails at once as "busy" instead of waiting. */
  interactiveRateLimitWaitMs?: number;
  clock?: Clock;
  random?: () => number;
  /** Told about every attempt's outcome (for metrics). */
  onAttempt?: (host: string, outcome: string) => void;
}

export interface RequestOptions {
  /** Named in the error a user sees when the service stays down: "Spotify", "ReccoBeats". */
  service: string;
  /**
   * The caller streams the body (a download): the timeout then limits the wait for the headers and
   * each wait for the next chunk, not the whole transfer, which may take minutes.
   */
  streamBody?: boolean;
  /** Default 'background'. */
  lane?: Lane;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

interface Waiter {
  resolve: () => void;
}

/**
 * A counting semaphore per host with two queues, plus a "do not call before" time. When both lanes
 * wait, freed slots alternate between them: a flood of lookups cannot starve a crawl, nor a crawl
 * the lookups.
 */
class HostLimiter {
  private active = 0;
  private readonly waiting: Record<Lane, Waiter[]> = { interactive: [], background: [] };
  private lastServed: Lane = 'background';
  /** Set by a 429: every request to this host waits until then (or, interactive, gives up). */
  pausedUntil = 0;

  constructor(private readonly limit: number) {}

  async acquire(lane: Lane, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    const queue = this.waiting[lane];
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      // An abandoned request leaves the queue at once instead of taking a slot later.
      const onAbort = () => {
        queue.splice(queue.indexOf(waiter), 1);
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
    });
  }

  release(): void {
    const other: Lane = this.lastServed === 'interactive' ? 'background' : 'interactive';
    const lane = this.waiting[other].length > 0 ? other : this.lastServed;
    const next = this.waiting[lane].shift();
    if (!next) {
      this.active--;
      return;
    }
    this.lastServed = lane;
    next.resolve();
  }
}

function retryAfterMs(response: Response): number | null {
  const header = response.headers.get('retry-after');
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/**
 * Aborts its signal once `ms` pass without progress: before the headers, then between body chunks.
 * The reader's own pauses count too, so a reader that may stop for longer should cancel the body.
 */
class IdleDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;
  readonly signal = this.controller.signal;

  constructor(private readonly ms: number) {
    this.timer = this.arm();
  }

  private arm(): NodeJS.Timeout {
    const timer = setTimeout(() => this.controller.abort(new DOMException(`no data for ${this.ms} ms`, 'TimeoutError')), this.ms);
    return timer.unref();
  }

  clear(): void {
    clearTimeout(this.timer);
  }

  /** The response with a body that re-arms the deadline on every chunk and clears it at the end. */
  watch(response: Response): Response {
    if (!response.body) {
      this.clear();
      return response;
    }
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, controller) => {
          this.clear();
          this.timer = this.arm();
          controller.enqueue(chunk);
        },
        flush: () => this.clear(),
      }),
    );
    const watched = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    // A constructed Response has no URL; callers name the final URL after redirects.
    Object.defineProperty(watched, 'url', { value: response.url });
    return watched;
  }
}

/** The response with its body read into memory (inside the attempt, so within its timeout). */
async function buffered(response: Response): Promise<Response> {
  const body = response.status === 204 || response.status === 304 ? null : await response.arrayBuffer();
  const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
}

async function discardBody(response: Response): Promise<void> {
  try {
    await response.arrayBuffer();
  } catch {
    // The connection is going away anyway.
  }
}

export class HttpClient {
  private readonly limiters = new Map<string, HostLimiter>();
  private readonly counts = new Map<string, number>();
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
  }

  private limiter(host: string): HostLimiter {
    let limiter = this.limiters.get(host);
    if (!limiter) {
      limiter = new HostLimiter(this.options.concurrency ?? 4);
      this.limiters.set(host, limiter);
    }
    return limiter;
  }

  private count(host: string, outcome: number | string): void {
    const key = `${host} ${outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.options.onAttempt?.(host, String(outcome));
  }

  /** Requests made so far, by host and status ("timeout" and "network" for failed attempts). */
  requestCounts(): { host: string; status: string; count: number }[] {
    return [...this.counts].map(([key, count]) => {
      const [host = '', status = ''] = key.split(' ');
      return { host, status, count };
    });
  }

  totalRequests(host?: string): number {
    let total = 0;
    for (const [key, n] of this.counts) if (!host || key.startsWith(`${host} `)) total += n;
    return total;
  }

  private backoff(attempt: number): number {
    const base = this.options.baseDelayMs ?? 250;
    const max = this.options.maxDelayMs ?? 8_000;
    // "Equal jitter": half fixed, half random, so retries from many callers spread out.
    const ceiling = Math.min(max, base * 2 ** attempt);
    return ceiling / 2 + (this.random() * ceiling) / 2;
  }

  /**
   * fetch() with the retry policy. Returns the final response (which may still be an error
   * status the caller handles, like 403 or 404), its body already read unless `streamBody`;
   * throws ServiceUnavailableError when the service kept failing past the retries. Being rate
   * limited is not failing: background requests wait out 429s (within a total budget) without
   * using up the retries that 5xx and timeouts get; interactive ones wait only briefly, then
   * throw ServiceBusyError. `init.signal` aborts the request wherever it is.
   */
  async fetch(url: string, init: RequestInit = {}, request: RequestOptions): Promise<Response> {
    const host = new URL(url).host;
    const limiter = this.limiter(host);
    const lane = request.lane ?? 'background';
    const caller = init.signal ?? undefined;
    const maxRetryAfter = this.options.maxRetryAfterMs ?? 120_000;
    const rateLimitBudget = lane === 'interactive' ? (this.options.interactiveRateLimitWaitMs ?? 5_000) : (this.options.maxRateLimitWaitMs ?? 600_000);
    let failures = 0;
    let rateLimitedMs = 0;
    const giveUp = (detail: string) => {
      this.options.logger.warn({ host, problem: detail }, 'giving up on request');
      return new ServiceUnavailableError(request.service, detail);
    };
    /** Waits out a rate limit if this caller's budget allows it. */
    const waitRateLimit = async (ms: number) => {
      if (lane === 'interactive' && rateLimitedMs + ms > rateLimitBudget) {
        this.options.logger.debug({ host, retryAfterMs: ms }, 'rate limited; an interactive request does not wait that long');
        throw new ServiceBusyError(request.service, ms);
      }
      rateLimitedMs += ms;
      if (rateLimitedMs > rateLimitBudget) throw giveUp(`rate limited for over ${Math.round(rateLimitBudget / 60_000)} minutes`);
      await this.clock.sleep(ms, caller);
    };
    for (;;) {
      const wait = limiter.pausedUntil - this.clock.now();
      if (wait > 0) await waitRateLimit(wait);
      await limiter.acquire(lane, caller);
      let response: Response;
      const deadline = request.streamBody ? new IdleDeadline(this.options.timeoutMs) : null;
      try {
        // Without streaming, the timeout covers the body too: a body that stalls is retried like a hung request.
        const timeout = deadline?.signal ?? AbortSignal.timeout(this.options.timeoutMs);
        const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
        response = await fetch(url, { ...init, signal });
        if (!deadline && !RETRYABLE_STATUS.has(response.status)) response = await buffered(response);
      } catch (error) {
        deadline?.clear();
        if (caller?.aborted) throw caller.reason;
        const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
        this.count(host, timedOut ? 'timeout' : 'network');
        const problem = timedOut ? `no answer within ${this.options.timeoutMs} ms` : 'connection failed';
        if (failures >= this.options.maxRetries) throw giveUp(`${problem} after ${failures + 1} attempts`);
        this.options.logger.debug({ host, attempt: failures, problem }, 'request failed; will retry');
        await this.clock.sleep(this.backoff(failures++), caller);
        continue;
      } finally {
        limiter.release();
      }
      this.count(host, response.status);
      if (!RETRYABLE_STATUS.has(response.status)) return deadline ? deadline.watch(response) : response;
      await discardBody(response);
      deadline?.clear();
      if (response.status === 429) {
        const after = retryAfterMs(response) ?? this.backoff(Math.min(failures, 5));
        if (after > maxRetryAfter) throw giveUp(`it asked us to wait ${Math.ceil(after / 60_000)} minutes (rate limited)`);
        // Everyone calling this host waits (or, interactive, gives up), not only this request: that is what Retry-After asks.
        limiter.pausedUntil = Math.max(limiter.pausedUntil, this.clock.now() + after);
        this.options.logger.debug({ host, retryAfterMs: after, lane }, 'rate limited');
        await waitRateLimit(after);
        continue;
      }
      if (failures >= this.options.maxRetries) throw giveUp(`HTTP ${response.status} after ${failures + 1} attempts`);
      this.options.logger.debug({ host, attempt: failures, status: response.status }, 'server error; will retry');
      await this.clock.sleep(this.backoff(failures++), caller);
    }
  }
}
