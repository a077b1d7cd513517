import { sqliteProblemReports } from './problem-reports.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SchemaTooNewError, type Store } from '../store.ts';
import { sqliteAccessRequests } from './access-requests.ts';
import { sqliteApiKeys } from './api-keys.ts';
import { sqliteAuditLog } from './audit-log.ts';
import { sqliteEntities, sqliteMembers } from './entities.ts';
import { sqliteHostedForms } from './hosted-forms.ts';
import { sqliteForms } from './forms.ts';
import { sqliteMails } from './mails.ts';
import { sqliteNotifications } from './notifications.ts';
import { MIGRATIONS } from './migrations.ts';
import { sqliteProcedures } from './procedures.ts';
import { sqliteRefusedRatings } from './refused-ratings.ts';
import { sqliteReviews } from './reviews.ts';
import { sqliteTerms } from './terms.ts';
import { sqliteRollups } from './rollups.ts';
import { sqliteLoginLinks, sqliteSessions } from './sessions.ts';
import { sqliteTags } from './tags.ts';
import { sqliteEditions } from './editions.ts';

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
  migrate(db);
  const rollups = sqliteRollups(db);
  return {
    engine: 'sqlite',
    db,
    procedures: sqliteProcedures(db),
    reviews: sqliteReviews(db, rollups, onBatch),
    rollups,
    terms: sqliteTerms(db),
    refusedRatings: sqliteRefusedRatings(db),
    forms: sqliteForms(db),
    hostedForms: sqliteHostedForms(db),
    mails: sqliteMails(db),
    accessRequests: sqliteAccessRequests(db),
    notifications: sqliteNotifications(db),
    entities: sqliteEntities(db),
    members: sqliteMembers(db),
    apiKeys: sqliteApiKeys(db),
    sessions: sqliteSessions(db),
    loginLinks: sqliteLoginLinks(db),
    audit: sqliteAuditLog(db),
    problemReports: sqliteProblemReports(db),
    tags: sqliteTags(db),
    editions: sqliteEditions(db),
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
  if (current === MIGRATIONS.length) return;
  // A table rebuild needs foreign keys off (SQLite ignores this pragma inside a transaction, and a
  // DROP TABLE with them on would cascade); they are checked before each migration commits.
  db.pragma('foreign_keys = OFF');
  try {
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.transaction(() => {
        const migration = MIGRATIONS[version]!;
        if (typeof migration === 'string') db.exec(migration);
        else migration(db);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`migration ${version + 1} breaks ${broken.length} foreign key(s)`);
        db.pragma(`user_version = ${version + 1}`);
      })();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
}
