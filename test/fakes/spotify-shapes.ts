// Turns catalog records into the JSON Spotify and ReccoBeats send, per API mode. Every body is
// typed with the SDK's types; where Spotify's real answers differ from them (fields the SDK
// declares that Spotify never sends on that object, or fields development mode dropped in
// February 2026), the SDK type is narrowed with Omit and the difference is commented.

import type {
  AddedBy,
  Album,
  Artist,
  AudioFeatures,
  Episode,
  ExternalIds,
  Page,
  Playlist,
  PlaylistedTrack,
  Restrictions,
  ResumePoint,
  SimplifiedAlbum,
  SimplifiedArtist,
  SimplifiedShow,
  SimplifiedTrack,
  Track,
  UserProfile,
  UserReference,
} from '@spotify/web-api-ts-sdk';
import type {
  FakeAlbum,
  FakeArtist,
  FakeAudioFeatures,
  FakeCatalog,
  FakeEpisode,
  FakePlaylist,
  FakePlaylistEntry,
  FakeTrack,
  FakeUser,
} from './spotify-fixtures.js';
import { reccobeatsIdFor } from './spotify-fixtures.js';

/**
 * `extended`: an app with extended quota, everything as before 2026.
 * `development-2026`: a development-mode app after Spotify's February 2026 changes.
 */
export type ApiMode = 'extended' | 'development-2026';

// --- Wire types --------------------------------------------------------------------------------

/** The SDK's `AlbumBase` declares these, but Spotify sends them only on full album objects. */
type FullAlbumOnly = 'copyrights' | 'external_ids' | 'genres' | 'label' | 'popularity';

export type WireSimplifiedAlbum = Omit<SimplifiedAlbum, FullAlbumOnly | 'available_markets' | 'album_group'> & {
  /** Dropped in development mode (February 2026). */
  available_markets?: string[];
  /** Only on GET /artists/{id}/albums items; dropped in development mode (February 2026). */
  album_group?: string;
};

/** Track objects outside playlists carry no `episode`/`track` flags (the SDK says they do). */
export type WireSimplifiedTrack = Omit<SimplifiedTrack, 'available_markets' | 'episode' | 'track'> & {
  /** Dropped in development mode (February 2026). */
  available_markets?: string[];
};

export type WireTrack = Omit<
  Track,
  'album' | 'available_markets' | 'popularity' | 'external_ids' | 'episode' | 'track' | 'linked_from'
> & {
  album: WireSimplifiedAlbum;
  /** Dropped in development mode (February 2026). */
  available_markets?: string[];
  /** Dropped in development mode (February 2026). */
  popularity?: number;
  /** The SDK merges two ExternalIds declarations into {isrc, ean, upc}; tracks carry only isrc. */
  external_ids: Partial<ExternalIds>;
};

export type WireAlbum = Omit<Album, 'artists' | 'tracks' | 'available_markets' | 'label' | 'popularity' | 'external_ids'> & {
  /** The SDK says Artist[]; Spotify sends simplified artists here. */
  artists: SimplifiedArtist[];
  tracks: Page<WireSimplifiedTrack>;
  /** Dropped in development mode (February 2026). */
  available_markets?: string[];
  /** Dropped in development mode (February 2026). */
  label?: string;
  /** Dropped in development mode (February 2026). */
  popularity?: number;
  /** Albums carry only upc. */
  external_ids: Partial<ExternalIds>;
};

export type WireArtist = Omit<Artist, 'followers' | 'popularity'> &
  /** Dropped in development mode (February 2026). */
  Partial<Pick<Artist, 'followers' | 'popularity'>>;

type UserOnlyInExtended = 'country' | 'email' | 'explicit_content' | 'followers' | 'product';
export type WireUserProfile = Omit<UserProfile, UserOnlyInExtended> &
  /** Dropped from GET /me in development mode (February 2026). */
  Partial<Pick<UserProfile, UserOnlyInExtended>>;

