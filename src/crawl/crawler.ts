import type { Album, SimplifiedAlbum, SimplifiedTrack } from '@spotify/web-api-ts-sdk';
import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import { CrawlPausedError, isUserError, PlaylistNotReadableError, SeedRemovedError, ServiceUnavailableError, SpotifyPagingError } from '../errors.js';
import type { FeatureBacklog } from '../features/backlog.js';
import type { FeatureProviderChain } from '../features/chain.js';
import type { Logger } from '../logger.js';
import { SpotifyApiError, type SpotifyClient } from '../spotify/client.js';
import {
  hasPage,
  nextPath,
  playlistTrack,
  toTrackInput,
  type Paging,
  type PlaylistObject,
  type PlaylistRow,
} from '../spotify/shapes.js';
import type { CrawlRun, CrawlStore } from './crawlStore.js';
import type { SeedStore } from './seeds.js';
import type { CrawlProgress, CrawlSummary } from './types.js';

// Crawls one seed playlist in small steps (one page or batch each). Every step's results and the
// cursor are written in one transaction, so a killed process resumes with nothing lost or doubled.
// Tracks wait in crawl_items and reach the catalog together at the end: a crawl that cannot finish
// leaves the catalog as it was. A crawl that stops on an error keeps its run and staged tracks for
// the next crawl of the seed, unless the playlist itself cannot be read (then there is nothing to resume).

const ITEMS_PAGE = 50; // /playlists/{id}/items
const TRACKS_PAGE = 100; // /playlists/{id}/tracks (pre-2026 apps)
const ARTIST_ALBUMS_PAGE = 50;
const ALBUMS_BATCH = 20; // GET /albums?ids=, extended-quota apps only
const ALBUM_TRACKS_PAGE = 50;
// 200 IDs fill whole batches of both Spotify (100) and ReccoBeats (40).
const FEATURES_STEP = 200;

const offsetOf = (path: string) => Number(new URL(path, 'http://spotify/').searchParams.get('offset') ?? 0);

/**
 * The path of the page after `page` (read from `offset`, the `pages`th of its list), or null at
 * the end. Spotify pages by offset, so a `next` that does not move forward, or one past the pages
 * `total` needs (one spare, for a list that grew while read), would be followed for ever.
 */
function followNext(page: Paging<unknown>, offset: number, pages: number, limit: number, what: string): string | null {
  if (!page.next) return null;
  const next = nextPath(page.next, limit);
  if (offsetOf(next) <= offset) throw new SpotifyPagingError(what, 'loops', page.total);
  if (pages > Math.ceil(page.total / Math.max(1, page.limit))) throw new SpotifyPagingError(what, 'too_many', page.total);
  return next;
}

export interface CrawlerDeps {
  catalog: Catalog;
  store: CrawlStore;
  seeds: SeedStore;
  backlog: FeatureBacklog;
  chain: FeatureProviderChain;
  /** Client-credentials client: tracks, albums, artists. */
  spotify: SpotifyClient;
  /** The client that reads playlists: the logged-in user's when there is one. */
  playlistSpotify: () => SpotifyClient;
  settings: Config['crawl'];
  logger: Logger;
  /** Called after a commit, e.g. to place the new tracks in the active cluster model. */
  onCommitted?: (seedId: number) => void;
  /** Told how every crawl ended and what it added (for metrics). */
  onFinished?: (outcome: 'done' | 'unchanged' | 'paused' | 'failed', added: number) => void;
}

export interface CrawlOptions {
  /** Crawl even if the playlist's snapshot is unchanged since the last crawl. */
  force?: boolean;
  onProgress?: (progress: CrawlProgress) => void;
  /** Stops after the current step; the run stays resumable. */
  signal?: AbortSignal;
}

export class PlaylistCrawler {
  /** Cleared by the first refusal: development-mode apps have no batch album endpoint. */
  private batchAlbums = true;

  constructor(private readonly deps: CrawlerDeps) {}

