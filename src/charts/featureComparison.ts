import type { AudioFeatures, FeatureSpec, Recommendation } from '../types.js';
import { boundAlt, card, plainText, trackLine, trackTitle, type ChartImage, type TrackTitle } from './common.js';
import { barPosition, chartFeatures, featureLabel, formatValue, isChartable, type ChartableFeature } from './featureScale.js';
import { fitText } from './fonts.js';
import { renderSvg, renderSvgAsync } from './render.js';
import { rect, svgDocument, text } from './svg.js';
import { clusterFill, FONT_SIZE, THEME } from './theme.js';

// /recommend's picture: the song asked about and the pick, feature by feature, as paired bars.
// Bars rather than a radar: on a phone a bar's length reads at a glance, and tempo and loudness
// get their own scales without pretending to share an axis with percentages.

export interface FeatureComparisonInput {
  query: TrackTitle & { features: AudioFeatures };
  pick: TrackTitle & { features: AudioFeatures };
  /** Which features, in drawing order (see chartFeatures); key and time signature are skipped. */
  features: readonly ChartableFeature[];
  /** The pick's cluster, for its colour. */
  cluster: number;
}

const WIDTH = 800;
const PAD = 32;
const ROW = 54;
const BAR = 16;
const BAR_GAP = 4;
const LABEL_WIDTH = 196;
const VALUE_WIDTH = 112;
const HEADER = 124;

/** The picture's input from a recommendation and its model's spec; null when either track lacks features. */
export function comparisonInput(r: Recommendation, spec: FeatureSpec): FeatureComparisonInput | null {
  if (!r.seed.features || !r.pick.features) return null;
  return {
    query: { name: r.seed.name, artists: r.seed.artists, features: r.seed.features },
    pick: { name: r.pick.name, artists: r.pick.artists, features: r.pick.features },
    features: chartFeatures(spec),
    cluster: r.cluster.id,
  };
}

export function featureComparisonSvg(input: FeatureComparisonInput): { svg: string; width: number; height: number } {
  const features = input.features.filter(isChartable);
  const height = HEADER + features.length * ROW + PAD - 8;
  const pickFill = clusterFill(input.cluster);
  const body = card(WIDTH, height, pickFill);

  // Legend: which bar is which, naming both songs.
  const legend = (y: number, who: string, track: TrackTitle, fill: string) => {
    body.push(rect(PAD, y - 16, 28, BAR, { fill, rx: 3 }));
    body.push(text(PAD + 40, y, who, { size: FONT_SIZE.small, fill: THEME.muted }));
    body.push(trackLine(PAD + 112, y, track, WIDTH - PAD * 2 - 112, { size: FONT_SIZE.label }));
  };
  legend(PAD + 22, 'asked', input.query, THEME.query);
  legend(PAD + 60, 'pick', input.pick, pickFill);

  const barX = PAD + LABEL_WIDTH;
  const barWidth = WIDTH - PAD - VALUE_WIDTH - barX - 16;
  features.forEach((feature, i) => {
    const top = HEADER + i * ROW;
    const mid = top + ROW / 2;
    const queryValue = input.query.features[feature];
    const pickValue = input.pick.features[feature];
    if (i > 0) body.push(rect(PAD, top, WIDTH - PAD * 2, 1, { fill: THEME.grid }));
    body.push(text(PAD, mid + 8, fitText(featureLabel(feature), LABEL_WIDTH - 12, FONT_SIZE.label), { size: FONT_SIZE.label, fill: THEME.text }));
    const bars: [number | null, string, number][] = [
      [queryValue, THEME.query, mid - BAR - BAR_GAP / 2],
      [pickValue, pickFill, mid + BAR_GAP / 2],
    ];
    for (const [value, fill, y] of bars) {
      body.push(rect(barX, y, barWidth, BAR, { fill: THEME.grid, rx: 3 }));
      if (value != null) body.push(rect(barX, y, Math.max(3, barWidth * barPosition(feature, value)), BAR, { fill, rx: 3 }));
    }
    const valueX = WIDTH - PAD;
    body.push(text(valueX, mid - 4, queryValue == null ? '–' : formatValue(feature, queryValue), { size: FONT_SIZE.value, fill: THEME.secondary, anchor: 'end' }));
    body.push(text(valueX, mid + 20, pickValue == null ? '–' : formatValue(feature, pickValue), { size: FONT_SIZE.value, weight: 600, fill: THEME.text, anchor: 'end' }));
  });
  return { svg: svgDocument(WIDTH, height, body), width: WIDTH, height };
}

export function featureComparisonAlt(input: FeatureComparisonInput): string {
  const features = input.features.filter(isChartable);
  const value = (f: ChartableFeature, v: number | null) => (v == null ? 'unknown' : formatValue(f, v));
  const rows = features.map((f) => `${featureLabel(f)} ${value(f, input.query.features[f])} vs ${value(f, input.pick.features[f])}`);
  return boundAlt(
    `Bar chart comparing how two songs sound: "${plainText(trackTitle(input.query), 120)}" (asked) and ` +
      `"${plainText(trackTitle(input.pick), 120)}" (pick). ${rows.join('; ')}.`,
  );
}

/** The comparison as a PNG, 800 px wide, about 600 px tall with nine features. */
export function renderFeatureComparison(input: FeatureComparisonInput): ChartImage {
  const { svg, width } = featureComparisonSvg(input);
  const picture = renderSvg(svg, width);
  return { ...picture, alt: featureComparisonAlt(input) };
}

/** renderFeatureComparison off the main thread (see renderSvgAsync). */
export async function renderFeatureComparisonAsync(input: FeatureComparisonInput): Promise<ChartImage> {
  const { svg, width } = featureComparisonSvg(input);
  return { ...(await renderSvgAsync(svg, width)), alt: featureComparisonAlt(input) };
}
