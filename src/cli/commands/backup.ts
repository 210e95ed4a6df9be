import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputFileError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { printJson, printLines } from '../output.js';

export function registerBackup(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description("Copy the database to a file with SQLite's online backup: safe while the bot is running")
    .argument('<file>', 'where to write the copy (must not exist yet)')
    .option('--json', 'print the result as one JSON object')
    .action(async (file: string, options: { json?: boolean }) => {
      if (existsSync(file)) throw new InputFileError(`${file} already exists; choose a new file name.`);
      const app = ctx.app();
      const started = performance.now();
      const { totalPages } = await app.database.sqlite.backup(file);
      const result = { file, pages: totalPages, seconds: (performance.now() - started) / 1000 };
      if (options.json) printJson(result);
      else printLines([`Backed up ${app.config.databasePath} to ${file} (${totalPages} pages) in ${result.seconds.toFixed(1)} s.`]);
    });
}
