// Shared shapes of the core. Nothing here knows Discord.

import type { SteerChange, SteerDirection } from './recommender/steer.js';

/** The 13 audio features Spotify defined, in their documented units. */
export const AUDIO_FEATURE_NAMES = [
  'danceability',
  'energy',
  'key',
  'loudness',
  'mode',
  'speechiness',
  'acousticness',
  'instrumentalness',
  'liveness',
  'valence',
  'tempo',
  'durationMs',
  'timeSignature',
] as const;

export type AudioFeatureName = (typeof AUDIO_FEATURE_NAMES)[number];

export interface AudioFeatures {
  danceability: number; // 0..1
  energy: number; // 0..1
  key: number | null; // 0..11, null when no key was detected (-1 in Spotify's data)
  loudness: number; // dB, typically -60..0
  mode: number | null; // 1 major, 0 minor; null when the source had none
  speechiness: number; // 0..1
  acousticness: number; // 0..1
  instrumentalness: number; // 0..1
  liveness: number; // 0..1
  valence: number; // 0..1
  tempo: number; // BPM
  durationMs: number | null; // ReccoBeats and some datasets leave it out
  timeSignature: number | null; // ReccoBeats and TidyTuesday leave it out
}

/** Who supplied a track's audio features: `spotify`, `reccobeats`, or `dataset:<file name>`. */
export type FeatureProviderName = string;

/** A track as it enters the catalog, from a dataset row or a Spotify track object. */
export interface TrackInput {
  spotifyId: string;
  name: string;
  artists: string[];
  artistIds?: string[] | undefined;
  album?: string | null | undefined;
  albumId?: string | null | undefined;
  coverUrl?: string | null | undefined;
  releaseYear?: number | null | undefined;
  popularity?: number | null | undefined;
  durationMs?: number | null | undefined;
  explicit?: boolean | null | undefined;
}

/**
 * Labels a dataset carries for a track: genres and playlists are kept for the quality evaluation,
 * never used to recommend; a decade ("1960s", the decade a dataset files the recording under)
 * tells the name search that a later album year is a re-release's.
 */
export interface TrackLabel {
  kind: 'genre' | 'subgenre' | 'playlist' | 'decade';
  value: string;
}

/** A track with the features and labels its source gave: one valid import row, one row of Catalog.upsertBatch. */
export interface TrackEntry {
  track: TrackInput;
  features: AudioFeatures | null;
  labels: readonly TrackLabel[];
}

/** A catalog track as the rest of the program sees it. */
export interface Track {
  id: number;
  spotifyId: string;
  name: string;
  artists: string[];
  album: string | null;
  coverUrl: string | null;
  releaseYear: number | null;
  popularity: number | null;
  durationMs: number | null;
}

export interface TrackWithFeatures extends Track {
  features: AudioFeatures | null;
  featuresProvider: FeatureProviderName | null;
}

export type SpotifyKind = 'track' | 'playlist' | 'album' | 'artist';

/** A parsed Spotify reference: link, URI or bare ID. */
export interface SpotifyRef {
  kind: SpotifyKind;
  id: string;
}

/** One feature as the recommender compares it, in listener's words and raw units. */
export interface FeatureComparison {
  feature: AudioFeatureName;
  label: string;
  query: number;
  pick: number;
  /** Absolute difference in the recommender's scaled, weighted space. */
  scaledDifference: number;
  /** The cluster labels' word each song earns on this feature ("calm", "fast"), or null: neither side stands out. */
  queryWord?: string | null;
  pickWord?: string | null;
}

export interface ClusterInfo {
  id: number;
  label: string;
  size: number;
}

export interface Recommendation {
  query: string;
  seed: TrackWithFeatures;
  pick: TrackWithFeatures;
  cluster: ClusterInfo;
  /** 0..1, 1 for identical sound; see src/recommender/similarity.ts. */
  similarity: number;
  distance: number;
  /** Features that match best, closest first. */
  matches: FeatureComparison[];
  /** Features that differ most, largest first. */
  differences: FeatureComparison[];
  modelId: number;
  /** True when every other candidate had been given recently and a repeat was allowed. */
  repeated: boolean;
  /** Set when votes changed the pick: without them, another track would have been chosen. */
  shapedBy: FeedbackShaping | null;
  /** Set for a steered pick ("like this, but happier"): the way asked, what changed, and where the pick sits. */
  steer: SteerOutcome | null;
  /** Other songs a typed name matched about as well as the seed, most likely first: "Not this one?". */
  alternatives?: SongChoice[];
}

/** A catalog song offered by name: "title — artist (year)". */
export interface SongChoice {
  trackId: number;
  name: string;
  artists: string[];
  releaseYear: number | null;
}

export interface SteerOutcome {
  direction: SteerDirection;
  /** The steered quality first, in raw units (release years included). */
  changes: SteerChange[];
  /** A steered pick may come from another cluster than the asked song. */
  pickCluster: ClusterInfo;
}

