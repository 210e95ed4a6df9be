import { renderClusterMap, type ClusterMapInput } from '../src/charts/clusterMap.js';
import { clusterPortraitSvg, renderClusterPortrait } from '../src/charts/clusterPortrait.js';
import type { ChartImage } from '../src/charts/common.js';
import { featureComparisonSvg, renderFeatureComparison } from '../src/charts/featureComparison.js';
import { COMPARISON, MAP_FEATURES, MAP_LABELS, mapData, PORTRAIT } from '../test/charts/fixtures.js';
import { percentile, type Report } from './stats.js';

// Render time and PNG size of each picture, from the same fixed inputs as the picture tests.
// Each is rendered a few times to warm up, then RUNS times; the figure is the median.

const RUNS = 50;
const WARM_UP = 5;

function timed(run: () => unknown): number[] {
  for (let i = 0; i < WARM_UP; i++) run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times;
}

function mapInput(perCluster: number, k: number): ClusterMapInput {
  const { vectors, clusters, centroids } = mapData(perCluster, k);
  const labels = k === MAP_LABELS.length ? MAP_LABELS : centroids.map((_, i) => `${MAP_LABELS[i % MAP_LABELS.length]!}${i >= MAP_LABELS.length ? ` (${Math.floor(i / MAP_LABELS.length) + 1})` : ''}`);
  return { vectors, dimensions: 9, clusters, centroids, labels, features: MAP_FEATURES };
}

export function benchRender(report: Report): void {
  const small = mapInput(300, 6);
  const big = mapInput(5_000, 20);
  const pictures: { name: string; render: () => ChartImage; svgOnly?: () => unknown }[] = [
    { name: 'feature comparison (9 features)', render: () => renderFeatureComparison(COMPARISON), svgOnly: () => featureComparisonSvg(COMPARISON) },
    { name: 'cluster portrait (10 features, 5 songs)', render: () => renderClusterPortrait(PORTRAIT), svgOnly: () => clusterPortraitSvg(PORTRAIT) },
    { name: 'cluster map (6 clusters, 1,800 tracks)', render: () => renderClusterMap(small) },
    { name: 'cluster map (20 clusters, 100k tracks, 1,500 drawn)', render: () => renderClusterMap(big) },
  ];

  for (const picture of pictures) {
    const times = timed(picture.render);
    const image = picture.render();
    report.add('render', `${picture.name}: median`, percentile(times, 50), 'ms', `p95 ${percentile(times, 95).toFixed(1)} ms, ${RUNS} renders`);
    if (picture.svgOnly) report.add('render', `${picture.name}: of which building the SVG`, percentile(timed(picture.svgOnly), 50), 'ms');
    report.add('render', `${picture.name}: PNG size`, image.png.length / 1024, 'KB', `${image.width}×${image.height}`);
  }
}