  async crawl(seedId: number, options: CrawlOptions = {}): Promise<CrawlSummary> {
    const { store } = this.deps;
    const existing = store.unfinished(seedId);
    const run = existing ?? store.start(seedId);
    const log = this.deps.logger.child({ seedId, runId: run.id });
    if (existing) log.info({ stage: run.stage }, 'resuming crawl');
    while (run.stage !== 'done') {
      options.signal?.throwIfAborted();
      try {
        await this.step(run, options);
      } catch (error) {
        // Removed meanwhile (by /seed remove or the bot leaving the server): the run went with the seed.
        if (!store.exists(run.id)) throw new SeedRemovedError(seedId);
        throw this.stopped(run, error, options.signal, log);
      }
      options.onProgress?.(this.progress(run));
    }
    log.info({ counts: run.counts, unchanged: run.state.unchanged }, 'crawl finished');
    this.deps.onFinished?.(run.state.unchanged ? 'unchanged' : 'done', run.counts.added);
    return { ...this.progress(run), unchanged: run.state.unchanged, resumed: existing !== null };
  }

  /** Records why a crawl stopped and returns what its caller should hear. */
  private stopped(run: CrawlRun, error: unknown, signal: AbortSignal | undefined, log: Logger): unknown {
    if (signal?.aborted) return error;
    if (error instanceof PlaylistNotReadableError) {
      // Nothing to resume: the playlist is gone, private or not the app's to read.
      this.deps.onFinished?.('failed', 0);
      this.deps.store.finish(run, 'failed', error.message);
      log.warn({ stage: run.stage, reason: error.message }, 'crawl failed');
      return error;
    }
    // Anything else keeps the run and its staged tracks: the next crawl of this seed continues from its cursor.
    this.deps.onFinished?.('paused', 0);
    const read = run.counts.playlistTracks + run.counts.albumTracks;
    if (isUserError(error)) log.warn({ stage: run.stage, read, reason: error.message }, 'crawl paused');
    else log.error({ stage: run.stage, read, err: error }, 'crawl paused by an unexpected error');
    return error instanceof ServiceUnavailableError && !(error instanceof CrawlPausedError) ? new CrawlPausedError(error, read) : error;
  }

  private progress(run: CrawlRun): CrawlProgress {
    return {
      runId: run.id,
      seedId: run.seedId,
      stage: run.stage,
      counts: structuredClone(run.counts),
      playlistName: run.state.playlist?.name ?? null,
      playlistTotal: run.state.playlist?.total ?? null,
    };
  }

  private async step(run: CrawlRun, options: CrawlOptions): Promise<void> {
    switch (run.stage) {
      case 'playlist':
        return this.readPlaylist(run, options.force ?? false);
      case 'items':
        return this.readItemsPage(run);
      case 'artists':
        return this.readArtistAlbumsPage(run);
      case 'albums':
        return this.readAlbums(run);
      case 'features':
        return this.fetchFeatures(run);
      case 'commit':
        return this.commit(run);
      case 'done':
        return;
    }
  }

  private seedOf(run: CrawlRun) {
    const seed = this.deps.seeds.get(run.seedId);
    if (!seed) throw new SeedRemovedError(run.seedId);
    return seed;
  }

  private async get<T>(run: CrawlRun, client: SpotifyClient, path: string): Promise<T> {
    run.counts.requests++;
    return client.get<T>(path);
  }

