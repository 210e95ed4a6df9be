import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDatasetHost, type DatasetHost } from './fakes/datasetHost.js';
import { tempDir } from './helpers/app.js';
import { syntheticTracks, tracksToCsv } from './helpers/synthetic.js';
import { compiledProgram } from './helpers/compiled.js';

// `import` and `datasets` as a user runs them, against a dataset host on 127.0.0.1 (the child
// process downloads from this process, so it is spawned asynchronously).

const ROOT = new URL('..', import.meta.url).pathname;

describe('command line: import from URLs and by name, datasets', () => {
  const temp = tempDir();
  let host: DatasetHost;
  let env: NodeJS.ProcessEnv;
  const tracks = syntheticTracks({ clusters: 4, perCluster: 50 });

  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [...compiledProgram('src/cli/main'), ...args], { cwd: ROOT, env: { ...env, ...extra } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    host = await startDatasetHost();
    host.put('/tracks.csv', { body: Buffer.from(tracksToCsv(tracks)), gzip: true });
    const local = syntheticTracks({ clusters: 2, perCluster: 10, seed: 99 }).map((t) => ({ ...t, name: `Local ${t.name}` }));
    writeFileSync(join(temp.dir, 'local.csv'), tracksToCsv(local));
    env = {
      ...process.env,
      CLUSTER_DJ_IGNORE_DOTENV: '1',
      DATABASE_PATH: join(temp.dir, 'cli.db'),
      LOG_LEVEL: 'warn',
      CLUSTER_K: '4',
      HTTP_TIMEOUT_MS: '2000',
      HTTP_MAX_RETRIES: '1',
      DATASET_TIDYTUESDAY_URL: host.url('/tracks.csv'),
    };
  });
  afterAll(async () => {
    await host.close();
    temp.dispose();
  });

  it('names a 404 in one line, exits 1 and imports nothing', async () => {
    const result = await cli(['import', host.url('/nothing-here.csv')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Cannot download ${host.url('/nothing-here.csv')}: the server answered 404 Not Found.\n`);
    expect(JSON.parse((await cli(['stats', '--json'])).stdout)).toMatchObject({ tracks: 0 });
  });

  it('runs every source of one call, says which were imported and which were not, and exits 1', async () => {
    host.fault('/tracks.csv', { kind: 'html' });
    const result = await cli(['import', host.url('/tracks.csv'), join(temp.dir, 'nope.csv'), join(temp.dir, 'local.csv')]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      `${host.url('/tracks.csv')} is a web page (text/html), not a CSV file: use the link to the raw file.`,
      `Cannot read ${join(temp.dir, 'nope.csv')}: no such file.`,
      `Imported: ${join(temp.dir, 'local.csv')}. Not imported: ${host.url('/tracks.csv')}, ${join(temp.dir, 'nope.csv')}.`,
    ]);
    expect(result.stdout).toMatch(/local\.csv \(generic\)\n {2}rows read +20 /);
  });

  it('imports a named dataset from its URL setting, then clusters and recommends from it', async () => {
    const imported = await cli(['import', 'tidytuesday', '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ file: `tidytuesday (${host.url('/tracks.csv')})`, tracksAdded: 200 });
    expect((await cli(['cluster', '-k', '4'])).code).toBe(0);
    const answer = await cli(['recommend', 'Synthetic Song 2-3']);
    expect(answer.code).toBe(0);
    expect(answer.stdout).toMatch(/^Synthetic Song 2-3 — Artist 2-3\n {2}→ Synthetic Song 2-\d+/);
  });

  it('lists the named datasets with rows, licence, labels and the URL in use, and what could not be verified', async () => {
    const text = await cli(['datasets']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('tidytuesday  (starter catalog)');
    expect(text.stdout).toContain('32,833');
    expect(text.stdout).toContain('licence  MIT');
    expect(text.stdout).toContain('genres and playlists');
    expect(text.stdout).toContain(`source   ${host.url('/tracks.csv')} (from DATASET_TIDYTUESDAY_URL;`);
    expect(text.stdout).toMatch(/Not offered by name, because not everything could be verified:\n {2}spotify-tracks-dataset/);
    const json = (await cli(['datasets', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; url: string });
    expect(json.map((d) => d.name)).toEqual(['tidytuesday', 'spotify-tracks-dataset']);
  });
});