export type WireShow = Omit<SimplifiedShow, 'available_markets' | 'publisher'> &
  /** Dropped in development mode (February 2026). */
  Partial<Pick<SimplifiedShow, 'available_markets' | 'publisher'>>;

export type WireEpisode = Omit<Episode, 'restrictions' | 'resume_point' | 'show'> & {
  show: WireShow;
  /** Only when restricted. */
  restrictions?: Restrictions;
  /** Only with a user token. */
  resume_point?: ResumePoint;
};

/** Inside playlists Spotify flags each object as track or episode. */
export type WirePlaylistTrack = WireTrack & { episode: false; track: true };
export type WirePlaylistEpisode = WireEpisode & { episode: true; track: false };

/** Local files and content Spotify no longer has: a track object whose IDs and links are null. */
export interface WireIdlessTrack {
  album: {
    album_type: null;
    artists: [];
    available_markets?: [];
    external_urls: Record<string, never>;
    href: null;
    id: null;
    images: [];
    name: string;
    release_date: null;
    release_date_precision: null;
    type: 'album';
    uri: null;
  };
  artists: { external_urls: Record<string, never>; href: null; id: null; name: string; type: 'artist'; uri: null }[];
  available_markets?: [];
  disc_number: number;
  duration_ms: number;
  episode: false;
  explicit: boolean;
  external_ids: Record<string, never>;
  external_urls: Record<string, never>;
  href: null;
  id: null;
  is_local: boolean;
  is_playable?: false;
  name: string;
  popularity?: number;
  preview_url: null;
  track: true;
  track_number: number;
  type: 'track';
  /** `spotify:local:artist:album:title:seconds` for local files, null otherwise. */
  uri: string | null;
}

export type WirePlaylistObject = WirePlaylistTrack | WirePlaylistEpisode | WireIdlessTrack;

export type WirePlaylistedTrack = Omit<PlaylistedTrack, 'track' | 'primary_color' | 'added_by'> & {
  added_by: AddedBy;
  /** Always null in practice; the SDK says string. */
  primary_color: string | null;
  video_thumbnail: { url: string | null };
  track: WirePlaylistObject | null;
};

/** February 2026: entries from /playlists/{id}/items carry `item`, not `track`. */
export type WirePlaylistItem = Omit<WirePlaylistedTrack, 'track'> & { item: WirePlaylistObject | null };

type WirePlaylistBase = Omit<Playlist, 'tracks' | 'primary_color' | 'owner'> & {
  owner: UserReference;
  primary_color: string | null;
};

/** GET /playlists/{id} for an extended-quota app. */
export type WirePlaylist = WirePlaylistBase & { tracks: Page<WirePlaylistedTrack> };

/** A playlist's contents reference when the caller may not see them. */
export interface WireItemsReference {
  href: string;
  total: number;
}

/** GET /playlists/{id} in development mode: `items` replaces `tracks`, contents only for the owner. */
export type WireDevPlaylist = WirePlaylistBase & { items: Page<WirePlaylistItem> | WireItemsReference };

export interface WireSearchResults {
  tracks?: Page<WireTrack>;
  artists?: Page<WireArtist>;
  albums?: Page<WireSimplifiedAlbum>;
}

/** Spotify's error body on api.spotify.com. */
export interface SpotifyErrorBody {
  error: { status: number; message?: string };
}

/** The accounts service uses OAuth's error format instead. */
export interface AccountsErrorBody {
  error: string;
  error_description?: string;
}

/** ReccoBeats' GET /v1/audio-features rows: its own UUID, no time_signature or duration_ms. */
export interface ReccoBeatsAudioFeatures {
  id: string;
  href: string;
  isrc?: string;
  acousticness: number;
  danceability: number;
  energy: number;
  instrumentalness: number;
  key: number;
  liveness: number;
  loudness: number;
  mode: number;
  speechiness: number;
  tempo: number;
  valence: number;
}

export interface ReccoBeatsTrack {
  id: string;
  trackTitle: string;
  artists: { id: string; name: string; href: string }[];
  durationMs: number;
  isrc: string;
  href: string;
  popularity: number;
}

