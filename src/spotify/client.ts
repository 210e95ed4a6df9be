import type { IAuthStrategy } from '@spotify/web-api-ts-sdk';
import { ServiceUnavailableError } from '../errors.js';
import type { Caller, HttpClient } from '../http/httpClient.js';
import type { Logger } from '../logger.js';

// GETs under Spotify's API root through our HTTP layer (so a caller's lane and AbortSignal reach
// the request and its retries), with the SDK's auth strategies for the token, typed errors
// instead of message strings, one retry after a 401 (token expired early) and after a malformed body.

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

export class SpotifyClient {
  constructor(
    private readonly auth: IAuthStrategy,
    private readonly http: HttpClient,
    private readonly apiUrl: string,
    private readonly logger: Logger,
  ) {}

  private async request(path: string, caller: Caller): Promise<unknown> {
    const token = await this.auth.getOrCreateAccessToken();
    const response = await this.http.fetch(
      `${this.apiUrl}/${path}`,
      { headers: { Authorization: `Bearer ${token.access_token}`, Accept: 'application/json' }, signal: caller.signal },
      { service: 'Spotify', lane: caller.lane },
    );
    // The HTTP layer has already read the body, within its timeout and retries.
    const body = await response.text();
    if (!response.ok) throw new SpotifyApiError(response.status, body, new URL(response.url || `http://unknown/${path}`).pathname);
    if (response.status === 204 || body === '') throw new SpotifyApiError(204, '', path);
    return JSON.parse(body);
  }

  /** GET a path under the API root ("tracks/{id}", "playlists/{id}/items?limit=50"), typed by the caller. */
  async get<T>(path: string, caller: Caller = {}): Promise<T> {
    let renewedToken = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.request(path, caller)) as T;
      } catch (error) {
        if (error instanceof SpotifyApiError && error.status === 401) {
          // Spotify may revoke a token before its stated expiry: renew once and try again.
          if (!renewedToken) {
            renewedToken = true;
            this.auth.removeAccessToken();
            continue;
          }
          // A fresh token refused too is Spotify's trouble (or a revoked app), not the request's: a crawl pauses on it.
          throw new ServiceUnavailableError('Spotify', 'it refused a freshly renewed access token (HTTP 401)');
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
