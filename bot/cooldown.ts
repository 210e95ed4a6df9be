import { CooldownError } from '../src/errors.js';

/** A per-member cooldown: a flood of requests gets a friendly "try again in N s". */
export class Cooldowns {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws CooldownError if the member asked too recently; otherwise starts their cooldown. */
  take(userId: string): void {
    if (this.seconds <= 0) return;
    const now = this.now();
    const until = this.until.get(userId) ?? 0;
    if (until > now) throw new CooldownError(until);
    this.until.set(userId, now + this.seconds * 1000);
    // Keep the map small: forget members whose cooldown ended long ago.
    if (this.until.size > 10_000) for (const [id, t] of this.until) if (t <= now) this.until.delete(id);
  }
}