/** Why votes changed a pick, for the "shaped by feedback" line. */
export type FeedbackShaping =
  /** It sits close to a track this member liked. */
  | { kind: 'liked'; like: Track }
  /** It sits close to tracks this server likes. */
  | { kind: 'guildLiked' }
  /** The nearest track was one this member disliked. */
  | { kind: 'disliked' }
  /** The nearest track is one this server dislikes. */
  | { kind: 'guildDemoted' };

/**
 * What the votes in a guild say, as the recommender uses them. Only the asking member's own
 * dislikes exclude a track; everyone else's votes only move tracks up or down.
 */
export interface Taste {
  /** This member's 👎: never picked for them again. */
  disliked: ReadonlySet<number>;
  /** This member's 👍, most recent first: tracks close to them rise. */
  liked: readonly number[];
  /** Tracks the guild likes on balance: tracks close to them rise a little. */
  guildLiked: readonly number[];
  /** Tracks the guild dislikes on balance (several members): they sink. */
  guildDemoted: ReadonlySet<number>;
}

/** Who is asking; all optional so the CLI can recommend without a Discord context. */
export interface RecommendContext {
  guildId?: string | null | undefined;
  userId?: string | null | undefined;
  /** Do not write this recommendation to the log (used by evaluation and benchmarks). */
  dryRun?: boolean | undefined;
}

export interface SearchHit {
  trackId: number;
  spotifyId: string;
  name: string;
  artists: string[];
  popularity: number | null;
  /** Known for the best matches only (those the search weighed by what it knows of them). */
  releaseYear: number | null;
  /** The work it is a version of: folded work title and primary artist ("Bohemian Rhapsody - 2011 Mix" and the remaster share one). */
  work: string;
  score: number;
}

export interface ClusterMetrics {
  inertia: number;
  silhouette: number | null;
  sizes: number[];
  /** Lloyd iterations the fit took (absent in models stored before it was recorded). */
  iterations?: number | undefined;
  fitMs: number;
  kCandidates?: { k: number; silhouette: number }[] | undefined;
}

export interface ImportProgress {
  rowsRead: number;
  bytesRead: number;
  totalBytes: number | null;
}

export interface ImportReport {
  file: string;
  layout: string;
  rowsRead: number;
  tracksAdded: number;
  tracksUpdated: number;
  tracksUnchanged: number;
  /** Rows repeating a track an earlier row of the same file added (a track in several playlists). */
  repeatedInFile: number;
  mergedDuplicates: number;
  skipped: number;
  skippedReasons: Record<string, number>;
  /** The first line numbers (1-based, header is line 1) of skipped rows, for the report. */
  skippedLines: number[];
  /** Columns the recommender uses that the file lacks (it was imported without them). */
  missingColumns: string[];
  featuresAdded: number;
  labelsAdded: number;
  elapsedMs: number;
  /** The part of elapsedMs spent writing to the catalog; the rest is reading and parsing the file. */
  writeMs: number;
}

/**
 * How a feature enters sound-space: as is, on a log or square-root scale, or (for tempo) as its
 * place within an octave, a point on a circle (cosine and sine of 2π·log2(BPM)), where a song read
 * at half or double its tempo lands on the same point.
 */
export type FeatureTransform = 'identity' | 'log' | 'sqrt' | 'octaveCos' | 'octaveSin';
export type ScalingMethod = 'standard' | 'minmax' | 'robust';

/** Which features place a track in sound-space, how each is transformed, and how much it counts. */
export interface FeatureSpec {
  scaling: ScalingMethod;
  features: { feature: AudioFeatureName; transform: FeatureTransform; weight: number }[];
}

/** Per-feature centre and spread learnt from the catalog, in the spec's feature order. */
export interface Scaler {
  method: ScalingMethod;
  center: number[];
  scale: number[];
}

/** Features a label or a chart may describe, whether or not the model clusters on them. */
export const DESCRIBED_FEATURES = [
  'energy',
  'danceability',
  'valence',
  'acousticness',
  'instrumentalness',
  'speechiness',
  'liveness',
  'tempo',
  'loudness',
  'mode',
] as const satisfies readonly AudioFeatureName[];

export type DescribedFeature = (typeof DESCRIBED_FEATURES)[number];

/** A cluster in raw units: what its tracks sound like on average, and what its typical (median) track sounds like. */
export interface ClusterProfile {
  size: number;
  means: Record<DescribedFeature, number>;
  /** Absent from models stored before labels were read from medians (their means stand in). */
  medians?: Record<DescribedFeature, number>;
}

/** The whole catalog in raw units: means, standard deviations and (since labels read medians) medians. */
export interface CatalogProfile {
  means: Record<DescribedFeature, number>;
  stds: Record<DescribedFeature, number>;
  medians?: Record<DescribedFeature, number>;
}

export interface ClusterModel {
  id: number;
  k: number;
  spec: FeatureSpec;
  scaler: Scaler;
  /** k × d, in scaled and weighted space. */
  centroids: number[][];
  labels: string[];
  profiles: ClusterProfile[];
  /** Catalog-wide means and standard deviations of the described features, for labels and charts. */
  catalogProfile: CatalogProfile;
  metrics: ClusterMetrics;
  trackCount: number;
  createdAt: number;
}
