import type { Episode, Image, SimplifiedTrack, Track } from '@spotify/web-api-ts-sdk';
import type { TrackInput } from '../types.js';

// Spotify's wire shapes as this app meets them in 2026, and their conversion to catalog input.
// The SDK's types describe the pre-2026 API; the differences are declared here.

/** One row of a playlist: `track` before 2026 (/tracks), `item` in development mode (/items). */
export interface PlaylistRow {
  added_at: string | null;
  is_local: boolean;
  track?: Track | Episode | null;
  item?: Track | Episode | null;
}

export interface Paging<T> {
  href: string;
  items: T[];
  limit: number;
  next: string | null;
  offset: number;
  total: number;
}

/** A playlist's contents, embedded as a first page, or only a link and a count. */
export type PlaylistContents = Paging<PlaylistRow> | { href: string; total: number };

/** GET /playlists/{id}: extended-quota apps get `tracks`; development-mode apps get `items`. */
export interface PlaylistObject {
  id: string;
  name: string;
  snapshot_id: string;
  owner: { id: string; display_name?: string | null };
  tracks?: PlaylistContents;
  items?: PlaylistContents;
}

export type SkipReason = 'local' | 'episode' | 'unavailable' | 'empty';

export function hasPage(contents: PlaylistContents | undefined): contents is Paging<PlaylistRow> {
  return contents !== undefined && Array.isArray((contents as Paging<PlaylistRow>).items);
}

/** The image nearest 300 px wide: sharp in an embed thumbnail, small to download. */
export function coverUrl(images: readonly Image[] | undefined): string | null {
  if (!images || images.length === 0) return null;
  return [...images].sort((a, b) => Math.abs((a.width ?? 300) - 300) - Math.abs((b.width ?? 300) - 300))[0]?.url ?? null;
}

function releaseYear(date: string | null | undefined): number | null {
  const year = Number(/^(\d{4})/.exec(date ?? '')?.[1]);
  return Number.isInteger(year) && year > 1800 ? year : null;
}

/** What a track needs to know of its album (full and simplified albums both have it). */
export interface AlbumInfo {
  id: string;
  name: string;
  images?: Image[];
  release_date?: string;
}

/** A catalog track from a full track, or from an album's simplified track plus the album. */
export function toTrackInput(track: Track | SimplifiedTrack, album?: AlbumInfo): TrackInput {
  const fromAlbum = 'album' in track ? track.album : album;
  return {
    spotifyId: track.id,
    name: track.name,
    artists: track.artists.map((a) => a.name),
    artistIds: track.artists.map((a) => a.id).filter((id): id is string => typeof id === 'string'),
    album: fromAlbum?.name ?? null,
    albumId: fromAlbum?.id ?? null,
    coverUrl: coverUrl(fromAlbum?.images),
    releaseYear: releaseYear(fromAlbum?.release_date),
    // Development-mode apps no longer receive popularity.
    popularity: 'popularity' in track && typeof track.popularity === 'number' ? track.popularity : null,
    durationMs: track.duration_ms,
    explicit: track.explicit,
  };
}

/** The track in a playlist row, or why the crawler skips the row. */
export function playlistTrack(row: PlaylistRow | null): { track: Track } | { skip: SkipReason } {
  const object = row ? (row.item !== undefined ? row.item : row.track) : null;
  if (!row || !object) return { skip: 'empty' };
  if (row.is_local || (object as Track).is_local) return { skip: 'local' };
  if (object.type === 'episode') return { skip: 'episode' };
  const track = object as Track & { is_playable?: boolean };
  if (!track.id || track.is_playable === false) return { skip: 'unavailable' };
  return { track };
}

/** A `next` link as a path for SpotifyClient.get, with the endpoint's largest page size. */
export function nextPath(next: string, limit: number): string {
  const url = new URL(next);
  url.searchParams.set('limit', String(limit));
  return `${url.pathname.replace(/^.*?\/v1\//, '')}${url.search}`;
}
