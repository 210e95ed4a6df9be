// A fake of Spotify's Accounts service, Spotify's Web API and ReccoBeats' API, each on its own
// 127.0.0.1 port, for tests that drive the real SDK and our own HTTP code against it. It models
// the 2026 development-mode restrictions, the 2024-11-27 endpoint closures, OAuth (client
// credentials, authorization code with PKCE, refresh) and injected faults. Wire shapes live in
// spotify-shapes.ts, catalog data in spotify-fixtures.ts.

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecommendationsResponse } from '@spotify/web-api-ts-sdk';
import {
  EDITORIAL_PREFIX,
  FIXTURE_USER_ID,
  addTracksToPlaylist,
  editPlaylist,
  generateFakeCatalog,
  isBase62Id,
  removeTracksFromPlaylist,
  type AddTracksOptions,
  type FakeAlbum,
  type FakeArtist,
  type FakeCatalog,
  type FakePlaylist,
  type FakePlaylistEntry,
  type FakeTrack,
} from './spotify-fixtures.js';
import {
  devPlaylist,
  extendedPlaylist,
  fullAlbum,
  fullArtist,
  fullTrack,
  pageOf,
  pagingUrl,
  playlistItem,
  playlistedTrack,
  reccobeatsAudioFeatures,
  reccobeatsTrack,
  simplifiedAlbum,
  simplifiedTrack,
  spotifyAudioFeatures,
  userProfile,
  type AccountsErrorBody,
  type ApiMode,
  type ReccoBeatsAudioFeatures,
  type ReccoBeatsContent,
  type ReccoBeatsTrack,
  type ShapeContext,
  type SpotifyErrorBody,
  type WireArtist,
  type WireSearchResults,
  type WireSimplifiedAlbum,
  type WireTrack,
} from './spotify-shapes.js';

export * from './spotify-fixtures.js';
export type * from './spotify-shapes.js';

export type ServiceName = 'accounts' | 'api' | 'reccobeats';

/**
 * 'stall-body': headers and the start of a body, then nothing. 'next-loops': answered normally, but
 * every paging object names itself as `next`; 'next-endless': `next` goes on past `total`.
 */
export type FaultKind = '429' | '500' | '502' | '503' | 'slow' | 'hang' | 'stall-body' | 'malformed' | 'expired-token' | 'next-loops' | 'next-endless';

export interface FaultSpec {
  service: ServiceName;
  kind: FaultKind;
  /** Matched against the request path without its query; every path when left out. */
  path?: RegExp | string;
  method?: string;
  /** How many matching requests it hits (default 1; Infinity for all). */
  times?: number;
  /** For '429': the Retry-After header, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** For 'slow': how long to wait before answering normally (default 200 ms). */
  delayMs?: number;
}

export interface FaultHandle {
  readonly spec: FaultSpec;
  /** Requests it has hit so far. */
  readonly hits: number;
  readonly remaining: number;
  cancel(): void;
}

export interface LoggedRequest {
  service: ServiceName;
  method: string;
  /** Path without the query, e.g. /v1/playlists/abc/items. */
  path: string;
  query: Record<string, string>;
  /** 0 while unanswered (and for ever for a hung request). */
  status: number;
  /** Epoch ms on the fake's clock. */
  at: number;
  fault: FaultKind | null;
  /** The user behind the bearer token, for API requests with a user token. */
  userId: string | null;
}

export interface RequestFilter {
  service?: ServiceName;
  method?: string;
  path?: RegExp | string;
  status?: number;
}

/** The token response body: refresh_token and scope only come with user grants. */
export interface WireAccessToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
  refresh_token?: string;
}

export interface FakeSpotifyOptions {
  /** A generated catalog (seed 42) when left out. */
  catalog?: FakeCatalog;
  mode?: ApiMode;
  /**
   * The app still has the endpoints Spotify closed on 2024-11-27 (audio features and analysis,
   * recommendations, related artists, editorial playlists). Default false.
   */
  audioFeaturesAccess?: boolean;
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  /** Who logs in at /authorize; null makes the user decline. Default the fixture user. */
  userId?: string | null;
  /** Registered redirect URIs; any is accepted when left out. */
  redirectUris?: string[];
}

interface IssuedToken {
  clientId: string;
  userId: string | null;
  scope: string;
  expiresAt: number;
  revoked: boolean;
}

interface RefreshGrant {
  clientId: string;
  userId: string;
  scope: string;
  /** PKCE clients have no secret; Spotify rotates their refresh tokens. */
  publicClient: boolean;
  revoked: boolean;
}

interface PendingCode {
  clientId: string;
  userId: string;
  redirectUri: string;
  scope: string;
  challenge: string | null;
  expiresAt: number;
  used: boolean;
}

interface ActiveFault {
  spec: FaultSpec;
  hits: number;
  remaining: number;
}

type AuthResult = { ok: true; token: IssuedToken } | { ok: false; respond: (res: ServerResponse) => void };

const JSON_TYPE = 'application/json; charset=utf-8';
const DEFAULT_CLIENT_ID = 'fake-client-id';
const DEFAULT_CLIENT_SECRET = 'fake-client-secret';

/** Answers whose body a fault rewrites before it is sent. */
const bodyRewrites = new WeakMap<ServerResponse, (body: string) => string>();

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const rewrite = bodyRewrites.get(res);
  if (rewrite && status === 200) body = rewrite(body);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), headers);
}

function apiError(res: ServerResponse, status: number, message?: string, headers: Record<string, string> = {}): void {
  const body: SpotifyErrorBody = { error: message === undefined ? { status } : { status, message } };
  sendJson(res, status, body, headers);
}

