import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { MIGRATIONS } from '../../../server/store/sqlite/migrations.ts';
import { openSqlite } from '../../../server/store/sqlite/open-sqlite.ts';
import { tempDir } from '../../helpers/test-server.ts';

// What only the SQLite engine has: databases made by earlier versions of the collector.

const temp = tempDir();

test('a database from before the rollups gets them, from its reviews, when the migration runs', async () => {
  const databasePath = join(temp.dir, 'before-rollups.sqlite');
  const old = new Database(databasePath);
  old.exec(MIGRATIONS[0] as string);
  old.pragma('user_version = 1');
  old.exec(`
    INSERT INTO procedures VALUES ('alpha', 'Alpha', 'E', '2026-01-01T00:00:00Z');
    INSERT INTO reviews (id, procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash) VALUES
      (1, 'alpha', 'default', '2026-03-01', 0, 'fr', 'good', x'00'),
      (2, 'alpha', 'site', '2026-03-01', 0, 'fr', 'bad', x'00'),
      (3, 'alpha', 'default', '2026-04-02', 0, 'fr', 'good', x'00');
    INSERT INTO review_answers VALUES (1, 'clarity', '', '4'), (1, 'help_sought', '', 'phone'), (1, 'help_sought', '', 'email'),
      (1, 'help_reached', 'phone', 'yes'), (1, 'help_reached', 'email', 'yes'), (3, 'help_sought', '', 'none');`);
  old.close();

  const store = openSqlite(databasePath);
  const monthly = () =>
    store.db.prepare('SELECT * FROM monthly_rollups ORDER BY procedure_id, month, placement_id, question, answer').all();
  expect(monthly()).toEqual([
    { procedure_id: 'alpha', month: '2026-03', placement_id: 'default', question: 'autonomy', answer: 'sought', count: 1 },
    { procedure_id: 'alpha', month: '2026-03', placement_id: 'default', question: 'clarity', answer: '4', count: 1 },
    { procedure_id: 'alpha', month: '2026-03', placement_id: 'default', question: 'help_reached', answer: 'yes', count: 2 },
    { procedure_id: 'alpha', month: '2026-03', placement_id: 'default', question: 'help_sought', answer: 'email', count: 1 },
    { procedure_id: 'alpha', month: '2026-03', placement_id: 'default', question: 'help_sought', answer: 'phone', count: 1 },
    { procedure_id: 'alpha', month: '2026-03', placement_id: 'default', question: 'satisfaction', answer: 'good', count: 1 },
    { procedure_id: 'alpha', month: '2026-03', placement_id: 'site', question: 'satisfaction', answer: 'bad', count: 1 },
    { procedure_id: 'alpha', month: '2026-04', placement_id: 'default', question: 'autonomy', answer: 'none', count: 1 },
    { procedure_id: 'alpha', month: '2026-04', placement_id: 'default', question: 'help_sought', answer: 'none', count: 1 },
    { procedure_id: 'alpha', month: '2026-04', placement_id: 'default', question: 'satisfaction', answer: 'good', count: 1 },
  ]);
  const migrated = monthly();
  await store.rollups.rebuild();
  expect(monthly()).toEqual(migrated);
  await store.close();
  temp.remove();
});
