import { sampleIndices, seededRandom } from '../clustering/random.js';
import type { AudioFeatureName } from '../types.js';
import { boundAlt, card, plainText, type ChartImage } from './common.js';
import { fitText } from './fonts.js';
import { fitPca, projectPoint, type Pca } from './pca.js';
import { renderSvg, renderSvgAsync } from './render.js';
import { circle, el, num, rect, svgDocument, text } from './svg.js';
import { clusterFill, FONT_SIZE, THEME } from './theme.js';

// /stats' (or /cluster map's) picture: a seeded sample of tracks placed by the first two
// principal components of their scaled vectors, coloured by cluster, each cluster marked by a
// numbered badge at its centroid and named in the legend below. The axes are described in words
// from the components' strongest features ("calm, acoustic ← → lively, loud").

export interface ClusterMapInput {
  /** n × d scaled (and weighted) vectors, as the model clusters them. */
  vectors: Float32Array;
  dimensions: number;
  /** The cluster of each of the n rows. */
  clusters: Int32Array | readonly number[];
  /** One label per cluster. */
  labels: readonly string[];
  /** k × d centroids in the same space; without them a badge sits at its sample's mean. */
  centroids?: readonly (readonly number[])[] | undefined;
  /** Cluster sizes for the legend and alt text; without them the sample's counts are used. */
  sizes?: readonly number[] | undefined;
  /** The feature of each dimension (the model spec's order), to describe the axes in words. */
  features?: readonly AudioFeatureName[] | undefined;
  /** At most this many points are drawn (default 1,500), sampled with `seed` (default 1). */
  maxPoints?: number | undefined;
  seed?: number | undefined;
}

export interface ProjectedSample {
  pca: Pca;
  /** Indices of the sampled rows, in drawing order. */
  rows: Int32Array;
  /** m × 2 coordinates of the sampled rows. */
  points: Float32Array;
}

const WIDTH = 800;
const PAD = 32;
const PLOT_HEIGHT = 420;
const CAPTION_STRIP = 34;
const POINT_RADIUS = 2.5;
const LEGEND_ROW = 34;
const DEFAULT_POINTS = 1_500;

/**
 * Samples up to `maxPoints` rows (seeded, so the same input always gives the same picture), fits
 * PCA to the sample and projects it. Pure: no drawing.
 */
export function projectSample(vectors: Float32Array, dimensions: number, maxPoints = DEFAULT_POINTS, seed = 1): ProjectedSample {
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError(`dimensions must be a positive integer, not ${dimensions}`);
  const n = Math.floor(vectors.length / dimensions);
  const rows = sampleIndices(n, maxPoints, seededRandom(seed));
  const m = rows.length;
  const sample = new Float32Array(m * dimensions);
  for (let i = 0; i < m; i++) sample.set(vectors.subarray(rows[i]! * dimensions, rows[i]! * dimensions + dimensions), i * dimensions);
  const pca = fitPca(sample, m, dimensions);
  const points = new Float32Array(m * 2);
  for (let i = 0; i < m; i++) {
    const [x, y] = projectPoint(pca, sample, i * dimensions);
    points[i * 2] = x;
    points[i * 2 + 1] = y;
  }
  return { pca, rows, points };
}

/** A feature's two ends in words, for describing an axis. */
const ENDS: Partial<Record<AudioFeatureName, [low: string, high: string]>> = {
  energy: ['calm', 'lively'],
  danceability: ['less danceable', 'danceable'],
  valence: ['sad', 'happy'],
  acousticness: ['electric', 'acoustic'],
  instrumentalness: ['vocal', 'instrumental'],
  speechiness: ['sung', 'spoken'],
  liveness: ['studio', 'live'],
  tempo: ['slow', 'fast'],
  loudness: ['quiet', 'loud'],
  mode: ['minor', 'major'],
  durationMs: ['short', 'long'],
};

