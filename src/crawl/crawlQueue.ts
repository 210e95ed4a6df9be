import { TooManyCrawlsError } from '../errors.js';
import type { DatabaseLocks } from '../jobs/databaseLocks.js';
import type { Logger } from '../logger.js';
import type { CrawlOptions, PlaylistCrawler } from './crawler.js';
import type { CrawlProgress, CrawlSummary } from './types.js';

// One crawl at a time across every process on the database: they share Spotify's rate limit and the catalog's writer.
const CRAWL_LOCK = 'crawl';

interface Job {
  seedId: number;
  guildId: string;
  signal: AbortSignal | undefined;
  force: boolean;
  /** Everyone waiting on this crawl hears its progress. */
  listeners: ((progress: CrawlProgress) => void)[];
  done: Promise<CrawlSummary>;
  resolve: (summary: CrawlSummary) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs crawls one at a time (they share Spotify's rate limit and the catalog's writer), taking
 * guilds in turn (each guild's own crawls in the order asked for), with a cap per guild: one
 * server's big crawls delay another server's by at most one crawl each. Asking
 * for a seed already queued or running joins that crawl instead of starting another. With `locks`,
 * a crawl also waits for one another bot process on the same database is running (shard
 * processes each have a queue; a seed is never crawled by two at once).
 */
export class CrawlQueue {
  private readonly waiting: Job[] = [];
  private running: Job | null = null;
  /** The guild whose crawl ran last: the next turn goes to the guild after it. */
  private lastGuild: string | null = null;
  private drained: (() => void)[] = [];

  constructor(
    private readonly crawler: PlaylistCrawler,
    private readonly maxPerGuild: number,
    private readonly logger: Logger,
    private readonly locks?: DatabaseLocks,
  ) {}

  /** Crawls queued or running for a guild. */
  pending(guildId: string): number {
    return this.waiting.filter((j) => j.guildId === guildId).length + (this.running?.guildId === guildId ? 1 : 0);
  }

  /** Throws TooManyCrawlsError unless the guild may start another crawl (check before storing a seed). */
  requireRoom(guildId: string, seedId?: number): void {
    if (seedId !== undefined && this.find(seedId)) return;
    if (this.pending(guildId) >= this.maxPerGuild) throw new TooManyCrawlsError(this.maxPerGuild);
  }

  /** Crawls queued or running in all, for "queued behind N" messages. */
  get length(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  private find(seedId: number): Job | undefined {
    return this.running?.seedId === seedId ? this.running : this.waiting.find((j) => j.seedId === seedId);
  }

  enqueue(seedId: number, guildId: string, options: CrawlOptions = {}): Promise<CrawlSummary> {
    const existing = this.find(seedId);
    if (existing) {
      if (options.onProgress) existing.listeners.push(options.onProgress);
      return existing.done;
    }
    this.requireRoom(guildId);
    let resolve!: (summary: CrawlSummary) => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<CrawlSummary>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.waiting.push({
      seedId,
      guildId,
      signal: options.signal,
      force: options.force ?? false,
      listeners: options.onProgress ? [options.onProgress] : [],
      done,
      resolve,
      reject,
    });
    this.pump();
    return done;
  }

  /** Resolves once nothing is queued or running (shutdown waits on it, bounded by the caller). */
  idle(): Promise<void> {
    if (!this.running && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /** Guilds take turns in a fixed order (by ID), starting after the one served last; within a guild, oldest first. */
  private takeNext(): Job | undefined {
    const guilds = [...new Set(this.waiting.map((j) => j.guildId))].sort();
    if (guilds.length === 0) return undefined;
    const last = this.lastGuild;
    const guild = (last === null ? undefined : guilds.find((g) => g > last)) ?? guilds[0]!;
    const index = this.waiting.findIndex((j) => j.guildId === guild);
    return this.waiting.splice(index, 1)[0];
  }

  private pump(): void {
    if (this.running) return;
    const job = this.takeNext();
    if (!job) {
      for (const resolve of this.drained.splice(0)) resolve();
      return;
    }
    this.lastGuild = job.guildId;
    this.running = job;
    void this.run(job).finally(() => {
      this.running = null;
      this.pump();
    });
  }

  private async run(job: Job): Promise<void> {
    let release: (() => void) | undefined;
    try {
      release = await this.locks?.hold(CRAWL_LOCK, job.signal, () =>
        this.logger.info({ seedId: job.seedId }, 'crawl waits for the one another bot process is running'),
      );
      job.resolve(
        await this.crawler.crawl(job.seedId, { force: job.force, signal: job.signal, onProgress: (p) => job.listeners.forEach((listen) => listen(p)) }),
      );
    } catch (error) {
      this.logger.debug({ seedId: job.seedId, err: error }, 'queued crawl ended with an error');
      job.reject(error);
    } finally {
      release?.();
    }
  }
}
