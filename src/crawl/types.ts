// The shape of a crawl's progress, stored as JSON with the run so a restart can continue.

export const CRAWL_STAGES = ['playlist', 'items', 'artists', 'albums', 'features', 'commit', 'done'] as const;
export type CrawlStage = (typeof CRAWL_STAGES)[number];

export interface CrawlCounts {
  /** Tracks read from the playlist itself. */
  playlistTracks: number;
  /** Playlist rows that are not catalog material. */
  skipped: { local: number; episode: number; unavailable: number; empty: number };
  artists: number;
  artistsVisited: number;
  albums: number;
  albumsVisited: number;
  /** Tracks found on the artists' albums. */
  albumTracks: number;
  featuresFetched: number;
  featuresMissing: number;
  /** Set at commit: what the catalog gained. */
  added: number;
  merged: number;
  requests: number;
}

export interface CrawlState {
  playlist: { name: string; ownerName: string | null; snapshotId: string; total: number } | null;
  /** The next playlist page to read (a path for SpotifyClient.get), null when done. */
  nextItems: string | null;
  /** Playlist pages read so far (absent in runs saved before it was counted). */
  itemPages?: number;
  /** Artists still to expand, and the next page of the current one's albums. */
  artistQueue: string[];
  nextArtistAlbums: string | null;
  albumsFromCurrentArtist: number;
  /** Pages of the current artist's albums read so far. */
  artistAlbumPages?: number;
  /** Albums still to read. */
  albumQueue: string[];
  /** True when the playlist's snapshot matched the last crawl: nothing to do. */
  unchanged: boolean;
}

export function emptyCounts(): CrawlCounts {
  return {
    playlistTracks: 0,
    skipped: { local: 0, episode: 0, unavailable: 0, empty: 0 },
    artists: 0,
    artistsVisited: 0,
    albums: 0,
    albumsVisited: 0,
    albumTracks: 0,
    featuresFetched: 0,
    featuresMissing: 0,
    added: 0,
    merged: 0,
    requests: 0,
  };
}

export function emptyState(): CrawlState {
  return {
    playlist: null,
    nextItems: null,
    artistQueue: [],
    nextArtistAlbums: null,
    albumsFromCurrentArtist: 0,
    albumQueue: [],
    unchanged: false,
  };
}

/** What a listener (the /seed reply, the CLI progress bar) hears after every step. */
export interface CrawlProgress {
  runId: number;
  seedId: number;
  stage: CrawlStage;
  counts: CrawlCounts;
  playlistName: string | null;
  playlistTotal: number | null;
}

export interface CrawlSummary extends CrawlProgress {
  unchanged: boolean;
  resumed: boolean;
}