/** What lies towards each end of a component: its two strongest features' words. */
export function axisWords(component: ArrayLike<number>, features: readonly AudioFeatureName[]): { low: string; high: string } | null {
  const strongest = features
    .map((feature, j) => ({ feature, loading: component[j] ?? 0 }))
    .filter((x) => ENDS[x.feature] && Math.abs(x.loading) >= 0.2)
    .sort((a, b) => Math.abs(b.loading) - Math.abs(a.loading))
    .slice(0, 2);
  if (strongest.length === 0) return null;
  const word = (x: { feature: AudioFeatureName; loading: number }, high: boolean) => ENDS[x.feature]![(x.loading > 0) === high ? 1 : 0];
  return { low: strongest.map((x) => word(x, false)).join(', '), high: strongest.map((x) => word(x, true)).join(', ') };
}

function quantile(values: Float32Array, stride: number, offset: number, q: number): number {
  const column = new Float64Array(Math.floor(values.length / stride));
  for (let i = 0; i < column.length; i++) column[i] = values[i * stride + offset]!;
  column.sort();
  if (column.length === 0) return 0;
  return column[Math.min(column.length - 1, Math.max(0, Math.round(q * (column.length - 1))))]!;
}

interface Layout {
  svg: string;
  width: number;
  height: number;
  sample: ProjectedSample;
  axes: { x: { low: string; high: string } | null; y: { low: string; high: string } | null };
  counts: number[];
}

