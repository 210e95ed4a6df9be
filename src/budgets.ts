import type { Clock } from './http/httpClient.js';

// Per-member limits (a token bucket each) for what members can ask for faster than anyone types:
// autocomplete at the bot's door, Spotify searches behind it.

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

  delete(key: K): void {
    this.entries.delete(key);
  }
}

export interface BudgetSettings {
  /** What a member may use at once… */
  burst: number;
  /** …and one more every this many ms. */
  refillMs: number;
}

/**
 * A budget per member: `burst` at once, refilled one every `refillMs`. Bounded like an LRU: a
 * member forgotten here just starts with a full budget again.
 */
export class MemberBudgets {
  private readonly members: LruMap<string, { tokens: number; refilledAt: number }>;

  constructor(
    private readonly settings: BudgetSettings,
    private readonly clock: Pick<Clock, 'now'>,
    capacity = 10_000,
  ) {
    this.members = new LruMap(capacity);
  }

  /** Takes one from the member's budget; false (and nothing taken) when it is spent. */
  take(memberId: string): boolean {
    const { burst, refillMs } = this.settings;
    const now = this.clock.now();
    let member = this.members.get(memberId);
    if (!member) {
      member = { tokens: burst, refilledAt: now };
      this.members.set(memberId, member);
    }
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
