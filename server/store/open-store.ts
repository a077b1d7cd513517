import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.ts';
import { procedureQueries } from './procedures.ts';
import { refusedRatingQueries } from './refused-ratings.ts';
import { reviewQueries } from './reviews.ts';
import { rollupQueries } from './rollups.ts';

export type Db = Database.Database;

export interface Store {
  readonly db: Db;
  readonly procedures: ReturnType<typeof procedureQueries>;
  readonly reviews: ReturnType<typeof reviewQueries>;
  /** The feed's counts (issue 4); reviews keeps them current in its own transactions. */
  readonly rollups: ReturnType<typeof rollupQueries>;
  /** The integration health: refused rating attempts per procedure, day, reason and origin. */
  readonly refusedRatings: ReturnType<typeof refusedRatingQueries>;
  close(): void;
}

/** Opens (creating if needed) the database file, brings its schema up to date, prepares every query. */
export function openStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a committed transaction is in the WAL file before the reply is sent, so it
  // survives a crash of the collector process (SPEC §7); only an OS crash could lose the last ones.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const rollups = rollupQueries(db);
  return {
    db,
    procedures: procedureQueries(db),
    reviews: reviewQueries(db, rollups),
    rollups,
    refusedRatings: refusedRatingQueries(db),
    close: () => db.close(),
  };
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this collector (${MIGRATIONS.length})`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