function accountsError(res: ServerResponse, status: number, error: string, description?: string): void {
  const body: AccountsErrorBody = description === undefined ? { error } : { error, error_description: description };
  sendJson(res, status, body);
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

function reccobeatsError(res: ServerResponse, status: number, message: string, path: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { timestamp: new Date().toISOString(), status, error: STATUS_TEXT[status] ?? 'Error', message, path }, headers);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Rewrites every paging object's `next`: to its own URL ('loop'), or to the page after it even past the end ('endless'). */
function rewriteNext(mode: 'loop' | 'endless'): (body: string) => string {
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    const page = value as { href?: unknown; items?: unknown; next?: unknown; offset?: unknown; limit?: unknown };
    if (Array.isArray(page.items) && typeof page.href === 'string' && 'next' in page) {
      if (mode === 'loop') page.next = page.href;
      else {
        const next = new URL(page.href);
        next.searchParams.set('offset', String(Number(page.offset) + Number(page.limit)));
        page.next = next.href;
      }
    }
    for (const child of Object.values(value)) visit(child);
  };
  return (body) => {
    const json = JSON.parse(body) as unknown;
    visit(json);
    return JSON.stringify(json);
  };
}

function matches(pattern: RegExp | string | undefined, value: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === 'string' ? pattern === value : pattern.test(value);
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Spotify's access tokens start with "BQ"; only the shape matters. */
const newToken = (prefix: string) => `${prefix}${randomBytes(48).toString('base64url')}`;

/** An integer query parameter within [min, max], its default when absent, or null when invalid. */
function intParam(url: URL, name: string, fallback: number, min: number, max: number): number | null {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) return null;
  const value = Number(raw);
  return value >= min && value <= max ? value : null;
}

/** Parameters other than offset/limit, kept in paging links as Spotify does. */
function extraParams(url: URL, keep: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of keep) {
    const value = url.searchParams.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

// --- Search -------------------------------------------------------------------------------------

/** Letters that carry no combining mark to strip, folded as people type them. */
const FOLDS: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd', þ: 'th', ı: 'i' };

/** Lower-case, accent-free word tokens. */
export function searchTokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øæœßłđþı]/g, (c) => FOLDS[c] ?? c)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

interface ParsedQuery {
  free: string[];
  track: string[];
  artist: string[];
  album: string[];
  year: { from: number; to: number } | null;
}

function parseQuery(q: string): ParsedQuery {
  const parsed: ParsedQuery = { free: [], track: [], artist: [], album: [], year: null };
  const pattern = /(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)/g;
  for (const m of q.matchAll(pattern)) {
    const field = (m[1] ?? m[3])?.toLowerCase();
    const value = m[2] ?? m[4] ?? m[5] ?? m[6] ?? '';
    if (field === 'track' || field === 'artist' || field === 'album') parsed[field].push(...searchTokens(value));
    else if (field === 'year') {
      const [from, to] = value.split('-').map(Number);
      if (from !== undefined && Number.isFinite(from)) parsed.year = { from, to: to !== undefined && Number.isFinite(to) ? to : from };
    } else if (field === undefined) parsed.free.push(...searchTokens(value));
    // Other field filters (genre:, isrc:, tag:...) are not modelled and match everything.
  }
  return parsed;
}

/** How well query tokens prefix-match field tokens: -1 if some token matches nothing. */
function tokenScore(queryTokens: readonly string[], fieldTokens: readonly string[]): number {
  let score = 0;
  for (const q of queryTokens) {
    if (fieldTokens.includes(q)) score += 2;
    else if (fieldTokens.some((t) => t.startsWith(q))) score += 1;
    else return -1;
  }
  return score;
}

// --- The fake -----------------------------------------------------------------------------------

export class FakeSpotify {
  readonly catalog: FakeCatalog;
  readonly clientId: string;
  readonly clientSecret: string;
  accountsUrl = '';
  /** e.g. http://127.0.0.1:PORT/v1 */
  apiUrl = '';
  /** e.g. http://127.0.0.1:PORT/v1 */
  reccobeatsUrl = '';
  tokenTtlSeconds: number;

