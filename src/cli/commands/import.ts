import type { Command } from 'commander';
import { isUserError } from '../../errors.js';
import { expectedRows, importSource, resolveSource, type ImportSource } from '../../import/sources.js';
import type { ImportReport } from '../../types.js';
import type { CliContext } from '../context.js';
import { errorJson, printJson, printLines } from '../output.js';
import { createProgress } from '../progress.js';

const seconds = (ms: number) => (ms / 1000).toFixed(1);

function summary(report: ImportReport, placed: number): string[] {
  const rate = report.rowsRead / Math.max(0.001, report.elapsedMs / 1000);
  const reasons = Object.entries(report.skippedReasons)
    .map(([reason, n]) => `${reason}: ${n}`)
    .join(', ');
  return [
    `${report.file} (${report.layout})`,
    `  rows read        ${report.rowsRead}  (${Math.round(rate)} rows/s; ${seconds(report.elapsedMs)} s, of which writing ${seconds(report.writeMs)} s)`,
    `  tracks added     ${report.tracksAdded}`,
    `  updated          ${report.tracksUpdated}`,
    `  unchanged        ${report.tracksUnchanged}`,
    ...(report.repeatedInFile > 0 ? [`  repeated in the file  ${report.repeatedInFile}`] : []),
    `  merged (same recording, other ID)  ${report.mergedDuplicates}`,
    `  features added   ${report.featuresAdded}`,
    `  labels added     ${report.labelsAdded}`,
    `  skipped          ${report.skipped}${report.skipped > 0 ? `  (${reasons}; first lines: ${report.skippedLines.join(', ')})` : ''}`,
    ...report.missingColumns.map((column) => `  no ${column} column: imported without it (tracks are compared on the other features)`),
    ...(placed > 0 ? [`  placed in the active clusters  ${placed}`] : []),
  ];
}

/** The bar's fraction: bytes when their total is known, else rows of a dataset whose size is. */
function fraction(source: ImportSource, p: { rowsRead: number; bytesRead: number; totalBytes: number | null }): number | null {
  if (p.totalBytes) return p.bytesRead / p.totalBytes;
  const rows = expectedRows(source);
  return rows ? p.rowsRead / rows : null;
}

export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('Import CSV or gzipped CSV files of tracks with audio features, from files, http(s) URLs or named public datasets (see `datasets`)')
    .argument(
      '<sources...>',
      'files (.csv or .csv.gz), http(s) URLs, or dataset names like tidytuesday. Columns are matched by header: Hit Predictor, TidyTuesday, MusicOSet, Kaggle and Exportify layouts work',
    )
    .option('--json', 'print one JSON report per source (with an "error" for one that failed)')
    .addHelpText(
      'after',
      '\nSeveral sources run one after another; one that fails is reported and the others still run (exit code 1 if any failed).\nAn import that stops part-way can simply be run again: it ends exactly as one clean import would.',
    )
    .action(async (given: string[], options: { json?: boolean }) => {
      const app = ctx.app({ create: true });
      const imported: string[] = [];
      const failed: { source: string; reason: string }[] = [];
      for (const entry of given) {
        const source = resolveSource(entry, app.config.datasets.urls);
        const progress = createProgress(process.stderr, `${source.kind === 'file' ? 'Importing' : 'Downloading'} ${entry}`);
        try {
          const report = await importSource(app, source, {
            onProgress: (p) => progress.update(fraction(source, p), `${p.rowsRead.toLocaleString('en')} rows`),
          });
          progress.done();
          const placed = app.placeNewTracks();
          imported.push(entry);
          if (options.json) printJson({ ...report, placedInActiveModel: placed });
          else printLines(summary(report, placed));
        } catch (error) {
          progress.done();
          if (!isUserError(error)) {
            if (imported.length > 0) process.stderr.write(`Imported before the failure: ${imported.join(', ')}.\n`);
            throw error;
          }
          failed.push({ source: entry, reason: error.message });
          if (options.json) printJson({ file: entry, error: errorJson(error) });
          else process.stderr.write(`${error.message}\n`);
        }
      }
      if (failed.length === 0) return;
      process.exitCode = 1;
      if (given.length > 1 && !options.json) {
        process.stderr.write(
          `Imported: ${imported.length > 0 ? imported.join(', ') : 'none'}. Not imported: ${failed.map((f) => f.source).join(', ')}.\n`,
        );
      }
    });
}
