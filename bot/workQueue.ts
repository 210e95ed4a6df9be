// The CPU-bound part of answering (a recommendation over a million-track index, a name search)
// runs here, one job per turn of the event loop, in arrival order. Without it, a burst of
// /recommend arriving together was computed back to back before any answer went out, so the
// hundredth member waited for the ninety-nine before them (about a second at a million tracks)
// before even a "thinking…" reached Discord. With it, handlers see `busy` and defer first, and the
// deferrals (and every other reply and gateway heartbeat) go out between one job and the next.
//
// Acknowledgements come first: while a deferral is on its way to Discord, waiting jobs hold back
// (at most HOLD_MS), so the event loop spends a burst's first moments getting every member their
// "thinking…" within Discord's 3 s, and only then the recommendations and their pictures.

const HOLD_MS = 250;

export class WorkQueue {
  private readonly jobs: { run: () => void; queuedAt: number }[] = [];
  private scheduled = false;
  private acknowledging = 0;
  private holdTimer: NodeJS.Timeout | null = null;

  constructor(private readonly holdMs = HOLD_MS) {}

  /** True when a job is waiting or about to run: a handler racing Discord's 3 s should defer first. */
  get busy(): boolean {
    return this.scheduled || this.jobs.length > 0 || this.holdTimer !== null;
  }

  /** Sends an acknowledgement (a deferral) ahead of the queued work. */
  async acknowledge<T>(send: () => Promise<T>): Promise<T> {
    this.acknowledging++;
    try {
      return await send();
    } finally {
      this.acknowledging--;
      if (this.acknowledging === 0) this.schedule();
    }
  }

  /** Runs `job` in its own turn of the event loop, after the jobs already waiting. */
  run<T>(job: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({
        queuedAt: Date.now(),
        run: () => {
          try {
            // A job that awaits (Spotify, a picture) gives its turn back there; its rest is not queued.
            resolve(job());
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.jobs.length === 0) return;
    const heldFor = Date.now() - this.jobs[0]!.queuedAt;
    if (this.acknowledging > 0 && heldFor < this.holdMs) {
      // Woken by the last acknowledgement, or by the timer if acknowledgements keep coming.
      this.holdTimer ??= setTimeout(() => {
        this.holdTimer = null;
        this.schedule();
      }, this.holdMs - heldFor);
      return;
    }
    if (this.holdTimer) {
      clearTimeout(this.holdTimer);
      this.holdTimer = null;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.jobs.shift()?.run();
      this.scheduled = false;
      this.schedule();
    });
  }
}