export interface ReccoBeatsContent<T> {
  content: T[];
}

// --- Builders ----------------------------------------------------------------------------------

export interface ShapeContext {
  mode: ApiMode;
  catalog: FakeCatalog;
  /** The fake's own API base, e.g. http://127.0.0.1:1234/v1; every href is built on it. */
  apiBase: string;
  /** A market was given (or implied by a user token): tracks then say whether they play. */
  market: string | null;
}

const isExtended = (ctx: ShapeContext) => ctx.mode === 'extended';
const open = (kind: string, id: string) => ({ spotify: `https://open.spotify.com/${kind}/${id}` });

/** Builds a paging object over `all`; `url` makes href/next/previous for an offset and limit. */
export function pageOf<T>(all: readonly T[], offset: number, limit: number, url: (offset: number, limit: number) => string): Page<T> {
  const items = all.slice(offset, offset + limit);
  return {
    href: url(offset, limit),
    items,
    limit,
    next: offset + limit < all.length ? url(offset + limit, limit) : null,
    offset,
    previous: offset > 0 ? url(Math.max(0, offset - limit), limit) : null,
    total: all.length,
  };
}

/** The `?offset=&limit=` URL Spotify puts in paging objects, other parameters after. */
export function pagingUrl(base: string, extra: Record<string, string> = {}) {
  return (offset: number, limit: number) => {
    const params = new URLSearchParams({ offset: String(offset), limit: String(limit), ...extra });
    return `${base}?${params.toString()}`;
  };
}

export function simplifiedArtist(artist: FakeArtist, ctx: ShapeContext): SimplifiedArtist {
  return {
    external_urls: open('artist', artist.id),
    href: `${ctx.apiBase}/artists/${artist.id}`,
    id: artist.id,
    name: artist.name,
    type: 'artist',
    uri: `spotify:artist:${artist.id}`,
  };
}

function artistsOf(ids: readonly string[], ctx: ShapeContext): SimplifiedArtist[] {
  return ids.flatMap((id) => {
    const artist = ctx.catalog.artists.get(id);
    return artist ? [simplifiedArtist(artist, ctx)] : [];
  });
}

export function fullArtist(artist: FakeArtist, ctx: ShapeContext): WireArtist {
  return {
    ...simplifiedArtist(artist, ctx),
    ...(isExtended(ctx) ? { followers: { href: null, total: artist.followers }, popularity: artist.popularity } : {}),
    genres: artist.genres,
    images: artist.images,
  };
}

function albumMarkets(album: FakeAlbum, ctx: ShapeContext): string[] {
  const markets = new Set<string>();
  for (const id of album.trackIds) for (const m of ctx.catalog.tracks.get(id)?.availableMarkets ?? []) markets.add(m);
  return [...markets];
}

export function simplifiedAlbum(album: FakeAlbum, ctx: ShapeContext, albumGroup?: string): WireSimplifiedAlbum {
  return {
    album_type: album.albumType,
    total_tracks: album.trackIds.length,
    ...(isExtended(ctx) ? { available_markets: albumMarkets(album, ctx) } : {}),
    external_urls: open('album', album.id),
    href: `${ctx.apiBase}/albums/${album.id}`,
    id: album.id,
    images: album.images,
    name: album.name,
    release_date: album.releaseDate,
    release_date_precision: album.releaseDatePrecision,
    type: 'album',
    uri: `spotify:album:${album.id}`,
    artists: artistsOf(album.artistIds, ctx),
    ...(albumGroup !== undefined && isExtended(ctx) ? { album_group: albumGroup } : {}),
  };
}

/** Spotify sends `is_playable` only when it knows the market; restricted tracks always say why. */
function playability(track: FakeTrack, ctx: ShapeContext): Pick<WireTrack, 'is_playable' | 'restrictions'> {
  if (!track.playable) return { is_playable: false, restrictions: { reason: 'market' } };
  return ctx.market !== null ? { is_playable: true } : {};
}

