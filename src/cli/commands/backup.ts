import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { fileErrorReason, InputFileError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { printJson, printLines } from '../output.js';

/** Why the copy cannot be written at `file`, checked before the database is touched; null when it can. */
function targetProblem(file: string): string | null {
  if (existsSync(file)) return `${file} already exists; choose a new file name.`;
  const folder = dirname(resolve(file));
  if (!existsSync(folder)) return `Cannot write the backup to ${file}: the folder ${folder} does not exist (create it first).`;
  if (!statSync(folder).isDirectory()) return `Cannot write the backup to ${file}: ${folder} is a file, not a folder.`;
  return null;
}

export function registerBackup(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description("Copy the database to a file with SQLite's online backup: safe while the bot is running")
    .argument('<file>', 'where to write the copy (must not exist yet; its folder must)')
    .option('--json', 'print the result as one JSON object')
    .action(async (file: string, options: { json?: boolean }) => {
      const problem = targetProblem(file);
      if (problem) throw new InputFileError(problem);
      const app = ctx.app();
      const started = performance.now();
      let totalPages: number;
      try {
        ({ totalPages } = await app.database.sqlite.backup(file));
      } catch (error) {
        throw new InputFileError(`Cannot write the backup to ${file}: ${fileErrorReason(error)}.`);
      }
      const result = { file, pages: totalPages, seconds: (performance.now() - started) / 1000 };
      if (options.json) printJson(result);
      else printLines([`Backed up ${app.config.databasePath} to ${file} (${totalPages} pages) in ${result.seconds.toFixed(1)} s.`]);
    });
}
