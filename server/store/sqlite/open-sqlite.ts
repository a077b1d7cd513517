import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { searchTextOf } from '../review-records.ts';
import { SchemaTooNewError, type Store } from '../store.ts';
import { MIGRATIONS } from './migrations.ts';
import { sqliteProcedures } from './procedures.ts';
import { sqliteRefusedRatings } from './refused-ratings.ts';
import { sqliteReviews } from './reviews.ts';
import { sqliteRollups } from './rollups.ts';

export type Db = Database.Database;

/** The SQLite engine, with its handle: tests and benchmarks seed and inspect through it. */
export interface SqliteStore extends Store {
  readonly engine: 'sqlite';
  readonly db: Db;
  readonly reviews: ReturnType<typeof sqliteReviews>;
}

/** Opens (creating if needed) the database file, brings its schema up to date, prepares every query. */
export function openSqlite(path: string, { onBatch }: { onBatch?: ((size: number) => void) | undefined } = {}): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a committed transaction is in the WAL file before the reply is sent, so it
  // survives a crash of the collector process; only an OS crash could lose the last ones.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // The search fold, for the migration that backfills reviews.search_text (migrations.ts).
  db.function('jdma_fold', { deterministic: true }, (comment, helpOther) =>
    searchTextOf(comment as string | null, helpOther as string | null),
  );
  migrate(db);
  const rollups = sqliteRollups(db);
  return {
    engine: 'sqlite',
    db,
    procedures: sqliteProcedures(db),
    reviews: sqliteReviews(db, rollups, onBatch),
    rollups,
    refusedRatings: sqliteRefusedRatings(db),
    ping: async () => void db.prepare('SELECT 1').get(),
    close: async () => {
      // Ratings queued this turn are committed before the handle closes.
      await new Promise((resolve) => setImmediate(resolve));
      if (db.open) db.close();
    },
  };
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new SchemaTooNewError(current, MIGRATIONS.length);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
