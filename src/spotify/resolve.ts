import type { Track } from '@spotify/web-api-ts-sdk';
import type { Catalog } from '../catalog/catalog.js';
import { rankByName } from '../catalog/search.js';
import type { FeatureBacklog } from '../features/backlog.js';
import type { FeatureProviderChain } from '../features/chain.js';
import type { Caller } from '../http/httpClient.js';
import type { Logger } from '../logger.js';
import type { ExternalTrackResolver } from '../recommender/recommender.js';
import { SpotifyApiError, type SpotifyClient } from './client.js';
import { toTrackInput, type Paging } from './shapes.js';

/** Spotify's search returns at most 10 results to development-mode apps since 2026. */
export const SEARCH_LIMIT = 10;

/** Someone is waiting for these: a rate limit they cannot wait out is said at once ("Spotify is busy"). */
const INTERACTIVE: Caller = { lane: 'interactive' };

/**
 * Turns a Spotify link or a song name into a catalog track: fetched from Spotify, its features
 * taken from the provider chain, stored. Used when a song is not in the catalog yet, while a
 * member waits: its requests go in the interactive lane.
 */
export class SpotifyResolver implements ExternalTrackResolver {
  constructor(
    private readonly deps: {
      spotify: SpotifyClient;
      chain: FeatureProviderChain;
      catalog: Catalog;
      backlog: FeatureBacklog;
      logger: Logger;
    },
  ) {}

  async fetchTrack(spotifyId: string, caller: Caller = INTERACTIVE): Promise<Track | null> {
    try {
      return await this.deps.spotify.get<Track>(`tracks/${spotifyId}`, caller);
    } catch (error) {
      if (error instanceof SpotifyApiError && (error.status === 404 || error.status === 400)) return null;
      throw error;
    }
  }

  /** Spotify's search, best match first by name and artist (not blindly its first hit). */
  async searchTracks(query: string, caller: Caller = INTERACTIVE): Promise<Track[]> {
    const answer = await this.deps.spotify.get<{ tracks: Paging<Track> }>(
      `search?q=${encodeURIComponent(query.toWellFormed())}&type=track&limit=${SEARCH_LIMIT}`,
      caller,
    );
    const tracks = answer.tracks.items.filter((t) => t?.id);
    return rankByName(
      query,
      tracks.map((t) => ({ track: t, name: t.name, artists: t.artists.map((a) => a.name), popularity: t.popularity })),
    ).map((c) => c.track);
  }

  async byId(spotifyId: string): Promise<number | null> {
    const track = await this.fetchTrack(spotifyId);
    return track ? this.store(track) : null;
  }

  async byName(query: string): Promise<number | null> {
    const [best] = await this.searchTracks(query);
    return best ? this.store(best) : null;
  }

  /** Stores a Spotify track with whatever features the chain has for it. */
  async store(track: Track): Promise<number> {
    const { catalog, chain, backlog, logger } = this.deps;
    const known = catalog.getTrackBySpotifyId(track.id);
    if (known?.features) return known.id;
    const { found } = await chain.fetch([track.id], INTERACTIVE);
    const result = found.get(track.id);
    return catalog.transaction(() => {
      const { trackId } = catalog.upsertTrack(toTrackInput(track), 'spotify', { refresh: true });
      if (result) {
        catalog.setFeatures(trackId, result.features, result.provider);
        backlog.clear([trackId]);
      } else {
        backlog.mark([trackId]);
        logger.info({ spotifyId: track.id }, 'no provider has features for this track yet');
      }
      return trackId;
    });
  }
}