export function simplifiedTrack(track: FakeTrack, ctx: ShapeContext): WireSimplifiedTrack {
  return {
    artists: artistsOf(track.artistIds, ctx),
    ...(isExtended(ctx) ? { available_markets: track.availableMarkets } : {}),
    disc_number: track.discNumber,
    duration_ms: track.durationMs,
    explicit: track.explicit,
    external_urls: open('track', track.id),
    href: `${ctx.apiBase}/tracks/${track.id}`,
    id: track.id,
    ...playability(track, ctx),
    name: track.name,
    preview_url: track.previewUrl,
    track_number: track.trackNumber,
    type: 'track',
    uri: `spotify:track:${track.id}`,
    is_local: false,
  };
}

export function fullTrack(track: FakeTrack, ctx: ShapeContext): WireTrack {
  const album = ctx.catalog.albums.get(track.albumId);
  if (!album) throw new Error(`fake Spotify: track ${track.id} names a missing album ${track.albumId}`);
  return {
    album: simplifiedAlbum(album, ctx),
    ...simplifiedTrack(track, ctx),
    // Reverted in March 2026: external_ids stays in development mode.
    external_ids: { isrc: track.isrc },
    ...(isExtended(ctx) ? { popularity: track.popularity } : {}),
  };
}

export function fullAlbum(album: FakeAlbum, ctx: ShapeContext): WireAlbum {
  const tracks = album.trackIds.flatMap((id) => {
    const track = ctx.catalog.tracks.get(id);
    return track ? [simplifiedTrack(track, ctx)] : [];
  });
  const genres: string[] = [];
  return {
    ...simplifiedAlbum(album, ctx),
    tracks: pageOf(tracks, 0, 50, pagingUrl(`${ctx.apiBase}/albums/${album.id}/tracks`)),
    copyrights: [
      { text: `${album.releaseDate.slice(0, 4)} ${album.label}`, type: 'C' },
      { text: `${album.releaseDate.slice(0, 4)} ${album.label}`, type: 'P' },
    ],
    external_ids: { upc: album.upc },
    genres,
    ...(isExtended(ctx) ? { label: album.label, popularity: album.popularity } : {}),
  };
}

export function userReference(user: FakeUser | undefined, userId: string, ctx: ShapeContext): UserReference {
  return {
    display_name: user?.displayName ?? userId,
    external_urls: open('user', userId),
    href: `${ctx.apiBase}/users/${userId}`,
    id: userId,
    type: 'user',
    uri: `spotify:user:${userId}`,
  };
}

export function userProfile(user: FakeUser, ctx: ShapeContext): WireUserProfile {
  return {
    display_name: user.displayName,
    external_urls: open('user', user.id),
    href: `${ctx.apiBase}/users/${user.id}`,
    id: user.id,
    images: user.images,
    type: 'user',
    uri: `spotify:user:${user.id}`,
    ...(isExtended(ctx)
      ? {
          country: user.country,
          email: user.email,
          explicit_content: { filter_enabled: false, filter_locked: false },
          followers: { href: null, total: user.followers },
          product: user.product,
        }
      : {}),
  };
}