function layout(input: ClusterMapInput): Layout {
  const d = input.dimensions;
  const k = input.labels.length;
  const sample = projectSample(input.vectors, d, input.maxPoints ?? DEFAULT_POINTS, input.seed ?? 1);
  const { points, rows, pca } = sample;
  const m = rows.length;
  const clusterOf = (i: number) => input.clusters[rows[i]!] ?? 0;

  // Centroid positions: the model's centroids projected, or the sample's means.
  const counts = new Array<number>(k).fill(0);
  const sums = Array.from({ length: k }, () => [0, 0]);
  for (let i = 0; i < m; i++) {
    const c = clusterOf(i);
    if (c < 0 || c >= k) continue;
    counts[c]!++;
    sums[c]![0]! += points[i * 2]!;
    sums[c]![1]! += points[i * 2 + 1]!;
  }
  const centres = Array.from({ length: k }, (_, c): [number, number] | null => {
    const centroid = input.centroids?.[c];
    if (centroid && centroid.length === d) return projectPoint(pca, centroid);
    return counts[c]! > 0 ? [sums[c]![0]! / counts[c]!, sums[c]![1]! / counts[c]!] : null;
  });

  // Bounds from the 1st–99th percentiles, so a few outliers do not squeeze the rest into a corner.
  let [x0, x1] = [quantile(points, 2, 0, 0.01), quantile(points, 2, 0, 0.99)];
  let [y0, y1] = [quantile(points, 2, 1, 0.01), quantile(points, 2, 1, 0.99)];
  for (const c of centres) {
    if (!c) continue;
    [x0, x1, y0, y1] = [Math.min(x0, c[0]), Math.max(x1, c[0]), Math.min(y0, c[1]), Math.max(y1, c[1])];
  }
  const spanX = x1 - x0 || 1;
  const spanY = y1 - y0 || 1;
  [x0, x1, y0, y1] = [x0 - spanX * 0.04, x1 + spanX * 0.04, y0 - spanY * 0.04, y1 + spanY * 0.04];

  const legendColumns = k > 3 ? 2 : 1;
  const legendRows = Math.ceil(k / legendColumns);
  const legendRow = k > 8 ? LEGEND_ROW - 4 : LEGEND_ROW;
  const plotLeft = PAD;
  const plotTop = PAD + 44;
  const plotWidth = WIDTH - PAD * 2;
  const plotBottom = plotTop + PLOT_HEIGHT;
  // Points keep out of a strip at the top and bottom of the plot, where the axis words go.
  const dataTop = plotTop + CAPTION_STRIP;
  const dataBottom = plotBottom - CAPTION_STRIP;
  const legendTop = plotBottom + 36;
  const height = legendTop + legendRows * legendRow + PAD - 14;
  const sx = (x: number) => plotLeft + 8 + ((x - x0) / (x1 - x0)) * (plotWidth - 16);
  const sy = (y: number) => dataBottom - ((y - y0) / (y1 - y0)) * (dataBottom - dataTop);

  const body = card(WIDTH, height);
  const total = input.sizes ? input.sizes.reduce((a, b) => a + b, 0) : Math.floor(input.vectors.length / d);
  const shown = m < total ? `${m.toLocaleString('en')} of ${total.toLocaleString('en')} songs` : `${m.toLocaleString('en')} songs`;
  body.push(text(PAD, PAD + 24, `${k} cluster${k === 1 ? '' : 's'}`, { size: FONT_SIZE.heading, weight: 700, fill: THEME.text }));
  body.push(text(WIDTH - PAD, PAD + 24, `${shown}, placed by how they sound`, { size: FONT_SIZE.small, fill: THEME.muted, anchor: 'end' }));
  body.push(rect(plotLeft, plotTop, plotWidth, PLOT_HEIGHT, { fill: THEME.panel, stroke: THEME.grid, 'stroke-width': 1, rx: 6 }));

  // Points, clipped to the plot: one path of small circles per cluster keeps the SVG, the parse
  // and the fill to a handful of elements however many points there are.
  const byCluster = new Map<number, string[]>();
  const r = num(POINT_RADIUS);
  const dot = `m-${r} 0a${r} ${r} 0 1 0 ${num(POINT_RADIUS * 2)} 0a${r} ${r} 0 1 0 -${num(POINT_RADIUS * 2)} 0`;
  for (let i = 0; i < m; i++) {
    const px = sx(points[i * 2]!);
    const py = sy(points[i * 2 + 1]!);
    if (px < plotLeft + 3 || px > plotLeft + plotWidth - 3 || py < dataTop || py > dataBottom) continue;
    const c = clusterOf(i);
    const list = byCluster.get(c) ?? [];
    list.push(`M${num(px)} ${num(py)}${dot}`);
    byCluster.set(c, list);
  }
  for (const [c, dots] of [...byCluster.entries()].sort((a, b) => a[0] - b[0])) {
    body.push(el('path', { d: dots.join(''), fill: clusterFill(c) }));
  }

  // Axis words.
  const axes = { x: axisWords(pca.components[0], input.features ?? []), y: axisWords(pca.components[1], input.features ?? []) };
  const caption = { size: FONT_SIZE.small, fill: THEME.secondary };
  const half = plotWidth / 2 - 20;
  if (axes.x) {
    body.push(text(plotLeft + 12, plotBottom - 11, fitText(`← ${axes.x.low}`, half, FONT_SIZE.small), caption));
    body.push(text(plotLeft + plotWidth - 12, plotBottom - 11, fitText(`${axes.x.high} →`, half, FONT_SIZE.small), { ...caption, anchor: 'end' }));
  }
  if (axes.y) {
    body.push(text(plotLeft + 12, plotTop + 24, fitText(`↑ ${axes.y.high}`, half, FONT_SIZE.small), caption));
  }

  // Badges at the centroids, nudged apart where they would cover each other, then the legend.
  const badges = spreadBadges(
    centres.map((c) => (c ? { x: sx(c[0]), y: sy(c[1]) } : null)),
    { left: plotLeft + 16, right: plotLeft + plotWidth - 16, top: dataTop, bottom: dataBottom },
  );
  badges.forEach((b, cluster) => {
    if (b) body.push(badge(b.x, b.y, cluster));
  });
  const columnWidth = (WIDTH - PAD * 2) / legendColumns;
  const legendSize = k > 8 ? FONT_SIZE.small : FONT_SIZE.value;
  input.labels.forEach((label, cluster) => {
    const column = Math.floor(cluster / legendRows);
    const row = cluster % legendRows;
    const x = PAD + column * columnWidth;
    const y = legendTop + row * legendRow;
    body.push(badge(x + 14, y, cluster));
    body.push(text(x + 38, y + legendSize * 0.36, fitText(label, columnWidth - 50, legendSize), { size: legendSize, fill: THEME.text }));
  });
  return { svg: svgDocument(WIDTH, height, body), width: WIDTH, height, sample, axes, counts };
}

