import type { Clock } from '../http/httpClient.js';
import type { Logger } from '../logger.js';
import type { SpotifyResolver } from './resolve.js';

// Spotify's search as song suggestions while members type (Discord asks on every keystroke). Each
// member has a small budget of searches that refills over time, and only their newest search is
// kept going: Discord shows the answer to the latest text only, so an older search is cancelled
// (request and retries) instead of queueing in front of everyone else's. Answers are cached, least
// recently used first out.

export interface Suggestion {
  name: string;
  artists: string[];
  spotifyId: string;
}

export interface SuggestionSettings {
  /** Searches a member may start at once… */
  burst: number;
  /** …and one more every this many ms. */
  refillMs: number;
  /** Autocomplete must answer within 3 s: a search still running after this is cancelled. */
  answerWithinMs: number;
  cacheSize: number;
  cacheTtlMs: number;
}

export const DEFAULT_SUGGESTION_SETTINGS: SuggestionSettings = { burst: 4, refillMs: 1_000, answerWithinMs: 1_500, cacheSize: 500, cacheTtlMs: 10 * 60_000 };

/** A Map that forgets its least recently used entry past `capacity`. */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Map keeps insertion order: re-inserting makes it the newest.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }
}

interface MemberState {
  tokens: number;
  refilledAt: number;
  /** The member's search in flight, cancelled by their next one. */
  searching: AbortController | null;
}

export class SpotifySuggestions {
  private readonly cache: LruMap<string, { at: number; suggestions: Suggestion[] }>;
  // Bounded like the cache: a member forgotten here just starts with a full budget again.
  private readonly members = new LruMap<string, MemberState>(10_000);

  constructor(
    private readonly deps: { resolver: SpotifyResolver; clock: Clock; logger: Logger; settings?: Partial<SuggestionSettings> },
  ) {
    this.cache = new LruMap(this.settings.cacheSize);
  }

  private get settings(): SuggestionSettings {
    return { ...DEFAULT_SUGGESTION_SETTINGS, ...this.deps.settings };
  }

  /** Spotify's tracks for what a member typed, or none when their budget is spent, Spotify is slow or busy. */
  async suggest(memberId: string, typed: string): Promise<Suggestion[]> {
    const { clock, resolver, logger } = this.deps;
    const settings = this.settings;
    const key = typed.toLowerCase();
    const hit = this.cache.get(key);
    if (hit && clock.now() - hit.at < settings.cacheTtlMs) return hit.suggestions;
    const member = this.member(memberId);
    member.searching?.abort(new DOMException('the member typed on', 'AbortError'));
    member.searching = null;
    if (!this.take(member)) return [];
    const searching = new AbortController();
    member.searching = searching;
    try {
      const signal = AbortSignal.any([searching.signal, AbortSignal.timeout(settings.answerWithinMs)]);
      const tracks = await resolver.searchTracks(typed, { lane: 'interactive', signal });
      const suggestions = tracks.map((t) => ({ name: t.name, artists: t.artists.map((a) => a.name), spotifyId: t.id }));
      this.cache.set(key, { at: clock.now(), suggestions });
      return suggestions;
    } catch (error) {
      logger.debug({ err: error }, 'no Spotify suggestions for this text');
      return [];
    } finally {
      if (member.searching === searching) member.searching = null;
    }
  }

  private member(memberId: string): MemberState {
    let member = this.members.get(memberId);
    if (!member) {
      member = { tokens: this.settings.burst, refilledAt: this.deps.clock.now(), searching: null };
      this.members.set(memberId, member);
    }
    return member;
  }

  /** Takes one search from the member's budget, refilled for the time since the last. */
  private take(member: MemberState): boolean {
    const { burst, refillMs } = this.settings;
    const now = this.deps.clock.now();
    const earned = Math.floor((now - member.refilledAt) / refillMs);
    if (earned > 0) {
      member.tokens = Math.min(burst, member.tokens + earned);
      member.refilledAt = member.tokens === burst ? now : member.refilledAt + earned * refillMs;
    }
    if (member.tokens < 1) return false;
    member.tokens--;
    return true;
  }
}
