import { afterEach, expect, test } from 'vitest';
import Database from 'better-sqlite3';
import { groupCommit } from '../../../server/store/group-commit.ts';

let db: Database.Database;
afterEach(() => db.close());

function setUp() {
  db = new Database(':memory:');
  db.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, value TEXT NOT NULL CHECK (value <> 'bad'))");
  const insert = db.prepare<[string]>('INSERT INTO items (value) VALUES (?)');
  const batches: string[][] = [];
  const write = groupCommit(
    db.transaction((values: string[]) => {
      batches.push([...values]);
      return values.map((value) => Number(insert.run(value).lastInsertRowid));
    }),
  );
  return { write, batches };
}

const count = () => (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;

test('writes queued in one turn share one transaction and resolve after it commits', async () => {
  const { write, batches } = setUp();
  const results = Promise.all(['a', 'b', 'c'].map(write));
  expect(count()).toBe(0); // nothing is written synchronously
  expect(await results).toEqual([1, 2, 3]);
  expect(batches).toEqual([['a', 'b', 'c']]);
  expect(db.inTransaction).toBe(false); // committed before any promise settled
  expect(count()).toBe(3);
});

test('a failing write is rejected alone; its neighbours commit', async () => {
  const { write } = setUp();
  const outcomes = await Promise.allSettled(['a', 'bad', 'c'].map(write));
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(db.prepare('SELECT value FROM items ORDER BY id').all()).toEqual([{ value: 'a' }, { value: 'c' }]);
});

test('writes of a later turn go into a later transaction', async () => {
  const { write, batches } = setUp();
  expect(await write('a')).toBe(1);
  expect(await write('b')).toBe(2);
  expect(batches).toEqual([['a'], ['b']]);
});
