import type { Catalog } from '../catalog/catalog.js';
import { primaryArtistOfKey } from '../catalog/normalize.js';
import { MixUnavailableError, NoFeaturesError, UnknownSongError } from '../errors.js';
import type { FeatureSpec, RecommendContext, TrackWithFeatures } from '../types.js';
import type { ClusterIndex } from './clusterIndex.js';
import type { Recommender } from './recommender.js';

// /mix: a set that fits several songs at once. What the seeds share matters, what they disagree
// on does not: each dimension of the scaled space counts by how much the seeds agree on it (a
// Gaussian fitted to the seeds, with a prior so two seeds that happen to match on a feature do not
// make it absolute). Tracks are taken in that order, at most two per artist, none of the seeds or
// their versions, never a member's 👎 or "not for me", then ordered so energy and tempo change
// gradually from one track to the next.

export const MIX_SIZE = { min: 10, max: 25, default: 15 } as const;
export const MAX_MIX_SEEDS = 5;

export interface MixTuning {
  /** Variance added to the seeds' spread on every dimension (scaled units²): ∞ is the plain mean. */
  prior: number;
  maxPerArtist: number;
}

/** Chosen with `npm run eval -- --only mix` on TidyTuesday playlists. */
export const MIX_TUNING: MixTuning = { prior: 0.25, maxPerArtist: 2 };

export interface Mix {
  seeds: TrackWithFeatures[];
  /** In play order. */
  tracks: TrackWithFeatures[];
  modelId: number;
}

export interface MixOptions {
  size?: number | undefined;
  tuning?: MixTuning | undefined;
}

/** Where the seeds agree: their mean, and each dimension's weight 1 / (spread² + prior). */
export function agreement(seeds: readonly Float32Array[], prior: number): { centre: Float32Array; weights: Float32Array } {
  const d = seeds[0]!.length;
  const centre = new Float32Array(d);
  const weights = new Float32Array(d);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (const seed of seeds) mean += seed[j]!;
    mean /= seeds.length;
    let variance = 0;
    for (const seed of seeds) variance += (seed[j]! - mean) ** 2;
    variance /= seeds.length;
    centre[j] = mean;
    weights[j] = 1 / (variance + prior);
  }
  return { centre, weights };
}

/**
 * The dimensions a listener hears as the flow of a set: energy and tempo in BPM (every one, if
 * the spec has neither); tempo's place in the octave is for likeness, not for the flow.
 */
export function flowDimensions(spec: FeatureSpec): number[] {
  const dims = spec.features.flatMap((f, j) => ((f.feature === 'energy' || f.feature === 'tempo') && f.transform === 'identity' ? [j] : []));
  return dims.length > 0 ? dims : spec.features.map((_, j) => j);
}

function stepLength(a: Float32Array, b: Float32Array, dims: readonly number[]): number {
  let sum = 0;
  for (const j of dims) sum += (a[j]! - b[j]!) ** 2;
  return Math.sqrt(sum);
}

/**
 * A play order with small steps: start from the calmest, lowest track on the flow dimensions,
 * always go to the nearest unplayed one, then untangle crossings (2-opt) on the path's length.
 */
export function orderForFlow(vectors: readonly Float32Array[], dims: readonly number[]): number[] {
  const n = vectors.length;
  if (n <= 2) return vectors.map((_, i) => i);
  const sumOf = (v: Float32Array) => dims.reduce((s, j) => s + v[j]!, 0);
  let start = 0;
  for (let i = 1; i < n; i++) if (sumOf(vectors[i]!) < sumOf(vectors[start]!)) start = i;
  const order = [start];
  const used = new Set(order);
  while (order.length < n) {
    const last = vectors[order.at(-1)!]!;
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (used.has(i)) continue;
      if (best < 0 || stepLength(last, vectors[i]!, dims) < stepLength(last, vectors[best]!, dims)) best = i;
    }
    order.push(best);
    used.add(best);
  }
  const at = (i: number) => vectors[order[i]!]!;
  for (let improved = true, rounds = 0; improved && rounds < 50; rounds++) {
    improved = false;
    for (let i = 0; i < n - 2; i++) {
      for (let k = i + 2; k < n; k++) {
        // Reverse order[i+1..k] when that shortens the two steps it touches (the open end costs nothing).
        const before = stepLength(at(i), at(i + 1), dims) + (k + 1 < n ? stepLength(at(k), at(k + 1), dims) : 0);
        const after = stepLength(at(i), at(k), dims) + (k + 1 < n ? stepLength(at(i + 1), at(k + 1), dims) : 0);
        if (after < before - 1e-9) {
          order.splice(i + 1, k - i, ...order.slice(i + 1, k + 1).reverse());
          improved = true;
        }
      }
    }
  }
  return order;
}