  private async readPlaylist(run: CrawlRun, force: boolean): Promise<void> {
    const seed = this.seedOf(run);
    let playlist: PlaylistObject;
    try {
      playlist = await this.get<PlaylistObject>(run, this.deps.playlistSpotify(), `playlists/${seed.playlistId}`);
    } catch (error) {
      throw this.explainPlaylistError(seed.playlistId, error);
    }
    const contents = playlist.items ?? playlist.tracks;
    run.state.playlist = {
      name: playlist.name,
      ownerName: playlist.owner.display_name ?? playlist.owner.id,
      snapshotId: playlist.snapshot_id,
      total: contents?.total ?? 0,
    };
    this.deps.store.transaction(() => {
      if (!force && seed.lastCrawledAt !== null && seed.snapshotId === playlist.snapshot_id) {
        run.state.unchanged = true;
        run.stage = 'commit';
      } else if (hasPage(contents)) {
        // The first page came with the playlist: no request for it.
        this.stageRows(run, contents.items);
        run.state.itemPages = 1;
        run.state.nextItems = followNext(contents, 0, 1, contents.next?.includes('/tracks') ? TRACKS_PAGE : ITEMS_PAGE, 'the playlist');
        run.stage = 'items';
      } else {
        run.state.nextItems = `playlists/${seed.playlistId}/items?limit=${ITEMS_PAGE}&offset=0`;
        run.stage = 'items';
      }
      this.deps.store.save(run);
    });
  }

  private explainPlaylistError(playlistId: string, error: unknown): unknown {
    if (!(error instanceof SpotifyApiError)) return error;
    if (error.status === 404 && playlistId.startsWith('37i9dQZ')) return new PlaylistNotReadableError(playlistId, 'editorial');
    if (error.status === 404 || error.status === 400) return new PlaylistNotReadableError(playlistId, 'not_found');
    if (error.status === 403) return new PlaylistNotReadableError(playlistId, 'forbidden');
    return error;
  }

  private stageRows(run: CrawlRun, rows: readonly (PlaylistRow | null)[]): void {
    const items = [];
    for (const row of rows) {
      const read = playlistTrack(row);
      if ('skip' in read) {
        run.counts.skipped[read.skip]++;
        continue;
      }
      items.push({ spotifyId: read.track.id, track: toTrackInput(read.track), inPlaylist: true, addedAt: row?.added_at ?? null });
    }
    run.counts.playlistTracks += this.deps.store.stage(run.id, items);
  }

  private async readItemsPage(run: CrawlRun): Promise<void> {
    const seed = this.seedOf(run);
    const path = run.state.nextItems;
    if (path === null) {
      this.deps.store.transaction(() => {
        if (seed.expandArtists) {
          run.state.artistQueue = this.deps.store.playlistArtistIds(run.id);
          run.counts.artists = run.state.artistQueue.length;
          run.stage = 'artists';
        } else {
          run.stage = 'features';
        }
        this.deps.store.save(run);
      });
      return;
    }
    let page: Paging<PlaylistRow | null>;
    try {
      page = await this.get<Paging<PlaylistRow | null>>(run, this.deps.playlistSpotify(), path);
    } catch (error) {
      if (error instanceof SpotifyApiError && error.status === 404 && path.includes('/items')) {
        // An API without /items (before 2026): the same rows live under /tracks.
        run.state.nextItems = path.replace('/items?', '/tracks?').replace(`limit=${ITEMS_PAGE}`, `limit=${TRACKS_PAGE}`);
        this.deps.store.save(run);
        return;
      }
      throw this.explainPlaylistError(seed.playlistId, error);
    }
    const pages = (run.state.itemPages ?? 0) + 1;
    const next = followNext(page, offsetOf(path), pages, path.includes('/tracks') ? TRACKS_PAGE : ITEMS_PAGE, 'the playlist');
    this.deps.store.transaction(() => {
      this.stageRows(run, page.items);
      run.state.itemPages = pages;
      run.state.nextItems = next;
      this.deps.store.save(run);
    });
  }

  private knownAlbums(): Set<string> {
    const rows = this.deps.catalog.database.sqlite.prepare('SELECT album_id FROM crawled_albums').pluck().all() as string[];
    return new Set(rows);
  }

