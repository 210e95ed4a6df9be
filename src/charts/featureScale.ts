import { FEATURE_LABELS } from '../recommender/explain.js';
import { formatFeatureValue } from '../recommender/format.js';
import { DESCRIBED_FEATURES, type AudioFeatureName, type FeatureSpec } from '../types.js';

// How each feature is drawn: its name in a listener's words, where a value sits on a 0–1 bar,
// and the value in its real unit. The 0–1 features are drawn as they are; tempo, loudness and
// length get a fixed range that holds nearly all music, so a bar means the same in every picture.

export type ChartableFeature = Exclude<AudioFeatureName, 'key' | 'timeSignature'>;

/** Key is a pitch class (no "more" or "less") and time signature is almost always 4: neither is a bar. */
export function isChartable(feature: AudioFeatureName): feature is ChartableFeature {
  return feature !== 'key' && feature !== 'timeSignature';
}

/** The range a bar spans, in the feature's unit; values outside are drawn at the ends. */
const RANGES: Partial<Record<ChartableFeature, { min: number; max: number }>> = {
  tempo: { min: 0, max: 200 }, // BPM
  loudness: { min: -30, max: 0 }, // dB; quieter than −30 dB draws as an empty bar
  durationMs: { min: 0, max: 600_000 }, // 10 minutes
};

/** Names a chart row shows; the recommender's own words where they read as a bar ("more mood" does not). */
const CHART_LABELS: Partial<Record<ChartableFeature, string>> = {
  valence: 'happy mood',
  mode: 'major key',
};

export function featureLabel(feature: ChartableFeature): string {
  return CHART_LABELS[feature] ?? FEATURE_LABELS[feature];
}

/** Where a value sits on its bar, 0 to 1. */
export function barPosition(feature: ChartableFeature, value: number): number {
  const range = RANGES[feature] ?? { min: 0, max: 1 };
  const t = (value - range.min) / (range.max - range.min);
  return Number.isFinite(t) ? Math.max(0, Math.min(1, t)) : 0;
}

/** A track's value in its unit: "72%", "128 BPM", "−6.1 dB", "major". */
export function formatValue(feature: ChartableFeature, value: number): string {
  return formatFeatureValue(feature, value).replace('-', '−');
}

/** A cluster's average, in its unit; for major/minor that is the share of songs in a major key. */
export function formatMean(feature: ChartableFeature, value: number): string {
  return feature === 'mode' ? `${Math.round(value * 100)}%` : formatValue(feature, value);
}

/**
 * The features a comparison shows, in a listener's order (energy, danceability, mood, …, tempo,
 * loudness) rather than the spec's: those the recommender weighs, chartable ones only.
 */
export function chartFeatures(spec: FeatureSpec): ChartableFeature[] {
  // A feature entered more than once (tempo as BPM and as its place in the octave) is one row.
  const used = [...new Set(spec.features.filter((f) => f.weight > 0 && isChartable(f.feature)).map((f) => f.feature as ChartableFeature))];
  const order = (f: ChartableFeature) => {
    const i = (DESCRIBED_FEATURES as readonly string[]).indexOf(f);
    return i < 0 ? DESCRIBED_FEATURES.length : i;
  };
  return [...new Set(used)].sort((a, b) => order(a) - order(b));
}
