import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Clock } from '../../src/http/httpClient.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { loginWithPkce } from '../../src/spotify/login.js';
import { generateFakeCatalog, startFakeSpotify, type FakeCatalog, type FakeSpotify, type FakeSpotifyOptions } from '../fakes/spotify.js';
import { tempDir, type TestApp } from './app.js';

/** A clock whose sleeps return at once but are recorded, so retry tests never really wait. */
export class RecordingClock implements Clock {
  readonly sleeps: number[] = [];
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.offset += ms;
    return Promise.resolve();
  }
}

/**
 * Runs the PKCE login against a fake Spotify as a user clicking "Agree" would: the fake's consent
 * page redirects straight to the loopback callback.
 */
export function loginToFake(app: App): Promise<unknown> {
  return loginWithPkce({
    http: app.http,
    settings: app.spotify!.accountsSettings,
    apiUrl: app.config.spotify.apiUrl,
    accounts: app.spotifyAccounts,
    port: 0,
    onAuthorizeUrl: (url) => void fetch(url, { redirect: 'manual' }).then((r) => fetch(r.headers.get('location')!)),
  });
}

export interface SpotifyTestWorld {
  fake: FakeSpotify;
  app: TestApp;
  clock: RecordingClock;
  /** Runs the PKCE login as a user clicking "Agree" would. */
  login(): Promise<void>;
  /** A second app on the same database: what a restarted process sees. */
  restart(): TestApp;
  dispose(): Promise<void>;
}

export async function startSpotifyWorld(
  options: FakeSpotifyOptions & { settings?: Record<string, string>; catalog?: FakeCatalog; logger?: Logger } = {},
): Promise<SpotifyTestWorld> {
  const fake = await startFakeSpotify({ catalog: options.catalog ?? generateFakeCatalog({ seed: 1 }), clientId: 'client-id', clientSecret: 'client-secret', ...options });
  const temp = tempDir();
  const clock = new RecordingClock();
  const settings = {
    DATABASE_PATH: `${temp.dir}/spotify.db`,
    LOG_LEVEL: 'silent',
    ...fake.settings(),
    HTTP_TIMEOUT_MS: '1000',
    ...options.settings,
  };
  const apps: TestApp[] = [];
  const open = (): TestApp => {
    const app = createApp(parseConfig(settings), { logger: options.logger ?? createLogger({ level: 'silent' }), clock });
    const testApp: TestApp = { ...app, dir: temp.dir, dispose: () => app.close() };
    apps.push(testApp);
    return testApp;
  };
  const app = open();
  return {
    fake,
    app,
    clock,
    async login() {
      await loginToFake(app);
    },
    restart: open,
    async dispose() {
      for (const a of apps) a.dispose();
      await fake.close();
      temp.dispose();
    },
  };
}