  private async readArtistAlbumsPage(run: CrawlRun): Promise<void> {
    const { settings } = this.deps;
    const artist = run.state.artistQueue[0];
    if (artist === undefined || run.counts.albums >= settings.maxAlbumsPerSeed) {
      this.deps.store.transaction(() => {
        run.stage = 'albums';
        this.deps.store.save(run);
      });
      return;
    }
    const path =
      run.state.nextArtistAlbums ??
      `artists/${artist}/albums?include_groups=${settings.albumGroups.join(',')}&limit=${ARTIST_ALBUMS_PAGE}&offset=0`;
    const page = await this.get<Paging<SimplifiedAlbum>>(run, this.deps.spotify, path);
    const pages = (run.state.artistAlbumPages ?? 0) + 1;
    const next = followNext(page, offsetOf(path), pages, ARTIST_ALBUMS_PAGE, "an artist's albums");
    const known = this.knownAlbums();
    this.deps.store.transaction(() => {
      for (const album of page.items) {
        if (run.state.albumsFromCurrentArtist >= settings.maxAlbumsPerArtist || run.counts.albums >= settings.maxAlbumsPerSeed) break;
        run.state.albumsFromCurrentArtist++;
        // Deduplicated before any request: albums already crawled, or queued by another artist.
        if (known.has(album.id) || run.state.albumQueue.includes(album.id)) continue;
        run.state.albumQueue.push(album.id);
        run.counts.albums++;
      }
      const more = next !== null && run.state.albumsFromCurrentArtist < settings.maxAlbumsPerArtist && run.counts.albums < settings.maxAlbumsPerSeed;
      if (more) {
        run.state.nextArtistAlbums = next;
        run.state.artistAlbumPages = pages;
      } else {
        run.state.artistQueue.shift();
        run.state.nextArtistAlbums = null;
        run.state.albumsFromCurrentArtist = 0;
        run.state.artistAlbumPages = 0;
        run.counts.artistsVisited++;
      }
      this.deps.store.save(run);
    });
  }

  /**
   * Full albums, twenty per request where the app may batch, otherwise the first one alone.
   * Returns the albums found and the IDs asked about (an album Spotify no longer has is dropped).
   */
  private async fetchAlbums(run: CrawlRun, ids: string[]): Promise<{ albums: Album[]; asked: string[] }> {
    if (this.batchAlbums && ids.length > 1) {
      try {
        const answer = await this.get<{ albums: (Album | null)[] }>(run, this.deps.spotify, `albums?ids=${ids.join(',')}`);
        return { albums: answer.albums.filter((a): a is Album => a !== null), asked: ids };
      } catch (error) {
        if (!(error instanceof SpotifyApiError && (error.status === 403 || error.status === 404))) throw error;
        this.batchAlbums = false;
        this.deps.logger.info('Spotify has no batch album endpoint for this app (development mode); reading albums one by one');
      }
    }
    const id = ids[0]!;
    try {
      return { albums: [await this.get<Album>(run, this.deps.spotify, `albums/${id}`)], asked: [id] };
    } catch (error) {
      if (!(error instanceof SpotifyApiError && (error.status === 404 || error.status === 400))) throw error;
      return { albums: [], asked: [id] };
    }
  }

  private async readAlbums(run: CrawlRun): Promise<void> {
    if (run.state.albumQueue.length === 0) {
      this.deps.store.transaction(() => {
        run.stage = 'features';
        this.deps.store.save(run);
      });
      return;
    }
    const ids = run.state.albumQueue.slice(0, this.batchAlbums ? ALBUMS_BATCH : 1);
    const { albums, asked } = await this.fetchAlbums(run, ids);
    // Ask for the rest of any album longer than its first page of tracks.
    const tracks = new Map<string, SimplifiedTrack[]>();
    for (const album of albums) {
      const list = [...album.tracks.items];
      let pages = 1;
      let next = followNext(album.tracks, 0, pages, ALBUM_TRACKS_PAGE, "an album's tracks");
      while (next) {
        const page = await this.get<Paging<SimplifiedTrack>>(run, this.deps.spotify, next);
        list.push(...page.items);
        next = followNext(page, offsetOf(next), ++pages, ALBUM_TRACKS_PAGE, "an album's tracks");
      }
      tracks.set(album.id, list);
    }
    this.deps.store.transaction(() => {
      for (const album of albums) {
        const items = (tracks.get(album.id) ?? [])
          .filter((t) => t.id && !t.is_local)
          .map((t) => ({ spotifyId: t.id, track: toTrackInput(t, album), inPlaylist: false, addedAt: null }));
        run.counts.albumTracks += this.deps.store.stage(run.id, items);
        this.deps.store.albumVisited(run.id, album.id, items.length);
      }
      run.state.albumQueue = run.state.albumQueue.filter((id) => !asked.includes(id));
      run.counts.albumsVisited += asked.length;
      this.deps.store.save(run);
    });
  }

