import type { Command } from 'commander';
import { StarterStore } from '../../starter/starterStore.js';
import { catalogStats } from '../../stats.js';
import type { CliContext } from '../context.js';
import { printJson, printLines, table } from '../output.js';

export function registerStats(program: Command, ctx: CliContext): void {
  program
    .command('stats')
    .description('Show catalog counts, the active cluster model and its cluster sizes (reads the database only)')
    .option('--json', 'print one JSON object')
    .action((options: { json?: boolean }) => {
      const app = ctx.app();
      const stats = catalogStats(app);
      const starter = new StarterStore(app.database).all();
      if (options.json) {
        printJson({ ...stats, starter });
        return;
      }
      const providers = Object.entries(stats.featuresByProvider).map(([p, n]) => `    ${p}: ${n}`);
      printLines([
        `tracks               ${stats.tracks}`,
        `  with features      ${stats.withFeatures}`,
        ...providers,
        `  without features   ${stats.withoutFeatures}`,
        `  merged duplicates  ${stats.aliases}`,
        `seed playlists       ${stats.seeds}`,
        `recommendations      ${stats.recommendationsGiven}`,
        // The bot's first-start fill, while one is unfinished (or as it ended).
        ...starter.map(
          (s) =>
            `starter catalog      ${s.source}: ${s.status === 'done' ? `done, ${s.tracksAdded} tracks added` : `${s.rowsRead}${s.rowsExpected ? ` of ${s.rowsExpected}` : ''} rows so far${s.lastError ? ` (last attempt: ${s.lastError})` : ''}`}`,
        ),
        '',
        ...(stats.model
          ? [
              `model ${stats.model.id}: k = ${stats.model.k}, ${stats.model.trackCount} tracks, built ${new Date(stats.model.createdAt).toISOString()}`,
              `  inertia ${stats.model.inertia.toFixed(1)}, silhouette ${stats.model.silhouette?.toFixed(3) ?? 'n/a'}`,
              ...table([['#', 'tracks', 'label'], ...stats.model.clusters.map((c) => [c.id, c.size, c.label])]).map((l) => `  ${l}`),
            ]
          : ['no cluster model yet: run `npm run cli -- cluster`']),
      ]);
    });
}
