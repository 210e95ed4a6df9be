import { ImportFormatError } from '../errors.js';

// Public Spotify datasets name the same things differently. Headers are compared after folding
// ("Artist Name(s)" → "artistnames"), and each field takes the first alias the file has.

export const FIELD_ALIASES = {
  spotifyId: ['trackid', 'id', 'spotifyid', 'trackuri', 'uri', 'spotifyuri', 'songid'],
  name: ['trackname', 'name', 'track', 'title', 'songname', 'song'],
  artists: ['artistnames', 'artists', 'artistname', 'trackartist', 'artist', 'artistsnames'],
  artistIds: ['artistids', 'artisturis', 'artistid'],
  album: ['albumname', 'trackalbumname', 'album'],
  albumId: ['albumid', 'trackalbumid', 'albumuri'],
  coverUrl: ['albumimageurl', 'coverurl', 'imageurl'],
  releaseDate: ['releasedate', 'trackalbumreleasedate', 'albumreleasedate', 'year'],
  popularity: ['popularity', 'trackpopularity'],
  explicit: ['explicit'],
  genre: ['genre', 'trackgenre', 'playlistgenre', 'maingenre', 'genres'],
  subgenre: ['playlistsubgenre', 'subgenre'],
  playlist: ['playlistid'],
  decade: ['decade'],
  danceability: ['danceability'],
  energy: ['energy'],
  key: ['key'],
  loudness: ['loudness'],
  mode: ['mode'],
  speechiness: ['speechiness'],
  acousticness: ['acousticness'],
  instrumentalness: ['instrumentalness'],
  liveness: ['liveness'],
  valence: ['valence'],
  tempo: ['tempo'],
  durationMs: ['durationms', 'trackdurationms'],
  timeSignature: ['timesignature'],
} as const;

export type Field = keyof typeof FIELD_ALIASES;

const IDENTITY_FIELDS = ['spotifyId', 'name', 'artists'] as const satisfies readonly Field[];

/**
 * The features every row needs when a file has features at all: the ones the recommender compares
 * tracks on. Key, mode and metre it does not use, so a file may lack them; duration it uses, but
 * a file without it imports (tracks are compared on the rest) and the report says so.
 */
export const REQUIRED_FEATURE_FIELDS = [
  'danceability',
  'energy',
  'loudness',
  'speechiness',
  'acousticness',
  'instrumentalness',
  'liveness',
  'valence',
  'tempo',
] as const satisfies readonly Field[];

export interface ColumnMap {
  /** Column index per field the file has. */
  index: Partial<Record<Field, number>>;
  /** False for track lists without audio features (e.g. a recent Exportify export). */
  hasFeatures: boolean;
  /** Which well-known dataset the header looks like, for the import report. */
  layout: string;
  /** Exportify joins artist names with commas; other layouts use semicolons (commas occur in names). */
  artistSeparator: RegExp;
  /** Columns the recommender uses that the file lacks (it imports without them), as the report names them. */
  missingUsed: string[];
}

export function foldHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const LAYOUTS: { name: string; signature: string[] }[] = [
  { name: 'TidyTuesday "Spotify Songs"', signature: ['trackartist', 'playlistgenre', 'trackalbumid'] },
  { name: 'Spotify Hit Predictor', signature: ['chorushit', 'sections', 'target'] },
  { name: 'MusicOSet', signature: ['artistids', 'maingenre', 'songtype'] },
  { name: 'Exportify export', signature: ['trackuri', 'artistnames', 'albumname'] },
  { name: 'Kaggle "spotify-tracks-dataset"', signature: ['trackgenre', 'artists', 'albumname'] },
  { name: 'Kaggle "SpotifyFeatures"', signature: ['genre', 'artistname', 'trackid', 'popularity'] },
  { name: 'Kaggle "SpotifyAudioFeaturesApril2019"', signature: ['artistname', 'trackid', 'trackname'] },
];

// How a missing field is named in the error: the usual header, then the common alternatives.
const FIELD_NAMES: Partial<Record<Field, string>> = {
  spotifyId: 'track_id (or id, uri)',
  name: 'track_name (or name, track)',
  artists: 'artists (or artist_name, track_artist)',
  durationMs: 'duration_ms',
  timeSignature: 'time_signature',
};

function describeField(field: Field): string {
  return FIELD_NAMES[field] ?? field;
}

/** Maps a header row to fields, or fails listing what is needed and what was found. */
export function mapColumns(header: readonly string[]): ColumnMap {
  const folded = header.map(foldHeader);
  const index: Partial<Record<Field, number>> = {};
  for (const field of Object.keys(FIELD_ALIASES) as Field[]) {
    for (const alias of FIELD_ALIASES[field]) {
      const at = folded.indexOf(alias);
      if (at >= 0) {
        index[field] = at;
        break;
      }
    }
  }
  const presentFeatures = REQUIRED_FEATURE_FIELDS.filter((f) => index[f] !== undefined);
  const hasFeatures = presentFeatures.length > 0;
  const missing = [
    ...IDENTITY_FIELDS.filter((f) => index[f] === undefined),
    ...(hasFeatures ? REQUIRED_FEATURE_FIELDS.filter((f) => index[f] === undefined) : []),
  ];
  if (missing.length > 0) {
    throw new ImportFormatError(
      missing.map(describeField),
      header.map((h) => h.replace(/^\uFEFF/, '')).filter((h) => h !== ''),
    );
  }
  const layout =
    LAYOUTS.find((l) => l.signature.every((column) => folded.includes(column)))?.name ?? 'generic';
  return {
    index,
    hasFeatures,
    layout,
    artistSeparator: layout === 'Exportify export' ? /\s*,\s*/ : /\s*;\s*/,
    missingUsed: hasFeatures && index.durationMs === undefined ? [describeField('durationMs')] : [],
  };
}