/** Makes mixes with the recommender's serving model and a member's preferences. */
export class Mixer {
  constructor(
    private readonly recommender: Recommender,
    private readonly catalog: Catalog,
  ) {}

  /** A mix from songs named as /recommend takes them (names or Spotify links). */
  async mix(queries: readonly string[], context: RecommendContext = {}, options: MixOptions = {}): Promise<Mix> {
    const index = this.recommender.currentIndex();
    const seeds: TrackWithFeatures[] = [];
    for (const query of queries) seeds.push((await this.recommender.resolve(query)).track);
    return this.mixFrom(index, seeds, context, options);
  }

  /** A mix from catalog tracks. */
  mixTracks(trackIds: readonly number[], context: RecommendContext = {}, options: MixOptions = {}): Mix {
    const index = this.recommender.currentIndex();
    return this.mixFrom(index, trackIds.map((id) => this.track(id)), context, options);
  }

  private track(id: number): TrackWithFeatures {
    const track = this.catalog.getTrack(id);
    if (!track) throw new UnknownSongError(`track #${id}`, []);
    return track;
  }

  private mixFrom(index: ClusterIndex, given: readonly TrackWithFeatures[], context: RecommendContext, options: MixOptions): Mix {
    const tuning = options.tuning ?? MIX_TUNING;
    const size = Math.max(MIX_SIZE.min, Math.min(MIX_SIZE.max, options.size ?? MIX_SIZE.default));
    const seeds = given.filter((seed, i) => given.findIndex((s) => s.id === seed.id) === i);
    if (seeds.length === 0) throw new MixUnavailableError('Name at least one song to mix from.');
    const vectors = seeds.map((seed) => {
      if (!seed.features) throw new NoFeaturesError(seed.name);
      return this.recommender.placeTrack(index, seed).vector;
    });
    const { centre, weights } = agreement(vectors, tuning.prior);
    const { taste, blocked } = this.recommender.memberPreferences(context);
    const seedWorks = new Set(seeds.map((s) => this.recommender.workOf(s.id)));
    const chosen: number[] = [];
    const works = new Set<string>();
    const perArtist = new Map<string, number>();
    for (const candidate of index.nearestInCatalog(centre, weights)) {
      if (chosen.length >= size) break;
      const work = this.recommender.workOf(candidate.trackId);
      if (work === undefined || seedWorks.has(work) || works.has(work)) continue;
      if (taste?.disliked.has(candidate.trackId) || this.recommender.isBlocked(blocked, candidate.trackId, work)) continue;
      const artist = primaryArtistOfKey(work);
      const count = perArtist.get(artist) ?? 0;
      if (count >= tuning.maxPerArtist) continue;
      perArtist.set(artist, count + 1);
      works.add(work);
      chosen.push(candidate.trackId);
    }
    if (chosen.length < MIX_SIZE.min) {
      throw new MixUnavailableError(`I found only ${chosen.length} songs that fit those, fewer than ${MIX_SIZE.min}. Try other songs, or come back after the catalog grows.`);
    }
    const order = orderForFlow(chosen.map((id) => index.vectorOf(id)!), flowDimensions(index.model.spec));
    const tracks = order.map((i) => this.track(chosen[i]!));
    return { seeds, tracks, modelId: index.model.id };
  }
}
