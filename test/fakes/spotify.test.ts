// Proves the fake speaks Spotify's and ReccoBeats' wire formats: the real SDK drives it where it
// can (through SdkOptions.fetch and an IAuthStrategy fed by the fake's token endpoint), plain
// fetch everywhere else.

import { createHash, randomBytes } from 'node:crypto';
import { SpotifyApi } from '@spotify/web-api-ts-sdk';
import type { AccessToken, IAuthStrategy, MaxInt, Page, SdkConfiguration } from '@spotify/web-api-ts-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fakeCatalogFromRows,
  generateFakeCatalog,
  isBase62Id,
  reccobeatsIdFor,
  startFakeSpotify,
  type FakeSpotify,
  type GeneratedFakeCatalog,
  type ReccoBeatsAudioFeatures,
  type ReccoBeatsContent,
  type SpotifyErrorBody,
  type WireAccessToken,
  type WireAlbum,
  type WireDevPlaylist,
  type WireIdlessTrack,
  type WirePlaylist,
  type WirePlaylistItem,
  type WirePlaylistedTrack,
  type WireSearchResults,
  type WireSimplifiedAlbum,
  type WireTrack,
  type WireUserProfile,
} from './spotify.js';

const CLIENT_ID = 'test-client';
const CLIENT_SECRET = 'test-secret';
const REDIRECT_URI = 'http://127.0.0.1:8888/callback';

let catalog: GeneratedFakeCatalog;
let fake: FakeSpotify;