function episodeObject(episode: FakeEpisode, ctx: ShapeContext): WireEpisode {
  const show = ctx.catalog.shows.get(episode.showId);
  const wireShow: WireShow = {
    copyrights: [],
    description: show?.description ?? '',
    html_description: `<p>${show?.description ?? ''}</p>`,
    explicit: false,
    external_urls: open('show', episode.showId),
    href: `${ctx.apiBase}/shows/${episode.showId}`,
    id: episode.showId,
    images: show?.images ?? [],
    is_externally_hosted: false,
    languages: [episode.language],
    media_type: 'audio',
    name: show?.name ?? '',
    total_episodes: [...ctx.catalog.episodes.values()].filter((e) => e.showId === episode.showId).length,
    type: 'show',
    uri: `spotify:show:${episode.showId}`,
    ...(isExtended(ctx) ? { available_markets: ['US', 'GB', 'SE'], publisher: show?.publisher ?? '' } : {}),
  };
  return {
    audio_preview_url: `https://podz-content.spotifycdn.com/audio/clips/${episode.id}/clip.mp3`,
    description: episode.description,
    html_description: `<p>${episode.description}</p>`,
    duration_ms: episode.durationMs,
    explicit: episode.explicit,
    external_urls: open('episode', episode.id),
    href: `${ctx.apiBase}/episodes/${episode.id}`,
    id: episode.id,
    images: episode.images,
    is_externally_hosted: false,
    is_playable: true,
    language: episode.language,
    languages: [episode.language],
    name: episode.name,
    release_date: episode.releaseDate,
    release_date_precision: 'day',
    type: 'episode',
    uri: `spotify:episode:${episode.id}`,
    show: wireShow,
  };
}

function idlessTrack(
  fields: { name: string; artist: string; album: string; durationMs: number; local: boolean },
  ctx: ShapeContext,
): WireIdlessTrack {
  const seconds = Math.round(fields.durationMs / 1000);
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return {
    album: {
      album_type: null,
      artists: [],
      ...(isExtended(ctx) ? { available_markets: [] as [] } : {}),
      external_urls: {},
      href: null,
      id: null,
      images: [],
      name: fields.album,
      release_date: null,
      release_date_precision: null,
      type: 'album',
      uri: null,
    },
    artists: [{ external_urls: {}, href: null, id: null, name: fields.artist, type: 'artist', uri: null }],
    ...(isExtended(ctx) ? { available_markets: [] as [], popularity: 0 } : {}),
    disc_number: 0,
    duration_ms: fields.durationMs,
    episode: false,
    explicit: false,
    external_ids: {},
    external_urls: {},
    href: null,
    id: null,
    is_local: fields.local,
    ...(fields.local ? {} : { is_playable: false as const }),
    name: fields.name,
    preview_url: null,
    track: true,
    track_number: 0,
    type: 'track',
    uri: fields.local ? `spotify:local:${enc(fields.artist)}:${enc(fields.album)}:${enc(fields.name)}:${seconds}` : null,
  };
}

/** The object inside one playlist entry (track, episode, local file...) or null. */
export function playlistObject(entry: FakePlaylistEntry, ctx: ShapeContext): WirePlaylistObject | null {
  switch (entry.kind) {
    case 'track': {
      const track = ctx.catalog.tracks.get(entry.trackId);
      return track ? { ...fullTrack(track, ctx), episode: false, track: true } : null;
    }
    case 'episode': {
      const episode = ctx.catalog.episodes.get(entry.episodeId);
      return episode ? { ...episodeObject(episode, ctx), episode: true, track: false } : null;
    }
    case 'local':
      return idlessTrack({ ...entry, local: true }, ctx);
    case 'no-id':
      return idlessTrack({ ...entry, album: '', local: false }, ctx);
    case 'null':
      return null;
  }
}

function addedBy(entry: FakePlaylistEntry, ctx: ShapeContext): AddedBy {
  return {
    external_urls: open('user', entry.addedBy),
    href: `${ctx.apiBase}/users/${entry.addedBy}`,
    id: entry.addedBy,
    type: 'user',
    uri: `spotify:user:${entry.addedBy}`,
  };
}

export function playlistedTrack(entry: FakePlaylistEntry, ctx: ShapeContext): WirePlaylistedTrack {
  return {
    added_at: entry.addedAt,
    added_by: addedBy(entry, ctx),
    is_local: entry.kind === 'local',
    primary_color: null,
    track: playlistObject(entry, ctx),
    video_thumbnail: { url: null },
  };
}

export function playlistItem(entry: FakePlaylistEntry, ctx: ShapeContext): WirePlaylistItem {
  return {
    added_at: entry.addedAt,
    added_by: addedBy(entry, ctx),
    is_local: entry.kind === 'local',
    primary_color: null,
    item: playlistObject(entry, ctx),
    video_thumbnail: { url: null },
  };
}

