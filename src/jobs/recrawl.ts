import type { App } from '../app.js';
import { isUserError, PlaylistNotReadableError, SeedRemovedError, ServiceUnavailableError } from '../errors.js';

// Minimum gap before a track without features is asked about again.
const BACKLOG_RETRY_MS = 6 * 3_600_000;
const BACKLOG_BATCH = 2_000;

export interface RecrawlCounts extends Record<string, unknown> {
  seeds: number;
  crawled: number;
  unchanged: number;
  unreadable: number;
  /** Seeds removed (or whose server the bot left) after the run listed them: skipped. */
  removed: number;
  added: number;
  featuresFilled: number;
}

/** Fetches features for stored tracks that had none, through the provider chain. */
export async function fillMissingFeatures(app: App, now = Date.now()): Promise<number> {
  const due = app.backlog.due(BACKLOG_BATCH, BACKLOG_RETRY_MS, now);
  if (due.length === 0) return 0;
  const { found } = await app.features.fetch(due.map((d) => d.spotifyId));
  const filled: number[] = [];
  const still: number[] = [];
  app.catalog.transaction(() => {
    for (const { trackId, spotifyId } of due) {
      const result = found.get(spotifyId);
      if (result && app.catalog.setFeatures(trackId, result.features, result.provider)) filled.push(trackId);
      else still.push(trackId);
    }
    app.backlog.clear(filled);
    app.backlog.mark(still, now);
  });
  return filled.length;
}

/**
 * Visits every seed playlist (unchanged ones cost one request), adds new tracks, marks tracks
 * that left, then retries features for tracks that still have none. Stops at the next safe point
 * when asked to; an interrupted crawl resumes on the next run.
 */
export async function recrawlSeeds(app: App, signal: AbortSignal): Promise<RecrawlCounts> {
  const counts: RecrawlCounts = { seeds: 0, crawled: 0, unchanged: 0, unreadable: 0, removed: 0, added: 0, featuresFilled: 0 };
  const log = app.logger.child({ job: 'recrawl' });
  const spotify = app.spotify;
  if (spotify) {
    for (const seed of app.seeds.list()) {
      signal.throwIfAborted();
      counts.seeds++;
      try {
        const summary = await spotify.crawls.enqueue(seed.id, seed.guildId, { signal });
        if (summary.unchanged) counts.unchanged++;
        else counts.crawled++;
        counts.added += summary.counts.added;
      } catch (error) {
        if (error instanceof ServiceUnavailableError) throw error; // Spotify is down: try again next time
        if (error instanceof SeedRemovedError) {
          // Not a failure: the seed is simply gone. The other seeds, of every server, go on.
          counts.removed++;
          log.info({ seedId: seed.id, guildId: seed.guildId, playlistId: seed.playlistId }, 'seed removed during the re-crawl: skipped');
          continue;
        }
        if (error instanceof PlaylistNotReadableError) counts.unreadable++;
        if (!isUserError(error)) throw error;
        log.warn({ seedId: seed.id, playlistId: seed.playlistId, reason: error.message }, 'seed playlist could not be crawled');
      }
    }
  }
  signal.throwIfAborted();
  counts.featuresFilled = await fillMissingFeatures(app);
  if (counts.featuresFilled > 0) app.placeNewTracks();
  return counts;
}
