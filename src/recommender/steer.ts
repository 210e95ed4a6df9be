import type { AudioFeatureName, FeatureSpec, TrackWithFeatures } from '../types.js';

// "Like this, but happier": a steer moves the pick along one quality. Audio qualities move in the
// model's own scaled feature space (the axis of that feature, whatever its transform), so the
// pick stays close to the asked song on everything else; release years are not in that space, so
// older / newer keep the song's sound and filter by year.

export const STEER_DIRECTIONS = [
  'happier',
  'sadder',
  'energy',
  'calmer',
  'faster',
  'slower',
  'acoustic',
  'electronic',
  'danceable',
  'older',
  'newer',
] as const;

export type SteerDirection = (typeof STEER_DIRECTIONS)[number];

export type SteerQuality = 'valence' | 'energy' | 'tempo' | 'acousticness' | 'danceability' | 'releaseYear';

export interface SteerDefinition {
  /** What a member picks, in their words. */
  name: string;
  /** "nothing ___ than this song". */
  comparative: string;
  quality: SteerQuality;
  /** +1: more of the quality; −1: less. */
  sign: 1 | -1;
}

export const STEERS: Record<SteerDirection, SteerDefinition> = {
  happier: { comparative: 'happier', name: 'happier', quality: 'valence', sign: 1 },
  sadder: { comparative: 'sadder', name: 'sadder', quality: 'valence', sign: -1 },
  energy: { comparative: 'with more energy', name: 'more energy', quality: 'energy', sign: 1 },
  calmer: { comparative: 'calmer', name: 'calmer', quality: 'energy', sign: -1 },
  faster: { comparative: 'faster', name: 'faster', quality: 'tempo', sign: 1 },
  slower: { comparative: 'slower', name: 'slower', quality: 'tempo', sign: -1 },
  acoustic: { comparative: 'more acoustic', name: 'more acoustic', quality: 'acousticness', sign: 1 },
  electronic: { comparative: 'more electronic', name: 'more electronic', quality: 'acousticness', sign: -1 },
  danceable: { comparative: 'more danceable', name: 'more danceable', quality: 'danceability', sign: 1 },
  older: { comparative: 'older', name: 'older', quality: 'releaseYear', sign: -1 },
  newer: { comparative: 'newer', name: 'newer', quality: 'releaseYear', sign: 1 },
};

export function isSteerDirection(value: string): value is SteerDirection {
  return (STEER_DIRECTIONS as readonly string[]).includes(value);
}

/**
 * How far a steer moves, in the scaled space's units (one standard deviation of the feature,
 * times its weight). The pick is the eligible track nearest to the asked song shifted by
 * TARGET_SHIFT along the axis, among those that moved at least MIN_SHIFT: near enough to keep the
 * song's sound, far enough to hear. Chosen with `npm run eval -- --only steer` on TidyTuesday.
 */
export const STEER_TUNING = { targetShift: 0.8, minShift: 0.5, minYears: 5 } as const;

/** A steer on an audio quality: the spec's axis of that feature and how far to move along it. */
export interface FeatureAxis {
  kind: 'feature';
  feature: AudioFeatureName;
  /** Index of the feature in the spec (and in scaled vectors). */
  j: number;
  sign: 1 | -1;
  /** TARGET_SHIFT and MIN_SHIFT in this axis's units (weighted). */
  shift: number;
  minShift: number;
}

export interface YearAxis {
  kind: 'year';
  sign: 1 | -1;
  minYears: number;
}

export type SteerAxis = FeatureAxis | YearAxis;

/** The axis a steer moves along in a model's space, or null when the model does not use that feature. */
export function steerAxis(spec: FeatureSpec, direction: SteerDirection, tuning: { targetShift: number; minShift: number; minYears: number } = STEER_TUNING): SteerAxis | null {
  const { quality, sign } = STEERS[direction];
  if (quality === 'releaseYear') return { kind: 'year', sign, minYears: tuning.minYears };
  const j = spec.features.findIndex((f) => f.feature === quality);
  if (j < 0 || spec.features[j]!.weight === 0) return null;
  const weight = spec.features[j]!.weight;
  return { kind: 'feature', feature: quality, j, sign, shift: tuning.targetShift * weight, minShift: tuning.minShift * weight };
}

/**
 * Near the end of a scale (the happiest songs in the catalog), a steer goes as far as the catalog
 * does: the shift is at most the room left, the minimum at most half of it. Null: no room at all.
 * `room` is in the axis's units (scaled for features, years for release years).
 */
export function fitToRoom(axis: SteerAxis, room: number): SteerAxis | null {
  if (axis.kind === 'feature') {
    if (!(room > 1e-6)) return null;
    return { ...axis, shift: Math.min(axis.shift, room), minShift: Math.min(axis.minShift, room / 2) };
  }
  if (!(room >= 1)) return null;
  return { ...axis, minYears: Math.max(1, Math.min(axis.minYears, Math.floor(room / 2))) };
}

/** The point the steered pick is sought around: the asked song, moved along the axis. */
export function steerTarget(axis: SteerAxis, seed: Float32Array): Float32Array {
  const target = Float32Array.from(seed);
  if (axis.kind === 'feature') target[axis.j] = seed[axis.j]! + axis.sign * axis.shift;
  return target;
}

/** Whether a candidate moved far enough the asked way (its scaled vector, or its release year). */
export function movedEnough(axis: SteerAxis, seed: { vector: Float32Array; year: number | null }, candidate: { vector: Float32Array; year: () => number | null }): boolean {
  if (axis.kind === 'feature') return axis.sign * (candidate.vector[axis.j]! - seed.vector[axis.j]!) >= axis.minShift;
  const year = candidate.year();
  return seed.year !== null && year !== null && axis.sign * (year - seed.year) >= axis.minYears;
}

/** One quality's change from the asked song to the pick, in raw units. */
export interface SteerChange {
  quality: SteerQuality;
  from: number;
  to: number;
}

/** What a steered pick changed: the steered quality first, then two others a listener would ask about. */
export function steerChanges(direction: SteerDirection, seed: TrackWithFeatures, pick: TrackWithFeatures): SteerChange[] {
  const steered = STEERS[direction].quality;
  const others: SteerQuality[] =
    steered === 'tempo' ? ['valence', 'releaseYear'] : steered === 'releaseYear' ? ['tempo', 'valence'] : ['tempo', 'releaseYear'];
  const valueOf = (track: TrackWithFeatures, quality: SteerQuality): number | null =>
    quality === 'releaseYear' ? track.releaseYear : (track.features?.[quality] ?? null);
  return [steered, ...others].flatMap((quality) => {
    const from = valueOf(seed, quality);
    const to = valueOf(pick, quality);
    return from === null || to === null ? [] : [{ quality, from, to }];
  });
}
