import type * as ChartsModule from '../src/charts/index.js';
import type { ChartImage } from '../src/charts/index.js';
import type { Mix } from '../src/recommender/mix.js';
import type { Logger } from '../src/logger.js';
import type { ClusterIndex } from '../src/recommender/clusterIndex.js';
import type { ClusterModel, Recommendation } from '../src/types.js';
import type { Picture } from './embeds/types.js';

// Pictures for messages. Rendering runs off the main thread, a couple at a time; a picture that
// fails to render is logged and the message goes out without it (a picture is never worth an error).
// The charts (and resvg, the native renderer) load with the first picture, not at start-up.

const MAP_SAMPLE = 2_000;

type Charts = typeof ChartsModule;
let charts: Promise<Charts> | null = null;
const loadCharts = (): Promise<Charts> => (charts ??= import('../src/charts/index.js'));

export class Pictures {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly concurrency = 2,
  ) {}

  /** True when renders are queued: a caller racing Discord's 3 s should defer first. */
  get busy(): boolean {
    return this.active >= this.concurrency;
  }

  private async gated(name: string, render: (charts: Charts) => Promise<ChartImage> | null): Promise<Picture | null> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      const image = await render(await loadCharts());
      if (!image) return null;
      return { name, png: image.png, alt: image.alt };
    } catch (error) {
      this.logger.warn({ err: error, picture: name }, 'could not render a picture; sending without it');
      return null;
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** The query's and the pick's features side by side. */
  comparison(recommendation: Recommendation, model: ClusterModel): Promise<Picture | null> {
    return this.gated('sound.png', (c) => {
      const input = c.comparisonInput(recommendation, model.spec);
      return input ? c.renderFeatureComparisonAsync(input) : null;
    });
  }

  /** A mix's sound against its seeds. */
  mix(mix: Mix, model: ClusterModel): Promise<Picture | null> {
    const seeds = mix.seeds.flatMap((s) => (s.features ? [{ name: s.name, artists: s.artists, features: s.features }] : []));
    const tracks = mix.tracks.flatMap((t) => (t.features ? [{ features: t.features }] : []));
    return this.gated('mix.png', (c) => c.renderMixProfileAsync(c.mixProfileInput(seeds, tracks, model.spec)));
  }

  /** A cluster's profile, label, size and example songs. */
  portrait(model: ClusterModel, cluster: number, examples: { name: string; artists: string[] }[]): Promise<Picture | null> {
    return this.gated('cluster.png', (c) => c.renderClusterPortraitAsync(c.portraitInput(model, cluster, examples)));
  }

  /** Every cluster on one map: a sample of tracks projected to 2-D. */
  map(index: ClusterIndex): Promise<Picture | null> {
    const model = index.model;
    const { vectors, clusters } = index.sample(MAP_SAMPLE, 1);
    return this.gated('map.png', (c) =>
      c.renderClusterMapAsync({
        vectors,
        dimensions: index.d,
        clusters,
        labels: model.labels,
        centroids: model.centroids,
        sizes: model.labels.map((_, c) => index.clusterSize(c)),
        features: model.spec.features.map((f) => f.feature),
      }),
    );
  }
}