function playlistBase(playlist: FakePlaylist, ctx: ShapeContext): WirePlaylistBase {
  return {
    collaborative: playlist.collaborative,
    description: playlist.description,
    external_urls: open('playlist', playlist.id),
    followers: { href: null, total: playlist.followers },
    href: `${ctx.apiBase}/playlists/${playlist.id}`,
    id: playlist.id,
    images: playlist.images,
    name: playlist.name,
    owner: userReference(ctx.catalog.users.get(playlist.ownerId), playlist.ownerId, ctx),
    primary_color: null,
    public: playlist.public,
    snapshot_id: playlist.snapshotId,
    type: 'playlist',
    uri: `spotify:playlist:${playlist.id}`,
  };
}

/** GET /playlists/{id} for an extended-quota app: the first 100 entries embedded. */
export function extendedPlaylist(playlist: FakePlaylist, ctx: ShapeContext): WirePlaylist {
  const entries = playlist.entries.map((entry) => playlistedTrack(entry, ctx));
  return {
    ...playlistBase(playlist, ctx),
    tracks: pageOf(entries, 0, 100, pagingUrl(`${ctx.apiBase}/playlists/${playlist.id}/tracks`)),
  };
}

/** GET /playlists/{id} in development mode: contents only when `withContents`. */
export function devPlaylist(playlist: FakePlaylist, ctx: ShapeContext, withContents: boolean): WireDevPlaylist {
  const itemsUrl = `${ctx.apiBase}/playlists/${playlist.id}/items`;
  const items = withContents
    ? pageOf(playlist.entries.map((entry) => playlistItem(entry, ctx)), 0, 50, pagingUrl(itemsUrl))
    : { href: itemsUrl, total: playlist.entries.length };
  return { ...playlistBase(playlist, ctx), items };
}

export function spotifyAudioFeatures(track: FakeTrack, features: FakeAudioFeatures, ctx: ShapeContext): AudioFeatures {
  return {
    danceability: features.danceability,
    energy: features.energy,
    key: features.key,
    loudness: features.loudness,
    mode: features.mode,
    speechiness: features.speechiness,
    acousticness: features.acousticness,
    instrumentalness: features.instrumentalness,
    liveness: features.liveness,
    valence: features.valence,
    tempo: features.tempo,
    type: 'audio_features',
    id: track.id,
    uri: `spotify:track:${track.id}`,
    track_href: `${ctx.apiBase}/tracks/${track.id}`,
    analysis_url: `${ctx.apiBase}/audio-analysis/${track.id}`,
    duration_ms: track.durationMs,
    time_signature: features.timeSignature,
  };
}

export function reccobeatsAudioFeatures(track: FakeTrack, features: FakeAudioFeatures): ReccoBeatsAudioFeatures {
  const f = { ...features, ...track.reccobeatsFeatures };
  return {
    id: track.reccobeatsId,
    href: `https://open.spotify.com/track/${track.id}`,
    isrc: track.isrc,
    acousticness: f.acousticness,
    danceability: f.danceability,
    energy: f.energy,
    instrumentalness: f.instrumentalness,
    key: f.key,
    liveness: f.liveness,
    loudness: f.loudness,
    mode: f.mode,
    speechiness: f.speechiness,
    tempo: f.tempo,
    valence: f.valence,
  };
}

export function reccobeatsTrack(track: FakeTrack, catalog: FakeCatalog): ReccoBeatsTrack {
  return {
    id: track.reccobeatsId,
    trackTitle: track.name,
    artists: track.artistIds.flatMap((id) => {
      const artist = catalog.artists.get(id);
      return artist ? [{ id: reccobeatsIdFor(`artist:${id}`), name: artist.name, href: `https://open.spotify.com/artist/${id}` }] : [];
    }),
    durationMs: track.durationMs,
    isrc: track.isrc,
    href: `https://open.spotify.com/track/${track.id}`,
    popularity: track.popularity,
  };
}

