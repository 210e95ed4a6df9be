import type { AccessToken, IAuthStrategy } from '@spotify/web-api-ts-sdk';
import { ServiceUnavailableError, UserError } from '../errors.js';
import type { Clock, HttpClient } from '../http/httpClient.js';
import type { SpotifyAccountStore } from './accountStore.js';

// IAuthStrategy implementations for the SDK. The SDK's own client-credentials strategy fetches
// tokens with the global fetch from a fixed URL; these go through our HTTP layer to the
// configured accounts service.

export class SpotifyAuthError extends UserError {
  readonly code = 'spotify_auth';
}

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}

interface TokenErrorResponse {
  error?: string;
  error_description?: string;
}

export interface AccountsSettings {
  accountsUrl: string;
  clientId: string;
  clientSecret: string | null;
}

/** POSTs a grant to the token endpoint and returns the token, or a clear error. */
export async function requestToken(http: HttpClient, settings: AccountsSettings, grant: Record<string, string>): Promise<TokenResponse> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams(grant);
  if (settings.clientSecret) {
    headers.Authorization = `Basic ${Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64')}`;
  } else {
    body.set('client_id', settings.clientId);
  }
  const response = await http.fetch(`${settings.accountsUrl}/api/token`, { method: 'POST', headers, body }, { service: 'Spotify' });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ServiceUnavailableError('Spotify', 'its token service sent a malformed answer');
  }
  if (!response.ok) {
    const error = json as TokenErrorResponse;
    if (error.error === 'invalid_client') {
      throw new SpotifyAuthError('Spotify rejected the app credentials: check SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET.');
    }
    if (error.error === 'invalid_grant') {
      throw new SpotifyAuthError(
        `Spotify refused the login (${error.error_description ?? 'invalid grant'}). Run \`npm run cli -- spotify-login\` again.`,
      );
    }
    throw new ServiceUnavailableError('Spotify', `token request failed with HTTP ${response.status}`);
  }
  return json as TokenResponse;
}

/** Caches one access token and renews it a minute before it expires (or after a 401). */
abstract class CachedTokenStrategy implements IAuthStrategy {
  private token: AccessToken | null = null;
  private expiresAt = 0;
  private pending: Promise<AccessToken> | null = null;

  constructor(protected readonly clock: Clock) {}

  protected abstract fetchToken(): Promise<TokenResponse>;

  setConfiguration(): void {
    // Configuration comes through our constructor; the SDK's is not needed.
  }

  async getOrCreateAccessToken(): Promise<AccessToken> {
    if (this.token && this.clock.now() < this.expiresAt) return this.token;
    // Concurrent callers share one token request.
    this.pending ??= this.fetchToken()
      .then((response) => {
        this.token = {
          access_token: response.access_token,
          token_type: response.token_type,
          expires_in: response.expires_in,
          refresh_token: response.refresh_token ?? '',
        };
        this.expiresAt = this.clock.now() + Math.max(0, response.expires_in - 60) * 1000;
        return this.token;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  getAccessToken(): Promise<AccessToken | null> {
    return Promise.resolve(this.token);
  }

  removeAccessToken(): void {
    this.token = null;
    this.expiresAt = 0;
  }
}

/** The app's own token (no user): enough for tracks, albums, artists and search. */
export class ClientCredentialsStrategy extends CachedTokenStrategy {
  constructor(
    private readonly http: HttpClient,
    private readonly settings: AccountsSettings,
    clock: Clock,
  ) {
    super(clock);
  }

  protected fetchToken(): Promise<TokenResponse> {
    return requestToken(this.http, this.settings, { grant_type: 'client_credentials' });
  }
}

/** The authorised user's token, renewed from the stored refresh token (which Spotify may rotate). */
export class RefreshTokenStrategy extends CachedTokenStrategy {
  constructor(
    private readonly http: HttpClient,
    private readonly settings: AccountsSettings,
    private readonly accounts: SpotifyAccountStore,
    clock: Clock,
  ) {
    super(clock);
  }

  protected async fetchToken(): Promise<TokenResponse> {
    const account = this.accounts.get();
    if (!account) throw new SpotifyAuthError('No Spotify account is logged in. Run `npm run cli -- spotify-login`.');
    const response = await requestToken(this.http, this.settings, {
      grant_type: 'refresh_token',
      refresh_token: account.refreshToken,
    });
    if (response.refresh_token && response.refresh_token !== account.refreshToken) {
      this.accounts.save({ ...account, refreshToken: response.refresh_token });
    }
    return response;
  }
}
