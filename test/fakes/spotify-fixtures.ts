// The fake Spotify's catalog: plain data that tests can read and edit, plus deterministic
// builders (a synthetic catalog from a seed, or one from dataset-like rows). Nothing here knows
// HTTP or the wire format; spotify-shapes.ts turns these records into Spotify's JSON.

import { createHash } from 'node:crypto';

export interface FakeImage {
  url: string;
  height: number;
  width: number;
}

/** Spotify's audio features in Spotify's units; `key` is -1 when no key was detected. */
export interface FakeAudioFeatures {
  danceability: number;
  energy: number;
  key: number;
  loudness: number;
  mode: number;
  speechiness: number;
  acousticness: number;
  instrumentalness: number;
  liveness: number;
  valence: number;
  tempo: number;
  timeSignature: number;
}

export interface FakeArtist {
  id: string;
  name: string;
  genres: string[];
  popularity: number;
  followers: number;
  images: FakeImage[];
}

export type FakeAlbumType = 'album' | 'single' | 'compilation';
export type FakeDatePrecision = 'year' | 'month' | 'day';

export interface FakeAlbum {
  id: string;
  name: string;
  albumType: FakeAlbumType;
  artistIds: string[];
  releaseDate: string;
  releaseDatePrecision: FakeDatePrecision;
  images: FakeImage[];
  label: string;
  popularity: number;
  upc: string;
  /** In album order (disc, then track number). */
  trackIds: string[];
}

export interface FakeTrack {
  id: string;
  name: string;
  artistIds: string[];
  albumId: string;
  discNumber: number;
  trackNumber: number;
  durationMs: number;
  popularity: number;
  explicit: boolean;
  isrc: string;
  /** False: Spotify still lists the track (and playlists keep it) but it cannot be played. */
  playable: boolean;
  availableMarkets: string[];
  previewUrl: string | null;
  features: FakeAudioFeatures | null;
  /** Which service answers with this track's features; both need `features` too. */
  featuresKnownBy: { spotify: boolean; reccobeats: boolean };
  /** ReccoBeats' own ID for the track (a UUID), stable per Spotify ID. */
  reccobeatsId: string;
  /** ReccoBeats computes its own values; set to make them differ from Spotify's. */
  reccobeatsFeatures?: Partial<FakeAudioFeatures>;
}

export interface FakeShow {
  id: string;
  name: string;
  publisher: string;
  description: string;
  images: FakeImage[];
}

export interface FakeEpisode {
  id: string;
  name: string;
  showId: string;
  description: string;
  durationMs: number;
  releaseDate: string;
  explicit: boolean;
  language: string;
  images: FakeImage[];
}

export interface FakeUser {
  id: string;
  displayName: string;
  email: string;
  country: string;
  product: 'premium' | 'free';
  followers: number;
  images: FakeImage[];
}

interface EntryBase {
  addedAt: string;
  /** A user ID; editorial playlists use an empty string, as Spotify does. */
  addedBy: string;
}

/** One row of a playlist. The non-track kinds are what a crawler has to skip. */
export type FakePlaylistEntry = EntryBase &
  (
    | { kind: 'track'; trackId: string }
    | { kind: 'episode'; episodeId: string }
    | { kind: 'local'; name: string; artist: string; album: string; durationMs: number }
    /** Spotify sends `track: null` / `item: null` for some deleted content. */
    | { kind: 'null' }
    /** A track object whose id/uri are null: content Spotify no longer has. */
    | { kind: 'no-id'; name: string; artist: string; durationMs: number }
  );

export interface FakePlaylist {
  id: string;
  name: string;
  description: string;
  ownerId: string;
  collaborative: boolean;
  /** Users who may edit a collaborative playlist (besides the owner). */
  collaborators: string[];
  public: boolean;
  followers: number;
  images: FakeImage[];
  /** Bumped by every edit; `snapshotId` is derived from it and the contents. */
  version: number;
  snapshotId: string;
  entries: FakePlaylistEntry[];
}

export interface FakeCatalog {
  artists: Map<string, FakeArtist>;
  albums: Map<string, FakeAlbum>;
  tracks: Map<string, FakeTrack>;
  shows: Map<string, FakeShow>;
  episodes: Map<string, FakeEpisode>;
  playlists: Map<string, FakePlaylist>;
  users: Map<string, FakeUser>;
}