beforeEach(async () => {
  catalog = generateFakeCatalog();
  fake = await startFakeSpotify({ catalog, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
});

afterEach(async () => {
  await fake.close();
});

// --- Helpers -------------------------------------------------------------------------------------

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function postToken(params: Record<string, string>, authorization?: string): Promise<Response> {
  return fetch(`${fake.accountsUrl}/api/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: new URLSearchParams(params),
  });
}

async function clientToken(): Promise<WireAccessToken> {
  const res = await postToken({ grant_type: 'client_credentials' }, basic(CLIENT_ID, CLIENT_SECRET));
  expect(res.status).toBe(200);
  return (await res.json()) as WireAccessToken;
}

const challengeFor = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/** Visits /authorize as a browser would and returns the redirect it answers with. */
async function authorize(challenge: string | null, extra: Record<string, string> = {}): Promise<URL> {
  const params = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    ...(challenge === null ? {} : { code_challenge_method: 'S256', code_challenge: challenge }),
    state: 'st4te',
    scope: 'playlist-read-private playlist-read-collaborative',
    ...extra,
  });
  const res = await fetch(`${fake.accountsUrl}/authorize?${params.toString()}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

/** The authorization-code flow with PKCE, as a public client (no secret). */
async function userToken(): Promise<WireAccessToken> {
  const verifier = randomBytes(48).toString('base64url');
  const redirect = await authorize(challengeFor(verifier));
  const res = await postToken({
    grant_type: 'authorization_code',
    code: redirect.searchParams.get('code') ?? '',
    redirect_uri: REDIRECT_URI,
    client_id: CLIENT_ID,
    code_verifier: verifier,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as WireAccessToken;
}

async function get(path: string, token?: string): Promise<Response> {
  const url = path.startsWith('http') ? path : `${fake.apiUrl}${path}`;
  return fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
}

async function getJson<T>(path: string, token: string, status = 200): Promise<T> {
  const res = await get(path, token);
  const body = (await res.json()) as T;
  expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(status);
  return body;
}

/** Supplies tokens from the fake's accounts service; the SDK's own strategies call accounts.spotify.com. */
class FakeTokenStrategy implements IAuthStrategy {
  private token: AccessToken | null = null;

  constructor(private readonly fetchToken: () => Promise<WireAccessToken>) {}

  setConfiguration(_configuration: SdkConfiguration): void {}

  async getOrCreateAccessToken(): Promise<AccessToken> {
    if (this.token === null) {
      const wire = await this.fetchToken();
      this.token = { ...wire, refresh_token: wire.refresh_token ?? '', expires: Date.now() + wire.expires_in * 1000 };
    }
    return this.token;
  }

  getAccessToken(): Promise<AccessToken | null> {
    return Promise.resolve(this.token);
  }

  removeAccessToken(): void {
    this.token = null;
  }
}

/** The real SDK, its fixed https://api.spotify.com base rewritten to the fake. */
function sdk(fetchToken: () => Promise<WireAccessToken> = clientToken): SpotifyApi {
  const rewrite = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return fetch(url.replace('https://api.spotify.com/v1', fake.apiUrl), init);
  };
  return new SpotifyApi(new FakeTokenStrategy(fetchToken), { fetch: rewrite });
}

function ids(): { tracks: string[]; albums: string[]; artists: string[] } {
  return { tracks: [...catalog.tracks.keys()], albums: [...catalog.albums.keys()], artists: [...catalog.artists.keys()] };
}

const sortedKeys = (value: object) => Object.keys(value).sort();

// Real GET /tracks/{id} keys without a market (Spotify Web API reference).
const EXTENDED_TRACK_KEYS = [
  'album', 'artists', 'available_markets', 'disc_number', 'duration_ms', 'explicit', 'external_ids',
  'external_urls', 'href', 'id', 'is_local', 'name', 'popularity', 'preview_url', 'track_number', 'type', 'uri',
];
const DEV_TRACK_KEYS = EXTENDED_TRACK_KEYS.filter((k) => k !== 'available_markets' && k !== 'popularity');

// --- Accounts ------------------------------------------------------------------------------------

describe('accounts service', () => {
  it('grants client credentials by Basic header or by form fields, without refresh token', async () => {
    const byHeader = await clientToken();
    expect(sortedKeys(byHeader)).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(byHeader).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });

    const res = await postToken({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(res.status).toBe(200);
    expect(((await res.json()) as WireAccessToken).access_token).toMatch(/^BQ/);
  });

  it('answers bad requests with OAuth error bodies', async () => {
    const cases: [Record<string, string>, string | undefined, { error: string; error_description: string }][] = [
      [{ grant_type: 'client_credentials' }, basic(CLIENT_ID, 'wrong'), { error: 'invalid_client', error_description: 'Invalid client secret' }],
      [{ grant_type: 'client_credentials' }, basic('nobody', CLIENT_SECRET), { error: 'invalid_client', error_description: 'Invalid client' }],
      [{}, basic(CLIENT_ID, CLIENT_SECRET), { error: 'unsupported_grant_type', error_description: 'grant_type parameter is missing' }],
      [{ grant_type: 'password' }, basic(CLIENT_ID, CLIENT_SECRET), { error: 'unsupported_grant_type', error_description: expect.any(String) as string }],
      [{ grant_type: 'refresh_token', refresh_token: 'nope', client_id: CLIENT_ID }, undefined, { error: 'invalid_grant', error_description: 'Invalid refresh token' }],
    ];
    for (const [params, authorization, expected] of cases) {
      const res = await postToken(params, authorization);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual(expected);
    }
  });

  it('runs the authorization-code flow with PKCE, then refreshes', async () => {
    const verifier = randomBytes(48).toString('base64url');
    const redirect = await authorize(challengeFor(verifier));
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe('st4te');
    const code = redirect.searchParams.get('code') ?? '';

    const exchange = (v: string) =>
      postToken({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, code_verifier: v });
    const wrong = await exchange('not-the-verifier');
    expect(await wrong.json()).toEqual({ error: 'invalid_grant', error_description: 'code_verifier was incorrect' });

    const ok = await exchange(verifier);
    const token = (await ok.json()) as WireAccessToken;
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'playlist-read-private playlist-read-collaborative' });
    expect(token.refresh_token).toBeTruthy();

    const reused = await exchange(verifier);
    expect(await reused.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid authorization code' });

    const me = await getJson<WireUserProfile>('/me', token.access_token);
    expect(me.id).toBe(catalog.ids.fixtureUser);

    const refreshed = await postToken({ grant_type: 'refresh_token', refresh_token: token.refresh_token ?? '', client_id: CLIENT_ID });
    const next = (await refreshed.json()) as WireAccessToken;
    expect(refreshed.status).toBe(200);
    expect(next.access_token).not.toBe(token.access_token);
    expect(next.refresh_token).toBeTruthy();
    expect((await getJson<WireUserProfile>('/me', next.access_token)).id).toBe(catalog.ids.fixtureUser);
  });

  it('supports confidential clients, other users, refusal and bad authorize requests', async () => {
    fake.setAuthorizingUser(catalog.ids.otherUser);
    const redirect = await authorize(null);
    // No challenge given at authorize: the client must authenticate with its secret instead.
    const params = { grant_type: 'authorization_code', code: redirect.searchParams.get('code') ?? '', redirect_uri: REDIRECT_URI };
    const res = await postToken(params, basic(CLIENT_ID, CLIENT_SECRET));
    const token = (await res.json()) as WireAccessToken;
    expect((await getJson<WireUserProfile>('/me', token.access_token)).id).toBe(catalog.ids.otherUser);

    fake.setAuthorizingUser(null);
    const denied = await authorize(challengeFor('v'));
    expect(Object.fromEntries(denied.searchParams)).toEqual({ error: 'access_denied', state: 'st4te' });

    const badClient = await fetch(`${fake.accountsUrl}/authorize?client_id=nobody&response_type=code&redirect_uri=${REDIRECT_URI}`, { redirect: 'manual' });
    expect(badClient.status).toBe(400);
    expect(await badClient.text()).toContain('INVALID_CLIENT: Invalid client');
  });
});

// --- Authentication on the API -------------------------------------------------------------------

describe('bearer tokens on the Web API', () => {
  it('rejects missing, malformed and unknown tokens the way Spotify does', async () => {
    const none = await get('/tracks/' + ids().tracks[0]);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="spotify"');
    expect(await none.json()).toEqual({ error: { status: 401, message: 'No token provided' } });

    const basicAuth = await fetch(`${fake.apiUrl}/me`, { headers: { authorization: basic('a', 'b') } });
    expect(basicAuth.status).toBe(400);
    expect(await basicAuth.json()).toEqual({ error: { status: 400, message: 'Only valid bearer authentication supported' } });

    const unknown = await get('/me', 'BQnot-a-token');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer realm="spotify", error="invalid_token", error_description="Invalid access token"');
    expect(await unknown.json()).toEqual({ error: { status: 401, message: 'Invalid access token' } });
  });

  it('expires tokens after expires_in, which the SDK reports as a bad or expired token', async () => {
    const token = await clientToken();
    const api = sdk(() => Promise.resolve(token));
    const trackId = ids().tracks[0] ?? '';
    expect((await api.tracks.get(trackId)).id).toBe(trackId);

    fake.advanceTime(3601 * 1000);
    const res = await get(`/tracks/${trackId}`, token.access_token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error_description="The access token expired"');
    expect(await res.json()).toEqual({ error: { status: 401, message: 'The access token expired' } });
    await expect(api.tracks.get(trackId)).rejects.toThrow(/Bad or expired token/);
  });

  it('honours a short tokenTtlSeconds, expireTokens() and invalidateTokens()', async () => {
    await fake.close();
    fake = await startFakeSpotify({ catalog, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenTtlSeconds: 60 });
    const token = await clientToken();
    expect(token.expires_in).toBe(60);
    const trackId = ids().tracks[0] ?? '';
    fake.advanceTime(59_000);
    expect((await get(`/tracks/${trackId}`, token.access_token)).status).toBe(200);
    fake.expireTokens();
    expect(await getJson<SpotifyErrorBody>(`/tracks/${trackId}`, token.access_token, 401)).toEqual({ error: { status: 401, message: 'The access token expired' } });

    const fresh = await clientToken();
    fake.invalidateTokens();
    expect(await getJson<SpotifyErrorBody>(`/tracks/${trackId}`, fresh.access_token, 401)).toEqual({ error: { status: 401, message: 'Invalid access token' } });
  });

  it('answers /me only for user tokens, trimmed in development mode', async () => {
    const cc = await clientToken();
    expect(await getJson<SpotifyErrorBody>('/me', cc.access_token, 401)).toEqual({ error: { status: 401, message: 'Unauthorized.' } });

    const user = await userToken();
    const dev = await getJson<WireUserProfile>('/me', user.access_token);
    expect(sortedKeys(dev)).toEqual(['display_name', 'external_urls', 'href', 'id', 'images', 'type', 'uri']);
    fake.setMode('extended');
    const me = await sdk(() => Promise.resolve(user)).currentUser.profile();
    expect(me).toMatchObject({ id: catalog.ids.fixtureUser, country: 'SE', product: 'premium', followers: { href: null, total: 12 } });
  });
});

// --- Extended mode -------------------------------------------------------------------------------

describe('extended mode', () => {
  beforeEach(() => fake.setMode('extended'));

  it('returns full playlists with tracks[].track through the SDK', async () => {
    const api = sdk();
    const playlist = (await api.playlists.getPlaylist(catalog.ids.playlists.theirs)) as unknown as WirePlaylist;
    expect(playlist).not.toHaveProperty('items');
    expect(playlist.owner.id).toBe(catalog.ids.otherUser);
    expect(playlist.tracks.total).toBe(15);
    expect(playlist.tracks.href).toBe(`${fake.apiUrl}/playlists/${playlist.id}/tracks?offset=0&limit=100`);
    const first = playlist.tracks.items[0];
    expect(first?.track).toMatchObject({ type: 'track', episode: false, track: true });
    expect(sortedKeys(first ?? {})).toEqual(['added_at', 'added_by', 'is_local', 'primary_color', 'track', 'video_thumbnail']);
  });

  it('pages /playlists/{id}/tracks by 100 with correct links', async () => {
    const api = sdk();
    const id = catalog.ids.playlists.large;
    // The SDK types this limit as at most 50; Spotify's /tracks takes up to 100.
    const hundred = 100 as number as MaxInt<50>;
    const page1 = (await api.playlists.getPlaylistItems(id, undefined, undefined, hundred, 0)) as unknown as Page<WirePlaylistedTrack>;
    expect(page1).toMatchObject({ limit: 100, offset: 0, total: 130, previous: null });
    expect(page1.items).toHaveLength(100);
    expect(page1.next).toBe(`${fake.apiUrl}/playlists/${id}/tracks?offset=100&limit=100`);

    const token = await clientToken();
    const page2 = await getJson<Page<WirePlaylistedTrack>>(page1.next ?? '', token.access_token);
    expect(page2).toMatchObject({ offset: 100, limit: 100, total: 130, next: null });
    expect(page2.previous).toBe(`${fake.apiUrl}/playlists/${id}/tracks?offset=0&limit=100`);
    expect(page2.items).toHaveLength(30);

    expect(await getJson<SpotifyErrorBody>(`/playlists/${id}/tracks?limit=101`, token.access_token, 400)).toEqual({ error: { status: 400, message: 'Invalid limit' } });
  });

  it('serves batch tracks (50) and albums (20) with popularity, external_ids and markets', async () => {
    const api = sdk();
    const trackIds = ids().tracks.slice(0, 50);
    const tracks = (await api.tracks.get(trackIds)) as unknown as WireTrack[];
    expect(tracks.map((t) => t.id)).toEqual(trackIds);
    for (const track of tracks) {
      // Without a market only restricted tracks say whether they play.
      const restricted = track.id === catalog.ids.unplayableTrack ? ['is_playable', 'restrictions'] : [];
      expect(sortedKeys(track)).toEqual([...EXTENDED_TRACK_KEYS, ...restricted].sort());
    }
    const playable = tracks.find((t) => t.id !== catalog.ids.unplayableTrack);
    expect(playable?.external_ids.isrc).toMatch(/^[A-Z]{2}[A-Z]{3}\d{7}$/);
    expect(playable?.available_markets?.length).toBeGreaterThan(0);
    expect(typeof playable?.popularity).toBe('number');

    await expect(api.tracks.get(ids().tracks.slice(0, 51))).rejects.toThrow(/400.*Too many ids requested/);
    const albums = (await api.albums.get(ids().albums.slice(0, 20))) as unknown as WireAlbum[];
    expect(albums).toHaveLength(20);
    expect(albums[0]).toMatchObject({ label: expect.any(String) as string, popularity: expect.any(Number) as number });
    await expect(api.albums.get(ids().albums.slice(0, 21))).rejects.toThrow(/Too many ids requested/);

    const withUnknown = await getJson<{ tracks: (WireTrack | null)[] }>(`/tracks?ids=${trackIds[0]},${'0'.repeat(22)}`, (await clientToken()).access_token);
    expect(withUnknown.tracks[1]).toBeNull();
  });

  it('allows search limits up to 50', async () => {
    const results = (await sdk().search('love', ['track'], undefined, 50)) as unknown as WireSearchResults;
    expect(results.tracks?.limit).toBe(50);
    expect(results.tracks?.items.length).toBeGreaterThan(0);
  });

  it('lists an artist’s albums with album_group and honours include_groups', async () => {
    const token = (await clientToken()).access_token;
    const guestTrack = [...catalog.tracks.values()].find((t) => t.artistIds.length > 1);
    const guest = guestTrack?.artistIds[1] ?? '';
    const all = await getJson<Page<WireSimplifiedAlbum>>(`/artists/${guest}/albums?limit=50`, token);
    const groups = all.items.map((a) => a.album_group);
    expect(groups).toContain('appears_on');
    // Grouped in Spotify's order: album, single, appears_on, compilation.
    const order = ['album', 'single', 'appears_on', 'compilation'];
    expect(groups.map((g) => order.indexOf(g ?? ''))).toEqual([...groups.map((g) => order.indexOf(g ?? ''))].sort((a, b) => a - b));

    const appears = await getJson<Page<WireSimplifiedAlbum>>(`/artists/${guest}/albums?include_groups=appears_on`, token);
    expect(appears.items.every((a) => a.album_group === 'appears_on')).toBe(true);
    expect(appears.href).toBe(`${fake.apiUrl}/artists/${guest}/albums?offset=0&limit=20&include_groups=appears_on`);
    expect(await getJson<SpotifyErrorBody>(`/artists/${guest}/albums?include_groups=bogus`, token, 400)).toEqual({ error: { status: 400, message: 'Invalid include_groups' } });
  });
});

// --- Development mode ----------------------------------------------------------------------------

describe('development-2026 mode', () => {
  it('embeds contents only in playlists the user owns or collaborates on', async () => {
    const user = (await userToken()).access_token;
    const mine = await getJson<WireDevPlaylist>(`/playlists/${catalog.ids.playlists.mine}`, user);
    expect(mine).not.toHaveProperty('tracks');
    const page = mine.items as Page<WirePlaylistItem>;
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items[0]).toHaveProperty('item.type', 'track');
    expect(page.items[0]).not.toHaveProperty('track');

    const theirs = await getJson<WireDevPlaylist>(`/playlists/${catalog.ids.playlists.theirs}`, user);
    expect(theirs.items).toEqual({ href: `${fake.apiUrl}/playlists/${catalog.ids.playlists.theirs}/items`, total: 15 });
    expect(theirs).toMatchObject({ name: expect.any(String) as string, snapshot_id: expect.any(String) as string });

    // A client-credentials token has no user, so it never sees contents.
    const cc = (await clientToken()).access_token;
    const mineAsApp = await getJson<WireDevPlaylist>(`/playlists/${catalog.ids.playlists.mine}`, cc);
    expect(mineAsApp.items).not.toHaveProperty('items');
  });

  it('pages /items by 50 with item (not track) and refuses others’ playlists', async () => {
    const user = (await userToken()).access_token;
    const id = catalog.ids.playlists.large;
    const page = await getJson<Page<WirePlaylistItem>>(`/playlists/${id}/items?limit=50&offset=100`, user);
    expect(page).toMatchObject({ limit: 50, offset: 100, total: 130, next: null });
    expect(page.previous).toBe(`${fake.apiUrl}/playlists/${id}/items?offset=50&limit=50`);
    expect(page.items).toHaveLength(30);
    expect(sortedKeys(page.items[0] ?? {})).toEqual(['added_at', 'added_by', 'is_local', 'item', 'primary_color', 'video_thumbnail']);
    expect(await getJson<SpotifyErrorBody>(`/playlists/${id}/items?limit=51`, user, 400)).toEqual({ error: { status: 400, message: 'Invalid limit' } });

    expect((await get(`/playlists/${catalog.ids.playlists.collaborative}/items`, user)).status).toBe(200);
    const forbidden = { error: { status: 403, message: 'Forbidden' } };
    expect(await getJson<SpotifyErrorBody>(`/playlists/${catalog.ids.playlists.theirs}/items`, user, 403)).toEqual(forbidden);
    const cc = (await clientToken()).access_token;
    expect(await getJson<SpotifyErrorBody>(`/playlists/${id}/items`, cc, 403)).toEqual(forbidden);
    // /tracks is gone even for the owner; the SDK's getPlaylistItems still calls it.
    await expect(sdk(userToken).playlists.getPlaylistItems(id)).rejects.toThrow(/Bad OAuth request.*"status":403/);
  });

  it('has no batch endpoints and caps search at 10', async () => {
    const api = sdk();
    await expect(api.tracks.get(ids().tracks.slice(0, 2))).rejects.toThrow(/403.*Forbidden/);
    await expect(api.albums.get(ids().albums.slice(0, 2))).rejects.toThrow(/403.*Forbidden/);

    const token = (await clientToken()).access_token;
    expect(await getJson<SpotifyErrorBody>('/search?q=love&type=track&limit=11', token, 400)).toEqual({ error: { status: 400, message: 'Invalid limit' } });
    const ten = (await api.search('love', ['track'], undefined, 10)) as unknown as WireSearchResults;
    expect(ten.tracks?.limit).toBe(10);
    const byDefault = await getJson<WireSearchResults>('/search?q=love&type=track', token);
    expect(byDefault.tracks?.limit).toBe(5);
  });

  it('drops popularity and available_markets from tracks, keeps external_ids', async () => {
    const api = sdk();
    const trackId = ids().tracks.find((id) => id !== catalog.ids.unplayableTrack) ?? '';
    const track = (await api.tracks.get(trackId)) as unknown as WireTrack;
    expect(sortedKeys(track)).toEqual(DEV_TRACK_KEYS);
    expect(track.album).not.toHaveProperty('available_markets');

    const album = (await api.albums.get(track.album.id)) as unknown as WireAlbum;
    expect(album).not.toHaveProperty('popularity');
    expect(album).not.toHaveProperty('label');
    expect(album.tracks.limit).toBe(50);
    expect(album.tracks.items.map((t) => t.id)).toContain(trackId);

    const artist = await api.artists.get(track.artists[0]?.id ?? '');
    expect(artist).not.toHaveProperty('followers');
    const albums = (await api.artists.albums(artist.id, 'album,single', undefined, 10)) as unknown as Page<WireSimplifiedAlbum>;
    expect(albums.items.every((a) => a.album_group === undefined && ['album', 'single'].includes(a.album_type))).toBe(true);
  });
});

// --- Both modes ----------------------------------------------------------------------------------

describe.each(['extended', 'development-2026'] as const)('%s mode, common behaviour', (mode) => {
  beforeEach(() => fake.setMode(mode));

  it('answers 403 on the endpoints closed on 2024-11-27 until access is granted', async () => {
    const api = sdk();
    const trackIds = ids().tracks.slice(0, 3);
    await expect(api.tracks.audioFeatures(trackIds)).rejects.toThrow(/Body: \{"error":\{"status":403\}\}/);
    const token = (await clientToken()).access_token;
    for (const path of [`/audio-features/${trackIds[0]}`, `/audio-analysis/${trackIds[0]}`, `/recommendations?seed_tracks=${trackIds[0]}`, `/artists/${ids().artists[0]}/related-artists`]) {
      expect(await getJson<SpotifyErrorBody>(path, token, 403), path).toEqual({ error: { status: 403 } });
    }

    fake.setAudioFeaturesAccess(true);
    const withFeatureless = [...trackIds, catalog.ids.featurelessTrack];
    const features = await api.tracks.audioFeatures(withFeatureless);
    expect(features.slice(0, 3).map((f) => f.id)).toEqual(trackIds);
    expect(features[0]).toMatchObject({ type: 'audio_features', uri: `spotify:track:${trackIds[0]}`, time_signature: expect.any(Number) as number });
    expect(features[3]).toBeNull();
    expect(await getJson<SpotifyErrorBody>(`/audio-features?ids=${ids().tracks.slice(0, 101).join(',')}`, token, 400)).toEqual({ error: { status: 400, message: 'Too many ids requested' } });
  });

  it('hides editorial playlists (404) unless the app predates the closure', async () => {
    const token = (await clientToken()).access_token;
    const id = catalog.ids.playlists.editorial;
    expect(id.startsWith('37i9dQZ')).toBe(true);
    expect(await getJson<SpotifyErrorBody>(`/playlists/${id}`, token, 404)).toEqual({ error: { status: 404, message: 'Resource not found' } });
    fake.setAudioFeaturesAccess(true);
    expect((await getJson<WirePlaylist>(`/playlists/${id}`, token)).owner.id).toBe('spotify');
  });

  it('answers unknown IDs with 404 and malformed ones with 400', async () => {
    const token = (await clientToken()).access_token;
    const missing = '4uLU6hMCjMI75M1A2tKUQC';
    for (const kind of ['tracks', 'albums', 'artists', 'playlists']) {
      expect(await getJson<SpotifyErrorBody>(`/${kind}/${missing}`, token, 404)).toEqual({ error: { status: 404, message: 'Resource not found' } });
      expect(await getJson<SpotifyErrorBody>(`/${kind}/not-an-id`, token, 400)).toEqual({ error: { status: 400, message: 'Invalid base62 id' } });
    }
    expect(await getJson<SpotifyErrorBody>('/nothing-here', token, 404)).toEqual({ error: { status: 404, message: 'Service not found' } });
  });

  it('searches case- and accent-insensitively, with track: and artist: filters', async () => {
    const api = sdk();
    const accented = catalog.artists.get(catalog.ids.accentedArtist);
    expect(accented?.name).toBe('Søren Ångström');
    const byArtist = (await api.search('artist:"SOREN angstrom"', ['track'], undefined, 10)) as unknown as WireSearchResults;
    expect(byArtist.tracks?.total).toBeGreaterThan(0);
    expect(byArtist.tracks?.items.every((t) => t.artists.some((a) => a.id === accented?.id))).toBe(true);

    const tracks = [...catalog.tracks.values()];
    const target = tracks.find(
      (t) => t.artistIds.length === 1 && t.name.split(' ').length >= 2 && !tracks.some((o) => o !== t && o.name === t.name && o.artistIds[0] === t.artistIds[0]),
    );
    const artistName = catalog.artists.get(target?.artistIds[0] ?? '')?.name ?? '';
    const hit = (await api.search(`track:"${target?.name.toLowerCase()}" artist:${artistName.split(' ')[0]}`, ['track'], undefined, 10)) as unknown as WireSearchResults;
    expect(hit.tracks?.items.map((t) => t.id)).toContain(target?.id);
    // A free-text query naming the track exactly ranks it first.
    const free = (await api.search(`${target?.name} ${artistName}`, ['track'], undefined, 5)) as unknown as WireSearchResults;
    expect(free.tracks?.items[0]?.id).toBe(target?.id);
    expect(free.tracks?.href).toContain(`${fake.apiUrl}/search?query=`);

    const none = (await api.search('zzzqqqxxx', ['track'])) as unknown as WireSearchResults;
    expect(none.tracks).toMatchObject({ total: 0, items: [], next: null });
  });

  it('serves album track pages with working links', async () => {
    const token = (await clientToken()).access_token;
    const album = [...catalog.albums.values()].find((a) => a.trackIds.length >= 8);
    const page = await getJson<Page<{ id: string }>>(`/albums/${album?.id}/tracks?limit=3&offset=3`, token);
    expect(page.items.map((t) => t.id)).toEqual(album?.trackIds.slice(3, 6));
    expect(page.previous).toBe(`${fake.apiUrl}/albums/${album?.id}/tracks?offset=0&limit=3`);
    expect(page.next).toBe(`${fake.apiUrl}/albums/${album?.id}/tracks?offset=6&limit=3`);
    const exact = await getJson<Page<{ id: string }>>(`/albums/${album?.id}/tracks?limit=${album?.trackIds.length}`, token);
    expect(exact).toMatchObject({ next: null, previous: null, total: album?.trackIds.length });
    const clamped = await getJson<Page<{ id: string }>>(`/albums/${album?.id}/tracks?offset=2&limit=5`, token);
    expect(clamped.previous).toBe(`${fake.apiUrl}/albums/${album?.id}/tracks?offset=0&limit=5`);
    const beyond = await getJson<Page<{ id: string }>>(`/albums/${album?.id}/tracks?offset=500`, token);
    expect(beyond).toMatchObject({ items: [], next: null, total: album?.trackIds.length });
  });

  it('shows local files, episodes, null items and unplayable tracks in playlists', async () => {
    const token = (await userToken()).access_token;
    const id = catalog.ids.playlists.special;
    const objects =
      mode === 'extended'
        ? (await getJson<Page<WirePlaylistedTrack>>(`/playlists/${id}/tracks`, token)).items.map((e) => ({ entry: e, object: e.track }))
        : (await getJson<Page<WirePlaylistItem>>(`/playlists/${id}/items?limit=50`, token)).items.map((e) => ({ entry: e, object: e.item }));
    expect(objects).toHaveLength(9);
    const [track, local, episode, nothing, unplayable, idless] = objects;
    expect(track?.object).toMatchObject({ type: 'track', is_local: false, is_playable: true });
    expect(local?.entry.is_local).toBe(true);
    expect(local?.object).toMatchObject({ id: null, is_local: true, uri: 'spotify:local:My+Garage+Band:Home+Recordings:Demo+Take+3:187' });
    expect(episode?.object).toMatchObject({ type: 'episode', episode: true, track: false });
    expect(nothing?.object).toBeNull();
    expect(unplayable?.object).toMatchObject({ id: catalog.ids.unplayableTrack, is_playable: false, restrictions: { reason: 'market' } });
    expect((idless?.object as WireIdlessTrack | null)?.id).toBeNull();
    expect(idless?.object).toMatchObject({ is_local: false, uri: null });
  });

  it('changes snapshot_id when the playlist is edited', async () => {
    const token = (await userToken()).access_token;
    const id = catalog.ids.playlists.mine;
    const read = async () => getJson<WirePlaylist & WireDevPlaylist>(`/playlists/${id}`, token);
    const before = await read();
    const added = fake.addTracksToPlaylist(id, [ids().tracks[0] ?? ''], { position: 0 });
    const after = await read();
    expect(after.snapshot_id).toBe(added);
    expect(after.snapshot_id).not.toBe(before.snapshot_id);
    const total = (p: WirePlaylist & WireDevPlaylist) => (mode === 'extended' ? p.tracks.total : p.items.total);
    expect(total(after)).toBe(total(before) + 1);

    const removed = fake.removeTracksFromPlaylist(id, [ids().tracks[0] ?? '']);
    expect(removed).not.toBe(added);
    expect((await read()).snapshot_id).toBe(removed);
    expect(fake.catalog.playlists.get(id)?.version).toBe(3);
  });
});

// --- ReccoBeats ----------------------------------------------------------------------------------

describe('ReccoBeats', () => {
  it('answers known tracks with its own UUIDs and leaves unknown ones out', async () => {
    const known = [...catalog.tracks.values()].filter((t) => t.features && t.featuresKnownBy.reccobeats).slice(0, 3);
    const unknownToRecco = [...catalog.tracks.values()].find((t) => t.features && !t.featuresKnownBy.reccobeats);
    expect(unknownToRecco).toBeDefined();
    const requested = [...known.map((t) => t.id), catalog.ids.featurelessTrack, unknownToRecco?.id ?? '', '0'.repeat(22)];
    const res = await fetch(`${fake.reccobeatsUrl}/audio-features?ids=${requested.join(',')}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReccoBeatsContent<ReccoBeatsAudioFeatures>;
    expect(body.content.map((row) => row.href)).toEqual(known.map((t) => `https://open.spotify.com/track/${t.id}`));
    const [row] = body.content;
    expect(row?.id).toBe(reccobeatsIdFor(known[0]?.id ?? ''));
    expect(row?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row).not.toHaveProperty('time_signature');
    expect(row).not.toHaveProperty('duration_ms');
    expect(row).toMatchObject({ danceability: known[0]?.features?.danceability, tempo: known[0]?.features?.tempo });

    // Its own UUIDs are accepted too, and answers are stable.
    const again = (await (await fetch(`${fake.reccobeatsUrl}/audio-features?ids=${row?.id}`)).json()) as ReccoBeatsContent<ReccoBeatsAudioFeatures>;
    expect(again.content).toEqual([row]);
  });

  it('refuses more than 40 IDs with a JSON 400', async () => {
    const res = await fetch(`${fake.reccobeatsUrl}/audio-features?ids=${ids().tracks.slice(0, 41).join(',')}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ status: 400, error: 'Bad Request', message: expect.stringContaining('40') as string });
  });
});

// --- Faults --------------------------------------------------------------------------------------

describe('fault injection', () => {
  it('answers 429 with Retry-After for the next N matching requests only', async () => {
    const token = (await userToken()).access_token;
    const handle = fake.fault({ service: 'api', path: /\/items$/, kind: '429', retryAfterSeconds: 3, times: 2 });
    const url = `/playlists/${catalog.ids.playlists.mine}/items`;
    for (let i = 0; i < 2; i++) {
      const res = await get(url, token);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(await res.json()).toEqual({ error: { status: 429, message: 'API rate limit exceeded' } });
    }
    expect((await get(`/playlists/${catalog.ids.playlists.mine}`, token)).status).toBe(200);
    expect((await get(url, token)).status).toBe(200);
    expect(handle).toMatchObject({ hits: 2, remaining: 0 });
    expect(fake.count({ service: 'api', path: /\/items$/ })).toBe(3);
    expect(fake.count({ service: 'api', path: /\/items$/, status: 429 })).toBe(2);
    await expect(sdk(() => Promise.resolve({ access_token: token, token_type: 'Bearer', expires_in: 3600 })).tracks.get(ids().tracks[0] ?? '')).resolves.toBeTruthy();
  });

  it('answers 500, 502 and 503 with Spotify error bodies', async () => {
    const token = (await clientToken()).access_token;
    for (const kind of ['500', '502', '503'] as const) {
      fake.fault({ service: 'api', kind });
      const res = await get(`/tracks/${ids().tracks[0]}`, token);
      expect(res.status).toBe(Number(kind));
      expect(((await res.json()) as SpotifyErrorBody).error.status).toBe(Number(kind));
    }
    expect((await get(`/tracks/${ids().tracks[0]}`, token)).status).toBe(200);
  });

  it('delays slow answers and returns malformed JSON', async () => {
    const token = (await clientToken()).access_token;
    fake.fault({ service: 'api', kind: 'slow', delayMs: 120 });
    const started = performance.now();
    expect((await get(`/tracks/${ids().tracks[0]}`, token)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);

    fake.fault({ service: 'api', kind: 'malformed' });
    const res = await get(`/tracks/${ids().tracks[0]}`, token);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow(SyntaxError);
    fake.fault({ service: 'api', kind: 'malformed' });
    await expect(sdk(() => Promise.resolve({ access_token: token, token_type: 'Bearer', expires_in: 3600 })).tracks.get(ids().tracks[0] ?? '')).rejects.toThrow(SyntaxError);
  });

  it('hangs until the client gives up or the fake closes', async () => {
    const token = (await clientToken()).access_token;
    fake.fault({ service: 'api', kind: 'hang', times: 2 });
    await expect(fetch(`${fake.apiUrl}/tracks/${ids().tracks[0]}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(80) })).rejects.toThrow(/aborted|timeout/i);
    const pending = fetch(`${fake.apiUrl}/tracks/${ids().tracks[0]}`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fake.requests.at(-1)).toMatchObject({ status: 0, fault: 'hang' });
    const closing = performance.now();
    await fake.close();
    expect(performance.now() - closing).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
    fake = await startFakeSpotify({ catalog, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  });

  it('answers expired-token for the next API request, then recovers', async () => {
    const token = (await clientToken()).access_token;
    fake.fault({ service: 'api', kind: 'expired-token' });
    const res = await get(`/tracks/${ids().tracks[0]}`, token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('The access token expired');
    expect((await get(`/tracks/${ids().tracks[0]}`, token)).status).toBe(200);
  });

  it('injects faults into the accounts service and ReccoBeats too', async () => {
    fake.fault({ service: 'accounts', path: '/api/token', kind: '503' });
    const res = await postToken({ grant_type: 'client_credentials' }, basic(CLIENT_ID, CLIENT_SECRET));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'server_error' });
    await clientToken();

    fake.fault({ service: 'reccobeats', kind: '429', retryAfterSeconds: 2 });
    const limited = await fetch(`${fake.reccobeatsUrl}/audio-features?ids=${ids().tracks[0]}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await fetch(`${fake.reccobeatsUrl}/audio-features?ids=${ids().tracks[0]}`)).status).toBe(200);
  });

  it('logs every request with its status, query and user', async () => {
    const token = (await userToken()).access_token;
    fake.resetLog();
    await get(`/search?q=love&type=track&limit=3`, token);
    await fetch(`${fake.reccobeatsUrl}/audio-features?ids=${ids().tracks[0]}`);
    expect(fake.requests).toEqual([
      expect.objectContaining({ service: 'api', method: 'GET', path: '/v1/search', query: { q: 'love', type: 'track', limit: '3' }, status: 200, userId: catalog.ids.fixtureUser, fault: null }),
      expect.objectContaining({ service: 'reccobeats', path: '/v1/audio-features', status: 200 }),
    ]);
    expect(fake.count({ service: 'reccobeats' })).toBe(1);
  });
});

// --- Catalog builders ----------------------------------------------------------------------------

describe('catalog builders', () => {
  it('generates the same catalog for the same seed, with realistic IDs', () => {
    const a = generateFakeCatalog({ seed: 7 });
    const b = generateFakeCatalog({ seed: 7 });
    const c = generateFakeCatalog({ seed: 8 });
    expect([...a.tracks.keys()]).toEqual([...b.tracks.keys()]);
    expect([...a.tracks.values()]).toEqual([...b.tracks.values()]);
    expect([...a.tracks.keys()]).not.toEqual([...c.tracks.keys()]);
    for (const id of [...a.tracks.keys(), ...a.albums.keys(), ...a.artists.keys(), ...a.playlists.keys()]) expect(isBase62Id(id)).toBe(true);
    expect(a.playlists.get(a.ids.playlists.large)?.entries.length).toBeGreaterThan(100);
    const features = [...a.tracks.values()].flatMap((t) => (t.features ? [t.features] : []));
    expect(features.every((f) => f.danceability >= 0 && f.danceability <= 1 && f.tempo > 40 && f.loudness < 0)).toBe(true);
  });

  it('builds a servable catalog from dataset rows', async () => {
    const rows = [
      {
        spotifyId: '0VjIjW4GlUZAMYd2vXMi3b',
        name: 'Blinding Lights',
        artists: ['The Weeknd'],
        album: 'After Hours',
        releaseDate: '2020-03-20',
        popularity: 91,
        features: { danceability: 0.514, energy: 0.73, key: 1, loudness: -5.934, mode: 1, speechiness: 0.0598, acousticness: 0.00146, instrumentalness: 0.0000954, liveness: 0.0897, valence: 0.334, tempo: 171.005, durationMs: 200040, timeSignature: 4 },
        playlistIds: ['37i9dQZF1DXcBWIGoYBM5M'],
      },
      {
        spotifyId: '7qiZfU4dY1lWllzX7mPBI3',
        name: 'Shape of You',
        artists: ['Ed Sheeran'],
        features: { danceability: 0.825, energy: 0.652, key: null, loudness: -3.183, mode: 0, speechiness: 0.0802, acousticness: 0.581, instrumentalness: 0, liveness: 0.0931, valence: 0.931, tempo: 95.977 },
        playlistIds: ['37i9dQZF1DXcBWIGoYBM5M', '1aBcDeFgHiJkLmNoPqRsTu'],
      },
    ];
    const fromRows = fakeCatalogFromRows(rows);
    expect(fakeCatalogFromRows(rows).tracks.get('7qiZfU4dY1lWllzX7mPBI3')?.artistIds).toEqual(fromRows.tracks.get('7qiZfU4dY1lWllzX7mPBI3')?.artistIds);
    expect(fromRows.tracks.get('7qiZfU4dY1lWllzX7mPBI3')?.features?.key).toBe(-1);
    expect(fromRows.playlists.get('1aBcDeFgHiJkLmNoPqRsTu')?.entries).toHaveLength(1);

    await fake.close();
    fake = await startFakeSpotify({ catalog: fromRows, mode: 'extended', audioFeaturesAccess: true, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const api = sdk();
    const track = (await api.tracks.get('0VjIjW4GlUZAMYd2vXMi3b')) as unknown as WireTrack;
    expect(track).toMatchObject({ name: 'Blinding Lights', duration_ms: 200040, popularity: 91, album: { name: 'After Hours', release_date: '2020-03-20', release_date_precision: 'day' } });
    expect(isBase62Id(track.artists[0]?.id ?? '')).toBe(true);
    const single = (await api.tracks.get('7qiZfU4dY1lWllzX7mPBI3')) as unknown as WireTrack;
    expect(single.album).toMatchObject({ album_type: 'single', name: 'Shape of You' });
    const hits = (await api.search('weeknd lights', ['track'])) as unknown as WireSearchResults;
    expect(hits.tracks?.items[0]?.id).toBe('0VjIjW4GlUZAMYd2vXMi3b');
    const editorial = (await api.playlists.getPlaylist('37i9dQZF1DXcBWIGoYBM5M')) as unknown as WirePlaylist;
    expect(editorial.tracks.items.map((e) => (e.track as WireTrack | null)?.id)).toEqual(['0VjIjW4GlUZAMYd2vXMi3b', '7qiZfU4dY1lWllzX7mPBI3']);
    const features = await api.tracks.audioFeatures('7qiZfU4dY1lWllzX7mPBI3');
    expect(features).toMatchObject({ key: -1, tempo: 95.977, time_signature: 4 });
  });
});
