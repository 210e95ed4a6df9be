import { truncate } from './truncate.js';

// Errors a user can cause. Each carries a message that is safe and useful to show as-is;
// anything that is not a UserError is unexpected and gets logged plus a short apology.

export abstract class UserError extends Error {
  abstract readonly code: string;
}

export class UnknownSongError extends UserError {
  readonly code = 'unknown_song';
  constructor(
    readonly query: string,
    readonly suggestions: string[],
    /** What would have found it (Spotify set up, for a link the catalog lacks). */
    readonly hint?: string,
  ) {
    super(
      (suggestions.length > 0
        ? `I couldn't find "${query}" in the catalog. Did you mean: ${suggestions.join(' / ')}?`
        : `I couldn't find "${query}" in the catalog.`) + (hint ? ` ${hint}` : ''),
    );
  }
}

/** Said with a Spotify link the catalog lacks when there is no Spotify app to fetch it from. */
export const SPOTIFY_WOULD_FETCH =
  'Spotify is not set up here, so songs the catalog lacks cannot be fetched: the operator sets SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET (see .env.example).';

export class InvalidLinkError extends UserError {
  readonly code = 'invalid_link';
  constructor(
    readonly input: string,
    readonly expected: string,
    readonly got: string | null = null,
    hint?: string,
  ) {
    super(
      (got ? `That is a Spotify ${got} link; I need ${expected}.` : `That doesn't look like ${expected}.`) +
        (hint ? ` ${hint}` : ''),
    );
  }
}

export class NoFeaturesError extends UserError {
  readonly code = 'no_features';
  constructor(readonly trackName: string) {
    super(
      `"${trackName}" is in the catalog, but no provider has its audio features yet, so I can't tell how it sounds. It will be retried on the next crawl.`,
    );
  }
}

export class EmptyCatalogError extends UserError {
  readonly code = 'empty_catalog';
  constructor() {
    super(
      'The catalog is empty. A moderator can add a playlist with `/seed add`, or the operator can import a dataset with `npm run cli -- import tidytuesday` (or a CSV file or URL).',
    );
  }
}

export class NoModelError extends UserError {
  readonly code = 'no_model';
  constructor() {
    super(
      'The catalog has not been clustered yet. A moderator can run `npm run cli -- cluster`, or wait for the nightly re-cluster.',
    );
  }
}

/** The bot is still loading its starter catalog: not a failure, a "come back in a minute". */
export class WarmingUpError extends UserError {
  readonly code = 'warming_up';
  constructor(message: string) {
    super(message);
  }
}

export class ClusterExhaustedError extends UserError {
  readonly code = 'cluster_exhausted';
  constructor(readonly clusterLabel: string) {
    super(
      `You have already heard every song I have in the "${clusterLabel}" cluster. Try another song, or come back after the catalog grows.`,
    );
  }
}

/** A steer with nothing to move to: no close song has more of the quality (or no release year is known). */
export class SteerUnavailableError extends UserError {
  readonly code = 'steer_unavailable';
  constructor(
    message: string,
    /** no_room: the song is already at the catalog's end of that scale; no_year: its release year is unknown. */
    readonly reason: 'no_room' | 'no_year' | 'no_feature' | 'exhausted',
  ) {
    super(message);
  }
}

/** A mix that cannot be made from the songs given (too few eligible tracks, or the same song twice). */
export class MixUnavailableError extends UserError {
  readonly code = 'mix_unavailable';
  constructor(message: string) {
    super(message);
  }
}

export class NotEnoughTracksError extends UserError {
  readonly code = 'not_enough_tracks';
  constructor(
    readonly have: number,
    readonly need: number,
  ) {
    super(
      `Clustering needs at least ${need} tracks with audio features; the catalog has ${have}. Import a dataset or add seed playlists first.`,
    );
  }
}

/** A CSV whose header lacks a required column. */
export class ImportFormatError extends UserError {
  readonly code = 'import_format';
  constructor(
    readonly missing: string[],
    readonly found: string[],
  ) {
    super(
      `The CSV header is missing required column(s): ${missing.join('; ')}. Found: ${describeFound(found)}.`,
    );
  }
}

/** Header cells as a user may see them in a terminal: no control characters, bounded. */
function describeFound(found: readonly string[]): string {
  if (found.length === 0) return '(no columns)';
  const shown = found.slice(0, 40).map((name) => {
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    const clean = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
    return truncate(clean, 60);
  });
  return found.length > shown.length ? `${shown.join(', ')} and ${found.length - shown.length} more` : shown.join(', ');
}

/** A file or path the user named that cannot be read. */
export class InputFileError extends UserError {
  readonly code = 'input_file';
  constructor(message: string) {
    super(message);
  }
}

/** A read command (stats, jobs, recommend...) pointed at a database file that does not exist: a mistyped DATABASE_PATH, most likely. */
export class NoCatalogError extends UserError {
  readonly code = 'no_catalog';
  constructor(readonly path: string) {
    super(`No catalog at ${path}: check DATABASE_PATH, or create one with \`npm run cli -- import tidytuesday\` (or by starting the bot).`);
  }
}

/** The database file cannot be created, opened or written where DATABASE_PATH says. */
export class DatabaseOpenError extends UserError {
  readonly code = 'database_open';
  constructor(
    readonly path: string,
    error: unknown,
  ) {
    super(`Cannot open the database at ${path} (DATABASE_PATH): ${fileErrorReason(error)}.`);
  }
}

