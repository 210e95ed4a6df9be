import { InvalidArgumentError, type Command } from 'commander';
import { clusterCatalog } from '../../clustering/clusterCatalog.js';
import type { CliContext } from '../context.js';
import { printJson, printLines, table } from '../output.js';

function parseK(value: string): 'auto' | number {
  if (value === 'auto') return 'auto';
  const k = Number(value);
  if (!Number.isInteger(k) || k < 2 || k > 200) throw new InvalidArgumentError('expected "auto" or a whole number from 2 to 200');
  return k;
}

export function registerCluster(program: Command, ctx: CliContext): void {
  program
    .command('cluster')
    .description('Cluster every track with audio features (k-means) and make the result the active model')
    .option('-k, --k <k>', 'number of clusters, or "auto" to choose by silhouette (default: CLUSTER_K)', parseK)
    .option('--json', 'print the model as one JSON object')
    .action((options: { k?: 'auto' | number; json?: boolean }) => {
      const app = ctx.app();
      const started = performance.now();
      const { model } = clusterCatalog(
        { database: app.database, settings: app.config.clustering, logger: app.logger.child({ job: 'cluster' }) },
        { k: options.k },
      );
      const seconds = (performance.now() - started) / 1000;
      const clusters = model.labels.map((label, id) => ({ id, label, size: model.profiles[id]?.size ?? 0 }));
      if (options.json) {
        printJson({
          modelId: model.id,
          k: model.k,
          tracks: model.trackCount,
          inertia: model.metrics.inertia,
          silhouette: model.metrics.silhouette,
          kCandidates: model.metrics.kCandidates ?? null,
          seconds,
          clusters,
        });
        return;
      }
      printLines([
        `Model ${model.id}: k = ${model.k} over ${model.trackCount.toLocaleString('en')} tracks in ${seconds.toFixed(1)} s`,
        `inertia ${model.metrics.inertia.toFixed(1)}, silhouette ${model.metrics.silhouette?.toFixed(3) ?? 'n/a'}`,
        ...(model.metrics.kCandidates
          ? [`k chosen by silhouette from: ${model.metrics.kCandidates.map((c) => `${c.k} (${c.silhouette.toFixed(3)})`).join(', ')}`]
          : []),
        '',
        ...table([['#', 'tracks', 'label'], ...clusters.map((c) => [c.id, c.size, c.label])]),
      ]);
    });
}
