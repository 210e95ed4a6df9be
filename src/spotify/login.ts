import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.js';
import type { HttpClient } from '../http/httpClient.js';
import type { SpotifyAccount, SpotifyAccountStore } from './accountStore.js';
import { requestToken, SpotifyAuthError, type AccountsSettings } from './auth.js';

// Authorization Code with PKCE on a loopback redirect: the operator opens a link, consents in the
// browser, and the refresh token lands in the database. Development-mode apps may only read the
// playlists of this account.

export const LOGIN_SCOPES = ['playlist-read-private', 'playlist-read-collaborative'];

export class LoginError extends UserError {
  readonly code = 'spotify_login';
}

const base64url = (buffer: Buffer) => buffer.toString('base64url');

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(64));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

export interface LoginOptions {
  http: HttpClient;
  settings: AccountsSettings;
  apiUrl: string;
  accounts: SpotifyAccountStore;
  /** Loopback port of the redirect URI registered in the Spotify app (0 picks a free one, for tests). */
  port: number;
  /** Shown to the operator: the address to open in a browser. */
  onAuthorizeUrl: (url: string, redirectUri: string) => void;
  timeoutMs?: number;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new LoginError(`Port ${port} is in use. Set SPOTIFY_REDIRECT_PORT to a free port (and register that redirect URI in your Spotify app).`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

const page = (text: string) =>
  `<!doctype html><meta charset="utf-8"><title>Cluster DJ</title><body style="font-family:sans-serif;padding:3em"><p>${text}</p></body>`;

export async function loginWithPkce(options: LoginOptions): Promise<SpotifyAccount> {
  const { verifier, challenge } = pkcePair();
  const state = base64url(randomBytes(16));
  let settle: { resolve: (code: string) => void; reject: (error: Error) => void } | null = null;
  const codeArrived = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      response.writeHead(404).end();
      return;
    }
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (url.searchParams.get('state') !== state) {
      response.writeHead(400, { 'Content-Type': 'text/html' }).end(page('This login link is stale. Start again from the terminal.'));
      return;
    }
    if (error || !code) {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end(page('Login cancelled. You can close this tab.'));
      settle?.reject(new LoginError(`Spotify login was not completed (${error ?? 'no code'}).`));
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(page('Logged in to Cluster DJ. You can close this tab.'));
    settle?.resolve(code);
  });

  const port = await listen(server, options.port);
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  const authorize = new URL(`${options.settings.accountsUrl}/authorize`);
  authorize.search = new URLSearchParams({
    client_id: options.settings.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
    scope: LOGIN_SCOPES.join(' '),
  }).toString();

  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const timer = setTimeout(() => settle?.reject(new LoginError(`No login arrived within ${Math.round(timeoutMs / 60_000)} minutes.`)), timeoutMs);
  try {
    options.onAuthorizeUrl(authorize.toString(), redirectUri);
    const code = await codeArrived;
    const token = await requestToken(options.http, options.settings, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: options.settings.clientId,
      code_verifier: verifier,
    });
    if (!token.refresh_token) throw new SpotifyAuthError('Spotify did not return a refresh token.');
    const me = await options.http.fetch(`${options.apiUrl}/me`, { headers: { Authorization: `Bearer ${token.access_token}` } }, { service: 'Spotify' });
    if (!me.ok) throw new SpotifyAuthError(`Spotify would not say who logged in (HTTP ${me.status}).`);
    const profile = (await me.json()) as { id: string; display_name?: string | null };
    const account: SpotifyAccount = {
      userId: profile.id,
      displayName: profile.display_name ?? null,
      refreshToken: token.refresh_token,
      scope: token.scope ?? null,
    };
    options.accounts.save(account);
    return account;
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  }
}