/** Why a file operation failed, in words, from Node's errno codes and SQLite's result codes. */
export function fileErrorReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'SQLITE_PERM':
      return 'permission denied';
    case 'ENOTDIR':
    case 'EEXIST': // from mkdir: a file stands where a folder should be
      return 'part of the path is a file, not a folder';
    case 'ENOENT':
      return 'the folder does not exist';
    case 'EROFS':
    case 'SQLITE_READONLY':
      return 'it is read-only';
    case 'ENOSPC':
    case 'SQLITE_FULL':
      return 'the disk is full';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'SQLITE_NOTADB':
      return 'it is not a SQLite database';
    case 'SQLITE_CANTOPEN':
      return 'SQLite cannot open the file there (a missing folder, or no permission)';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** A command option with a value that cannot be used, with what to type instead. */
export class InvalidOptionError extends UserError {
  readonly code = 'invalid_option';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

/** A member without the permission a command needs (checked again on the server, not only by Discord). */
export class MissingPermissionError extends UserError {
  readonly code = 'missing_permission';
  constructor(permission: string) {
    super(`You need the ${permission} permission to do that.`);
  }
}

/** Too many requests from one member in a short time. */
export class CooldownError extends UserError {
  readonly code = 'cooldown';
  constructor(readonly retryAt: number) {
    super(`Easy there! You can ask again in ${Math.max(1, Math.ceil((retryAt - Date.now()) / 1000))} s.`);
  }
}

/** A guild has as many crawls queued or running as it may. */
export class TooManyCrawlsError extends UserError {
  readonly code = 'too_many_crawls';
  constructor(limit: number) {
    super(`This server already has ${limit} playlist crawl${limit === 1 ? '' : 's'} going. Please wait for ${limit === 1 ? 'it' : 'one'} to finish.`);
  }
}

/** An outside service that stayed down or throttled past our retries. */
export class ServiceUnavailableError extends UserError {
  readonly code = 'service_unavailable';
  constructor(
    readonly service: string,
    readonly detail: string,
  ) {
    super(`${service} is not answering right now (${detail}). Nothing was lost; please try again in a few minutes.`);
  }
}

/**
 * A service asked us to slow down for longer than someone waiting for an answer should: said at
 * once, instead of keeping them waiting (background work waits the pause out).
 */
export class ServiceBusyError extends ServiceUnavailableError {
  constructor(
    service: string,
    readonly retryInMs: number,
  ) {
    super(service, `rate limited for another ${Math.ceil(retryInMs / 1000)} s`);
    this.message = `${service} is busy right now and asked the bot to pause for ${describeWait(retryInMs)}. Please try again after that.`;
  }
}

function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} minutes`;
}

/**
 * A crawl stopped by an outside service that stayed down: what it read is kept, and the next crawl
 * of the playlist continues from there.
 */
export class CrawlPausedError extends ServiceUnavailableError {
  constructor(
    cause: ServiceUnavailableError,
    readonly songsRead: number,
  ) {
    super(cause.service, cause.detail);
    this.message =
      `The crawl paused after reading ${songsRead} song${songsRead === 1 ? '' : 's'}: ${cause.service} is not answering right now (${cause.detail}). ` +
      'Nothing it read is lost: crawling this playlist again continues where it stopped (the nightly re-crawl does too).';
  }
}

/** Spotify's `next` links for a list go round in circles or on past its end: following them would never finish. */
export class SpotifyPagingError extends UserError {
  readonly code = 'spotify_paging';
  constructor(
    readonly what: string,
    readonly problem: 'loops' | 'too_many',
    total: number,
  ) {
    super(
      `Spotify's pages of ${what} do not end (${problem === 'loops' ? 'a "next" link points back to a page already read' : `more pages than its ${total} entries need`}), so the crawl stopped there. ` +
        'What it read so far is kept: crawling this playlist again later continues from there.',
    );
  }
}

export class SpotifyNotConfiguredError extends UserError {
  readonly code = 'spotify_not_configured';
  constructor(what = 'reach Spotify') {
    super(
      `I can't ${what}: Spotify is not set up. Set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET (see .env.example).`,
    );
  }
}

/** A seed removed (by `/seed remove`, or the bot leaving its server) while its crawl was queued or running. */
export class SeedRemovedError extends UserError {
  readonly code = 'seed_removed';
  constructor(readonly seedId: number) {
    super('That playlist was removed from the seeds while it was being crawled, so the crawl stopped. Its songs found so far were not added.');
  }
}

/** A playlist Spotify will not show this app: private, editorial, or not owned in development mode. */
export class PlaylistNotReadableError extends UserError {
  readonly code = 'playlist_not_readable';
  constructor(
    readonly playlistId: string,
    readonly reason: 'not_found' | 'forbidden' | 'editorial',
  ) {
    super(
      reason === 'editorial'
        ? "That is one of Spotify's own editorial or algorithmic playlists, which Spotify no longer shares with apps like this one. Copy its songs into a playlist of your own and add that instead."
        : reason === 'not_found'
          ? "Spotify says that playlist doesn't exist, or it is private. Check the link, or make the playlist public."
          : "Spotify only lets this app read playlists its account owns or collaborates on. Ask the bot's operator to run `npm run cli -- spotify-login` with the account that owns the playlist, or copy the songs into a playlist that account owns.",
    );
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
