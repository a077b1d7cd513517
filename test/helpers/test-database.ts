import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { openStore, type StoreOptions } from '../../server/store/open-store.ts';
import { MIGRATIONS as POSTGRES_MIGRATIONS } from '../../server/store/postgres/migrations.ts';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../../server/store/sqlite/migrations.ts';
import type { Store } from '../../server/store/store.ts';

// One database per test, on the engine under test: the same test files run against each engine.
// Assertions read what was committed through a connection of their own, never through the store.

export type Engine = 'sqlite' | 'postgres';
export const TEST_ENGINE: Engine = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  engine: Engine;
  /** What openStore and the config take to reach this database. */
  options: StoreOptions;
  /** The same, as the environment of a `jdma` subprocess. */
  env: Record<string, string>;
  /** Opens the store; `observers` as openStore takes them (metrics). */
  open(observers?: Pick<StoreOptions, 'onBatch'>): Promise<Store>;
  /** Rows of a query with `?` placeholders, as committed. */
  rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /**
   * Gives the empty database the schema of an older version: its first `version` migrations, as
   * the store would have run them then. The test of a migration writes the rows of that time, then
   * opens the store, which runs the rest; the later migrations need not be undone by hand.
   */
  migrateTo(version: number): Promise<void>;
  /**
   * Every row of every table, in a stable order: two equal snapshots mean nothing was stored or
   * changed. Leaves out `refused_ratings`, where a refusal is meant to leave its count (the
   * integration health), written a second later; the tests of refusals assert those counts. Leaves
   * out `mail_jobs` too: the alert and digest jobs' leases, which every collector's clock takes
   * (notification-schedule.ts), whatever requests arrive; test/server/jobs/alerts.test.ts tests those runs.
   * Leaves out the term tables too, which the term tick (server/term-counting.ts) writes every 5 s on its
   * own clock for follow-ups accepted earlier, and the hourly purge folds into months;
   * test/server/term-counting.test.ts and term-folding.test.ts assert them.
   */
  snapshot(): Promise<Record<string, string[]>>;
}

/** The tables snapshot() leaves out: written later, on their own clock, by design. */
const LEFT_OUT = [
  'refused_ratings',
  'mail_jobs',
  'term_queue',
  'review_terms',
  'daily_term_rollups',
  'monthly_term_rollups',
  'term_versions',
  'term_month_sums',
]
  .map((name) => `'${name}'`)
  .join(', ');

const root = mkdtempSync(join(tmpdir(), 'jdma-test-'));
process.once('exit', () => rmSync(root, { recursive: true, force: true }));
let count = 0;

const serialise = (row: unknown) => JSON.stringify(row, (_key, value) => (Buffer.isBuffer(value) ? value.toString('hex') : value));

/** A new, empty database (its schema is created by the first open). */
export async function testDatabase(): Promise<TestDatabase> {
  return TEST_ENGINE === 'postgres' ? postgresDatabase() : sqliteDatabase();
}

async function sqliteDatabase(): Promise<TestDatabase> {
  const databasePath = join(root, `db-${process.pid}-${++count}.sqlite`);
  const withDb = <T>(use: (db: Database.Database) => T): T => {
    const db = new Database(databasePath);
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  return {
    engine: 'sqlite',
    options: { databasePath },
    env: { DATABASE_PATH: databasePath },
    open: (observers) => openStore({ databasePath, ...observers }),
    rows: async <T>(sql: string, ...params: unknown[]) => withDb((db) => db.prepare(sql).all(...params) as T[]),
    exec: async (sql) => withDb((db) => void db.exec(sql)),
    migrateTo: async (version) =>
      withDb((db) => {
        // As the store's runner: a table rebuild needs foreign keys off.
        db.pragma('foreign_keys = OFF');
        for (const migration of SQLITE_MIGRATIONS.slice(0, version)) {
          if (typeof migration === 'string') db.exec(migration);
          else migration(db);
        }
        db.pragma(`user_version = ${version}`);
      }),
    snapshot: async () =>
      withDb((db) => {
        const tables = db
          .prepare<[], { name: string }>(
            `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN (${LEFT_OUT}) ORDER BY name`,
          )
          .all();
        return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all().map(serialise).sort()]));
      }),
  };
}

// ---- PostgreSQL: one database per test on the run's cluster, dropped when the test file ends.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};
let admin: pg.Pool | undefined;
const created: string[] = [];
if (TEST_ENGINE === 'postgres') {
  afterAll(async () => {
    for (const { pool } of pools.splice(0)) await pool.end();
    for (const name of created.splice(0)) await admin!.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
    admin = undefined;
  });
}
const pools: { pool: pg.Pool }[] = [];

/** `?` placeholders, as the tests write them for both engines, in PostgreSQL's numbered form. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

async function postgresDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('postgresUrl');
  if (!adminUrl) throw new Error('no PostgreSQL for this run (see test/helpers/postgres-cluster.ts)');
  admin ??= new pg.Pool({ connectionString: adminUrl, max: 2 });
  const name = `jdma_test_${process.pid}_${++count}`;
  await admin.query(`CREATE DATABASE ${name}`);
  created.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, types });
  pool.on('error', () => {}); // its database is dropped, connections and all, when the file ends
  pools.push({ pool });
  const rows = async <T>(sql: string, ...params: unknown[]) => (await pool.query(numbered(sql), params)).rows as T[];
  return {
    engine: 'postgres',
    options: { databasePath: ':memory:', databaseUrl, databasePoolSize: 4 },
    env: { DATABASE_URL: databaseUrl },
    open: (observers) => openStore({ databasePath: ':memory:', databaseUrl, databasePoolSize: 4, ...observers }),
    rows,
    exec: async (sql) => void (await pool.query(sql)),
    migrateTo: async (version) => {
      const client = await pool.connect();
      try {
        for (const migration of POSTGRES_MIGRATIONS.slice(0, version)) {
          if (typeof migration === 'string') await client.query(migration);
          else await migration(client);
        }
        await client.query('CREATE TABLE schema_version (version integer NOT NULL)');
        await client.query('INSERT INTO schema_version (version) VALUES ($1)', [version]);
      } finally {
        client.release();
      }
    },
    snapshot: async () => {
      const tables = await rows<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT IN (${LEFT_OUT}) ORDER BY 1`,
      );
      const snapshot: Record<string, string[]> = {};
      for (const { name } of tables) snapshot[name] = (await rows(`SELECT * FROM "${name}"`)).map(serialise).sort();
      return snapshot;
    },
  };
}
