import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFakeCatalog, startFakeSpotify, type FakeSpotify, type GeneratedFakeCatalog } from './fakes/spotify.js';
import { tempDir } from './helpers/app.js';
import { compiledProgram } from './helpers/compiled.js';

// `crawl` and `resolve` as an operator runs them, against the fake Spotify.

const ROOT = new URL('..', import.meta.url).pathname;

describe('command line: crawl and resolve', () => {
  const temp = tempDir();
  let fake: FakeSpotify;
  let catalog: GeneratedFakeCatalog;
  let env: NodeJS.ProcessEnv;

  // Asynchronous spawn: the fake Spotify answers from this process's event loop.
  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [...compiledProgram('src/cli/main'), ...args], { cwd: ROOT, env: { ...env, ...extraEnv } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  const trackCount = async () => (JSON.parse((await cli(['stats', '--json'])).stdout) as { tracks: number }).tracks;

  beforeAll(async () => {
    catalog = generateFakeCatalog({ seed: 3 });
    fake = await startFakeSpotify({ catalog, mode: 'extended', clientId: 'id', clientSecret: 'secret' });
    env = {
      ...process.env,
      DATABASE_PATH: join(temp.dir, 'cli.db'),
      LOG_LEVEL: 'error',
      ...fake.settings(),
      HTTP_MAX_RETRIES: '1',
      HTTP_TIMEOUT_MS: '2000',
    };
  });
  afterAll(async () => {
    await fake.close();
    temp.dispose();
  });

  it('refuses a playlist it cannot read with one line, leaving the catalog as it was', async () => {
    const result = await cli(['crawl', `https://open.spotify.com/playlist/${catalog.ids.playlists.editorial}`]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/editorial or algorithmic playlists/);
    expect(await trackCount()).toBe(0);
  });

  it('pauses with one line when Spotify stays down, leaving the catalog as it was and keeping what it read', async () => {
    const fault = fake.fault({ service: 'api', kind: '503', times: Infinity, path: /\/tracks$/ });
    const result = await cli(['crawl', catalog.ids.playlists.large]);
    fault.cancel();
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^The crawl paused after reading \d+ songs: Spotify is not answering right now \(HTTP 503 after 2 attempts\)\. Nothing it read is lost: crawling this playlist again continues where it stopped/);
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    expect(await trackCount()).toBe(0);
  });

  it('completes a crawl (exit 0) even when some tracks are left without features', async () => {
    const result = await cli(['crawl', `spotify:playlist:${catalog.ids.playlists.large}`, '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { resumed: boolean; counts: { playlistTracks: number; featuresMissing: number; added: number } };
    expect(summary.resumed).toBe(true); // it continues the run the outage paused
    expect(summary.counts.added).toBeGreaterThan(100);
    expect(summary.counts.featuresMissing).toBeGreaterThan(0);
    expect(await trackCount()).toBe(summary.counts.added);
    const text = await cli(['crawl', catalog.ids.playlists.large]);
    expect(text.stdout).toMatch(/has not changed since the last crawl/);
  });

  it('resolves a link to a track, storing it with its provider', async () => {
    const id = [...catalog.tracks.values()].find((t) => t.features && t.featuresKnownBy.reccobeats && t.playable)!.id;
    const result = await cli(['resolve', `https://open.spotify.com/intl-de/track/${id}?si=abc`, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ spotifyId: id, featuresProvider: 'reccobeats' });
  });

  it('says what to set when Spotify is not configured', async () => {
    const result = await cli(['crawl', catalog.ids.playlists.mine], { SPOTIFY_CLIENT_ID: '', SPOTIFY_CLIENT_SECRET: '' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "I can't crawl playlists: Spotify is not set up. Set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET (see .env.example).",
    );
  });

  it('rejects a link of the wrong kind', async () => {
    const result = await cli(['crawl', 'https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('That is a Spotify track link; I need a playlist link.');
  });
});
