import { afterEach, describe, expect, it } from 'vitest';
import { ServiceBusyError } from '../src/errors.js';
import type { Clock } from '../src/http/httpClient.js';
import { createLogger } from '../src/logger.js';
import { LruMap } from '../src/budgets.js';
import { SpotifySuggestions, type SuggestionSettings } from '../src/spotify/suggestions.js';
import type { GeneratedFakeCatalog } from './fakes/spotify.js';
import { startSpotifyWorld, type SpotifyTestWorld } from './helpers/spotifyApp.js';

// Spotify's search behind autocomplete: a budget per member, only a member's newest search kept
// going, abandoned searches cancelled (request and retries), answers cached least recently used
// first out. Time is a hand-moved clock; nothing here depends on the machine's speed.

class HandClock implements Clock {
  private at = 1_000_000;
  now(): number {
    return this.at;
  }
  advance(ms: number): void {
    this.at += ms;
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

describe('Spotify suggestions for autocomplete', () => {
  let world: SpotifyTestWorld;
  afterEach(() => world.dispose());

  async function start(settings: Partial<SuggestionSettings> = {}) {
    world = await startSpotifyWorld({ mode: 'extended' });
    const clock = new HandClock();
    const suggestions = new SpotifySuggestions({ resolver: world.app.spotify!.resolver, clock, logger: createLogger({ level: 'silent' }), settings });
    const catalog = world.fake.catalog as GeneratedFakeCatalog;
    const names = [...catalog.tracks.values()].map((t) => t.name);
    const searches = () => world.fake.count({ service: 'api', path: '/v1/search' });
    return { clock, suggestions, names, searches };
  }

  it('gives each member a few searches at once and one more a second; others keep theirs, catalog matches are not limited', async () => {
    const { clock, suggestions, names, searches } = await start();
    const flood = [];
    for (let i = 0; i < 10; i++) flood.push(await suggestions.suggest('member-a', `${names[i]!.slice(0, 3)} ${i}`));
    expect(searches()).toBe(4);
    expect(flood.slice(4).every((answer) => answer.length === 0)).toBe(true);
    // Another member is not held back by the first one's flood.
    expect(await suggestions.suggest('member-b', names[20]!)).not.toHaveLength(0);
    expect(searches()).toBe(5);
    clock.advance(1_000);
    expect(await suggestions.suggest('member-a', names[21]!)).not.toHaveLength(0);
    expect(await suggestions.suggest('member-a', names[22]!)).toHaveLength(0);
    expect(searches()).toBe(6);
  });

  it('cancels a member\'s search when they type on: the old request ends, and is never retried', async () => {
    const { suggestions, names, searches } = await start({ burst: 10 });
    world.fake.fault({ service: 'api', kind: 'hang', path: '/v1/search', times: 1 });
    const stale = suggestions.suggest('member-a', 'piano m');
    await expect.poll(searches).toBe(1);
    const fresh = await suggestions.suggest('member-a', names[0]!);
    expect(fresh).not.toHaveLength(0);
    expect(await stale).toEqual([]);
    // The hung request was aborted, not left to time out and retry.
    expect(world.app.http.requestCounts().filter((c) => c.status === 'timeout')).toEqual([]);
    expect(searches()).toBe(2);
  });

  it('cancels a member\'s search when they type on to a text answered from the cache', async () => {
    const { suggestions, names, searches } = await start({ burst: 10 });
    const cached = await suggestions.suggest('member-a', names[0]!);
    world.fake.fault({ service: 'api', kind: 'hang', path: '/v1/search', times: 1 });
    const stale = suggestions.suggest('member-a', 'piano m');
    await expect.poll(searches).toBe(2);
    expect(await suggestions.suggest('member-a', names[0]!)).toEqual(cached);
    // Ended now, not by autocomplete's time limit (that would be a timeout, after 1.5 s).
    expect(await stale).toEqual([]);
    expect(world.app.http.requestCounts().filter((c) => c.status === 'timeout')).toEqual([]);
    expect(searches()).toBe(2);
  });

  it('cancels a search that outlives autocomplete\'s time to answer, request and retries', async () => {
    const { suggestions, searches } = await start({ answerWithinMs: 100 });
    world.fake.fault({ service: 'api', kind: 'hang', path: '/v1/search', times: Infinity });
    expect(await suggestions.suggest('member-a', 'piano man')).toEqual([]);
    expect(searches()).toBe(1);
    expect(world.app.http.requestCounts().filter((c) => c.status === 'timeout')).toEqual([]);
  });

  it('answers nothing from Spotify, at once, while Spotify asks for a long pause', async () => {
    const { suggestions, names, searches } = await start();
    world.fake.fault({ service: 'api', kind: '429', path: '/v1/search', retryAfterSeconds: 60, times: 1 });
    expect(await suggestions.suggest('member-a', names[0]!)).toEqual([]);
    await expect(world.app.spotify!.resolver.searchTracks(names[1]!)).rejects.toBeInstanceOf(ServiceBusyError);
    expect(searches()).toBe(1);
    expect(world.clock.sleeps).toEqual([]);
  });

  it('keeps the most recently used answers when the cache is full, instead of forgetting them all', async () => {
    const { suggestions, names, searches } = await start({ burst: 100, cacheSize: 2 });
    const [a, b, c] = [names[0]!, names[1]!, names[2]!];
    await suggestions.suggest('m', a);
    await suggestions.suggest('m', b);
    await suggestions.suggest('m', a); // a hit: a is now the most recent
    expect(searches()).toBe(2);
    await suggestions.suggest('m', c); // evicts b, the least recently used
    await suggestions.suggest('m', a);
    expect(searches()).toBe(3);
    await suggestions.suggest('m', b);
    expect(searches()).toBe(4);
  });

  it('LruMap drops the least recently used key past its capacity', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.size]).toEqual([1, undefined, 3, 2]);
  });
});
