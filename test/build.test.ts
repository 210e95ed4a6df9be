import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/paths.js';
import { startFakeDiscord, type FakeDiscord } from './fakes/discord.js';
import { tempDir } from './helpers/app.js';
import { compiledProgram, type Program } from './helpers/compiled.js';
import { syntheticTracks, tracksToCsv } from './helpers/synthetic.js';

// The compiled build (dist/, as `npm start`, `npm run cli` and the Docker image run it): what each
// program loads at start-up, and that the compiled programs find their migrations, fonts and
// re-cluster child without the TypeScript sources' layout.

interface OutputFile {
  imports: { path: string; kind: string; external?: boolean }[];
  inputs: Record<string, unknown>;
}

/** Packages and source files an entry point loads before its first line runs (static imports only). */
function loadedAtStart(program: Program): { packages: Set<string>; sources: Set<string> } {
  const meta = JSON.parse(readFileSync(join(PROJECT_ROOT, 'dist/meta.json'), 'utf8')) as { outputs: Record<string, OutputFile> };
  const packages = new Set<string>();
  const sources = new Set<string>();
  const seen = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    const file = meta.outputs[output]!;
    for (const input of Object.keys(file.inputs)) sources.add(input);
    for (const imported of file.imports) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) packages.add(imported.path);
      else visit(imported.path);
    }
  };
  visit(`dist/${program}.js`);
  return { packages, sources };
}

describe('the compiled build', () => {
  const temp = tempDir();
  const env = { ...process.env, DATABASE_PATH: join(temp.dir, 'compiled.db'), LOG_LEVEL: 'warn', CLUSTER_K: '4' };
  const run = (program: Program, args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const result = spawnSync(process.execPath, [...compiledProgram(program), ...args], { cwd: temp.dir, env: { ...env, ...extra }, encoding: 'utf8', timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  // Asynchronous: the fake Discord answers from this process's event loop.
  const runAsync = (program: Program, extra: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, compiledProgram(program), { cwd: temp.dir, env: { ...env, ...extra } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  let discord: FakeDiscord;

  beforeAll(async () => {
    discord = await startFakeDiscord();
    writeFileSync(join(temp.dir, 'tracks.csv'), tracksToCsv(syntheticTracks({ clusters: 4, perCluster: 40 })));
  });
  afterAll(async () => {
    await discord.close();
    temp.dispose();
  });

  it('starts the CLI and the bot without k-means, the charts or their native renderer', () => {
    const cli = loadedAtStart('src/cli/main');
    for (const name of ['@resvg/resvg-js', 'discord.js']) expect(cli.packages, name).not.toContain(name);
    const bots = [loadedAtStart('bot/main'), loadedAtStart('bot/sharding/shardProcess')];
    for (const bot of bots) expect(bot.packages).not.toContain('@resvg/resvg-js');
    for (const { sources } of [cli, ...bots]) {
      expect(sources).not.toContain('src/clustering/kmeans.ts');
      expect(sources).not.toContain('src/charts/render.ts');
    }
    // The re-cluster child is the one that needs k-means.
    expect(loadedAtStart('src/jobs/reclusterMain').sources).toContain('src/clustering/kmeans.ts');
  });

  it('migrates a new database and clusters it from any working directory, in the CLI and in the re-cluster child', () => {
    // cwd is the temp folder: the migrations are found from dist/, not from where the program was started.
    expect(run('src/cli/main', ['import', join(temp.dir, 'tracks.csv')]).code).toBe(0);
    const child = run('src/jobs/reclusterMain', [JSON.stringify({ force: true })]);
    expect(child.code, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout.trim().split('\n').at(-1)!)).toMatchObject({ status: 'done', k: 4, tracks: 160 });
    const stats = run('src/cli/main', ['stats', '--json']);
    expect(JSON.parse(stats.stdout)).toMatchObject({ tracks: 160, model: { k: 4 } });
  });

  it("parses a big import in its compiled worker thread", () => {
    // Past 4 MB an import parses in a worker thread (dist/src/import/parseWorker.js).
    const tracks = syntheticTracks({ clusters: 5, perCluster: 5_500, seed: 3 });
    const path = join(temp.dir, 'big.csv');
    writeFileSync(path, tracksToCsv(tracks));
    expect(statSync(path).size).toBeGreaterThan(4_000_000);
    const result = run('src/cli/main', ['import', path, '--json'], { DATABASE_PATH: join(temp.dir, 'big.db') });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rowsRead: tracks.length, skipped: 0 });
  });

  it('runs through scripts/run.mjs with the program\'s own arguments and exit code', () => {
    const help = spawnSync(process.execPath, ['scripts/run.mjs', 'src/cli/main', 'stats', '--help'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run cli -- stats/);
    const unknown = spawnSync(process.execPath, ['scripts/run.mjs', 'src/cli/main', 'no-such-command'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command 'no-such-command'/);
  });

  it('registers the commands and answers /recommend with its picture (charts and fonts load from dist/)', async () => {
    const discordEnv = {
      DISCORD_TOKEN: discord.token,
      DISCORD_APP_ID: discord.applicationId,
      DISCORD_GUILD_ID: discord.guild().id,
      DISCORD_API_URL: discord.apiUrl,
      LOG_LEVEL: 'info',
      RECOMMEND_COOLDOWN_SECONDS: '0',
    };
    const deploy = await runAsync('bot/deploy', discordEnv);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stdout).toMatch(/^Registered \/recommend/);
    const bot = spawn(process.execPath, compiledProgram('bot/main'), { cwd: temp.dir, env: { ...env, ...discordEnv, CLUSTER_DJ_IGNORE_DOTENV: '1' } });
    let stdout = '';
    const ready = new Promise<void>((resolve) => bot.stdout.on('data', (d: Buffer) => (stdout += d.toString()).includes('ready: logged in') && resolve()));
    const exited = new Promise<number | null>((resolve) => bot.on('close', resolve));
    try {
      await ready;
      const state = await discord.command({ name: 'recommend', options: { song: 'Synthetic Song 1-3' } }).final({ timeoutMs: 20_000 });
      expect(state.original?.attachments.map((a) => a.filename)).toEqual(['sound.png']);
    } finally {
      bot.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
