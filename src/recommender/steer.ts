import type { AudioFeatureName, FeatureSpec, TrackWithFeatures } from '../types.js';

// "Like this, but happier": a steer moves the pick along one quality. Sound qualities move in the
// model's own scaled feature space (along the axes of the features the quality is made of,
// whatever their transform), so the pick stays close to the asked song on everything else;
// release years are not in that space, so older / newer keep the song's sound and filter by year.

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

/** A quality a member can hear and steer by: one of Spotify's features, "electronic", or the release year. */
export type SteerQuality = 'valence' | 'energy' | 'tempo' | 'acousticness' | 'danceability' | 'electronic' | 'releaseYear';

/** A quality a pick's card reports a change in, in raw units: a feature, or the release year. */
export type ChangedQuality = Extract<AudioFeatureName, 'valence' | 'energy' | 'tempo' | 'acousticness' | 'danceability' | 'instrumentalness'> | 'releaseYear';

export type SoundQuality = Exclude<SteerQuality, 'releaseYear'>;

/**
 * What each sound quality is in Spotify's features: the features it is made of, and which way
 * each goes for more of it. Most are one feature. "Electronic" is not one: Spotify's acousticness
 * says whether a song is played on acoustic instruments, so a song low on it is electric (a rock
 * band) as much as electronic; what tells synths and drum machines apart from a band is that
 * their tracks also carry less voice (instrumentalness). Electronic is both: less acoustic and
 * more instrumental, in equal parts (see the README's steering section for how this reads on
 * EDM playlists).
 */
export const SOUND_QUALITIES: Record<SoundQuality, readonly { feature: Extract<ChangedQuality, AudioFeatureName>; sign: 1 | -1 }[]> = {
  valence: [{ feature: 'valence', sign: 1 }],
  energy: [{ feature: 'energy', sign: 1 }],
  tempo: [{ feature: 'tempo', sign: 1 }],
  acousticness: [{ feature: 'acousticness', sign: 1 }],
  danceability: [{ feature: 'danceability', sign: 1 }],
  electronic: [
    { feature: 'acousticness', sign: -1 },
    { feature: 'instrumentalness', sign: 1 },
  ],
};

/**
 * How far a steer moves. Sound: in standard deviations along the quality (the scaled space's
 * units); the pick is the eligible track nearest to the asked song shifted by `targetShift`,
 * among those that moved at least `minShift`: near enough to keep the song's sound, far enough to
 * hear. Years: at least `minYears` (or half the catalog's room that way), the newest (oldest) of
 * the `yearPool` nearest in sound.
 */
export interface SteerStep {
  targetShift: number;
  minShift: number;
  minYears: number;
  yearPool: number;
}

/** The step every steer takes unless its definition says otherwise; chosen with `npm run eval -- --only steer` on TidyTuesday. */
export const DEFAULT_STEER_STEP: SteerStep = { targetShift: 0.8, minShift: 0.5, minYears: 5, yearPool: 5 };

export interface SteerDefinition {
  /** What a member picks, in their words. */
  name: string;
  /** "nothing ___ than this song". */
  comparative: string;
  quality: SteerQuality;
  /** +1: more of the quality; −1: less. */
  sign: 1 | -1;
  /** Where this steer's step differs from DEFAULT_STEER_STEP (measured; see the README). */
  step?: Partial<SteerStep>;
}

export const STEERS: Record<SteerDirection, SteerDefinition> = {
  happier: { comparative: 'happier', name: 'happier', quality: 'valence', sign: 1 },
  sadder: { comparative: 'sadder', name: 'sadder', quality: 'valence', sign: -1 },
  energy: { comparative: 'with more energy', name: 'more energy', quality: 'energy', sign: 1 },
  calmer: { comparative: 'calmer', name: 'calmer', quality: 'energy', sign: -1 },
  // Tempo is BPM plus its place in the octave, and a steer moves the BPM alone: a pick 0.5 sd of
  // BPM away also moves round the octave, so the default floor took slower 1.52× (faster 1.48×)
  // as far as the unsteered pick on seeded samples (README); a floor of 0.4 keeps both within 1.45×.
  faster: { comparative: 'faster', name: 'faster', quality: 'tempo', sign: 1, step: { minShift: 0.4 } },
  slower: { comparative: 'slower', name: 'slower', quality: 'tempo', sign: -1, step: { minShift: 0.4 } },
  acoustic: { comparative: 'more acoustic', name: 'more acoustic', quality: 'acousticness', sign: 1 },
  // Measured on seeded samples of TidyTuesday (README): the default step takes electronic 1.56× as
  // far as the unsteered pick; newest of 5 loses to the unsteered pick where most songs are recent.
  electronic: { comparative: 'more electronic', name: 'more electronic', quality: 'electronic', sign: 1, step: { targetShift: 0.6, minShift: 0.4 } },
  danceable: { comparative: 'more danceable', name: 'more danceable', quality: 'danceability', sign: 1 },
  older: { comparative: 'older', name: 'older', quality: 'releaseYear', sign: -1 },
  newer: { comparative: 'newer', name: 'newer', quality: 'releaseYear', sign: 1, step: { yearPool: 25 } },
};

export function isSteerDirection(value: string): value is SteerDirection {
  return (STEER_DIRECTIONS as readonly string[]).includes(value);
}

/** The features a steer moves (none for a year steer). */
export function steerFeatures(direction: SteerDirection): Extract<ChangedQuality, AudioFeatureName>[] {
  const { quality } = STEERS[direction];
  return quality === 'releaseYear' ? [] : SOUND_QUALITIES[quality].map((part) => part.feature);
}

