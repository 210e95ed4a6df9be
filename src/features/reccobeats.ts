import { ServiceUnavailableError } from '../errors.js';
import type { Caller, HttpClient } from '../http/httpClient.js';
import type { AudioFeatures } from '../types.js';
import { toAudioFeatures, type FeatureProvider } from './provider.js';

interface ReccoBeatsFeatures extends Record<string, unknown> {
  id: string;
  href: string;
}

const SPOTIFY_TRACK_URL = /open\.spotify\.com\/track\/([0-9A-Za-z]{22})/;

/**
 * ReccoBeats: a public API with audio features for Spotify track IDs. Its `id` is its own;
 * the Spotify ID is in `href`. It leaves out IDs it does not know and has no time signature
 * or duration.
 */
export class ReccoBeatsFeatureProvider implements FeatureProvider {
  readonly name = 'reccobeats';
  readonly batchSize = 40;

  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
  ) {}

  available(): boolean {
    return true;
  }

  async fetch(spotifyIds: string[], caller: Caller = {}): Promise<Map<string, AudioFeatures>> {
    const found = new Map<string, AudioFeatures>();
    if (spotifyIds.length === 0) return found;
    const response = await this.http.fetch(
      `${this.baseUrl}/audio-features?ids=${spotifyIds.join(',')}`,
      { headers: { Accept: 'application/json' }, signal: caller.signal },
      { service: 'ReccoBeats', lane: caller.lane },
    );
    if (!response.ok) throw new ServiceUnavailableError('ReccoBeats', `HTTP ${response.status}`);
    let body: { content?: ReccoBeatsFeatures[] };
    try {
      body = (await response.json()) as { content?: ReccoBeatsFeatures[] };
    } catch {
      throw new ServiceUnavailableError('ReccoBeats', 'it sent a malformed answer');
    }
    const wanted = new Set(spotifyIds);
    for (const item of body.content ?? []) {
      const spotifyId = SPOTIFY_TRACK_URL.exec(String(item.href))?.[1];
      const features = toAudioFeatures(item);
      if (spotifyId && wanted.has(spotifyId) && features) found.set(spotifyId, features);
    }
    return found;
  }
}