export const FIXTURE_USER_ID = 'fixture-user';
export const OTHER_USER_ID = 'someone-else';
/** Spotify's own account, owner of editorial playlists. */
export const SPOTIFY_USER_ID = 'spotify';
export const EDITORIAL_PREFIX = '37i9dQZ';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62_ID = /^[0-9A-Za-z]{22}$/;

export function isBase62Id(value: string): boolean {
  return BASE62_ID.test(value);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** A 22-character base62 ID derived from `seed`, so the same name always gets the same ID. */
export function base62IdFrom(seed: string, length = 22): string {
  const digest = sha256(seed);
  let id = '';
  for (let i = 0; i < length; i++) id += BASE62[(digest[i % digest.length] ?? 0) % 62];
  return id;
}

/** ReccoBeats' UUID for a Spotify track (version 4 layout, derived from the Spotify ID). */
export function reccobeatsIdFor(spotifyId: string): string {
  const hex = sha256(`reccobeats:${spotifyId}`).toString('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Spotify's older snapshot format: base64 of "version,hash-of-contents". */
export function snapshotIdFor(playlist: Pick<FakePlaylist, 'id' | 'version' | 'entries'>): string {
  const hash = createHash('sha1')
    .update(playlist.id)
    .update(JSON.stringify(playlist.entries))
    .digest('hex');
  return Buffer.from(`${playlist.version},${hash}`).toString('base64');
}

export function createEmptyCatalog(): FakeCatalog {
  return {
    artists: new Map(),
    albums: new Map(),
    tracks: new Map(),
    shows: new Map(),
    episodes: new Map(),
    playlists: new Map(),
    users: new Map(),
  };
}

// ---------------------------------------------------------------------------------------------
// Editing playlists: every change bumps the version so `snapshot_id` changes, as on Spotify.

export function getPlaylistOrThrow(catalog: FakeCatalog, playlistId: string): FakePlaylist {
  const playlist = catalog.playlists.get(playlistId);
  if (!playlist) throw new Error(`fake Spotify: no playlist ${playlistId} in the catalog`);
  return playlist;
}

/** Runs `edit` on the entries (mutate them or return a new array); returns the new snapshot ID. */
export function editPlaylist(
  catalog: FakeCatalog,
  playlistId: string,
  edit: (entries: FakePlaylistEntry[], playlist: FakePlaylist) => FakePlaylistEntry[] | void,
): string {
  const playlist = getPlaylistOrThrow(catalog, playlistId);
  const replaced = edit(playlist.entries, playlist);
  if (replaced) playlist.entries = replaced;
  playlist.version += 1;
  playlist.snapshotId = snapshotIdFor(playlist);
  return playlist.snapshotId;
}

export interface AddTracksOptions {
  /** Index to insert at; the end when left out. */
  position?: number;
  addedBy?: string;
  addedAt?: string;
}

export function addTracksToPlaylist(
  catalog: FakeCatalog,
  playlistId: string,
  trackIds: string[],
  options: AddTracksOptions = {},
): string {
  return editPlaylist(catalog, playlistId, (entries, playlist) => {
    const added: FakePlaylistEntry[] = trackIds.map((trackId) => ({
      kind: 'track',
      trackId,
      addedAt: options.addedAt ?? '2025-06-01T12:00:00Z',
      addedBy: options.addedBy ?? playlist.ownerId,
    }));
    entries.splice(options.position ?? entries.length, 0, ...added);
  });
}

/** Removes every occurrence of the given tracks, as Spotify's remove-by-URI does. */
export function removeTracksFromPlaylist(
  catalog: FakeCatalog,
  playlistId: string,
  trackIds: string[],
): string {
  const doomed = new Set(trackIds);
  return editPlaylist(catalog, playlistId, (entries) =>
    entries.filter((entry) => !(entry.kind === 'track' && doomed.has(entry.trackId))),
  );
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness (mulberry32): the same seed always builds the same catalog.

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('SeededRandom.pick: empty list');
    return item;
  }

  /** Roughly normal (Irwin–Hall), clamped to [min, max]. */
  around(center: number, spread: number, min: number, max: number): number {
    const unit = (this.next() + this.next() + this.next() + this.next() - 2) / 2;
    return Math.min(max, Math.max(min, center + unit * spread));
  }

  base62(length = 22): string {
    let id = '';
    for (let i = 0; i < length; i++) id += BASE62[Math.floor(this.next() * 62)];
    return id;
  }

  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }
}

const round = (value: number, places: number) => Number(value.toFixed(places));

function coverImages(seed: string): FakeImage[] {
  const hash = createHash('sha1').update(seed).digest('hex').slice(0, 24);
  return [
    { url: `https://i.scdn.co/image/ab67616d0000b273${hash}`, height: 640, width: 640 },
    { url: `https://i.scdn.co/image/ab67616d00001e02${hash}`, height: 300, width: 300 },
    { url: `https://i.scdn.co/image/ab67616d00004851${hash}`, height: 64, width: 64 },
  ];
}

function artistImages(seed: string): FakeImage[] {
  const hash = createHash('sha1').update(seed).digest('hex').slice(0, 24);
  return [
    { url: `https://i.scdn.co/image/ab6761610000e5eb${hash}`, height: 640, width: 640 },
    { url: `https://i.scdn.co/image/ab67616100005174${hash}`, height: 320, width: 320 },
    { url: `https://i.scdn.co/image/ab6761610000f178${hash}`, height: 160, width: 160 },
  ];
}

function mosaicImages(seed: string): FakeImage[] {
  const hash = createHash('sha1').update(seed).digest('hex').slice(0, 40);
  return [640, 300, 60].map((size) => ({
    url: `https://mosaic.scdn.co/${size}/${hash}`,
    height: size,
    width: size,
  }));
}

const MARKETS = ['US', 'GB', 'DE', 'SE', 'FR', 'ES', 'BR', 'JP', 'CA', 'AU', 'NL', 'MX'];

function isrcFrom(seed: string): string {
  const digest = sha256(`isrc:${seed}`);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const country = ['US', 'GB', 'SE', 'DE', 'FR'][(digest[0] ?? 0) % 5] ?? 'US';
  const registrant = [1, 2, 3].map((i) => letters[(digest[i] ?? 0) % 26]).join('');
  const year = String((digest[4] ?? 0) % 100).padStart(2, '0');
  const serial = String(digest.readUInt32BE(5) % 100000).padStart(5, '0');
  return `${country}${registrant}${year}${serial}`;
}

function upcFrom(seed: string): string {
  return String(sha256(`upc:${seed}`).readUInt32BE(0)).padStart(12, '0').slice(0, 12);
}

function user(id: string, displayName: string, country: string, product: 'premium' | 'free'): FakeUser {
  return {
    id,
    displayName,
    email: `${id}@example.test`,
    country,
    product,
    followers: id === SPOTIFY_USER_ID ? 9_000_000 : 12,
    images: [],
  };
}

function newPlaylist(fields: Omit<FakePlaylist, 'version' | 'snapshotId'>): FakePlaylist {
  const playlist: FakePlaylist = { ...fields, version: 1, snapshotId: '' };
  playlist.snapshotId = snapshotIdFor(playlist);
  return playlist;
}

/** Day `n` after 2023-01-01, as Spotify's `added_at` (ISO 8601, seconds, Z). */
function addedAt(n: number): string {
  return new Date(Date.UTC(2023, 0, 1 + n, 12, 0, 0)).toISOString().replace('.000Z', 'Z');
}

// ---------------------------------------------------------------------------------------------
// A synthetic catalog.

export interface GenerateFakeCatalogOptions {
  seed?: number;
  artists?: number;
  albumsPerArtist?: number;
  tracksPerAlbum?: number;
  /** The user who logs in through the fake's authorize page. */
  fixtureUserId?: string;
  otherUserId?: string;
  /** Entries in the playlist meant to exercise paging (over 100 by default). */
  largePlaylistSize?: number;
  /** Share of tracks whose features Spotify knows (default 1). */
  spotifyFeaturesCoverage?: number;
  /** Share of tracks whose features ReccoBeats knows (default 0.85). */
  reccobeatsCoverage?: number;
}

export interface GeneratedFakeCatalog extends FakeCatalog {
  ids: {
    fixtureUser: string;
    otherUser: string;
    playlists: {
      /** Owned by the fixture user. */
      mine: string;
      /** Owned by the other user, collaborative with the fixture user. */
      collaborative: string;
      /** Owned by the other user; the fixture user only follows it. */
      theirs: string;
      /** Spotify-owned, ID starting 37i9dQZ. */
      editorial: string;
      /** Owned by the fixture user, `largePlaylistSize` entries. */
      large: string;
      /** Owned by the fixture user: local file, episode, null, unplayable and ID-less items. */
      special: string;
    };
    /** A track Spotify lists but cannot play (`is_playable: false`). */
    unplayableTrack: string;
    /** A track no service has features for. */
    featurelessTrack: string;
    /** An artist with an accented name, for accent-insensitive search. */
    accentedArtist: string;
  };
}

const FIRST_WORDS = [
  'Velvet', 'Neon', 'Paper', 'Silver', 'Hollow', 'Golden', 'Quiet', 'Electric', 'Midnight',
  'Crystal', 'Wild', 'Lunar', 'Rusty', 'Coral', 'Amber', 'Static', 'Ivory', 'Scarlet',
];
const SECOND_WORDS = [
  'Harbor', 'Lantern', 'Engines', 'Foxes', 'Parade', 'Machines', 'Rivers', 'Echoes', 'Pilots',
  'Gardens', 'Satellites', 'Tides', 'Wolves', 'Signals', 'Orchard', 'Arcade', 'Choir', 'Comets',
];
const TRACK_WORDS = [
  'Love', 'Night', 'Fire', 'Ocean', 'Dream', 'Light', 'Heart', 'Summer', 'Rain', 'Gold', 'Ghost',
  'Home', 'Dance', 'Stars', 'Road', 'City', 'Blue', 'Glass', 'Wire', 'Song', 'Days', 'River',
];
const TRACK_PATTERNS = [
  (a: string, b: string) => `${a} ${b}`,
  (a: string, b: string) => `The ${a} of ${b}`,
  (a: string) => `${a}`,
  (a: string, b: string) => `${a} & ${b}`,
  (a: string, b: string) => `Into the ${a} ${b}`,
  (a: string, b: string) => `${a} (${b} Mix)`,
];
/** Accented names so accent-insensitive search has something to find. */
const ACCENTED_ARTISTS = ['Élodie Marchand', 'Søren Ångström', 'Café Señor', 'Zoë Noël'];

interface Style {
  genre: string;
  center: Omit<FakeAudioFeatures, 'key' | 'mode' | 'timeSignature'>;
}

const STYLES: Style[] = [
  {
    genre: 'dance pop',
    center: { danceability: 0.78, energy: 0.8, loudness: -5, speechiness: 0.06, acousticness: 0.08, instrumentalness: 0.01, liveness: 0.14, valence: 0.7, tempo: 122 },
  },
  {
    genre: 'indie folk',
    center: { danceability: 0.48, energy: 0.32, loudness: -11, speechiness: 0.04, acousticness: 0.82, instrumentalness: 0.08, liveness: 0.12, valence: 0.38, tempo: 96 },
  },
  {
    genre: 'hip hop',
    center: { danceability: 0.82, energy: 0.66, loudness: -6, speechiness: 0.28, acousticness: 0.12, instrumentalness: 0.0, liveness: 0.18, valence: 0.52, tempo: 94 },
  },
  {
    genre: 'ambient',
    center: { danceability: 0.28, energy: 0.15, loudness: -19, speechiness: 0.04, acousticness: 0.7, instrumentalness: 0.88, liveness: 0.1, valence: 0.12, tempo: 78 },
  },
  {
    genre: 'metal',
    center: { danceability: 0.36, energy: 0.95, loudness: -4, speechiness: 0.09, acousticness: 0.01, instrumentalness: 0.2, liveness: 0.25, valence: 0.3, tempo: 150 },
  },
  {
    genre: 'jazz',
    center: { danceability: 0.55, energy: 0.35, loudness: -13, speechiness: 0.05, acousticness: 0.75, instrumentalness: 0.6, liveness: 0.2, valence: 0.55, tempo: 112 },
  },
];

function featuresAround(rng: SeededRandom, style: Style): FakeAudioFeatures {
  const c = style.center;
  return {
    danceability: round(rng.around(c.danceability, 0.25, 0.05, 0.99), 3),
    energy: round(rng.around(c.energy, 0.25, 0.01, 1), 3),
    key: rng.chance(0.03) ? -1 : rng.int(0, 11),
    loudness: round(rng.around(c.loudness, 5, -40, -0.5), 3),
    mode: rng.chance(0.62) ? 1 : 0,
    speechiness: round(rng.around(c.speechiness, 0.08, 0.022, 0.96), 4),
    acousticness: round(rng.around(c.acousticness, 0.3, 0.00001, 0.996), 5),
    instrumentalness: round(rng.around(c.instrumentalness, 0.25, 0, 0.99), 6),
    liveness: round(rng.around(c.liveness, 0.15, 0.02, 0.98), 4),
    valence: round(rng.around(c.valence, 0.3, 0.02, 0.98), 3),
    tempo: round(rng.around(c.tempo, 30, 50, 210), 3),
    timeSignature: rng.chance(0.9) ? 4 : rng.pick([3, 5, 1]),
  };
}

export function generateFakeCatalog(options: GenerateFakeCatalogOptions = {}): GeneratedFakeCatalog {
  const rng = new SeededRandom(options.seed ?? 42);
  const artistCount = options.artists ?? 12;
  const albumsPerArtist = options.albumsPerArtist ?? 3;
  const tracksPerAlbum = options.tracksPerAlbum ?? 8;
  const fixtureUserId = options.fixtureUserId ?? FIXTURE_USER_ID;
  const otherUserId = options.otherUserId ?? OTHER_USER_ID;
  const spotifyCoverage = options.spotifyFeaturesCoverage ?? 1;
  const reccobeatsCoverage = options.reccobeatsCoverage ?? 0.85;
  const catalog = createEmptyCatalog();

  for (const u of [
    user(fixtureUserId, 'Fixture User', 'SE', 'premium'),
    user(otherUserId, 'Someone Else', 'US', 'free'),
    user(SPOTIFY_USER_ID, 'Spotify', 'SE', 'premium'),
  ]) {
    catalog.users.set(u.id, u);
  }

  const artists: { artist: FakeArtist; style: Style }[] = [];
  const usedNames = new Set<string>();
  for (let i = 0; i < artistCount; i++) {
    let name = i < ACCENTED_ARTISTS.length && i % 3 === 1 ? (ACCENTED_ARTISTS[i] ?? '') : '';
    while (name === '' || usedNames.has(name)) name = `${rng.pick(FIRST_WORDS)} ${rng.pick(SECOND_WORDS)}`;
    usedNames.add(name);
    const style = STYLES[i % STYLES.length] ?? rng.pick(STYLES);
    const id = rng.base62();
    const artist: FakeArtist = {
      id,
      name,
      genres: [style.genre, ...(rng.chance(0.5) ? [`${rng.pick(['alt', 'modern', 'classic'])} ${style.genre}`] : [])],
      popularity: rng.int(15, 90),
      followers: rng.int(200, 5_000_000),
      images: artistImages(id),
    };
    catalog.artists.set(id, artist);
    artists.push({ artist, style });
  }

  const allTracks: FakeTrack[] = [];
  const addTrack = (album: FakeAlbum, artistIds: string[], style: Style, trackNumber: number) => {
    const id = rng.base62();
    const a = rng.pick(TRACK_WORDS);
    const b = rng.pick(TRACK_WORDS);
    const main = catalog.artists.get(artistIds[0] ?? '');
    const features = rng.chance(spotifyCoverage) || rng.chance(reccobeatsCoverage) ? featuresAround(rng, style) : null;
    const track: FakeTrack = {
      id,
      name: rng.pick(TRACK_PATTERNS)(a, b),
      artistIds,
      albumId: album.id,
      discNumber: 1,
      trackNumber,
      durationMs: rng.int(95_000, 390_000),
      popularity: Math.max(0, Math.min(100, (main?.popularity ?? 50) + rng.int(-20, 15))),
      explicit: rng.chance(0.15),
      isrc: isrcFrom(id),
      playable: true,
      availableMarkets: MARKETS.filter(() => rng.chance(0.9)),
      previewUrl: null,
      features,
      featuresKnownBy: {
        spotify: features !== null && rng.chance(spotifyCoverage),
        reccobeats: features !== null && rng.chance(reccobeatsCoverage),
      },
      reccobeatsId: reccobeatsIdFor(id),
    };
    catalog.tracks.set(id, track);
    album.trackIds.push(id);
    allTracks.push(track);
  };

  for (const [index, { artist, style }] of artists.entries()) {
    for (let n = 0; n < albumsPerArtist; n++) {
      const albumType: FakeAlbumType =
        n === 0 ? 'album' : index % 4 === 3 && n === albumsPerArtist - 1 ? 'compilation' : rng.chance(0.4) ? 'single' : 'album';
      const year = rng.int(1968, 2025);
      const precision: FakeDatePrecision = year < 1990 && rng.chance(0.5) ? 'year' : 'day';
      const date = precision === 'year' ? String(year) : `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
      const id = rng.base62();
      const name = albumType === 'single' ? '' : `${rng.pick(FIRST_WORDS)} ${rng.pick(TRACK_WORDS)}`;
      const album: FakeAlbum = {
        id,
        name,
        albumType,
        artistIds: [artist.id],
        releaseDate: date,
        releaseDatePrecision: precision,
        images: coverImages(id),
        label: `${rng.pick(SECOND_WORDS)} Records`,
        popularity: Math.max(0, artist.popularity + rng.int(-15, 5)),
        upc: upcFrom(id),
        trackIds: [],
      };
      catalog.albums.set(id, album);
      const count = albumType === 'single' ? rng.int(1, 2) : tracksPerAlbum;
      for (let t = 1; t <= count; t++) {
        // Now and then a guest from the next artist, which gives that artist an appears_on album.
        const guest = artists[(index + 1) % artists.length]?.artist;
        const ids = guest && guest.id !== artist.id && rng.chance(0.12) ? [artist.id, guest.id] : [artist.id];
        addTrack(album, ids, style, t);
      }
      if (albumType === 'single') album.name = catalog.tracks.get(album.trackIds[0] ?? '')?.name ?? 'Single';
    }
  }

  const unplayable = allTracks[3] ?? allTracks[0];
  const featureless = allTracks[5] ?? allTracks[0];
  if (!unplayable || !featureless) throw new Error('generateFakeCatalog: the catalog needs at least one track');
  unplayable.playable = false;
  unplayable.availableMarkets = [];
  featureless.features = null;
  featureless.featuresKnownBy = { spotify: false, reccobeats: false };
  const accented = artists.find(({ artist }) => /[^\u0020-\u007e]/.test(artist.name))?.artist ?? artists[0]?.artist;

  const show: FakeShow = {
    id: rng.base62(),
    name: 'The Fake Podcast',
    publisher: 'Fake Media',
    description: 'A show that exists so playlists can hold episodes.',
    images: coverImages('show'),
  };
  catalog.shows.set(show.id, show);
  const episodes: FakeEpisode[] = [1, 2].map((n) => ({
    id: rng.base62(),
    name: `Episode ${n}: Testing Playlists`,
    showId: show.id,
    description: `Episode ${n} of a fake show.`,
    durationMs: rng.int(1_200_000, 3_600_000),
    releaseDate: `2024-0${n}-15`,
    explicit: false,
    language: 'en',
    images: show.images,
  }));
  for (const episode of episodes) catalog.episodes.set(episode.id, episode);

  const sample = (count: number, offset: number) =>
    Array.from({ length: count }, (_, i) => allTracks[(offset + i * 7) % allTracks.length]?.id ?? '');
  const trackEntries = (trackIds: string[], addedBy: string, dayOffset = 0): FakePlaylistEntry[] =>
    trackIds.map((trackId, i) => ({ kind: 'track', trackId, addedAt: addedAt(dayOffset + i), addedBy }));

  const mine = newPlaylist({
    id: rng.base62(),
    name: 'My Mix',
    description: 'Songs the fixture user picked.',
    ownerId: fixtureUserId,
    collaborative: false,
    collaborators: [],
    public: true,
    followers: 3,
    images: mosaicImages('mine'),
    entries: trackEntries(sample(20, 0).filter((id) => id !== unplayable.id), fixtureUserId),
  });
  const collaborative = newPlaylist({
    id: rng.base62(),
    name: 'Road Trip (shared)',
    description: 'A collaborative playlist.',
    ownerId: otherUserId,
    collaborative: true,
    collaborators: [fixtureUserId],
    public: false,
    followers: 0,
    images: mosaicImages('collaborative'),
    entries: [
      ...trackEntries(sample(6, 11), otherUserId),
      ...trackEntries(sample(6, 29), fixtureUserId, 6),
    ],
  });
  const theirs = newPlaylist({
    id: rng.base62(),
    name: 'Someone Else’s Favourites',
    description: 'Owned by another user.',
    ownerId: otherUserId,
    collaborative: false,
    collaborators: [],
    public: true,
    followers: 41,
    images: mosaicImages('theirs'),
    entries: trackEntries(sample(15, 3), otherUserId),
  });
  const editorial = newPlaylist({
    id: `${EDITORIAL_PREFIX}F1DX${rng.base62(11)}`,
    name: 'Fake Hits',
    description: 'The hottest fake tracks. Cover: Fake Artist',
    ownerId: SPOTIFY_USER_ID,
    collaborative: false,
    collaborators: [],
    public: true,
    followers: 3_400_000,
    images: [{ url: 'https://i.scdn.co/image/ab67706f00000002fakeeditorial', height: 640, width: 640 }],
    entries: trackEntries(sample(30, 1), ''),
  });
  const largeSize = options.largePlaylistSize ?? 130;
  const large = newPlaylist({
    id: rng.base62(),
    name: 'Everything',
    description: 'Long enough to need several pages.',
    ownerId: fixtureUserId,
    collaborative: false,
    collaborators: [],
    public: true,
    followers: 0,
    images: mosaicImages('large'),
    entries: trackEntries(
      Array.from({ length: largeSize }, (_, i) => allTracks[i % allTracks.length]?.id ?? ''),
      fixtureUserId,
    ),
  });
  const [firstTrack, secondTrack, thirdTrack] = sample(3, 2);
  const special = newPlaylist({
    id: rng.base62(),
    name: 'Odds and Ends',
    description: 'Local files, an episode, a deleted item and an unplayable track.',
    ownerId: fixtureUserId,
    collaborative: false,
    collaborators: [],
    public: false,
    followers: 0,
    images: mosaicImages('special'),
    entries: [
      { kind: 'track', trackId: firstTrack ?? '', addedAt: addedAt(0), addedBy: fixtureUserId },
      { kind: 'local', name: 'Demo Take 3', artist: 'My Garage Band', album: 'Home Recordings', durationMs: 187_000, addedAt: addedAt(1), addedBy: fixtureUserId },
      { kind: 'episode', episodeId: episodes[0]?.id ?? '', addedAt: addedAt(2), addedBy: fixtureUserId },
      { kind: 'null', addedAt: addedAt(3), addedBy: fixtureUserId },
      { kind: 'track', trackId: unplayable.id, addedAt: addedAt(4), addedBy: fixtureUserId },
      { kind: 'no-id', name: 'Taken Down Song', artist: 'Vanished Artist', durationMs: 201_000, addedAt: addedAt(5), addedBy: fixtureUserId },
      { kind: 'track', trackId: secondTrack ?? '', addedAt: addedAt(6), addedBy: fixtureUserId },
      { kind: 'local', name: 'Bootleg', artist: 'Unknown', album: '', durationMs: 240_000, addedAt: addedAt(7), addedBy: fixtureUserId },
      { kind: 'track', trackId: thirdTrack ?? '', addedAt: addedAt(8), addedBy: fixtureUserId },
    ],
  });
  for (const playlist of [mine, collaborative, theirs, editorial, large, special]) {
    catalog.playlists.set(playlist.id, playlist);
  }

  return {
    ...catalog,
    ids: {
      fixtureUser: fixtureUserId,
      otherUser: otherUserId,
      playlists: {
        mine: mine.id,
        collaborative: collaborative.id,
        theirs: theirs.id,
        editorial: editorial.id,
        large: large.id,
        special: special.id,
      },
      unplayableTrack: unplayable.id,
      featurelessTrack: featureless.id,
      accentedArtist: accented?.id ?? '',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A catalog from dataset-like rows (e.g. a sample of a public Spotify dataset).

export interface FakeCatalogRowFeatures {
  danceability: number;
  energy: number;
  /** null or -1: no key detected. */
  key: number | null;
  loudness: number;
  mode: number;
  speechiness: number;
  acousticness: number;
  instrumentalness: number;
  liveness: number;
  valence: number;
  tempo: number;
  durationMs?: number | null;
  timeSignature?: number | null;
}

export interface FakeCatalogRow {
  spotifyId: string;
  name: string;
  artists: string[];
  /** Derived from the artist names when left out. */
  artistIds?: string[];
  album?: string;
  /** Derived from the album name and first artist when left out. */
  albumId?: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  releaseDate?: string;
  popularity?: number;
  durationMs?: number;
  explicit?: boolean;
  features?: FakeCatalogRowFeatures;
  /** Playlists the track belongs to, in row order; they are created on the fly. */
  playlistIds?: string[];
}

export interface FakeCatalogFromRowsOptions {
  /** Owner of the playlists named in `playlistIds` (default the fixture user). */
  playlistOwnerId?: string;
  fixtureUserId?: string;
}

const normalizeName = (name: string) => name.normalize('NFKC').trim().toLowerCase();

function precisionOf(date: string): FakeDatePrecision {
  if (/^\d{4}-\d{2}-\d{2}/.test(date)) return 'day';
  if (/^\d{4}-\d{2}$/.test(date)) return 'month';
  return 'year';
}

export function fakeCatalogFromRows(
  rows: readonly FakeCatalogRow[],
  options: FakeCatalogFromRowsOptions = {},
): FakeCatalog {
  const catalog = createEmptyCatalog();
  const fixtureUserId = options.fixtureUserId ?? FIXTURE_USER_ID;
  const ownerId = options.playlistOwnerId ?? fixtureUserId;
  for (const u of [
    user(fixtureUserId, 'Fixture User', 'SE', 'premium'),
    user(OTHER_USER_ID, 'Someone Else', 'US', 'free'),
    user(SPOTIFY_USER_ID, 'Spotify', 'SE', 'premium'),
  ]) {
    catalog.users.set(u.id, u);
  }
  if (!catalog.users.has(ownerId)) catalog.users.set(ownerId, user(ownerId, ownerId, 'US', 'free'));

  for (const [index, row] of rows.entries()) {
    const artistIds = row.artists.map((name, i) => row.artistIds?.[i] ?? base62IdFrom(`artist:${normalizeName(name)}`));
    for (const [i, artistId] of artistIds.entries()) {
      const existing = catalog.artists.get(artistId);
      if (existing) {
        existing.popularity = Math.max(existing.popularity, row.popularity ?? 0);
        continue;
      }
      catalog.artists.set(artistId, {
        id: artistId,
        name: row.artists[i] ?? '',
        genres: [],
        popularity: row.popularity ?? 0,
        followers: 0,
        images: artistImages(artistId),
      });
    }

    const albumName = row.album ?? row.name;
    const albumId = row.albumId ?? base62IdFrom(`album:${normalizeName(albumName)}|${normalizeName(row.artists[0] ?? '')}`);
    let album = catalog.albums.get(albumId);
    if (!album) {
      const releaseDate = row.releaseDate ?? '2000';
      album = {
        id: albumId,
        name: albumName,
        albumType: row.album === undefined ? 'single' : 'album',
        artistIds: artistIds.slice(0, 1),
        releaseDate,
        releaseDatePrecision: precisionOf(releaseDate),
        images: coverImages(albumId),
        label: '',
        popularity: row.popularity ?? 0,
        upc: upcFrom(albumId),
        trackIds: [],
      };
      catalog.albums.set(albumId, album);
    }

    if (!catalog.tracks.has(row.spotifyId)) {
      const f = row.features;
      const features: FakeAudioFeatures | null = f
        ? {
            danceability: f.danceability,
            energy: f.energy,
            key: f.key ?? -1,
            loudness: f.loudness,
            mode: f.mode,
            speechiness: f.speechiness,
            acousticness: f.acousticness,
            instrumentalness: f.instrumentalness,
            liveness: f.liveness,
            valence: f.valence,
            tempo: f.tempo,
            timeSignature: f.timeSignature ?? 4,
          }
        : null;
      album.trackIds.push(row.spotifyId);
      catalog.tracks.set(row.spotifyId, {
        id: row.spotifyId,
        name: row.name,
        artistIds,
        albumId,
        discNumber: 1,
        trackNumber: album.trackIds.length,
        durationMs: row.durationMs ?? f?.durationMs ?? 210_000,
        popularity: row.popularity ?? 0,
        explicit: row.explicit ?? false,
        isrc: isrcFrom(row.spotifyId),
        playable: true,
        availableMarkets: MARKETS,
        previewUrl: null,
        features,
        featuresKnownBy: { spotify: features !== null, reccobeats: features !== null },
        reccobeatsId: reccobeatsIdFor(row.spotifyId),
      });
    }

    for (const playlistId of row.playlistIds ?? []) {
      let playlist = catalog.playlists.get(playlistId);
      if (!playlist) {
        playlist = newPlaylist({
          id: playlistId,
          name: `Playlist ${playlistId}`,
          description: '',
          ownerId,
          collaborative: false,
          collaborators: [],
          public: true,
          followers: 0,
          images: mosaicImages(playlistId),
          entries: [],
        });
        catalog.playlists.set(playlistId, playlist);
      }
      playlist.entries.push({ kind: 'track', trackId: row.spotifyId, addedAt: addedAt(index), addedBy: ownerId });
    }
  }
  for (const playlist of catalog.playlists.values()) playlist.snapshotId = snapshotIdFor(playlist);
  return catalog;
}