/** A steer's step: its own where measured, the default otherwise; `override` is what an evaluation tries. */
export function steerStep(direction: SteerDirection, override?: Partial<SteerStep>): SteerStep {
  return { ...DEFAULT_STEER_STEP, ...STEERS[direction].step, ...override };
}

/** A steer on a sound quality: a direction in the model's scaled space and how far to move along it. */
export interface SoundAxis {
  kind: 'sound';
  quality: SoundQuality;
  /** The quality's features: index in the spec (and in scaled vectors) and the way the steer moves each. */
  components: { feature: AudioFeatureName; j: number; sign: 1 | -1 }[];
  /** Dot a scaled vector with this for how much of the asked quality it has, in standard deviations. */
  along: Float32Array;
  /** One standard deviation of the asked quality, as a move in the scaled space. */
  unit: Float32Array;
  /** In standard deviations along the quality. */
  shift: number;
  minShift: number;
}

export interface YearAxis {
  kind: 'year';
  sign: 1 | -1;
  minYears: number;
  pool: number;
}

export type SteerAxis = SoundAxis | YearAxis;

/** The axis a steer moves along in a model's space, or null when the model does not use a feature the quality needs. */
export function steerAxis(spec: FeatureSpec, direction: SteerDirection, step: SteerStep = steerStep(direction)): SteerAxis | null {
  const { quality, sign } = STEERS[direction];
  if (quality === 'releaseYear') return { kind: 'year', sign, minYears: step.minYears, pool: step.yearPool };
  const parts = SOUND_QUALITIES[quality];
  const components: SoundAxis['components'] = [];
  for (const part of parts) {
    const j = spec.features.findIndex((f) => f.feature === part.feature);
    if (j < 0 || spec.features[j]!.weight === 0) return null;
    components.push({ feature: part.feature, j, sign: (sign * part.sign) as 1 | -1 });
  }
  // Equal parts: one standard deviation of the quality is 1/√n of one on each of its n features,
  // so a one-feature quality moves exactly as its feature does.
  const d = spec.features.length;
  const along = new Float32Array(d);
  const unit = new Float32Array(d);
  const share = 1 / Math.sqrt(components.length);
  for (const { j, sign: s } of components) {
    const weight = spec.features[j]!.weight;
    along[j] = (s * share) / weight;
    unit[j] = s * share * weight;
  }
  return { kind: 'sound', quality, components, along, unit, shift: step.targetShift, minShift: step.minShift };
}

/** How much of the asked quality a scaled vector has, in standard deviations (the steer's own measure). */
export function amountAlong(axis: SoundAxis, vector: Float32Array): number {
  let sum = 0;
  for (const { j } of axis.components) sum += axis.along[j]! * vector[j]!;
  return sum;
}

/**
 * Near the end of a scale (the happiest songs in the catalog), a steer goes as far as the catalog
 * does: the shift is at most the room left, the minimum at most half of it. Null: no room at all.
 * `room` is in the axis's units (standard deviations for sound, years for release years).
 */
export function fitToRoom(axis: SteerAxis, room: number): SteerAxis | null {
  if (axis.kind === 'sound') {
    if (!(room > 1e-6)) return null;
    return { ...axis, shift: Math.min(axis.shift, room), minShift: Math.min(axis.minShift, room / 2) };
  }
  if (!(room >= 1)) return null;
  return { ...axis, minYears: Math.max(1, Math.min(axis.minYears, Math.floor(room / 2))) };
}

/** The point the steered pick is sought around: the asked song, moved along the axis. */
export function steerTarget(axis: SteerAxis, seed: Float32Array): Float32Array {
  const target = Float32Array.from(seed);
  if (axis.kind === 'sound') for (const { j } of axis.components) target[j] = seed[j]! + axis.shift * axis.unit[j]!;
  return target;
}

/**
 * Whether a candidate moved far enough the asked way (its scaled vector, or its release year). A
 * quality of several features must not be reached by trading one against another: none of them
 * may move the other way (an acoustic instrumental is not "more electronic" than a sung song).
 */
export function movedEnough(axis: SteerAxis, seed: { vector: Float32Array; year: number | null }, candidate: { vector: Float32Array; year: () => number | null }): boolean {
  if (axis.kind === 'sound') {
    if (amountAlong(axis, candidate.vector) - amountAlong(axis, seed.vector) < axis.minShift) return false;
    return axis.components.every(({ j, sign }) => sign * (candidate.vector[j]! - seed.vector[j]!) >= 0);
  }
  const year = candidate.year();
  return seed.year !== null && year !== null && axis.sign * (year - seed.year) >= axis.minYears;
}

/** One quality's change from the asked song to the pick, in raw units. */
export interface SteerChange {
  quality: ChangedQuality;
  from: number;
  to: number;
}

/** What a steered pick changed: the steered quality's features first, then others a listener would ask about (three in all). */
export function steerChanges(direction: SteerDirection, seed: TrackWithFeatures, pick: TrackWithFeatures): SteerChange[] {
  const steered = STEERS[direction].quality;
  const lead: ChangedQuality[] = steered === 'releaseYear' ? ['releaseYear'] : SOUND_QUALITIES[steered].map((part) => part.feature);
  const others: ChangedQuality[] =
    steered === 'tempo' ? ['valence', 'releaseYear'] : steered === 'releaseYear' ? ['tempo', 'valence'] : ['tempo', 'releaseYear'];
  const valueOf = (track: TrackWithFeatures, quality: ChangedQuality): number | null =>
    quality === 'releaseYear' ? track.releaseYear : (track.features?.[quality] ?? null);
  return [...lead, ...others].slice(0, Math.max(3, lead.length)).flatMap((quality) => {
    const from = valueOf(seed, quality);
    const to = valueOf(pick, quality);
    return from === null || to === null ? [] : [{ quality, from, to }];
  });
}
