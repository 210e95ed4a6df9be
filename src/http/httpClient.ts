import { ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';

// The one HTTP layer for Spotify, its accounts service, ReccoBeats and dataset downloads: a timeout per attempt,
// retries (429 after Retry-After; 5xx, timeouts and dropped connections with capped exponential
// backoff and jitter), one limiter per host shared by every caller, and request counters.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

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
  /** Total time one request may spend waiting out 429s before it fails. */
  maxRateLimitWaitMs?: number;
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
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** A small counting semaphore plus a "do not call before" time, per host. */
class HostLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Set by a 429: every request to this host waits until then. */
  pausedUntil = 0;

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
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
   * status the caller handles, like 403 or 404); throws ServiceUnavailableError when the
   * service kept failing past the retries. Being rate limited is not failing: 429s are waited
   * out (within a total budget) without using up the retries that 5xx and timeouts get.
   */
  async fetch(url: string, init: RequestInit = {}, request: RequestOptions): Promise<Response> {
    const host = new URL(url).host;
    const limiter = this.limiter(host);
    const maxRetryAfter = this.options.maxRetryAfterMs ?? 120_000;
    const rateLimitBudget = this.options.maxRateLimitWaitMs ?? 600_000;
    let failures = 0;
    let rateLimitedMs = 0;
    const giveUp = (detail: string) => {
      this.options.logger.warn({ host, problem: detail }, 'giving up on request');
      return new ServiceUnavailableError(request.service, detail);
    };
    for (;;) {
      const wait = limiter.pausedUntil - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      await limiter.acquire();
      let response: Response;
      const deadline = request.streamBody ? new IdleDeadline(this.options.timeoutMs) : null;
      try {
        const timeout = deadline?.signal ?? AbortSignal.timeout(this.options.timeoutMs);
        const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
        response = await fetch(url, { ...init, signal });
      } catch (error) {
        deadline?.clear();
        if (init.signal?.aborted) throw error;
        const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
        this.count(host, timedOut ? 'timeout' : 'network');
        const problem = timedOut ? `no answer within ${this.options.timeoutMs} ms` : 'connection failed';
        if (failures >= this.options.maxRetries) throw giveUp(`${problem} after ${failures + 1} attempts`);
        this.options.logger.debug({ host, attempt: failures, problem }, 'request failed; will retry');
        await this.clock.sleep(this.backoff(failures++));
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
        rateLimitedMs += after;
        if (rateLimitedMs > rateLimitBudget) throw giveUp(`rate limited for over ${Math.round(rateLimitBudget / 60_000)} minutes`);
        // Everyone calling this host waits, not only this request: that is what Retry-After asks.
        limiter.pausedUntil = Math.max(limiter.pausedUntil, this.clock.now() + after);
        this.options.logger.debug({ host, retryAfterMs: after }, 'rate limited; waiting');
        continue;
      }
      if (failures >= this.options.maxRetries) throw giveUp(`HTTP ${response.status} after ${failures + 1} attempts`);
      this.options.logger.debug({ host, attempt: failures, status: response.status }, 'server error; will retry');
      await this.clock.sleep(this.backoff(failures++));
    }
  }
}
