import type { Command } from 'commander';
import { importCsv } from '../../import/importCsv.js';
import type { ImportReport } from '../../types.js';
import type { CliContext } from '../context.js';
import { printJson, printLines } from '../output.js';
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

export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('Import CSV or gzipped CSV files of tracks with audio features into the catalog')
    .argument(
      '<files...>',
      'CSV files (.csv or .csv.gz). Columns are matched by header: Hit Predictor, TidyTuesday, MusicOSet, Kaggle and Exportify layouts work',
    )
    .option('--json', 'print one JSON report per file')
    .action(async (files: string[], options: { json?: boolean }) => {
      const app = ctx.app();
      for (const file of files) {
        const progress = createProgress(process.stderr, `Importing ${file}`);
        const report = await importCsv(app.catalog, file, {
          onProgress: (p) =>
            progress.update(p.totalBytes ? p.bytesRead / p.totalBytes : null, `${p.rowsRead.toLocaleString('en')} rows`),
        });
        progress.done();
        const placed = app.placeNewTracks();
        if (options.json) printJson({ ...report, placedInActiveModel: placed });
        else printLines(summary(report, placed));
      }
    });
}
