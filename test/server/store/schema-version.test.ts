import { expect, test } from 'vitest';
import { MIGRATIONS as POSTGRES_MIGRATIONS } from '../../../server/store/postgres/migrations.ts';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../../../server/store/sqlite/migrations.ts';
import { runCli } from '../../helpers/cli-process.ts';
import { TEST_ENGINE, testDatabase } from '../../helpers/test-database.ts';

// An older collector must never write to a database a newer one has migrated: it would not know
// its tables. It refuses to start, and the database is left as it was.

test('a collector refuses to start on a schema newer than it knows, and changes nothing', async () => {
  const db = await testDatabase();
  await (await db.open()).close(); // migrated to this version
  await db.exec(TEST_ENGINE === 'sqlite' ? 'PRAGMA user_version = 999' : 'UPDATE schema_version SET version = 999');
  const before = await db.snapshot();
  await expect(db.open()).rejects.toThrow(/database schema version 999 is newer than this collector/);
  const cli = runCli(['procedure', 'list'], db.env);
  expect(cli.status).toBe(2);
  expect(cli.stderr.trim()).toBe(
    `jdma : la base de données est au schéma 999, plus récent que celui que connaît ce jdma (${(TEST_ENGINE === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS).length}) : mettez jdma à jour avant de l’utiliser.`,
  );
  expect(await db.snapshot()).toEqual(before);
});
