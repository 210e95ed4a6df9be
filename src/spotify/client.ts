import { SpotifyApi, type IAuthStrategy, type IValidateResponses } from '@spotify/web-api-ts-sdk';
import { ServiceUnavailableError } from '../errors.js';
import type { HttpClient } from '../http/httpClient.js';
import type { Logger } from '../logger.js';

// The SDK with what it lacks: a configurable base URL (its own is fixed), our HTTP layer as its
// fetch, typed errors instead of message strings, one retry after a 401 (token expired early)
// and after a malformed body.

const SDK_ROOT = 'https://api.spotify.com/v1/';
const MALFORMED_RETRIES = 2;

/** A Spotify answer that is not a success and not a transient failure: 400, 401, 403, 404. */
export class SpotifyApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly path: string,
  ) {
    super(`Spotify answered HTTP ${status} to ${path}: ${body.slice(0, 200)}`);
    this.name = 'SpotifyApiError';
  }
}

class StatusValidator implements IValidateResponses {
  async validateResponse(response: Response): Promise<void> {
    if (response.ok) return;
    const body = await response.text().catch(() => '');
    throw new SpotifyApiError(response.status, body, new URL(response.url || 'http://unknown/').pathname);
  }
}

export class SpotifyClient {
  readonly sdk: SpotifyApi;

  constructor(
    private readonly auth: IAuthStrategy,
    http: HttpClient,
    apiUrl: string,
    private readonly logger: Logger,
  ) {
    const base = `${apiUrl}/`;
    this.sdk = new SpotifyApi(auth, {
      // The SDK always passes its own absolute URL as a string.
      fetch: (url: unknown, init?: RequestInit) =>
        http.fetch((typeof url === 'string' ? url : (url as URL).href).replace(SDK_ROOT, base), init, { service: 'Spotify' }),
      responseValidator: new StatusValidator(),
      // The default handler prints errors to the console; ours are thrown and handled by callers.
      errorHandler: { handleErrors: () => Promise.resolve(false) },
    });
  }

  /** GET a path under the API root ("tracks/{id}", "playlists/{id}/items?limit=50"), typed by the caller. */
  async get<T>(path: string): Promise<T> {
    let renewedToken = false;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.sdk.makeRequest<T>('GET', path);
        if (result === null) throw new SpotifyApiError(204, '', path);
        return result;
      } catch (error) {
        if (error instanceof SpotifyApiError && error.status === 401 && !renewedToken) {
          // Spotify may revoke a token before its stated expiry: renew once and try again.
          renewedToken = true;
          this.auth.removeAccessToken();
          continue;
        }
        if (error instanceof SyntaxError) {
          if (attempt < MALFORMED_RETRIES) {
            this.logger.debug({ path, attempt }, 'malformed JSON from Spotify; retrying');
            continue;
          }
          throw new ServiceUnavailableError('Spotify', 'it kept sending malformed answers');
        }
        throw error;
      }
    }
  }
}
