// @ts-check
// `node scripts/run.mjs [--source-maps] <entry> [args…]`: runs dist/<entry>.js (bot/main,
// src/cli/main, bot/deploy) in this very process, compiling dist/ first when it is missing or a
// source changed. One process, so signals and exit codes reach the program itself, and no second
// Node start-up.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, OUT_DIR, ROOT, staleReason } from './build.mjs';

const args = process.argv.slice(2);
const sourceMaps = args[0] === '--source-maps';
if (sourceMaps) args.shift();
const [entry, ...rest] = args;
if (!entry) {
  process.stderr.write('usage: node scripts/run.mjs [--source-maps] <entry, like bot/main> [arguments…]\n');
  process.exit(2);
}
const file = join(OUT_DIR, `${entry}.js`);
// The Docker image ships dist/ without the sources: nothing to rebuild from, run what is there.
const reason = existsSync(join(ROOT, 'src')) || !existsSync(file) ? staleReason() : null;
if (reason) {
  process.stderr.write(`Compiling Cluster DJ into dist/ (${reason})…\n`);
  await build();
}
// Stack traces in the TypeScript sources' lines (the bot's logs); the CLI starts faster without.
if (sourceMaps) process.setSourceMapsEnabled(true);
// The program sees the arguments as if started as `node dist/<entry>.js …`.
process.argv = [process.argv[0] ?? process.execPath, file, ...rest];
await import(pathToFileURL(file).href);
