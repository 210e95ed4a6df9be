import { SteerUnavailableError } from '../errors.js';
import type { Recommender } from '../recommender/recommender.js';
import { amountAlong, STEER_DIRECTIONS, steerAxis, steerFeatures, steerStep, STEERS, type ChangedQuality, type SteerDirection, type SteerStep } from '../recommender/steer.js';
import type { Recommendation, TrackWithFeatures } from '../types.js';
import { pickFor } from './shipped.js';

// Does a steer do what it says? Every catalog track (or a seeded sample, while tuning) is a query:
// its unsteered pick (as shipped) against its steered pick, for every direction. A steer works
// when the steered pick has more of the quality than the unsteered one, while staying about as
// close to the asked song. "More of the quality" is the steer's own measure (steer.ts): the
// amount along its axis in the model's scaled space, or the release year.

export interface SteerMeasure {
  direction: SteerDirection;
  name: string;
  /** The step this steer took. */
  step: SteerStep;
  /** Queries that could be steered this way: the catalog holds something further that way (older / newer: the year is known). */
  queries: number;
  /** Queries left out: the song is at the catalog's end of that scale, or its year is unknown. */
  outOfRange: number;
  /** Share of those that got a steered pick. */
  answered: number;
  /** Share of the queries whose steered pick has more of the quality than the unsteered pick (no pick: a miss). */
  moreThanUnsteered: number;
  /** Share of the queries whose steered pick is the unsteered pick itself. */
  sameAsUnsteered: number;
  /** Median distance from the asked song, steered and unsteered (the same queries). */
  medianDistance: number;
  medianUnsteeredDistance: number;
  /** Share of steered picks within 1.5× the unsteered median distance. */
  withinLimit: number;
  /** Mean change of each feature the steer moves (or the year) from the asked song to the steered and to the unsteered pick, raw units (0–1 share, BPM, years). */
  meanChanges: { quality: ChangedQuality; steered: number; unsteered: number }[];
  /** Share of steered picks from another cluster than the asked song's. */
  leftCluster: number;
  /**
   * A check of what the steer means against labels the recommender never sees: the share of the
   * asked songs, unsteered and steered picks (answered queries) carrying each genre, or null when
   * the dataset has none.
   */
  genres: { genre: string; asked: number; unsteered: number; steered: number }[] | null;
  /** moreThanUnsteered ≥ 90 % and the median distance ≤ 1.5× the unsteered median. */
  meetsTarget: boolean;
}

export interface SteerEvaluation {
  dataset: string;
  /** Queries asked; the catalog's size when every track was. */
  queries: number;
  catalogSize: number;
  /** The seed of the sample, when not every track was asked. */
  sampleSeed: number | null;
  seconds: number;
  directions: SteerMeasure[];
}

export const STEER_TARGET = { share: 0.9, distanceRatio: 1.5 } as const;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function rawValue(track: TrackWithFeatures, quality: ChangedQuality): number | null {
  return quality === 'releaseYear' ? track.releaseYear : (track.features?.[quality] ?? null);
}

export interface SteerEvalOptions {
  directions?: readonly SteerDirection[];
  /** Steps to try instead of the steers' own (tuning). */
  steps?: Partial<Record<SteerDirection, Partial<SteerStep>>>;
  catalogSize?: number;
  sampleSeed?: number | null;
  /** The dataset's genres of a catalog track, for the genre check (none: no check). */
  genresOf?: (trackId: number) => readonly string[];
  onProgress?: (message: string) => void;
}

