import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceBusyError, ServiceUnavailableError } from '../src/errors.js';
import { HttpClient, type Clock, type Lane } from '../src/http/httpClient.js';
import { createLogger } from '../src/logger.js';
import { startFakeSpotify, type FakeSpotify } from './fakes/spotify.js';
import { RecordingClock } from './helpers/spotifyApp.js';

// The HTTP layer against the fake's ReccoBeats (no auth needed): retries, Retry-After, timeouts,
// cancellation and lanes. Nothing here depends on how fast the machine is: waits go through a
// recording clock, and the timeout is far above any answer's time except where a hang is the point.

/** A clock whose sleeps only end when their signal aborts: a request waiting out a 429 stays waiting. */
class StoppedClock implements Clock {
  readonly sleeps: number[] = [];
  now(): number {
    return 1_000_000;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
  }
}

const quietLogger = createLogger({ level: 'silent' });

describe('HTTP layer', () => {
  let fake: FakeSpotify;
  let clock: RecordingClock;
  let http: HttpClient;
  const url = () => `${fake.reccobeatsUrl}/audio-features?ids=4uLU6hMCjMI75M1A2tKUQC`;
  const get = () => http.fetch(url(), {}, { service: 'ReccoBeats' });

  beforeEach(async () => {
    fake = await startFakeSpotify();
    clock = new RecordingClock();
    http = new HttpClient({ timeoutMs: 10_000, maxRetries: 3, logger: quietLogger, clock, random: () => 0.5 });
  });
  afterEach(() => fake.close());

  it('waits out a 429 for its Retry-After, then succeeds', async () => {
    fake.fault({ service: 'reccobeats', kind: '429', retryAfterSeconds: 7, times: 2 });
    const response = await get();
    expect(response.status).toBe(200);
    expect(clock.sleeps.filter((ms) => ms >= 7_000)).toHaveLength(2);
    expect(fake.count({ service: 'reccobeats' })).toBe(3);
  });

  it('makes every request to a throttled host wait, not only the one that got the 429', async () => {
    fake.fault({ service: 'reccobeats', kind: '429', retryAfterSeconds: 30, times: 1 });
    await Promise.all([get(), get(), get()]);
    // The two requests that got 200 before or after the 429 did not get a 429 of their own.
    expect(fake.count({ service: 'reccobeats', status: 429 })).toBe(1);
    expect(clock.sleeps.some((ms) => ms >= 29_000)).toBe(true);
  });

  it('retries 5xx bursts with capped exponential backoff', async () => {
    fake.fault({ service: 'reccobeats', kind: '503', times: 1 });
    fake.fault({ service: 'reccobeats', kind: '500', times: 1 });
    fake.fault({ service: 'reccobeats', kind: '502', times: 1 });
    expect((await get()).status).toBe(200);
    // Equal jitter at random 0.5: 0.75 × min(8 s, 250 ms × 2^attempt).
    expect(clock.sleeps).toEqual([187.5, 375, 750]);
  });

  it('times out a hung request and tries again', async () => {
    http = new HttpClient({ timeoutMs: 300, maxRetries: 3, logger: quietLogger, clock, random: () => 0.5 });
    fake.fault({ service: 'reccobeats', kind: 'hang', times: 1 });
    expect((await get()).status).toBe(200);
    expect(http.requestCounts()).toEqual(
      expect.arrayContaining([
        { host: new URL(fake.reccobeatsUrl).host, status: 'timeout', count: 1 },
        { host: new URL(fake.reccobeatsUrl).host, status: '200', count: 1 },
      ]),
    );
  });

  it('gives up after its retries with an explanation, not a crash', async () => {
    fake.fault({ service: 'reccobeats', kind: '503', times: Infinity });
    const failure = get();
    await expect(failure).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(get()).rejects.toThrow('ReccoBeats is not answering right now (HTTP 503 after 4 attempts)');
  });

  it('refuses to wait absurdly long Retry-Afters', async () => {
    fake.fault({ service: 'reccobeats', kind: '429', retryAfterSeconds: 3_600, times: 1 });
    await expect(get()).rejects.toThrow(/asked us to wait 60 minutes/);
  });

  it('passes through answers that are not transient (404, 400) for the caller to handle', async () => {
    const response = await http.fetch(`${fake.apiUrl}/tracks/4uLU6hMCjMI75M1A2tKUQC`, {}, { service: 'Spotify' });
    expect(response.status).toBe(401);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a body that stalls after the headers, within the timeout', async () => {
    http = new HttpClient({ timeoutMs: 300, maxRetries: 3, logger: quietLogger, clock, random: () => 0.5 });
    fake.fault({ service: 'reccobeats', kind: 'stall-body', times: 1 });
    const response = await get();
    expect(await response.json()).toHaveProperty('content');
    expect(fake.count({ service: 'reccobeats' })).toBe(2);
    expect(http.requestCounts()).toContainEqual({ host: new URL(fake.reccobeatsUrl).host, status: 'timeout', count: 1 });
  });

  describe('cancellation', () => {
    it('aborts a request in flight, with no retry', async () => {
      fake.fault({ service: 'reccobeats', kind: 'hang', times: 1 });
      const caller = new AbortController();
      const request = http.fetch(url(), { signal: caller.signal }, { service: 'ReccoBeats', lane: 'interactive' });
      await expect.poll(() => fake.count({ service: 'reccobeats' })).toBe(1);
      caller.abort(new Error('the member typed on'));
      await expect(request).rejects.toThrow('the member typed on');
      expect(fake.count({ service: 'reccobeats' })).toBe(1);
      expect(clock.sleeps).toEqual([]);
    });

    it('takes a queued request out of the host queue before it is ever sent', async () => {
      http = new HttpClient({ timeoutMs: 10_000, maxRetries: 3, logger: quietLogger, clock, concurrency: 1 });
      fake.fault({ service: 'reccobeats', kind: 'slow', delayMs: 300, times: 1 });
      let firstAnswered = false;
      const first = get().then((response) => {
        firstAnswered = true;
        return response;
      });
      await expect.poll(() => fake.count({ service: 'reccobeats' })).toBe(1);
      const caller = new AbortController();
      const queued = http.fetch(url(), { signal: caller.signal }, { service: 'ReccoBeats', lane: 'interactive' });
      caller.abort(new Error('abandoned'));
      await expect(queued).rejects.toThrow('abandoned');
      // It left at once, not when the slot it waited for came free.
      expect(firstAnswered).toBe(false);
      expect((await first).status).toBe(200);
      // Had the abandoned request kept its place, it would be the second one sent now.
      expect((await get()).status).toBe(200);
      expect(fake.count({ service: 'reccobeats' })).toBe(2);
    });

    it('ends the wait for a Retry-After, and the retries after it', async () => {
      const stopped = new StoppedClock();
      http = new HttpClient({ timeoutMs: 10_000, maxRetries: 3, logger: quietLogger, clock: stopped });
      fake.fault({ service: 'reccobeats', kind: '429', retryAfterSeconds: 60, times: 1 });
      const caller = new AbortController();
      const request = http.fetch(url(), { signal: caller.signal }, { service: 'ReccoBeats' });
      await expect.poll(() => stopped.sleeps).toEqual([60_000]);
      caller.abort(new Error('shutting down'));
      await expect(request).rejects.toThrow('shutting down');
      expect(fake.count({ service: 'reccobeats' })).toBe(1);
    });
  });

  describe('lanes', () => {
    it('fails an interactive request at once when the host asks for a long pause; background ones wait it out', async () => {
      fake.fault({ service: 'reccobeats', kind: '429', retryAfterSeconds: 30, times: 1 });
      const interactive = http.fetch(url(), {}, { service: 'ReccoBeats', lane: 'interactive' });
      await expect(interactive).rejects.toBeInstanceOf(ServiceBusyError);
      await expect(interactive).rejects.toThrow('ReccoBeats is busy right now and asked the bot to pause for 30 s');
      expect(clock.sleeps).toEqual([]);
      expect(fake.count({ service: 'reccobeats' })).toBe(1);
      // The pause holds for the host: an interactive request now fails without asking again…
      await expect(http.fetch(url(), {}, { service: 'ReccoBeats', lane: 'interactive' })).rejects.toBeInstanceOf(ServiceBusyError);
      expect(fake.count({ service: 'reccobeats' })).toBe(1);
      // …and a background one waits for the rest of it, then gets its answer.
      expect((await get()).status).toBe(200);
      expect(clock.sleeps).toHaveLength(1);
      expect(clock.sleeps[0]).toBeGreaterThan(25_000);
    });

    it('waits out a short pause for an interactive request', async () => {
      fake.fault({ service: 'reccobeats', kind: '429', retryAfterSeconds: 2, times: 1 });
      expect((await http.fetch(url(), {}, { service: 'ReccoBeats', lane: 'interactive' })).status).toBe(200);
      expect(clock.sleeps).toEqual([2_000]);
    });

    it('alternates the host\'s free slots between lanes: a flood of lookups does not starve a background request', async () => {
      http = new HttpClient({ timeoutMs: 10_000, maxRetries: 3, logger: quietLogger, clock, concurrency: 1 });
      fake.fault({ service: 'reccobeats', kind: 'slow', delayMs: 20, times: Infinity });
      const finished: Lane[] = [];
      const send = (lane: Lane) => http.fetch(url(), {}, { service: 'ReccoBeats', lane }).then(() => finished.push(lane));
      const flood = Array.from({ length: 10 }, () => send('interactive'));
      const crawl = send('background');
      await Promise.all([...flood, crawl]);
      // The first lookup had the slot; the crawl's request came right after the next one.
      expect(finished.indexOf('background')).toBeLessThanOrEqual(2);
      // And the reverse: a queue of background requests lets a lookup through at the next free slot.
      finished.length = 0;
      const backlog = Array.from({ length: 10 }, () => send('background'));
      const lookup = send('interactive');
      await Promise.all([...backlog, lookup]);
      expect(finished.indexOf('interactive')).toBeLessThanOrEqual(2);
    });
  });
});
