import { TooManyCrawlsError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CrawlOptions, PlaylistCrawler } from './crawler.js';
import type { CrawlSummary } from './types.js';

interface Job {
  seedId: number;
  guildId: string;
  options: CrawlOptions;
  resolve: (summary: CrawlSummary) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs crawls one at a time (they share Spotify's rate limit and the catalog's writer), in the
 * order they were asked for, with a cap per guild so one server cannot queue the world.
 */
export class CrawlQueue {
  private readonly waiting: Job[] = [];
  private running: Job | null = null;
  private drained: (() => void)[] = [];

  constructor(
    private readonly crawler: PlaylistCrawler,
    private readonly maxPerGuild: number,
    private readonly logger: Logger,
  ) {}

  /** Crawls queued or running for a guild. */
  pending(guildId: string): number {
    return this.waiting.filter((j) => j.guildId === guildId).length + (this.running?.guildId === guildId ? 1 : 0);
  }

  /** Position in line (0 = next) for a new job, for "queued behind N" messages. */
  get length(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  enqueue(seedId: number, guildId: string, options: CrawlOptions = {}): Promise<CrawlSummary> {
    if (this.pending(guildId) >= this.maxPerGuild) throw new TooManyCrawlsError(this.maxPerGuild);
    return new Promise<CrawlSummary>((resolve, reject) => {
      this.waiting.push({ seedId, guildId, options, resolve, reject });
      this.pump();
    });
  }

  /** Resolves once nothing is queued or running (shutdown waits on it, bounded by the caller). */
  idle(): Promise<void> {
    if (!this.running && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private pump(): void {
    if (this.running) return;
    const job = this.waiting.shift();
    if (!job) {
      for (const resolve of this.drained.splice(0)) resolve();
      return;
    }
    this.running = job;
    this.crawler
      .crawl(job.seedId, job.options)
      .then(job.resolve, (error: unknown) => {
        this.logger.debug({ seedId: job.seedId, err: error }, 'queued crawl ended with an error');
        job.reject(error);
      })
      .finally(() => {
        this.running = null;
        this.pump();
      });
  }
}
