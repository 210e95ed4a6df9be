import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    // Native better-sqlite3 handles and real sockets are simplest to isolate per process.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests never read the developer's .env: every test builds its config explicitly.
    env: { CLUSTER_DJ_IGNORE_DOTENV: '1' },
  },
});
