import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../src/errors.js';
import { HttpClient } from '../src/http/httpClient.js';
import { createLogger } from '../src/logger.js';
import { startFakeSpotify, type FakeSpotify } from './fakes/spotify.js';
import { RecordingClock } from './helpers/spotifyApp.js';

// The HTTP layer against the fake's ReccoBeats (no auth needed): retries, Retry-After, timeouts.

describe('HTTP layer', () => {
  let fake: FakeSpotify;
  let clock: RecordingClock;
  let http: HttpClient;
  const url = () => `${fake.reccobeatsUrl}/audio-features?ids=4uLU6hMCjMI75M1A2tKUQC`;
  const get = () => http.fetch(url(), {}, { service: 'ReccoBeats' });

  beforeEach(async () => {
    fake = await startFakeSpotify();
    clock = new RecordingClock();
    http = new HttpClient({ timeoutMs: 300, maxRetries: 3, logger: createLogger({ level: 'silent' }), clock, random: () => 0.5 });
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
});
