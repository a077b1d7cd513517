import { existsSync, readdirSync } from 'node:fs';
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

const hasPostgres =
  !!process.env.TEST_DATABASE_URL ||
  (existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)));
// Without PostgreSQL the second engine's run is left out, loudly; under CI its global setup fails instead.
const withPostgres = hasPostgres || process.env.CI === 'true';
if (!withPostgres) {
  console.warn('\n*** SKIPPED the PostgreSQL engine tests: no PostgreSQL (apt-get install -y postgresql, or set TEST_DATABASE_URL) ***\n');
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/server/postgres/**'],
          env: { TEST_ENGINE: 'sqlite' },
        },
      },
      withPostgres && {
        test: {
          ...shared,
          name: 'postgres',
          include: ['test/server/**/*.test.ts'],
          // What only SQLite has (its older files), and pure logic with no database, run once.
          exclude: [
            'test/server/sqlite/**',
            'test/server/scrub/scrub-*.test.ts',
            'test/server/client-key.test.ts',
            'test/server/review-token.test.ts',
            'test/server/store/group-commit.test.ts',
            'test/server/store/folded-term-cache.test.ts',
            'test/server/error-codes.test.ts',
            // The OpenAPI document through outside tools: the same document on either engine, and slow tools.
            'test/server/openapi-tools.test.ts',
            'test/server/tag-model.test.ts',
          ],
          env: { TEST_ENGINE: 'postgres' },
          globalSetup: ['test/helpers/postgres-cluster.ts'],
        },
      },
    ].filter((project) => project !== false),
  },
});
