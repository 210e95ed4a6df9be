import { CooldownError } from '../src/errors.js';

/**
 * What a cooldown counts: /recommend, "Another one" and /mix share one (they all pick songs);
 * /cluster, /stats and /taste each have their own, so one does not hold up the others.
 */
export type CooldownKind = 'recommend' | 'cluster' | 'stats' | 'taste';

/** A per-member cooldown per kind of request: a flood gets a friendly "try again in N s". */
export class Cooldowns {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws CooldownError if the member asked this kind too recently; otherwise starts their cooldown. */
  take(userId: string, kind: CooldownKind = 'recommend'): void {
    if (this.seconds <= 0) return;
    const now = this.now();
    const key = `${kind}:${userId}`;
    const until = this.until.get(key) ?? 0;
    if (until > now) throw new CooldownError(until);
    this.until.set(key, now + this.seconds * 1000);
    // Keep the map small: forget members whose cooldown ended long ago.
    if (this.until.size > 10_000) for (const [id, t] of this.until) if (t <= now) this.until.delete(id);
  }

  /** Ends a member's cooldown early: the request that started it did no work (the bot was warming up). */
  forgive(userId: string, kind: CooldownKind = 'recommend'): void {
    this.until.delete(`${kind}:${userId}`);
  }
}
