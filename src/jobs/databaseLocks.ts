import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../http/httpClient.js';
import { lockOwner, type JobStore } from './jobStore.js';

// A lock lives this long unless renewed; its holder renews it every third of that, so a killed
// process's lock frees itself (or at once, when its PID is gone on this machine).
const LOCK_TTL_MS = 10 * 60_000;
const POLL_MS = 1_000;

/** Releases a held lock. */
export type Release = () => void;

/** Named locks in the database, held by this process across every process on the same file. */
export class DatabaseLocks {
  readonly owner = lockOwner(randomUUID().slice(0, 8));

  constructor(
    private readonly store: JobStore,
    private readonly clock: Clock,
  ) {}

  /** Takes the lock now, or returns null when another holder has it. Renewed until released. */
  tryHold(name: string): Release | null {
    if (!this.store.tryLock(name, this.owner, this.clock.now(), LOCK_TTL_MS)) return null;
    const renew = setInterval(() => this.store.tryLock(name, this.owner, this.clock.now(), LOCK_TTL_MS), LOCK_TTL_MS / 3);
    renew.unref();
    return () => {
      clearInterval(renew);
      this.store.unlock(name, this.owner);
    };
  }

  /** Waits until the lock is free (checking every second), then holds it. `onWait` hears once that it had to wait. */
  async hold(name: string, signal?: AbortSignal, onWait?: () => void): Promise<Release> {
    for (let waited = false; ; waited = true) {
      signal?.throwIfAborted();
      const release = this.tryHold(name);
      if (release) return release;
      if (!waited) onWait?.();
      await sleep(POLL_MS, undefined, { signal });
    }
  }
}