  private async fetchFeatures(run: CrawlRun): Promise<void> {
    const ids = this.deps.store.needingFeatures(run.id, FEATURES_STEP);
    if (ids.length === 0) {
      this.deps.store.transaction(() => {
        run.stage = 'commit';
        this.deps.store.save(run);
      });
      return;
    }
    const outcome = await this.deps.chain.fetch(ids);
    this.deps.store.transaction(() => {
      this.deps.store.recordFeatures(run.id, ids, outcome.found);
      run.counts.featuresFetched += outcome.found.size;
      run.counts.featuresMissing += ids.length - outcome.found.size;
      run.counts.requests += Object.values(outcome.requests).reduce((a, b) => a + b, 0);
      this.deps.store.save(run);
    });
  }

  /** Everything staged reaches the catalog in one transaction, with the seed's membership. */
  private commit(run: CrawlRun): void {
    const { catalog, store, backlog, seeds } = this.deps;
    const seed = this.seedOf(run);
    const sqlite = catalog.database.sqlite;
    store.transaction(() => {
      if (!run.state.unchanged) {
        const now = Date.now();
        const inPlaylist = new Set<number>();
        const member = sqlite.prepare(
          `INSERT INTO seed_tracks (seed_id, track_id, added_at, removed_at) VALUES (?, ?, ?, NULL)
           ON CONFLICT(seed_id, track_id) DO UPDATE SET removed_at = NULL`,
        );
        const missing: number[] = [];
        const gained: number[] = [];
        for (const item of store.staged(run.id)) {
          const { trackId, outcome } = catalog.upsertTrack(item.track, 'spotify', { refresh: true });
          if (outcome === 'added') run.counts.added++;
          if (outcome === 'merged') run.counts.merged++;
          if (item.features && item.provider) {
            catalog.setFeatures(trackId, item.features, item.provider);
            gained.push(trackId);
          } else if (!catalog.getTrack(trackId)?.features) {
            missing.push(trackId);
          }
          if (item.inPlaylist) {
            inPlaylist.add(trackId);
            member.run(seed.id, trackId, item.addedAt ? Date.parse(item.addedAt) || now : now);
          }
        }
        backlog.clear(gained);
        backlog.mark(missing, now);
        // Tracks that left the playlist stay in the catalog; their membership is marked ended.
        const current = sqlite.prepare('SELECT track_id FROM seed_tracks WHERE seed_id = ? AND removed_at IS NULL').pluck().all(seed.id) as number[];
        const ended = sqlite.prepare('UPDATE seed_tracks SET removed_at = ? WHERE seed_id = ? AND track_id = ?');
        for (const trackId of current) if (!inPlaylist.has(trackId)) ended.run(now, seed.id, trackId);
        store.commitVisitedAlbums(run.id, now);
      }
      const playlist = run.state.playlist;
      if (playlist) {
        seeds.recordCrawl(seed.id, { name: playlist.name, ownerName: playlist.ownerName, snapshotId: playlist.snapshotId, trackCount: playlist.total });
      }
      run.stage = 'done';
      store.finish(run, 'done');
    });
    this.deps.onCommitted?.(seed.id);
  }
}
