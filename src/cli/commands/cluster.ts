import { InvalidArgumentError, type Command } from 'commander';
import { JobRunner } from '../../jobs/jobRunner.js';
import { JobStore } from '../../jobs/jobStore.js';
import type { ReclusterOutcome } from '../../jobs/recluster.js';
import { realClock } from '../../http/httpClient.js';
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
    .description(
      'Cluster every track with audio features (k-means) and switch to the new model; skipped when the catalog has hardly changed since the active model (RECLUSTER_MIN_CHANGE), unless --force or -k',
    )
    .option('-k, --k <k>', 'number of clusters, or "auto" to choose by silhouette (default: CLUSTER_K)', parseK)
    .option('--force', 're-cluster even if the catalog has hardly changed')
    .option('--json', 'print the outcome as one JSON object')
    .action(async (options: { k?: 'auto' | number; force?: boolean; json?: boolean }) => {
      const app = ctx.app();
      // Loaded here, not at start-up: every other command (and --help) starts without k-means.
      const { reclusterCatalog } = await import('../../jobs/recluster.js');
      // The same job, lock and run record as the bot's scheduled re-cluster: never two at once.
      const runner = new JobRunner(new JobStore(app.database), realClock, app.logger.child({ service: 'jobs' }));
      const result = await runner.run<ReclusterOutcome & Record<string, unknown>>({
        name: 'recluster',
        lock: 'catalog',
        run: () => Promise.resolve(reclusterCatalog(app, { force: options.force ?? options.k !== undefined, k: options.k })),
      });
      if (result.status === 'failed') throw result.error;
      if (result.status === 'skipped') {
        if (options.json) printJson({ status: 'skipped', reason: result.reason });
        else printLines([`Not re-clustered: ${result.reason}.`]);
        return;
      }
      const outcome = result.counts;
      if (outcome.status === 'skipped') {
        if (options.json) printJson(outcome);
        else printLines([`Not re-clustered: ${outcome.reason}. Use --force to re-cluster anyway.`]);
        return;
      }
      const model = app.models.load(outcome.modelId)!;
      const clusters = model.labels.map((label, id) => ({ id, label, size: model.profiles[id]?.size ?? 0 }));
      if (options.json) {
        printJson({
          status: 'done',
          modelId: model.id,
          k: model.k,
          tracks: model.trackCount,
          inertia: model.metrics.inertia,
          silhouette: model.metrics.silhouette,
          kCandidates: model.metrics.kCandidates ?? null,
          seconds: outcome.seconds,
          renumbered: outcome.renumbered,
          pruned: outcome.pruned,
          clusters,
        });
        return;
      }
      printLines([
        `Model ${model.id}: k = ${model.k} over ${model.trackCount.toLocaleString('en')} tracks in ${outcome.seconds.toFixed(1)} s`,
        `inertia ${model.metrics.inertia.toFixed(1)}, silhouette ${model.metrics.silhouette?.toFixed(3) ?? 'n/a'}`,
        ...(model.metrics.kCandidates
          ? [`k chosen by silhouette from: ${model.metrics.kCandidates.map((c) => `${c.k} (${c.silhouette.toFixed(3)})`).join(', ')}`]
          : []),
        ...(outcome.pruned.length > 0 ? [`pruned old model version(s): ${outcome.pruned.join(', ')}`] : []),
        '',
        ...table([['#', 'tracks', 'label'], ...clusters.map((c) => [c.id, c.size, c.label])]),
      ]);
    });
}
