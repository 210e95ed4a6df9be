import type { AudioFeatures as SpotifyAudioFeatures } from '@spotify/web-api-ts-sdk';
import type { Caller } from '../http/httpClient.js';
import type { Logger } from '../logger.js';
import { SpotifyApiError, type SpotifyClient } from '../spotify/client.js';
import type { AudioFeatures } from '../types.js';
import { toAudioFeatures, type FeatureProvider } from './provider.js';

/**
 * Spotify's own /audio-features, for apps that still have it. Since 2024-11-27 new apps get a
 * 403: the first one switches this provider off for the life of the process, with one warning.
 */
export class SpotifyFeatureProvider implements FeatureProvider {
  readonly name = 'spotify';
  readonly batchSize = 100;
  private closed = false;

  constructor(
    private readonly spotify: SpotifyClient,
    private readonly logger: Logger,
  ) {}

  available(): boolean {
    return !this.closed;
  }

  async fetch(spotifyIds: string[], caller: Caller = {}): Promise<Map<string, AudioFeatures>> {
    const found = new Map<string, AudioFeatures>();
    if (this.closed || spotifyIds.length === 0) return found;
    try {
      const answer = await this.spotify.get<{ audio_features: (SpotifyAudioFeatures | null)[] }>(
        `audio-features?ids=${spotifyIds.join(',')}`,
        caller,
      );
      for (const item of answer.audio_features) {
        const features = item ? toAudioFeatures(item as unknown as Record<string, unknown>) : null;
        if (item && features) found.set(item.id, features);
      }
      return found;
    } catch (error) {
      if (error instanceof SpotifyApiError && error.status === 403) {
        this.closed = true;
        this.logger.warn(
          'Spotify refuses audio features to this app (403: the endpoint closed to new apps on 2024-11-27); using the other providers from now on',
        );
        return found;
      }
      throw error;
    }
  }
}
