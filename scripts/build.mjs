// @ts-check
// `npm run build`: compiles the bot, the CLI, the command registration and the re-cluster child
// into dist/ with esbuild, so they start as plain JavaScript instead of compiling TypeScript at
// every start (tsx stays for the tests and for development).
//
// One bundle per entry point, shared code in chunks. Pure-JavaScript packages are bundled too:
// loading zod, drizzle, commander and prom-client file by file from node_modules was most of a
// CLI command's start-up (0.43 s against 0.28 s bundled, median of 5 each, `stats`). Native
// addons, discord.js (optional native speed-ups, only the bot loads it) and pino (worker-thread
// transports resolve files at run time) stay in node_modules. Modules imported with
// `await import()` (the re-cluster, the charts and their native renderer, the shard manager)
// become chunks of their own and load only when used.
//
// `npm start`, `npm run cli` and `npm run deploy-commands` go through scripts/run.mjs, which
// rebuilds only when a source file changed since the last build (a few milliseconds of file
// stats, without loading esbuild).

import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'dist');
const INFO = join(OUT_DIR, 'build-info.json');

/**
 * What a user runs, the processes the bot starts (shards, the re-cluster) and the worker threads
 * (an import's parser). Compiled to dist/<same path>.js.
 */
export const ENTRY_POINTS = [
  'bot/main.ts', 'bot/deploy.ts', 'bot/sharding/shardProcess.ts', 'src/cli/main.ts', 'src/jobs/reclusterMain.ts', 'src/import/parseWorker.ts',
];
/** Packages loaded from node_modules at run time rather than bundled (see above). */
const EXTERNAL = ['better-sqlite3', '@resvg/resvg-js', 'discord.js', 'pino'];
/** Files that change the output besides the bundled sources (the lock file stands for node_modules). */
const BUILD_INPUTS = ['scripts/build.mjs', 'tsconfig.json', 'package.json', 'package-lock.json'];
// Bundled CommonJS packages call require() for Node's built-ins; an ES module has none of its own.
const REQUIRE_SHIM = "import { createRequire as __clusterDjRequire } from 'node:module'; const require = __clusterDjRequire(import.meta.url);";

/**
 * @typedef {{ esbuild: string, inputs: Record<string, { mtimeMs: number, size: number }>, outputs: string[], previous: string[] }} BuildInfo
 * @typedef {import('esbuild').Metafile} Metafile
 */

/**
 * @param {string} path
 * @returns {unknown}
 */
function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** @returns {string} */
function esbuildVersion() {
  const manifest = /** @type {{ version: string }} */ (readJson(createRequire(import.meta.url).resolve('esbuild/package.json')));
  return manifest.version;
}

/** @returns {BuildInfo | null} */
function readInfo() {
  try {
    return /** @type {BuildInfo} */ (readJson(INFO));
  } catch {
    return null;
  }
}

/** @param {string} path */
function stamp(path) {
  const stats = statSync(join(ROOT, path));
  return { mtimeMs: stats.mtimeMs, size: stats.size };
}

/** Why dist/ must be rebuilt, or null when it matches the sources. */
export function staleReason() {
  const info = readInfo();
  if (!info) return 'no build yet';
  if (info.esbuild !== esbuildVersion()) return 'esbuild changed';
  for (const [path, was] of Object.entries(info.inputs)) {
    let now;
    try {
      now = stamp(path);
    } catch {
      return `${path} is gone`;
    }
    if (now.mtimeMs !== was.mtimeMs || now.size !== was.size) return `${path} changed`;
  }
  for (const output of info.outputs) if (!existsSync(join(ROOT, output))) return `${output} is missing`;
  return null;
}

/**
 * Builds dist/ and returns esbuild's metafile (the tests read the import graph from it). The
 * previous build's chunks stay until the next build: a bot started from it keeps loading its
 * lazy chunks while a newer build is written beside them.
 * @param {{ quiet?: boolean }} [options]
 * @returns {Promise<Metafile>}
 */
export async function build(options = {}) {
  const started = performance.now();
  const esbuild = await import('esbuild');
  const before = readInfo();
  mkdirSync(OUT_DIR, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outdir: 'dist',
    outbase: '.',
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: REQUIRE_SHIM },
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs);
  const keep = new Set([...outputs, ...(before?.outputs ?? [])]);
  for (const old of before?.previous ?? []) if (!keep.has(old)) rmSync(join(ROOT, old), { force: true });
  const local = Object.keys(result.metafile.inputs).filter((path) => !path.startsWith('node_modules/'));
  /** @type {BuildInfo} */
  const info = {
    esbuild: esbuild.version,
    inputs: Object.fromEntries([...local, ...BUILD_INPUTS].map((path) => [path, stamp(path)])),
    outputs,
    previous: (before?.outputs ?? []).filter((path) => !outputs.includes(path)),
  };
  // The import graph, for `esbuild --analyze`-style questions and the tests (what loads at start-up).
  writeFileSync(join(OUT_DIR, 'meta.json'), JSON.stringify(result.metafile));
  writeFileSync(INFO, `${JSON.stringify(info, null, 2)}\n`);
  // esbuild keeps a helper process for further builds; a long-running bot must not keep it.
  await esbuild.stop();
  if (!options.quiet) process.stderr.write(`Built dist/ in ${Math.round(performance.now() - started)} ms.\n`);
  return result.metafile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
