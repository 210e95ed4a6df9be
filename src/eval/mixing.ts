import { sampleIndices, seededRandom } from '../clustering/random.js';
import { MixUnavailableError } from '../errors.js';
import type { ClusterIndex } from '../recommender/clusterIndex.js';
import { MIX_SIZE, MIX_TUNING, type Mixer, type MixTuning } from '../recommender/mix.js';
import type { LabelSets } from './labels.js';

// Does a mix fit its seeds? Three tracks of one TidyTuesday playlist are the seeds; a hit is a
// mix track from the same playlist (the mix never holds the seeds). The baseline is what a mix
// would be without the seeds' agreement: the nearest neighbours of their mean.

export interface MixVariantResult {
  name: string;
  /** Mean playlist tracks in a mix of MIX_SIZE.max. */
  meanHits: number;
  /** Share of playlists where it holds more playlist tracks than the baseline, and as many. */
  wins: number;
  ties: number;
  /** Mean tracks by one artist at most (the cap is 2) and mean distinct artists. */
  meanArtists: number;
  /** Mean step on the flow dimensions between consecutive tracks, in play order and in the order found. */
  meanStep: number;
}

export interface MixEvaluation {
  dataset: string;
  playlists: number;
  seedsPerMix: number;
  size: number;
  seed: number;
  baselineMeanHits: number;
  variants: MixVariantResult[];
  seconds: number;
}

export const MIX_SEEDS_PER_PLAYLIST = 3;
/** A playlist is used when it holds at least this many catalog tracks (the seeds and ten more). */
const MIN_PLAYLIST_TRACKS = MIX_SEEDS_PER_PLAYLIST + 10;

/** Each playlist's rows (matrix rows of the catalog tracks carrying it). */
function playlistRows(sets: LabelSets): number[][] {
  const rows: number[][] = Array.from({ length: sets.distinct }, () => []);
  for (let row = 0; row + 1 < sets.offsets.length; row++) {
    for (let i = sets.offsets[row]!; i < sets.offsets[row + 1]!; i++) rows[sets.values[i]!]!.push(row);
  }
  return rows;
}

export function evaluateMixing(
  dataset: string,
  mixer: Mixer,
  index: ClusterIndex,
  trackIds: Int32Array,
  playlists: LabelSets,
  options: { seed: number; variants?: { name: string; tuning: MixTuning }[]; onProgress?: (message: string) => void },
): MixEvaluation {
  const started = performance.now();
  const random = seededRandom(options.seed);
  const members = playlistRows(playlists).filter((rows) => rows.length >= MIN_PLAYLIST_TRACKS);
  const rowOf = new Map<number, number>();
  trackIds.forEach((id, row) => rowOf.set(id, row));
  const cases = members.map((rows) => {
    const seeds = Array.from(sampleIndices(rows.length, MIX_SEEDS_PER_PLAYLIST, random), (i) => rows[i]!);
    return { rows: new Set(rows), seeds };
  });
  const size = MIX_SIZE.max;
  const baseline = cases.map(({ rows, seeds }) => {
    const vectors = seeds.map((row) => index.vectorOf(trackIds[row]!)!);
    const mean = new Float32Array(index.d);
    for (const v of vectors) for (let j = 0; j < index.d; j++) mean[j]! += v[j]! / vectors.length;
    let hits = 0;
    let taken = 0;
    const seedIds = new Set(seeds.map((row) => trackIds[row]!));
    for (const candidate of index.nearestInCatalog(mean)) {
      if (seedIds.has(candidate.trackId)) continue;
      if (rows.has(rowOf.get(candidate.trackId) ?? -1)) hits++;
      if (++taken >= size) break;
    }
    return hits;
  });
  const baselineMeanHits = baseline.reduce((a, b) => a + b, 0) / Math.max(1, cases.length);
  const variants = (options.variants ?? [{ name: 'the mix as shipped', tuning: MIX_TUNING }]).map(({ name, tuning }): MixVariantResult => {
    let hits = 0;
    let wins = 0;
    let ties = 0;
    let artists = 0;
    let steps = 0;
    let made = 0;
    cases.forEach(({ rows, seeds }, i) => {
      let mix;
      try {
        mix = mixer.mixTracks(seeds.map((row) => trackIds[row]!), {}, { size, tuning });
      } catch (error) {
        if (error instanceof MixUnavailableError) return;
        throw error;
      }
      made++;
      const mine = mix.tracks.filter((t) => rows.has(rowOf.get(t.id) ?? -1)).length;
      hits += mine;
      if (mine > baseline[i]!) wins++;
      else if (mine === baseline[i]!) ties++;
      artists += new Set(mix.tracks.map((t) => t.artists[0] ?? '')).size;
      const vectors = mix.tracks.map((t) => index.vectorOf(t.id)!);
      let step = 0;
      for (let k = 1; k < vectors.length; k++) {
        let sum = 0;
        for (let j = 0; j < index.d; j++) sum += (vectors[k]![j]! - vectors[k - 1]![j]!) ** 2;
        step += Math.sqrt(sum);
      }
      steps += step / Math.max(1, vectors.length - 1);
    });
    const result = {
      name,
      meanHits: hits / Math.max(1, cases.length),
      wins: wins / Math.max(1, cases.length),
      ties: ties / Math.max(1, cases.length),
      meanArtists: artists / Math.max(1, made),
      meanStep: steps / Math.max(1, made),
    };
    options.onProgress?.(`${dataset}: mix ${name}: ${result.meanHits.toFixed(2)} playlist tracks (baseline ${baselineMeanHits.toFixed(2)})`);
    return result;
  });
  return {
    dataset,
    playlists: cases.length,
    seedsPerMix: MIX_SEEDS_PER_PLAYLIST,
    size,
    seed: options.seed,
    baselineMeanHits,
    variants,
    seconds: (performance.now() - started) / 1000,
  };
}