const BADGE_RADIUS = 14;

/**
 * Moves overlapping badges apart (a few rounds of pairwise pushes, in cluster order, so the
 * result is deterministic) and keeps them inside `box`.
 */
export function spreadBadges(
  positions: readonly ({ x: number; y: number } | null)[],
  box: { left: number; right: number; top: number; bottom: number },
): ({ x: number; y: number } | null)[] {
  const out = positions.map((p) => (p ? { x: Math.max(box.left, Math.min(box.right, p.x)), y: Math.max(box.top, Math.min(box.bottom, p.y)) } : null));
  const gap = BADGE_RADIUS * 2 + 3;
  for (let round = 0; round < 40; round++) {
    let moved = false;
    for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i];
        const b = out[j];
        if (!a || !b) continue;
        let dx = b.x - a.x;
        let dy = b.y - a.y;
        let distance = Math.hypot(dx, dy);
        if (distance >= gap) continue;
        if (distance < 1e-6) [dx, dy, distance] = [1, 0, 1];
        const push = (gap - distance) / 2 + 0.5;
        a.x -= (dx / distance) * push;
        a.y -= (dy / distance) * push;
        b.x += (dx / distance) * push;
        b.y += (dy / distance) * push;
        for (const p of [a, b]) {
          p.x = Math.max(box.left, Math.min(box.right, p.x));
          p.y = Math.max(box.top, Math.min(box.bottom, p.y));
        }
        moved = true;
      }
    }
    if (!moved) break;
  }
  return out;
}

function badge(x: number, y: number, cluster: number): string {
  const label = String(cluster);
  const size = label.length > 1 ? 14 : 16;
  return (
    circle(x, y, BADGE_RADIUS, { fill: clusterFill(cluster), stroke: THEME.background, 'stroke-width': 2.5 }) +
    text(x, y + size * 0.36, label, { size, weight: 700, fill: THEME.background, anchor: 'middle' })
  );
}

export function clusterMapSvg(input: ClusterMapInput): { svg: string; width: number; height: number } {
  const { svg, width, height } = layout(input);
  return { svg, width, height };
}

function altText(input: ClusterMapInput, result: Layout): string {
  const sizes = input.sizes ?? result.counts;
  const clusters = input.labels.map((label, c) => `#${c} ${plainText(label, 60)} (${(sizes[c] ?? 0).toLocaleString('en')})`);
  const axis = (name: string, a: { low: string; high: string } | null) => (a ? ` ${name}: ${a.low} to ${a.high}.` : '');
  return boundAlt(
    `Map of ${input.labels.length} clusters: ${result.sample.rows.length.toLocaleString('en')} songs placed by how they sound ` +
      `(the two main directions of their audio features), coloured by cluster.` +
      axis('Left to right', result.axes.x) +
      axis('Bottom to top', result.axes.y) +
      ` Clusters: ${clusters.join('; ')}.`,
  );
}

/** The map as a PNG, 800 px wide, about 600–750 px tall depending on the number of clusters. */
export function renderClusterMap(input: ClusterMapInput): ChartImage {
  const result = layout(input);
  return { ...renderSvg(result.svg, result.width), alt: altText(input, result) };
}

/** renderClusterMap off the main thread (see renderSvgAsync). */
export async function renderClusterMapAsync(input: ClusterMapInput): Promise<ChartImage> {
  const result = layout(input);
  return { ...(await renderSvgAsync(result.svg, result.width)), alt: altText(input, result) };
}
