import type { Command } from 'commander';
import { PUBLIC_DATASETS, UNVERIFIED_DATASETS } from '../../datasets/registry.js';
import type { CliContext } from '../context.js';
import { printJson, printLines } from '../output.js';

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

export function registerDatasets(program: Command, ctx: CliContext): void {
  program
    .command('datasets')
    .description('List the public datasets `import <name>` and STARTER_DATASETS can fetch by name (reads no network)')
    .option('--json', 'print one JSON object per dataset')
    .action((options: { json?: boolean }) => {
      const { urls, starter } = ctx.config().datasets;
      const listed = PUBLIC_DATASETS.map((d) => ({ ...d, url: urls[d.name], starter: starter.includes(d.name) }));
      if (options.json) {
        for (const d of listed) printJson(d);
        for (const d of UNVERIFIED_DATASETS) printJson({ ...d, offered: false });
        return;
      }
      const lines: string[] = [];
      for (const d of listed) {
        const labels = [d.carries.genres ? 'genres' : null, d.carries.playlists ? 'playlists' : null].filter(Boolean).join(' and ');
        lines.push(
          `${d.name}${d.starter ? '  (starter catalog)' : ''}`,
          `  ${d.title}: ${d.description}`,
          `  rows     ${d.rows.toLocaleString('en')} (${d.tracks.toLocaleString('en')} distinct track IDs), ${megabytes(d.bytes)} of CSV`,
          `  labels   ${labels || 'none'} (kept for the quality evaluation; the recommender does not use them)`,
          `  licence  ${d.licence}`,
          `  source   ${d.url}${d.url === d.defaultUrl ? '' : ` (from ${d.urlSetting}; default ${d.defaultUrl})`}`,
          `  about    ${d.homepage}`,
          '',
        );
      }
      lines.push('Not offered by name, because not everything could be verified:');
      for (const d of UNVERIFIED_DATASETS) lines.push(`  ${d.name}: ${d.title}`, `    ${d.note}.`, `    ${d.url}`);
      lines.push('', 'Import one with `npm run cli -- import <name>`, or any CSV by URL or path.');
      printLines(lines);
    });
}
