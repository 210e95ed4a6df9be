import { DESCRIBED_FEATURES, type ClusterModel, type ClusterProfile, type DescribedFeature } from '../types.js';
import { typicalValue } from '../clustering/labels.js';
import { boundAlt, card, plainText, trackLine, trackTitle, type ChartImage, type TrackTitle } from './common.js';
import { featureLabel, formatMean } from './featureScale.js';
import { fitText, textWidth } from './fonts.js';
import { renderSvg, renderSvgAsync } from './render.js';
import { circle, rect, svgDocument, text } from './svg.js';
import { clusterFill, FONT_SIZE, THEME } from './theme.js';

// A cluster's portrait for the daily post and /cluster: its label, its size, how its typical
// (median) song differs from the catalog's (a bar left or right of "typical" per feature, in standard
// deviations, with the cluster's median in real units), and a few of its songs.

export interface ClusterPortraitInput {
  cluster: number;
  label: string;
  size: number;
  /** Tracks in the whole model, for the cluster's share; omitted, the share is not shown. */
  catalogSize?: number | undefined;
  profile: ClusterProfile;
  catalog: ClusterModel['catalogProfile'];
  /** A few songs from the cluster; the first five are drawn. */
  examples: readonly TrackTitle[];
}

const WIDTH = 800;
const PAD = 32;
const ROW = 40;
const LABEL_WIDTH = 196;
const VALUE_WIDTH = 112;
const EXAMPLE_ROW = 34;
const MAX_EXAMPLES = 5;
/** Bars reach the edge at this many standard deviations from the catalog's mean. */
const Z_MAX = 2;

/** The portrait's input from a model, one of its clusters and some of that cluster's songs. */
export function portraitInput(model: ClusterModel, cluster: number, examples: readonly TrackTitle[]): ClusterPortraitInput {
  const profile = model.profiles[cluster];
  if (!profile) throw new RangeError(`model ${model.id} has no cluster ${cluster}`);
  return {
    cluster,
    label: model.labels[cluster] ?? `cluster ${cluster}`,
    size: profile.size,
    catalogSize: model.trackCount,
    profile,
    catalog: model.catalogProfile,
    examples,
  };
}

/** How far the cluster's typical song is from the catalog's, in catalog standard deviations: what its label reads. */
function zScore(input: ClusterPortraitInput, f: DescribedFeature): number | null {
  const std = input.catalog.stds[f];
  const typical = typicalValue(input.profile, f);
  if (!(std > 0) || !Number.isFinite(typical)) return null;
  return (typical - typicalValue(input.catalog, f)) / std;
}

/** Label words, wrapped onto at most two lines at their " · " joints (or spaces), cut to fit. */
function wrapLabel(label: string, maxWidth: number, size: number): string[] {
  const words = label.split(/(?<= · )|(?<= )/);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const next = current + word;
    if (current && textWidth(next.trimEnd(), size, 700) > maxWidth) {
      lines.push(current.replace(/ · $/, '').trimEnd());
      current = word;
    } else current = next;
  }
  if (current) lines.push(current.trimEnd());
  if (lines.length <= 2) return lines.map((l) => fitText(l, maxWidth, size, 700));
  return [fitText(lines[0]!, maxWidth, size, 700), fitText(lines.slice(1).join(' '), maxWidth, size, 700)];
}

function sizeLine(input: ClusterPortraitInput): string {
  const songs = `${input.size.toLocaleString('en')} song${input.size === 1 ? '' : 's'}`;
  if (!input.catalogSize || input.catalogSize <= 0) return songs;
  const share = (100 * input.size) / input.catalogSize;
  return `${songs} · ${share < 1 ? share.toFixed(1) : Math.round(share)}% of the catalog`;
}

