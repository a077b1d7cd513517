import { defineConfig } from 'vitest/config';

// Two projects: every test on the SQLite engine, and the server tests again on PostgreSQL (a
// throwaway cluster started for the run, see helpers/postgres-cluster.ts). The same files run for
// both: test/helpers/test-database.ts hands each test a database of the project's engine.
const shared = {
  root: '.',
  // Browser tests start a real server and a real Chromium each: give them room.
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'], env: { TEST_ENGINE: 'sqlite' } } },
      {
        test: {
          ...shared,
          name: 'postgres',
          include: ['test/server/**/*.test.ts'],
          // What only SQLite has (its older files), and pure logic with no database, run once.
          exclude: ['test/server/sqlite/**', 'test/server/scrub-*.test.ts', 'test/server/client-key.test.ts', 'test/server/review-token.test.ts', 'test/server/group-commit.test.ts'],
          env: { TEST_ENGINE: 'postgres' },
          globalSetup: ['test/helpers/postgres-cluster.ts'],
        },
      },
    ],
  },
});