  private modeValue: ApiMode;
  private audioFeaturesAccessValue: boolean;
  private authorizingUser: string | null;
  private readonly redirectUris: string[] | null;
  private readonly log: LoggedRequest[] = [];
  private readonly faults: ActiveFault[] = [];
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly servers: Server[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private clockOffsetMs = 0;
  private closed = false;

  constructor(options: FakeSpotifyOptions = {}) {
    this.catalog = options.catalog ?? generateFakeCatalog();
    this.modeValue = options.mode ?? 'development-2026';
    this.audioFeaturesAccessValue = options.audioFeaturesAccess ?? false;
    this.clientId = options.clientId ?? DEFAULT_CLIENT_ID;
    this.clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
    this.authorizingUser = options.userId === undefined ? FIXTURE_USER_ID : options.userId;
    this.redirectUris = options.redirectUris ?? null;
  }

  get mode(): ApiMode {
    return this.modeValue;
  }

  get audioFeaturesAccess(): boolean {
    return this.audioFeaturesAccessValue;
  }

  /** Every request so far, oldest first. */
  get requests(): readonly LoggedRequest[] {
    return this.log;
  }

  setMode(mode: ApiMode): void {
    this.modeValue = mode;
  }

  setAudioFeaturesAccess(access: boolean): void {
    this.audioFeaturesAccessValue = access;
  }

  /** Who consents at /authorize from now on; null makes the user decline (access_denied). */
  setAuthorizingUser(userId: string | null): void {
    this.authorizingUser = userId;
  }

  /** The fake's clock; tokens and codes expire against it. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Moves the fake's clock forward, e.g. past token expiry, without waiting. */
  advanceTime(ms: number): void {
    this.clockOffsetMs += ms;
  }

  fault(spec: FaultSpec): FaultHandle {
    const active: ActiveFault = { spec, hits: 0, remaining: spec.times ?? 1 };
    this.faults.push(active);
    return {
      spec,
      get hits() {
        return active.hits;
      },
      get remaining() {
        return active.remaining;
      },
      cancel: () => {
        active.remaining = 0;
      },
    };
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  count(filter: RequestFilter = {}): number {
    return this.filterRequests(filter).length;
  }

  filterRequests(filter: RequestFilter = {}): LoggedRequest[] {
    return this.log.filter(
      (r) =>
        (filter.service === undefined || r.service === filter.service) &&
        (filter.method === undefined || r.method === filter.method.toUpperCase()) &&
        (filter.status === undefined || r.status === filter.status) &&
        matches(filter.path, r.path),
    );
  }

  resetLog(): void {
    this.log.length = 0;
  }

  /** Revokes every access token issued so far (401 "Invalid access token"); refresh tokens too if asked. */
  invalidateTokens(options: { refreshTokens?: boolean } = {}): void {
    for (const token of this.tokens.values()) token.revoked = true;
    if (options.refreshTokens) for (const grant of this.refreshTokens.values()) grant.revoked = true;
  }

  /** Makes every access token issued so far expire now (401 "The access token expired"). */
  expireTokens(): void {
    const now = this.now();
    for (const token of this.tokens.values()) token.expiresAt = Math.min(token.expiresAt, now);
  }

  /** Issues a token without going through the accounts service (for tests that only need one). */
  issueToken(options: { userId?: string | null; scope?: string } = {}): WireAccessToken {
    const userId = options.userId ?? null;
    const scope = options.scope ?? '';
    const token = this.issue(this.clientId, userId, scope);
    if (userId === null) return token;
    const refresh = newToken('AQ');
    this.refreshTokens.set(refresh, { clientId: this.clientId, userId, scope, publicClient: false, revoked: false });
    return { ...token, refresh_token: refresh, scope };
  }

  editPlaylist(playlistId: string, edit: (entries: FakePlaylistEntry[], playlist: FakePlaylist) => FakePlaylistEntry[] | void): string {
    return editPlaylist(this.catalog, playlistId, edit);
  }

  addTracksToPlaylist(playlistId: string, trackIds: string[], options?: AddTracksOptions): string {
    return addTracksToPlaylist(this.catalog, playlistId, trackIds, options);
  }

  removeTracksFromPlaylist(playlistId: string, trackIds: string[]): string {
    return removeTracksFromPlaylist(this.catalog, playlistId, trackIds);
  }

  async listen(): Promise<void> {
    const start = async (service: ServiceName) => {
      const server = createServer((req, res) => {
        this.dispatch(service, req, res).catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          send(res, 500, JSON.stringify({ error: { status: 500, message: `fake Spotify crashed: ${message}` } }));
        });
      });
      this.servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    this.accountsUrl = await start('accounts');
    this.apiUrl = `${await start('api')}/v1`;
    this.reccobeatsUrl = `${await start('reccobeats')}/v1`;
  }

  /** The settings that point our config (and so the real SDK and HTTP layer) at this fake. */
  settings(): Record<'SPOTIFY_CLIENT_ID' | 'SPOTIFY_CLIENT_SECRET' | 'SPOTIFY_ACCOUNTS_URL' | 'SPOTIFY_API_URL' | 'RECCOBEATS_API_URL', string> {
    return {
      SPOTIFY_CLIENT_ID: this.clientId,
      SPOTIFY_CLIENT_SECRET: this.clientSecret,
      SPOTIFY_ACCOUNTS_URL: this.accountsUrl,
      SPOTIFY_API_URL: this.apiUrl,
      RECCOBEATS_API_URL: this.reccobeatsUrl,
    };
  }

  /** Stops all three servers, destroying open (including hung) connections. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  }

  // --- Plumbing ---------------------------------------------------------------------------------

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private takeFault(service: ServiceName, method: string, path: string): FaultSpec | null {
    for (const active of this.faults) {
      const { spec } = active;
      if (active.remaining <= 0 || spec.service !== service) continue;
      if (spec.method !== undefined && spec.method.toUpperCase() !== method) continue;
      if (!matches(spec.path, path)) continue;
      active.remaining -= 1;
      active.hits += 1;
      return spec;
    }
    return null;
  }

  private async dispatch(service: ServiceName, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: LoggedRequest = {
      service,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      at: this.now(),
      fault: null,
      userId: null,
    };
    this.log.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });

    const fault = this.takeFault(service, method, url.pathname);
    if (fault) {
      entry.fault = fault.kind;
      if (fault.kind === 'slow') {
        await this.sleep(fault.delayMs ?? 200);
        if (this.closed || res.destroyed) return;
      } else if (fault.kind === 'next-loops' || fault.kind === 'next-endless') {
        bodyRewrites.set(res, rewriteNext(fault.kind === 'next-loops' ? 'loop' : 'endless'));
      } else {
        this.answerFault(service, fault, url, res);
        return;
      }
    }

    if (service === 'accounts') await this.handleAccounts(req, res, url, method);
    else if (service === 'api') this.handleApi(req, res, url, method, entry);
    else this.handleReccobeats(res, url, method);
  }

  private answerFault(service: ServiceName, fault: FaultSpec, url: URL, res: ServerResponse): void {
    switch (fault.kind) {
      case 'hang':
        // Never answered: the socket stays open until the client gives up or the fake closes.
        return;
      case 'stall-body':
        // The headers promise a body that never comes after its first bytes.
        res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': '4096' });
        res.write('{"items": [');
        return;
      case 'malformed':
        send(res, 200, '{"error": {"status": 200, "message": "truncat');
        return;
      case 'expired-token':
        this.unauthorized(res, 'The access token expired');
        return;
      case '429': {
        const headers = { 'retry-after': String(fault.retryAfterSeconds ?? 1) };
        if (service === 'api') apiError(res, 429, 'API rate limit exceeded', headers);
        else if (service === 'reccobeats') reccobeatsError(res, 429, 'Too many requests', url.pathname, headers);
        else sendJson(res, 429, { error: 'too_many_requests', error_description: 'Too many requests' }, headers);
        return;
      }
      case '500':
      case '502':
      case '503': {
        const status = Number(fault.kind);
        const message = { 500: 'Server error.', 502: 'Bad gateway.', 503: 'Service unavailable' }[status] ?? 'Server error.';
        if (service === 'api') apiError(res, status, message);
        else if (service === 'reccobeats') reccobeatsError(res, status, message, url.pathname);
        else accountsError(res, status, 'server_error', message);
        return;
      }
      case 'slow':
      case 'next-loops':
      case 'next-endless':
        return;
    }
  }

  private issue(clientId: string, userId: string | null, scope: string): WireAccessToken {
    const access = newToken('BQ');
    this.tokens.set(access, { clientId, userId, scope, expiresAt: this.now() + this.tokenTtlSeconds * 1000, revoked: false });
    return { access_token: access, token_type: 'Bearer', expires_in: this.tokenTtlSeconds };
  }

  // --- Accounts ---------------------------------------------------------------------------------

  private async handleAccounts(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    if (url.pathname === '/api/token') {
      if (method !== 'POST') {
        accountsError(res, 405, 'invalid_request', 'Method not allowed');
        return;
      }
      const body = await readBody(req);
      const form = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')
        ? new URLSearchParams(body)
        : new URLSearchParams();
      this.token(req, res, form);
      return;
    }
    if (url.pathname === '/authorize' && method === 'GET') {
      this.authorize(res, url);
      return;
    }
    send(res, 404, '<html><body><h1>404 Not Found</h1></body></html>', { 'content-type': 'text/html; charset=utf-8' });
  }

  private authorize(res: ServerResponse, url: URL): void {
    const q = url.searchParams;
    const page = (status: number, text: string) =>
      send(res, status, `<html><body><h1>Error</h1><p>${text}</p></body></html>`, { 'content-type': 'text/html; charset=utf-8' });
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== this.clientId) return page(400, 'INVALID_CLIENT: Invalid client');
    if (!redirectUri || (this.redirectUris && !this.redirectUris.includes(redirectUri))) {
      return page(400, 'INVALID_CLIENT: Invalid redirect URI');
    }
    const back = (params: Record<string, string>) => {
      const target = new URL(redirectUri);
      for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
      const state = q.get('state');
      if (state !== null) target.searchParams.set('state', state);
      res.writeHead(302, { location: target.toString(), 'content-length': '0' });
      res.end();
    };
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    const challenge = q.get('code_challenge');
    if (challenge !== null && q.get('code_challenge_method') !== 'S256') {
      return back({ error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
    }
    if (this.authorizingUser === null) return back({ error: 'access_denied' });
    const code = newToken('AQ');
    this.codes.set(code, {
      clientId: this.clientId,
      userId: this.authorizingUser,
      redirectUri,
      scope: q.get('scope') ?? '',
      challenge,
      expiresAt: this.now() + 10 * 60 * 1000,
      used: false,
    });
    back({ code });
  }

  private token(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const basic = /^Basic\s+(\S+)$/i.exec(authorization);
      const decoded = basic?.[1] === undefined ? '' : Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return accountsError(res, 400, 'invalid_client', 'Invalid client');
      clientId = decoded.slice(0, colon);
      clientSecret = decoded.slice(colon + 1);
    }
    const grantType = form.get('grant_type');
    if (!grantType) return accountsError(res, 400, 'unsupported_grant_type', 'grant_type parameter is missing');
    if (clientId !== this.clientId) return accountsError(res, 400, 'invalid_client', 'Invalid client');
    if (clientSecret !== null && clientSecret !== this.clientSecret) {
      return accountsError(res, 400, 'invalid_client', 'Invalid client secret');
    }

    switch (grantType) {
      case 'client_credentials': {
        if (clientSecret === null) return accountsError(res, 400, 'invalid_client', 'Invalid client');
        sendJson(res, 200, this.issue(clientId, null, ''));
        return;
      }
      case 'authorization_code': {
        const pending = this.codes.get(form.get('code') ?? '');
        if (!pending || pending.used || pending.expiresAt <= this.now() || pending.clientId !== clientId) {
          return accountsError(res, 400, 'invalid_grant', 'Invalid authorization code');
        }
        if (form.get('redirect_uri') !== pending.redirectUri) {
          return accountsError(res, 400, 'invalid_grant', 'Invalid redirect URI');
        }
        if (pending.challenge !== null) {
          const verifier = form.get('code_verifier');
          if (!verifier) return accountsError(res, 400, 'invalid_request', 'code_verifier required');
          if (s256(verifier) !== pending.challenge) return accountsError(res, 400, 'invalid_grant', 'code_verifier was incorrect');
        } else if (clientSecret === null) {
          return accountsError(res, 400, 'invalid_client', 'Invalid client');
        }
        pending.used = true;
        const refresh = newToken('AQ');
        this.refreshTokens.set(refresh, {
          clientId,
          userId: pending.userId,
          scope: pending.scope,
          publicClient: clientSecret === null,
          revoked: false,
        });
        const body: WireAccessToken = { ...this.issue(clientId, pending.userId, pending.scope), refresh_token: refresh, scope: pending.scope };
        sendJson(res, 200, body);
        return;
      }
      case 'refresh_token': {
        const refresh = form.get('refresh_token') ?? '';
        const grant = this.refreshTokens.get(refresh);
        if (!grant || grant.revoked || grant.clientId !== clientId) {
          return accountsError(res, 400, 'invalid_grant', 'Invalid refresh token');
        }
        if (!grant.publicClient && clientSecret === null) return accountsError(res, 400, 'invalid_client', 'Invalid client');
        const body: WireAccessToken = { ...this.issue(clientId, grant.userId, grant.scope), scope: grant.scope };
        if (grant.publicClient) {
          // Spotify rotates refresh tokens for PKCE clients; the old one keeps working here.
          const rotated = newToken('AQ');
          this.refreshTokens.set(rotated, { ...grant });
          body.refresh_token = rotated;
        }
        sendJson(res, 200, body);
        return;
      }
      default:
        accountsError(res, 400, 'unsupported_grant_type', 'grant_type must be client_credentials, authorization_code or refresh_token');
    }
  }

  // --- Web API ----------------------------------------------------------------------------------

  private unauthorized(res: ServerResponse, message: string): void {
    apiError(res, 401, message, {
      'www-authenticate': `Bearer realm="spotify", error="invalid_token", error_description="${message}"`,
    });
  }

  private authenticate(header: string | undefined): AuthResult {
    if (header === undefined || header.trim() === '') {
      return { ok: false, respond: (res) => apiError(res, 401, 'No token provided', { 'www-authenticate': 'Bearer realm="spotify"' }) };
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!bearer?.[1]) return { ok: false, respond: (res) => apiError(res, 400, 'Only valid bearer authentication supported') };
    const token = this.tokens.get(bearer[1]);
    if (!token || token.revoked) return { ok: false, respond: (res) => this.unauthorized(res, 'Invalid access token') };
    if (token.expiresAt <= this.now()) return { ok: false, respond: (res) => this.unauthorized(res, 'The access token expired') };
    return { ok: true, token };
  }

  private handleApi(req: IncomingMessage, res: ServerResponse, url: URL, method: string, entry: LoggedRequest): void {
    if (!url.pathname.startsWith('/v1/')) return apiError(res, 404, 'Service not found');
    const auth = this.authenticate(req.headers.authorization);
    if (!auth.ok) return auth.respond(res);
    const userId = auth.token.userId;
    entry.userId = userId;
    if (method !== 'GET') return apiError(res, 405, 'Method not allowed');

    const user = userId === null ? undefined : this.catalog.users.get(userId);
    const ctx: ShapeContext = {
      mode: this.modeValue,
      catalog: this.catalog,
      apiBase: this.apiUrl,
      // A user token implies the user's market, as Spotify does.
      market: url.searchParams.get('market') ?? user?.country ?? null,
    };
    const seg = url.pathname.split('/').filter(Boolean).slice(1);
    const [resource, id, sub, extra] = seg;
    if (extra !== undefined) return apiError(res, 404, 'Service not found');

    switch (resource) {
      case 'me':
        if (id !== undefined) break;
        // Spotify's answer to /me with a client-credentials token.
        if (userId === null) return apiError(res, 401, 'Unauthorized.');
        return sendJson(res, 200, userProfile(user ?? { id: userId, displayName: userId, email: '', country: 'US', product: 'free', followers: 0, images: [] }, ctx));
      case 'tracks':
        if (id === undefined) return this.several(res, url, 'tracks', 50, ctx);
        if (sub !== undefined) break;
        return this.single(res, id, this.catalog.tracks, (t) => fullTrack(t, ctx));
      case 'albums':
        if (id === undefined) return this.several(res, url, 'albums', 20, ctx);
        if (sub === undefined) return this.single(res, id, this.catalog.albums, (a) => fullAlbum(a, ctx));
        if (sub === 'tracks') return this.albumTracks(res, url, id, ctx);
        break;
      case 'artists':
        if (id === undefined) return this.several(res, url, 'artists', 50, ctx);
        if (sub === undefined) return this.single(res, id, this.catalog.artists, (a) => fullArtist(a, ctx));
        if (sub === 'albums') return this.artistAlbums(res, url, id, ctx);
        if (sub === 'related-artists') return this.relatedArtists(res, id, ctx);
        break;
      case 'playlists':
        if (id === undefined) break;
        if (sub === undefined) return this.playlist(res, id, userId, ctx);
        if (sub === 'tracks') return this.playlistTracks(res, url, id, ctx);
        if (sub === 'items') return this.playlistItems(res, url, id, userId, ctx);
        break;
      case 'search':
        if (id !== undefined) break;
        return this.search(res, url, ctx);
      case 'audio-features':
        if (sub !== undefined) break;
        return this.audioFeatures(res, url, id, ctx);
      case 'audio-analysis':
        if (id === undefined || sub !== undefined) break;
        if (!this.audioFeaturesAccessValue) return apiError(res, 403);
        return apiError(res, 404, 'analysis not found');
      case 'recommendations':
        if (id !== undefined) break;
        return this.recommendations(res, url, ctx);
    }
    apiError(res, 404, 'Service not found');
  }

  private single<T>(res: ServerResponse, id: string, from: Map<string, T>, shape: (item: T) => unknown): void {
    if (!isBase62Id(id)) return apiError(res, 400, 'Invalid base62 id');
    const item = from.get(id);
    if (item === undefined) return apiError(res, 404, 'Resource not found');
    sendJson(res, 200, shape(item));
  }

  /** GET /tracks|albums|artists?ids=: removed for development-mode apps in February 2026. */
  private several(res: ServerResponse, url: URL, kind: 'tracks' | 'albums' | 'artists', max: number, ctx: ShapeContext): void {
    if (this.modeValue !== 'extended') return apiError(res, 403, 'Forbidden');
    const raw = url.searchParams.get('ids');
    if (!raw) return apiError(res, 400, 'invalid request');
    const ids = raw.split(',');
    if (ids.length > max) return apiError(res, 400, 'Too many ids requested');
    if (!ids.every(isBase62Id)) return apiError(res, 400, 'Invalid base62 id');
    const shapeOf = (id: string) => {
      if (kind === 'tracks') {
        const t = this.catalog.tracks.get(id);
        return t ? fullTrack(t, ctx) : null;
      }
      if (kind === 'albums') {
        const a = this.catalog.albums.get(id);
        return a ? fullAlbum(a, ctx) : null;
      }
      const a = this.catalog.artists.get(id);
      return a ? fullArtist(a, ctx) : null;
    };
    sendJson(res, 200, { [kind]: ids.map(shapeOf) });
  }

  private albumTracks(res: ServerResponse, url: URL, id: string, ctx: ShapeContext): void {
    if (!isBase62Id(id)) return apiError(res, 400, 'Invalid base62 id');
    const album = this.catalog.albums.get(id);
    if (!album) return apiError(res, 404, 'Resource not found');
    const limit = intParam(url, 'limit', 20, 1, 50);
    if (limit === null) return apiError(res, 400, 'Invalid limit');
    const offset = intParam(url, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    if (offset === null) return apiError(res, 400, 'Invalid offset');
    const tracks = album.trackIds.flatMap((trackId) => {
      const track = this.catalog.tracks.get(trackId);
      return track ? [simplifiedTrack(track, ctx)] : [];
    });
    sendJson(res, 200, pageOf(tracks, offset, limit, pagingUrl(`${ctx.apiBase}/albums/${id}/tracks`, extraParams(url, ['market']))));
  }

  private artistAlbums(res: ServerResponse, url: URL, id: string, ctx: ShapeContext): void {
    if (!isBase62Id(id)) return apiError(res, 400, 'Invalid base62 id');
    if (!this.catalog.artists.has(id)) return apiError(res, 404, 'Resource not found');
    const groups = ['album', 'single', 'appears_on', 'compilation'];
    const requested = (url.searchParams.get('include_groups') ?? groups.join(',')).split(',').map((g) => g.trim()).filter(Boolean);
    if (requested.some((g) => !groups.includes(g))) return apiError(res, 400, 'Invalid include_groups');
    const limit = intParam(url, 'limit', 20, 1, 50);
    if (limit === null) return apiError(res, 400, 'Invalid limit');
    const offset = intParam(url, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    if (offset === null) return apiError(res, 400, 'Invalid offset');

    const groupOf = (album: FakeAlbum): string | null => {
      if (album.artistIds.includes(id)) return album.albumType;
      const guest = album.trackIds.some((trackId) => this.catalog.tracks.get(trackId)?.artistIds.includes(id));
      return guest ? 'appears_on' : null;
    };
    const found: { album: FakeAlbum; group: string }[] = [];
    for (const album of this.catalog.albums.values()) {
      const group = groupOf(album);
      if (group !== null && requested.includes(group)) found.push({ album, group });
    }
    // Spotify lists by group, then newest first.
    found.sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group) || b.album.releaseDate.localeCompare(a.album.releaseDate) || a.album.id.localeCompare(b.album.id));
    const items: WireSimplifiedAlbum[] = found.map(({ album, group }) => simplifiedAlbum(album, ctx, group));
    const extra = extraParams(url, ['include_groups', 'market']);
    sendJson(res, 200, pageOf(items, offset, limit, pagingUrl(`${ctx.apiBase}/artists/${id}/albums`, extra)));
  }

  private relatedArtists(res: ServerResponse, id: string, ctx: ShapeContext): void {
    if (!this.audioFeaturesAccessValue) return apiError(res, 403);
    if (!isBase62Id(id)) return apiError(res, 400, 'Invalid base62 id');
    const artist = this.catalog.artists.get(id);
    if (!artist) return apiError(res, 404, 'Resource not found');
    const related: WireArtist[] = [...this.catalog.artists.values()]
      .filter((other) => other.id !== id && other.genres.some((g) => artist.genres.includes(g)))
      .sort((a, b) => b.popularity - a.popularity)
      .slice(0, 20)
      .map((other) => fullArtist(other, ctx));
    sendJson(res, 200, { artists: related });
  }

  private recommendations(res: ServerResponse, url: URL, ctx: ShapeContext): void {
    if (!this.audioFeaturesAccessValue) return apiError(res, 403);
    const seedTracks = (url.searchParams.get('seed_tracks') ?? '').split(',').filter(Boolean);
    const seedArtists = (url.searchParams.get('seed_artists') ?? '').split(',').filter(Boolean);
    if (seedTracks.length + seedArtists.length === 0) return apiError(res, 400, 'At least one seed must be provided');
    const limit = intParam(url, 'limit', 20, 1, 100);
    if (limit === null) return apiError(res, 400, 'Invalid limit');
    const artists = new Set([...seedArtists, ...seedTracks.flatMap((t) => this.catalog.tracks.get(t)?.artistIds ?? [])]);
    const tracks = [...this.catalog.tracks.values()]
      .filter((t) => !seedTracks.includes(t.id) && t.artistIds.some((a) => artists.has(a)))
      .sort((a, b) => b.popularity - a.popularity)
      .slice(0, limit);
    const body = {
      seeds: [
        ...seedTracks.map((seed) => ({ afterFilteringSize: tracks.length, afterRelinkingSize: tracks.length, href: `${ctx.apiBase}/tracks/${seed}`, id: seed, initialPoolSize: tracks.length, type: 'TRACK' })),
        ...seedArtists.map((seed) => ({ afterFilteringSize: tracks.length, afterRelinkingSize: tracks.length, href: `${ctx.apiBase}/artists/${seed}`, id: seed, initialPoolSize: tracks.length, type: 'ARTIST' })),
      ],
      tracks: tracks.map((t) => fullTrack(t, ctx)),
    } satisfies Omit<RecommendationsResponse, 'tracks'> & { tracks: WireTrack[] };
    sendJson(res, 200, body);
  }

  private findPlaylist(res: ServerResponse, id: string): FakePlaylist | null {
    if (!isBase62Id(id)) {
      apiError(res, 400, 'Invalid base62 id');
      return null;
    }
    const playlist = this.catalog.playlists.get(id);
    // Editorial and algorithmic playlists vanished for apps without the pre-2024-11-27 access.
    if (!playlist || (id.startsWith(EDITORIAL_PREFIX) && !this.audioFeaturesAccessValue)) {
      apiError(res, 404, 'Resource not found');
      return null;
    }
    return playlist;
  }

  /** Development mode only shows contents of the user's own and collaborative playlists. */
  private canSeeContents(playlist: FakePlaylist, userId: string | null): boolean {
    if (this.modeValue === 'extended') return true;
    if (userId === null) return false;
    return playlist.ownerId === userId || (playlist.collaborative && playlist.collaborators.includes(userId));
  }

  private playlist(res: ServerResponse, id: string, userId: string | null, ctx: ShapeContext): void {
    const playlist = this.findPlaylist(res, id);
    if (!playlist) return;
    if (this.modeValue === 'extended') return sendJson(res, 200, extendedPlaylist(playlist, ctx));
    sendJson(res, 200, devPlaylist(playlist, ctx, this.canSeeContents(playlist, userId)));
  }

  private playlistTracks(res: ServerResponse, url: URL, id: string, ctx: ShapeContext): void {
    const playlist = this.findPlaylist(res, id);
    if (!playlist) return;
    // Removed for development-mode apps in February 2026, whoever owns the playlist.
    if (this.modeValue !== 'extended') return apiError(res, 403, 'Forbidden');
    const limit = intParam(url, 'limit', 100, 1, 100);
    if (limit === null) return apiError(res, 400, 'Invalid limit');
    const offset = intParam(url, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    if (offset === null) return apiError(res, 400, 'Invalid offset');
    const entries = playlist.entries.map((entry) => playlistedTrack(entry, ctx));
    const extra = extraParams(url, ['market', 'additional_types']);
    sendJson(res, 200, pageOf(entries, offset, limit, pagingUrl(`${ctx.apiBase}/playlists/${id}/tracks`, extra)));
  }

  private playlistItems(res: ServerResponse, url: URL, id: string, userId: string | null, ctx: ShapeContext): void {
    const playlist = this.findPlaylist(res, id);
    if (!playlist) return;
    if (!this.canSeeContents(playlist, userId)) return apiError(res, 403, 'Forbidden');
    const limit = intParam(url, 'limit', 20, 1, 50);
    if (limit === null) return apiError(res, 400, 'Invalid limit');
    const offset = intParam(url, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    if (offset === null) return apiError(res, 400, 'Invalid offset');
    const items = playlist.entries.map((entry) => playlistItem(entry, ctx));
    const extra = extraParams(url, ['market', 'additional_types']);
    sendJson(res, 200, pageOf(items, offset, limit, pagingUrl(`${ctx.apiBase}/playlists/${id}/items`, extra)));
  }

  private search(res: ServerResponse, url: URL, ctx: ShapeContext): void {
    // Spotify's own `next` links spell the query `query=`; both work.
    const q = url.searchParams.get('q') ?? url.searchParams.get('query');
    if (!q) return apiError(res, 400, 'No search query');
    const typeParam = url.searchParams.get('type');
    if (!typeParam) return apiError(res, 400, 'Missing parameter type');
    const types = typeParam.split(',');
    const known = ['track', 'artist', 'album', 'playlist', 'show', 'episode', 'audiobook'];
    const unknown = types.find((t) => !known.includes(t));
    if (unknown !== undefined) return apiError(res, 400, 'Bad search type field');
    const extended = this.modeValue === 'extended';
    // February 2026: development-mode search pages hold at most 10 (default 5).
    const limit = intParam(url, 'limit', extended ? 20 : 5, 0, extended ? 50 : 10);
    if (limit === null) return apiError(res, 400, 'Invalid limit');
    const offset = intParam(url, 'offset', 0, 0, 1000);
    if (offset === null) return apiError(res, 400, 'Invalid offset');

    const query = parseQuery(q);
    const link = (type: string) => (o: number, l: number) => {
      const params = new URLSearchParams({ query: q, type, offset: String(o), limit: String(l), ...extraParams(url, ['market', 'include_external']) });
      return `${ctx.apiBase}/search?${params.toString()}`;
    };
    const body: WireSearchResults & Record<string, unknown> = {};
    for (const type of types) {
      if (type === 'track') body.tracks = pageOf(this.searchTracks(query).map((t) => fullTrack(t, ctx)), offset, limit, link(type));
      else if (type === 'artist') body.artists = pageOf(this.searchArtists(query).map((a) => fullArtist(a, ctx)), offset, limit, link(type));
      else if (type === 'album') body.albums = pageOf(this.searchAlbums(query).map((a) => simplifiedAlbum(a, ctx)), offset, limit, link(type));
      // Types the fake has no catalog for come back empty.
      else body[`${type}s`] = pageOf([], offset, limit, link(type));
    }
    sendJson(res, 200, body);
  }

  private artistNames(ids: readonly string[]): string[] {
    return ids.flatMap((id) => searchTokens(this.catalog.artists.get(id)?.name ?? ''));
  }

  private searchTracks(query: ParsedQuery): FakeTrack[] {
    const scored: { track: FakeTrack; score: number }[] = [];
    for (const track of this.catalog.tracks.values()) {
      const album = this.catalog.albums.get(track.albumId);
      const name = searchTokens(track.name);
      const artists = this.artistNames(track.artistIds);
      const albumTokens = searchTokens(album?.name ?? '');
      if (query.year) {
        const year = Number(album?.releaseDate.slice(0, 4));
        if (!(year >= query.year.from && year <= query.year.to)) continue;
      }
      const fieldScores = [tokenScore(query.track, name), tokenScore(query.artist, artists), tokenScore(query.album, albumTokens)];
      if (fieldScores.some((s) => s < 0)) continue;
      // Free words may hit any field; name hits rank above artist hits above album hits.
      let free = 0;
      let ok = true;
      for (const word of query.free) {
        const hit = [tokenScore([word], name) * 3, tokenScore([word], artists) * 2, tokenScore([word], albumTokens)].filter((s) => s > 0);
        if (hit.length === 0) {
          ok = false;
          break;
        }
        free += Math.max(...hit);
      }
      if (!ok) continue;
      // A query that spells out the whole title beats one that only shares words with it.
      const wholeName = name.length > 0 && name.every((t) => query.free.includes(t) || query.track.includes(t)) ? 10 : 0;
      const score = free + wholeName + fieldScores.reduce((a, b) => a + b, 0) * 2 + track.popularity / 100;
      scored.push({ track, score });
    }
    return scored.sort((a, b) => b.score - a.score || a.track.id.localeCompare(b.track.id)).map((s) => s.track);
  }

  private searchArtists(query: ParsedQuery): FakeArtist[] {
    const words = [...query.free, ...query.artist];
    return [...this.catalog.artists.values()]
      .map((artist) => ({ artist, score: tokenScore(words, searchTokens(artist.name)) }))
      .filter((s) => s.score >= 0)
      .sort((a, b) => b.score - a.score || b.artist.popularity - a.artist.popularity || a.artist.id.localeCompare(b.artist.id))
      .map((s) => s.artist);
  }

  private searchAlbums(query: ParsedQuery): FakeAlbum[] {
    return [...this.catalog.albums.values()]
      .map((album) => {
        const name = searchTokens(album.name);
        const artists = this.artistNames(album.artistIds);
        const free = tokenScore(query.free, [...name, ...artists]);
        const fields = [tokenScore(query.album, name), tokenScore(query.artist, artists)];
        return { album, score: free < 0 || fields.some((s) => s < 0) ? -1 : free + fields.reduce((a, b) => a + b, 0) };
      })
      .filter((s) => s.score >= 0)
      .sort((a, b) => b.score - a.score || b.album.popularity - a.album.popularity || a.album.id.localeCompare(b.album.id))
      .map((s) => s.album);
  }

  private audioFeatures(res: ServerResponse, url: URL, id: string | undefined, ctx: ShapeContext): void {
    // Closed on 2024-11-27 for apps without prior access: a bare 403.
    if (!this.audioFeaturesAccessValue) return apiError(res, 403);
    const featuresOf = (trackId: string) => {
      const track = this.catalog.tracks.get(trackId);
      return track?.features && track.featuresKnownBy.spotify ? spotifyAudioFeatures(track, track.features, ctx) : null;
    };
    if (id !== undefined) {
      if (!isBase62Id(id)) return apiError(res, 400, 'Invalid base62 id');
      const features = featuresOf(id);
      return features ? sendJson(res, 200, features) : apiError(res, 404, 'Resource not found');
    }
    const raw = url.searchParams.get('ids');
    if (!raw) return apiError(res, 400, 'invalid request');
    const ids = raw.split(',');
    if (ids.length > 100) return apiError(res, 400, 'Too many ids requested');
    if (!ids.every(isBase62Id)) return apiError(res, 400, 'Invalid base62 id');
    sendJson(res, 200, { audio_features: ids.map(featuresOf) });
  }

  // --- ReccoBeats -------------------------------------------------------------------------------

  private reccobeatsLookup(id: string): FakeTrack | undefined {
    const direct = this.catalog.tracks.get(id);
    if (direct) return direct;
    for (const track of this.catalog.tracks.values()) if (track.reccobeatsId === id) return track;
    return undefined;
  }

  private handleReccobeats(res: ServerResponse, url: URL, method: string): void {
    const path = url.pathname.replace(/\/+$/, '');
    if (method !== 'GET' || (path !== '/v1/audio-features' && path !== '/v1/track')) {
      return reccobeatsError(res, 404, 'Not found', url.pathname);
    }
    const ids = [...new Set((url.searchParams.get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
    if (ids.length === 0) return reccobeatsError(res, 400, 'ids must not be empty', url.pathname);
    if (ids.length > 40) return reccobeatsError(res, 400, 'ids size must be between 1 and 40', url.pathname);
    const tracks = ids.flatMap((id) => {
      const track = this.reccobeatsLookup(id);
      return track ? [track] : [];
    });
    if (path === '/v1/track') {
      const body: ReccoBeatsContent<ReccoBeatsTrack> = { content: tracks.map((t) => reccobeatsTrack(t, this.catalog)) };
      return sendJson(res, 200, body);
    }
    const body: ReccoBeatsContent<ReccoBeatsAudioFeatures> = {
      content: tracks.flatMap((t) => (t.features && t.featuresKnownBy.reccobeats ? [reccobeatsAudioFeatures(t, t.features)] : [])),
    };
    sendJson(res, 200, body);
  }
}

/** Starts the fake on three random 127.0.0.1 ports. */
export async function startFakeSpotify(options: FakeSpotifyOptions = {}): Promise<FakeSpotify> {
  const fake = new FakeSpotify(options);
  await fake.listen();
  return fake;
}