export function clusterPortraitSvg(input: ClusterPortraitInput): { svg: string; width: number; height: number } {
  const fill = clusterFill(input.cluster);
  const labelLines = wrapLabel(input.label, WIDTH - PAD * 2, FONT_SIZE.title);
  const features = DESCRIBED_FEATURES.filter((f) => zScore(input, f) != null);
  const examples = input.examples.slice(0, MAX_EXAMPLES);

  const titleTop = PAD + 24;
  const sizeY = titleTop + 14 + labelLines.length * 38;
  const chartTop = sizeY + 52;
  const chartBottom = chartTop + 30 + features.length * ROW;
  const examplesTop = chartBottom + 24;
  const height = (examples.length > 0 ? examplesTop + 36 + examples.length * EXAMPLE_ROW : chartBottom) + PAD - 8;
  const body = card(WIDTH, height, fill);

  // Header: number, label, size.
  body.push(circle(PAD + 9, PAD + 12, 9, { fill }));
  body.push(text(PAD + 26, PAD + 19, `Cluster #${input.cluster}`, { size: FONT_SIZE.small, weight: 600, fill: THEME.secondary }));
  labelLines.forEach((line, i) => body.push(text(PAD, titleTop + 38 + i * 38, line, { size: FONT_SIZE.title, weight: 700, fill: THEME.text })));
  body.push(text(PAD, sizeY + 26, sizeLine(input), { size: FONT_SIZE.value, fill: THEME.secondary }));

  // Profile: one diverging bar per feature around the catalog's typical song.
  const barLeft = PAD + LABEL_WIDTH;
  const barRight = WIDTH - PAD - VALUE_WIDTH - 12;
  const centre = (barLeft + barRight) / 2;
  const half = (barRight - barLeft) / 2;
  body.push(text(barLeft, chartTop + 14, '← less', { size: FONT_SIZE.small, fill: THEME.muted }));
  body.push(text(centre, chartTop + 14, 'typical', { size: FONT_SIZE.small, fill: THEME.muted, anchor: 'middle' }));
  body.push(text(barRight, chartTop + 14, 'more →', { size: FONT_SIZE.small, fill: THEME.muted, anchor: 'end' }));
  body.push(text(WIDTH - PAD, chartTop + 14, 'median', { size: FONT_SIZE.small, fill: THEME.muted, anchor: 'end' }));
  const rowsTop = chartTop + 30;
  for (const z of [-1, 1]) body.push(rect(centre + (z / Z_MAX) * half, rowsTop, 1, features.length * ROW, { fill: THEME.grid }));
  features.forEach((f, i) => {
    const mid = rowsTop + i * ROW + ROW / 2;
    const z = zScore(input, f)!;
    const length = (Math.max(-Z_MAX, Math.min(Z_MAX, z)) / Z_MAX) * half;
    body.push(text(PAD, mid + 8, fitText(featureLabel(f), LABEL_WIDTH - 12, FONT_SIZE.label), { size: FONT_SIZE.label, fill: THEME.text }));
    body.push(rect(barLeft, mid - 1, barRight - barLeft, 2, { fill: THEME.grid }));
    body.push(rect(Math.min(centre, centre + length), mid - 11, Math.max(2, Math.abs(length)), 22, { fill, rx: 3 }));
    body.push(text(WIDTH - PAD, mid + 8, formatMean(f, typicalValue(input.profile, f)), { size: FONT_SIZE.value, weight: 600, fill: THEME.text, anchor: 'end' }));
  });
  body.push(rect(centre - 1, rowsTop - 4, 2, features.length * ROW + 8, { fill: THEME.axis }));

  // A few of its songs.
  if (examples.length > 0) {
    body.push(text(PAD, examplesTop + 22, 'Sounds like', { size: FONT_SIZE.small, weight: 600, fill: THEME.muted }));
    examples.forEach((track, i) => {
      const y = examplesTop + 36 + i * EXAMPLE_ROW + 24;
      body.push(circle(PAD + 5, y - 8, 4, { fill }));
      body.push(trackLine(PAD + 20, y, track, WIDTH - PAD * 2 - 20, { size: FONT_SIZE.value }));
    });
  }
  return { svg: svgDocument(WIDTH, height, body), width: WIDTH, height };
}

export function clusterPortraitAlt(input: ClusterPortraitInput): string {
  const traits = DESCRIBED_FEATURES.map((f) => ({ f, z: zScore(input, f) }))
    .filter((t): t is { f: DescribedFeature; z: number } => t.z != null)
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
    .slice(0, 4)
    .map(({ f, z }) => `${featureLabel(f)} ${formatMean(f, typicalValue(input.profile, f))} (${z >= 0 ? 'above' : 'below'} typical)`);
  const examples = input.examples.slice(0, MAX_EXAMPLES).map((t) => `"${plainText(trackTitle(t), 80)}"`);
  return boundAlt(
    `Cluster #${input.cluster}, "${plainText(input.label, 120)}": ${sizeLine(input)}. ` +
      `Compared with the catalog: ${traits.join('; ')}.` +
      (examples.length > 0 ? ` Songs like ${examples.join(', ')}.` : ''),
  );
}

/** The portrait as a PNG, 800 px wide, about 800 px tall with five example songs. */
export function renderClusterPortrait(input: ClusterPortraitInput): ChartImage {
  const { svg, width } = clusterPortraitSvg(input);
  return { ...renderSvg(svg, width), alt: clusterPortraitAlt(input) };
}

/** renderClusterPortrait off the main thread (see renderSvgAsync). */
export async function renderClusterPortraitAsync(input: ClusterPortraitInput): Promise<ChartImage> {
  const { svg, width } = clusterPortraitSvg(input);
  return { ...(await renderSvgAsync(svg, width)), alt: clusterPortraitAlt(input) };
}
