import { LruMap, MemberBudgets } from '../budgets.js';
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

export class SpotifySuggestions {
  private readonly cache: LruMap<string, { at: number; suggestions: Suggestion[] }>;
  private readonly budgets: MemberBudgets;
  /** Each member's search in flight, cancelled by their next one (bounded like the budgets). */
  private readonly searching = new LruMap<string, AbortController>(10_000);
  private readonly settings: SuggestionSettings;

  constructor(
    private readonly deps: { resolver: SpotifyResolver; clock: Clock; logger: Logger; settings?: Partial<SuggestionSettings> },
  ) {
    // Merged once: suggest() runs on every keystroke.
    this.settings = { ...DEFAULT_SUGGESTION_SETTINGS, ...deps.settings };
    this.cache = new LruMap(this.settings.cacheSize);
    this.budgets = new MemberBudgets(this.settings, deps.clock);
  }

  /** Spotify's tracks for what a member typed, or none when their budget is spent, Spotify is slow or busy. */
  async suggest(memberId: string, typed: string): Promise<Suggestion[]> {
    const { clock, resolver, logger } = this.deps;
    const { settings } = this;
    const key = typed.toLowerCase();
    // Whatever answers this text, the member's older search is no longer wanted, a cached answer too.
    this.searching.get(memberId)?.abort(new DOMException('the member typed on', 'AbortError'));
    const hit = this.cache.get(key);
    if (hit && clock.now() - hit.at < settings.cacheTtlMs) return hit.suggestions;
    if (!this.budgets.take(memberId)) return [];
    const searching = new AbortController();
    this.searching.set(memberId, searching);
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
      if (this.searching.get(memberId) === searching) this.searching.delete(memberId);
    }
  }
}
