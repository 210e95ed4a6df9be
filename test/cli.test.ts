import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/app.js';
import { compiledProgram } from './helpers/compiled.js';
import { syntheticTracks, tracksToCsv } from './helpers/synthetic.js';

// The CLI as a user runs it: a child process, settings from the environment, output on stdout.

const ROOT = new URL('..', import.meta.url).pathname;

describe('command line', () => {
  const temp = tempDir();
  const env = { ...process.env, DATABASE_PATH: join(temp.dir, 'cli.db'), LOG_LEVEL: 'warn', CLUSTER_K: '4' };
  const cli = (args: string[], input?: string, settings: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, [...compiledProgram('src/cli/main'), ...args], {
      cwd: ROOT,
      env: { ...env, ...settings },
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const tracks = syntheticTracks({ clusters: 4, perCluster: 50 });

  beforeAll(() => {
    writeFileSync(join(temp.dir, 'tracks.csv'), tracksToCsv(tracks));
  });
  afterAll(() => temp.dispose());

  it('has --help for every command', () => {
    const top = cli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['import', 'datasets', 'cluster', 'recommend', 'stats', 'crawl', 'resolve', 'spotify-login', 'jobs', 'backup']) {
      expect(top.stdout).toContain(command);
      const help = cli([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain('--json');
    }
  });

  it('imports, clusters, recommends and reports, as text and as JSON', () => {
    const imported = cli(['import', join(temp.dir, 'tracks.csv'), '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ tracksAdded: 200, skipped: 0 });

    const clustered = cli(['cluster', '--json']);
    expect(clustered.code).toBe(0);
    const model = JSON.parse(clustered.stdout) as { k: number; clusters: { size: number; label: string }[] };
    expect(model.k).toBe(4);
    expect(model.clusters.map((c) => c.size)).toEqual([50, 50, 50, 50]);

    const text = cli(['recommend', 'Synthetic Song 2-3']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Synthetic Song 2-3 — Artist 2-3\n {2}→ Synthetic Song 2-\d+ — Artist 2-\d/);
    expect(text.stdout).toMatch(/% similar/);
    expect(text.stdout).toMatch(/Close on /);

    const json = cli(['recommend', '--json', `https://open.spotify.com/track/${tracks[0]!.spotifyId}?si=x`]);
    const answer = JSON.parse(json.stdout) as { seed: { name: string }; pick: { name: string; url: string }; cluster: { label: string } };
    expect(answer.seed.name).toBe('Synthetic Song 0-0');
    expect(answer.pick.name).toMatch(/^Synthetic Song 0-/);
    expect(answer.pick.url).toMatch(/^https:\/\/open\.spotify\.com\/track\//);

    const stats = cli(['stats', '--json']);
    expect(JSON.parse(stats.stdout)).toMatchObject({ tracks: 200, withFeatures: 200, model: { k: 4 } });
  });

  it('backs up the database while it is in use, to a file that opens with the same catalog', () => {
    const target = join(temp.dir, 'backup.db');
    const result = cli(['backup', target, '--json']);
    expect(result.code).toBe(0);
    const copy = spawnSync(process.execPath, [...compiledProgram('src/cli/main'), 'stats', '--json'], { cwd: ROOT, env: { ...env, DATABASE_PATH: target }, encoding: 'utf8' });
    expect(JSON.parse(copy.stdout)).toMatchObject({ tracks: 200, model: { k: 4 } });
    expect(cli(['backup', target]).stderr).toMatch(/already exists/);
  });

  it('answers many queries from standard input, in order, skipping blank lines', () => {
    const out = cli(['recommend', '-', '--json', '--dry-run'], 'Synthetic Song 1-1\n\n   \nno such song qqq\nSynthetic Song 3-7\n');
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { query: string; error?: { code: string } });
    expect(lines.map((l) => l.query)).toEqual(['Synthetic Song 1-1', 'no such song qqq', 'Synthetic Song 3-7']);
    expect(lines[1]!.error?.code).toBe('unknown_song');
    expect(out.code).toBe(1);
  });

  it('stops on a bad setting with one clear line and no stack trace', () => {
    const result = spawnSync(process.execPath, [...compiledProgram('src/cli/main'), 'stats'], {
      cwd: ROOT,
      env: { ...env, CLUSTER_K: 'lots' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Invalid setting CLUSTER_K: expected "auto" or a whole number from 2 to 200, got "lots".');
  });

  it('a cluster that fails (too few tracks) says why, and its run ends failed with that reason and frees the lock', () => {
    const empty = { DATABASE_PATH: join(temp.dir, 'too-few.db') };
    writeFileSync(join(temp.dir, 'three.csv'), tracksToCsv(tracks.slice(0, 3)));
    expect(cli(['import', join(temp.dir, 'three.csv')], undefined, empty).code).toBe(0);
    const failed = cli(['cluster'], undefined, empty);
    expect(failed.code).toBe(1);
    // (LOG_LEVEL=warn here also logs the failed job as a JSON line before it.)
    expect(failed.stderr.trim().split('\n').at(-1)).toBe('Clustering needs at least 20 tracks with audio features; the catalog has 3. Import a dataset or add seed playlists first.');
    const runs = cli(['jobs', '--json'], undefined, empty).stdout.trim().split('\n').map((l) => JSON.parse(l) as { job: string; status: string; error: string });
    expect(runs).toMatchObject([{ job: 'recluster', status: 'failed', error: expect.stringMatching(/^Clustering needs at least/) as unknown }]);
    const db = new BetterSqlite3(empty.DATABASE_PATH, { readonly: true });
    try {
      expect(db.prepare('SELECT * FROM job_locks').all()).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('a backup to a folder that does not exist says so in one line', () => {
    const target = join(temp.dir, 'no-such-folder', 'backup.db');
    const result = cli(['backup', target]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Cannot write the backup to ${target}: the folder ${join(temp.dir, 'no-such-folder')} does not exist (create it first).\n`);
  });

  it('a DATABASE_PATH that cannot be written says where and why in one line', () => {
    writeFileSync(join(temp.dir, 'a-file'), 'not a folder');
    const path = join(temp.dir, 'a-file', 'data', 'cluster-dj.db');
    const result = cli(['import', join(temp.dir, 'tracks.csv')], undefined, { DATABASE_PATH: path });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Cannot open the database at ${path} (DATABASE_PATH): part of the path is a file, not a folder.\n`);
  });

  it.each([['stats'], ['jobs'], ['recommend', 'Piano Man'], ['cluster'], ['backup', 'copy.db']])('%s at a mistyped DATABASE_PATH says there is no catalog there, and creates none', (...args) => {
    const path = join(temp.dir, 'mistyped', 'clsuter-dj.db');
    const result = cli(args, undefined, { DATABASE_PATH: path });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`No catalog at ${path}: check DATABASE_PATH, or create one with \`npm run cli -- import tidytuesday\` (or by starting the bot).\n`);
    expect(existsSync(join(temp.dir, 'mistyped'))).toBe(false);
  });

  it('names itself in usage lines as it is run (npm run cli --), and prints its version', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; version: string });
    expect(scripts.scripts.cli).toBeDefined();
    expect(cli(['--help']).stdout).toMatch(/^Usage: npm run cli -- \[options\] \[command\]\n/);
    expect(cli(['jobs', '--help']).stdout).toMatch(/^Usage: npm run cli -- jobs \[options\]\n/);
    const version = cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${scripts.version}\n`);
  });

  it.each(['0', 'abc', '2.5'])('rejects jobs -n %s with what it expects', (n) => {
    const result = cli(['jobs', '-n', n]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: option '-n, --limit <n>' argument '${n.replace('.', '\\.')}' is invalid\\. expected a whole number from 1 to 1000\\n`));
  });

  it('with Spotify not set up, says that setting it up would fetch a song the catalog lacks', () => {
    const result = cli(['recommend', 'https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "I couldn't find \"https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC\" in the catalog. Spotify is not set up here, so songs the catalog lacks cannot be fetched: the operator sets SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET (see .env.example).",
    );
  });

  // `script` gives the CLI a terminal (util-linux; present wherever the suite runs, skipped otherwise).
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('in a terminal prints only its own output, unless LOG_LEVEL asks for log lines', () => {
    const { LOG_LEVEL: _level, ...quiet } = env;
    const inTerminal = (settings: NodeJS.ProcessEnv) => {
      const command = [process.execPath, ...compiledProgram('src/cli/main'), 'cluster', '--force'].map((a) => `'${a}'`).join(' ');
      const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: settings, encoding: 'utf8', timeout: 60_000 });
      expect(result.status, result.stdout).toBe(0);
      return result.stdout;
    };
    const plain = inTerminal(quiet);
    expect(plain).toMatch(/^Model \d+: k = 4 over 200 tracks/);
    expect(plain).not.toContain('{"level"');
    expect(inTerminal({ ...quiet, LOG_LEVEL: 'info' })).toMatch(/\{"level":30,.*"msg":"job started"/);
  });

  it('explains a user mistake in one line', () => {
    const result = cli(['import', join(temp.dir, 'nope.csv')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^Cannot read .*nope\.csv: no such file\.$/);
  });
});
