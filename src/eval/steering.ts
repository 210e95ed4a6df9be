import { transformValue } from '../clustering/featureSpec.js';
import { SteerUnavailableError } from '../errors.js';
import type { Recommender } from '../recommender/recommender.js';
import { STEER_DIRECTIONS, STEER_TUNING, STEERS, type SteerDirection } from '../recommender/steer.js';
import type { FeatureSpec, TrackWithFeatures } from '../types.js';
import { pickFor } from './shipped.js';

// Does a steer do what it says? Every catalog track is a query: its unsteered pick (as shipped)
// against its steered pick, for every direction. A steer works when the steered pick has more of
// the quality than the unsteered one, while staying about as close to the asked song.

export interface SteerMeasure {
  direction: SteerDirection;
  name: string;
  /** Queries that could be steered this way: the catalog holds something further that way (older / newer: the year is known). */
  queries: number;
  /** Queries left out: the song is at the catalog's end of that scale, or its year is unknown. */
  outOfRange: number;
  /** Share of those that got a steered pick. */
  answered: number;
  /** Share of the queries whose steered pick has more of the quality than the unsteered pick (no pick: a miss). */
  moreThanUnsteered: number;
  /** Median distance from the asked song, steered and unsteered (the same queries). */
  medianDistance: number;
  medianUnsteeredDistance: number;
  /** Share of steered picks within 1.5× the unsteered median distance. */
  withinLimit: number;
  /** Mean change of the quality from the asked song to the steered pick, raw units (0–1 share, BPM, years). */
  meanChange: number;
  meanUnsteeredChange: number;
  /** Share of steered picks from another cluster than the asked song's. */
  leftCluster: number;
  /** moreThanUnsteered ≥ 90 % and the median distance ≤ 1.5× the unsteered median. */
  meetsTarget: boolean;
}

export interface SteerEvaluation {
  dataset: string;
  tuning: typeof STEER_TUNING;
  queries: number;
  seconds: number;
  directions: SteerMeasure[];
}

export const STEER_TARGET = { share: 0.9, distanceRatio: 1.5 } as const;

/** The steered quality as the model reads it: the spec's transform of the feature (identity for most), or the year. */
function qualityOf(spec: FeatureSpec, direction: SteerDirection, track: TrackWithFeatures): number | null {
  const { quality } = STEERS[direction];
  if (quality === 'releaseYear') return track.releaseYear;
  const value = track.features?.[quality];
  if (value == null) return null;
  const entry = spec.features.find((f) => f.feature === quality);
  return entry ? transformValue(value, entry.transform) : value;
}

function rawQuality(direction: SteerDirection, track: TrackWithFeatures): number | null {
  const { quality } = STEERS[direction];
  return quality === 'releaseYear' ? track.releaseYear : (track.features?.[quality] ?? null);
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function evaluateSteering(
  dataset: string,
  recommender: Recommender,
  trackIds: Int32Array,
  options: { tuning?: typeof STEER_TUNING; directions?: readonly SteerDirection[]; onProgress?: (message: string) => void } = {},
): SteerEvaluation {
  const started = performance.now();
  const tuning = options.tuning ?? STEER_TUNING;
  const spec = recommender.currentIndex().model.spec;
  const unsteered = Array.from(trackIds, (id) => pickFor(recommender, id));
  const directions = (options.directions ?? STEER_DIRECTIONS).map((direction): SteerMeasure => {
    const sign = STEERS[direction].sign;
    let queries = 0;
    let outOfRange = 0;
    let answered = 0;
    let more = 0;
    let leftCluster = 0;
    const distances: number[] = [];
    const unsteeredDistances: number[] = [];
    let change = 0;
    let unsteeredChange = 0;
    trackIds.forEach((id, i) => {
      const base = unsteered[i];
      if (!base) return;
      const seedValue = qualityOf(spec, direction, base.seed);
      const baseValue = qualityOf(spec, direction, base.pick);
      if (seedValue === null) {
        outOfRange++;
        return;
      }
      let steered;
      try {
        steered = recommender.recommendForTrack(id, { dryRun: true }, { steer: direction, steerTuning: tuning });
      } catch (error) {
        if (!(error instanceof SteerUnavailableError)) throw error;
        if (error.reason === 'no_room' || error.reason === 'no_year') {
          outOfRange++;
          return;
        }
      }
      queries++;
      unsteeredDistances.push(base.distance);
      if (!steered) return;
      answered++;
      distances.push(steered.distance);
      const value = qualityOf(spec, direction, steered.pick);
      if (value !== null && (baseValue === null || sign * (value - baseValue) > 0)) more++;
      if (steered.steer && steered.steer.pickCluster.id !== steered.cluster.id) leftCluster++;
      const rawSeed = rawQuality(direction, base.seed) ?? 0;
      change += (rawQuality(direction, steered.pick) ?? rawSeed) - rawSeed;
      unsteeredChange += (rawQuality(direction, base.pick) ?? rawSeed) - rawSeed;
    });
    const medianDistance = median(distances);
    const medianUnsteeredDistance = median(unsteeredDistances);
    const limit = STEER_TARGET.distanceRatio * medianUnsteeredDistance;
    const measure: SteerMeasure = {
      direction,
      name: STEERS[direction].name,
      queries,
      outOfRange,
      answered: queries > 0 ? answered / queries : 0,
      moreThanUnsteered: queries > 0 ? more / queries : 0,
      medianDistance,
      medianUnsteeredDistance,
      withinLimit: distances.length > 0 ? distances.filter((d) => d <= limit).length / distances.length : 0,
      meanChange: answered > 0 ? change / answered : 0,
      meanUnsteeredChange: answered > 0 ? unsteeredChange / answered : 0,
      leftCluster: answered > 0 ? leftCluster / answered : 0,
      meetsTarget: false,
    };
    measure.meetsTarget = queries > 0 && measure.moreThanUnsteered >= STEER_TARGET.share && medianDistance <= limit;
    options.onProgress?.(`${dataset}: steer ${measure.name}: ${(measure.moreThanUnsteered * 100).toFixed(1)} % more than unsteered, distance ×${(medianDistance / Math.max(1e-9, medianUnsteeredDistance)).toFixed(2)}`);
    return measure;
  });
  return { dataset, tuning, queries: trackIds.length, seconds: (performance.now() - started) / 1000, directions };
}
