import { afterEach, expect, test } from 'vitest';
import Database from 'better-sqlite3';
import { groupCommit } from '../../server/store/group-commit.ts';

let db: Database.Database;
afterEach(() => db.close());

function setUp() {
  db = new Database(':memory:');
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, value TEXT NOT NULL CHECK (value <> \'bad\'))');
  const insert = db.prepare<[string]>('INSERT INTO items (value) VALUES (?)');
  const inTransaction: boolean[] = [];
  const write = groupCommit(
    db,
    db.transaction((value: string) => {
      inTransaction.push(db.inTransaction);
      return Number(insert.run(value).lastInsertRowid);
    }),
  );
  return { write, inTransaction };
}

test('writes queued in one turn share one transaction and resolve after it commits', async () => {
  const { write, inTransaction } = setUp();
  const results = Promise.all(['a', 'b', 'c'].map(write));
  expect(db.prepare('SELECT count(*) AS n FROM items').get()).toEqual({ n: 0 }); // nothing written synchronously
  expect(await results).toEqual([1, 2, 3]);
  expect(inTransaction).toEqual([true, true, true]);
  expect(db.inTransaction).toBe(false); // committed before any promise settled
  expect(db.prepare('SELECT count(*) AS n FROM items').get()).toEqual({ n: 3 });
});

test('a failing write is rolled back and rejected alone; its neighbours commit', async () => {
  const { write } = setUp();
  const outcomes = await Promise.allSettled(['a', 'bad', 'c'].map(write));
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(db.prepare('SELECT value FROM items ORDER BY id').all()).toEqual([{ value: 'a' }, { value: 'c' }]);
});

test('writes of a later turn go into a later transaction', async () => {
  const { write } = setUp();
  expect(await write('a')).toBe(1);
  expect(await write('b')).toBe(2);
  expect(db.prepare('SELECT count(*) AS n FROM items').get()).toEqual({ n: 2 });
});