export function evaluateSteering(dataset: string, recommender: Recommender, trackIds: Int32Array, options: SteerEvalOptions = {}): SteerEvaluation {
  const started = performance.now();
  const index = recommender.currentIndex();
  const spec = index.model.spec;
  const unsteered = Array.from(trackIds, (id) => pickFor(recommender, id));
  const directions = (options.directions ?? STEER_DIRECTIONS).map((direction): SteerMeasure => {
    const step = steerStep(direction, options.steps?.[direction]);
    const axis = steerAxis(spec, direction, step);
    const changed: ChangedQuality[] = STEERS[direction].quality === 'releaseYear' ? ['releaseYear'] : steerFeatures(direction);
    // How much of the asked quality a track has (more is what was asked), as the steer measures it.
    const amountOf = (track: TrackWithFeatures): number | null => {
      if (!axis) return null;
      if (axis.kind === 'year') return track.releaseYear === null ? null : axis.sign * track.releaseYear;
      const vector = index.vectorOf(track.id);
      return vector ? amountAlong(axis, vector) : null;
    };
    let queries = 0;
    let outOfRange = 0;
    let answered = 0;
    let more = 0;
    let same = 0;
    let leftCluster = 0;
    const distances: number[] = [];
    const unsteeredDistances: number[] = [];
    const genreCounts = new Map<string, [number, number, number]>();
    const countGenres = (trackId: number, k: 0 | 1 | 2) => {
      for (const genre of options.genresOf?.(trackId) ?? []) {
        let counts = genreCounts.get(genre);
        if (!counts) genreCounts.set(genre, (counts = [0, 0, 0]));
        counts[k]++;
      }
    };
    const change = changed.map(() => 0);
    const unsteeredChange = changed.map(() => 0);
    trackIds.forEach((id, i) => {
      const base = unsteered[i];
      if (!base) return;
      if (amountOf(base.seed) === null) {
        outOfRange++;
        return;
      }
      const baseAmount = amountOf(base.pick);
      let steered: Recommendation | undefined;
      try {
        steered = recommender.recommendForTrack(id, { dryRun: true }, { steer: direction, steerStep: step });
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
      const amount = amountOf(steered.pick);
      if (amount !== null && (baseAmount === null || amount > baseAmount)) more++;
      if (steered.pick.id === base.pick.id) same++;
      countGenres(base.seed.id, 0);
      countGenres(base.pick.id, 1);
      countGenres(steered.pick.id, 2);
      if (steered.steer && steered.steer.pickCluster.id !== steered.cluster.id) leftCluster++;
      changed.forEach((quality, k) => {
        const from = rawValue(base.seed, quality) ?? 0;
        change[k]! += (rawValue(steered.pick, quality) ?? from) - from;
        unsteeredChange[k]! += (rawValue(base.pick, quality) ?? from) - from;
      });
    });
    const medianDistance = median(distances);
    const medianUnsteeredDistance = median(unsteeredDistances);
    const limit = STEER_TARGET.distanceRatio * medianUnsteeredDistance;
    const measure: SteerMeasure = {
      direction,
      name: STEERS[direction].name,
      step,
      queries,
      outOfRange,
      answered: queries > 0 ? answered / queries : 0,
      moreThanUnsteered: queries > 0 ? more / queries : 0,
      sameAsUnsteered: queries > 0 ? same / queries : 0,
      medianDistance,
      medianUnsteeredDistance,
      withinLimit: distances.length > 0 ? distances.filter((d) => d <= limit).length / distances.length : 0,
      meanChanges: changed.map((quality, k) => ({
        quality,
        steered: answered > 0 ? change[k]! / answered : 0,
        unsteered: answered > 0 ? unsteeredChange[k]! / answered : 0,
      })),
      leftCluster: answered > 0 ? leftCluster / answered : 0,
      genres: options.genresOf
        ? [...genreCounts].map(([genre, [asked, plain, moved]]) => ({ genre, asked: asked / answered, unsteered: plain / answered, steered: moved / answered }))
        : null,
      meetsTarget: false,
    };
    measure.meetsTarget = queries > 0 && measure.moreThanUnsteered >= STEER_TARGET.share && medianDistance <= limit;
    options.onProgress?.(`${dataset}: steer ${measure.name}: ${(measure.moreThanUnsteered * 100).toFixed(1)} % more than unsteered, distance ×${(medianDistance / Math.max(1e-9, medianUnsteeredDistance)).toFixed(2)}`);
    return measure;
  });
  return {
    dataset,
    queries: trackIds.length,
    catalogSize: options.catalogSize ?? trackIds.length,
    sampleSeed: options.sampleSeed ?? null,
    seconds: (performance.now() - started) / 1000,
    directions,
  };
}
