import type { AudioFeatures, FeatureSpec } from '../types.js';
import { boundAlt, card, plainText, trackTitle, type ChartImage, type TrackTitle } from './common.js';
import { barPosition, chartFeatures, featureLabel, formatValue, isChartable, type ChartableFeature } from './featureScale.js';
import { fitText } from './fonts.js';
import { renderSvg, renderSvgAsync } from './render.js';
import { circle, rect, svgDocument, text } from './svg.js';
import { FONT_SIZE, THEME } from './theme.js';

// /mix's picture: the set's sound against the seeds, feature by feature. Each row's band spans
// the mix from its lowest to its highest value with a tick per song; the seeds are numbered
// dots on the same scale, so a listener sees at a glance what the seeds share (where the band
// is narrow around the dots) and where the mix is free to roam.

export interface MixProfileInput {
  seeds: (TrackTitle & { features: AudioFeatures })[];
  tracks: { features: AudioFeatures }[];
  features: readonly ChartableFeature[];
}

const WIDTH = 800;
const PAD = 32;
const ROW = 50;
const LABEL_WIDTH = 196;
const VALUE_WIDTH = 140;
const MIX_FILL = '#1db954';
const SEED_FILLS = ['#d6d8dc', '#f5a623', '#5865f2', '#e67e22', '#e91e63'];

export function mixProfileInput(seeds: MixProfileInput['seeds'], tracks: MixProfileInput['tracks'], spec: FeatureSpec): MixProfileInput {
  return { seeds, tracks, features: chartFeatures(spec) };
}

function spanOf(input: MixProfileInput, feature: ChartableFeature): { low: number; high: number; median: number } | null {
  const values = input.tracks.map((t) => t.features[feature]).filter((v): v is number => v != null).sort((a, b) => a - b);
  if (values.length === 0) return null;
  return { low: values[0]!, high: values.at(-1)!, median: values[Math.floor(values.length / 2)]! };
}

export function mixProfileSvg(input: MixProfileInput): { svg: string; width: number; height: number } {
  const features = input.features.filter(isChartable);
  const legendRows = input.seeds.length + 1;
  const header = PAD + legendRows * 34 + 16;
  const height = header + features.length * ROW + PAD - 8;
  const body = card(WIDTH, height, MIX_FILL);
  const legendText = (y: number, label: string) => body.push(text(PAD + 40, y, fitText(label, WIDTH - PAD * 2 - 40, FONT_SIZE.small), { size: FONT_SIZE.small, fill: THEME.secondary }));
  body.push(rect(PAD, PAD + 4, 28, 14, { fill: MIX_FILL, rx: 3, opacity: 0.55 }));
  legendText(PAD + 18, `the mix, ${input.tracks.length} songs: from lowest to highest, a tick per song`);
  input.seeds.forEach((seed, i) => {
    const y = PAD + 18 + (i + 1) * 34;
    body.push(circle(PAD + 14, y - 7, 9, { fill: SEED_FILLS[i % SEED_FILLS.length]! }));
    body.push(text(PAD + 14, y - 1, String(i + 1), { size: 14, weight: 700, fill: THEME.background, anchor: 'middle' }));
    legendText(y, trackTitle(seed));
  });
  const barX = PAD + LABEL_WIDTH;
  const barWidth = WIDTH - PAD - VALUE_WIDTH - barX - 16;
  const at = (feature: ChartableFeature, value: number) => barX + barWidth * barPosition(feature, value);
  features.forEach((feature, i) => {
    const top = header + i * ROW;
    const mid = top + ROW / 2;
    if (i > 0) body.push(rect(PAD, top, WIDTH - PAD * 2, 1, { fill: THEME.grid }));
    body.push(text(PAD, mid + 8, fitText(featureLabel(feature), LABEL_WIDTH - 12, FONT_SIZE.label), { size: FONT_SIZE.label, fill: THEME.text }));
    body.push(rect(barX, mid - 8, barWidth, 16, { fill: THEME.grid, rx: 3 }));
    const span = spanOf(input, feature);
    if (span) {
      const x0 = at(feature, span.low);
      body.push(rect(x0, mid - 8, Math.max(4, at(feature, span.high) - x0), 16, { fill: MIX_FILL, rx: 3, opacity: 0.55 }));
      for (const track of input.tracks) {
        const value = track.features[feature];
        if (value != null) body.push(rect(at(feature, value) - 1, mid - 8, 2, 16, { fill: MIX_FILL }));
      }
      body.push(text(WIDTH - PAD, mid + 8, `${formatValue(feature, span.low)}–${formatValue(feature, span.high)}`, { size: FONT_SIZE.small, fill: THEME.secondary, anchor: 'end' }));
    }
    input.seeds.forEach((seed, s) => {
      const value = seed.features[feature];
      if (value != null) body.push(circle(at(feature, value), mid, 8, { fill: SEED_FILLS[s % SEED_FILLS.length]!, stroke: THEME.background, 'stroke-width': 2 }));
    });
  });
  return { svg: svgDocument(WIDTH, height, body), width: WIDTH, height };
}

export function mixProfileAlt(input: MixProfileInput): string {
  const features = input.features.filter(isChartable);
  const rows = features.map((feature) => {
    const span = spanOf(input, feature);
    const seeds = input.seeds.map((s) => (s.features[feature] == null ? 'unknown' : formatValue(feature, s.features[feature]))).join(', ');
    return `${featureLabel(feature)}: mix ${span ? `${formatValue(feature, span.low)} to ${formatValue(feature, span.high)}` : 'unknown'}, seeds ${seeds}`;
  });
  return boundAlt(
    `Chart of a ${input.tracks.length}-song mix against its seeds (${input.seeds.map((s) => `"${plainText(trackTitle(s), 80)}"`).join(', ')}). ${rows.join('; ')}.`,
  );
}

export function renderMixProfile(input: MixProfileInput): ChartImage {
  const { svg, width } = mixProfileSvg(input);
  return { ...renderSvg(svg, width), alt: mixProfileAlt(input) };
}

export async function renderMixProfileAsync(input: MixProfileInput): Promise<ChartImage> {
  const { svg, width } = mixProfileSvg(input);
  return { ...(await renderSvgAsync(svg, width)), alt: mixProfileAlt(input) };
}
