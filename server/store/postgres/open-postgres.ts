import pg from 'pg';
import { postgresProblemReports } from './problem-reports.ts';
import { SchemaTooNewError, StorageUnavailableError, type Store } from '../store.ts';
import { postgresApiKeys } from './api-keys.ts';
import { postgresAuditLog } from './audit-log.ts';
import { postgresEntities, postgresMembers } from './entities.ts';
import { postgresHostedForms } from './hosted-forms.ts';
import { postgresForms } from './forms.ts';
import { postgresMails } from './mails.ts';
import { postgresAccessRequests } from './access-requests.ts';
import { postgresNotifications } from './notifications.ts';
import { MIGRATIONS } from './migrations.ts';
import { postgresProcedures } from './procedures.ts';
import { postgresRefusedRatings } from './refused-ratings.ts';
import { postgresReviews } from './reviews.ts';
import { postgresTags } from './tags.ts';
import { postgresEditions } from './editions.ts';
import { postgresTerms } from './terms.ts';
import { postgresRollups } from './rollups.ts';
import { postgresLoginLinks, postgresSessions } from './sessions.ts';

/** How often a collector looks for changes made by the others (access rules, counts): within a second. */
const POLL_MS = 500;
/** Every query gives up after this: a stalled database gets 503s, never requests that hang. */
const QUERY_TIMEOUT_MS = 5000;
// Two collectors starting together: the first migrates, the second waits for it, then finds nothing to do.
const MIGRATION_LOCK = 4_242_001;

export interface PostgresOptions {
  databaseUrl: string;
  poolSize: number;
  /** Told of errors no request is waiting for (an idle connection dropped, a failed poll). */
  onBackgroundError?: (error: unknown) => void;
  /** Told the size of each group-commit batch of hot ratings as it is written (metrics). */
  onBatch?: ((size: number) => void) | undefined;
}

/** What the repositories share: the pool, transactions, and the change markers. */
export interface Pg {
  /** A query; give it a `name` when it runs often: each connection then parses and plans it once. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string | { name: string; text: string },
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /**
   * A query of an agency's long reads (listing, search, export, stats): at most half the pool runs
   * them at once, the rest waits its turn, so that ratings and /healthz always find a connection.
   */
  read<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Runs `work` in one transaction, retried when PostgreSQL broke a deadlock or a serialization conflict. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction without the per-query time limit: maintenance (a recount of
   * every rollup, the retention purge) may take minutes on millions of reviews, and no request waits on it.
   */
  maintenance<T>(work: (run: (text: string, values?: unknown[]) => Promise<pg.QueryResult>) => Promise<T>): Promise<T>;
  /** Called after this process committed a change, so that its own next read sees it at once. */
  changed(what: 'catalog' | 'rollups'): void;
  marker(): { catalog: number; rollups: string };
}

// bigint columns (ids, times, sums) come back as numbers: they stay far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** The errors that mean "the database is out of reach", as opposed to a bug or a bad query. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^(ECONN|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN)/.test(code)) return true;
    // Connection exceptions, shutdowns, too many connections, query canceled on timeout.
    if (/^(08|57P0|53|57014)/.test(code)) return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection error|not queryable/i.test(
    error.message,
  );
}

const unavailable = (error: unknown): never => {
  throw isUnavailable(error) ? new StorageUnavailableError('PostgreSQL is unreachable', { cause: error }) : error;
};

export async function openPostgres(options: PostgresOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize,
    connectionTimeoutMillis: QUERY_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    statement_timeout: QUERY_TIMEOUT_MS,
    types,
  });
  const reportBackground = options.onBackgroundError ?? (() => {});
  // An idle connection that PostgreSQL drops (a restart) must not bring the collector down: the pool
  // opens a new one for the next query.
  pool.on('error', reportBackground);

  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  let local = 0;
  let remote = { catalog: 0, rollups: 0 };
  const catalogListeners: (() => void)[] = [];
  const poll = async (): Promise<void> => {
    const { rows } = await pool.query<{ catalog: number; rollups: number }>(
      `SELECT (SELECT version FROM catalog_version) AS catalog,
              (SELECT coalesce(sum(version), 0) FROM rollup_versions) AS rollups`,
    );
    const next = rows[0]!;
    if (next.catalog !== remote.catalog) for (const listener of catalogListeners) listener();
    remote = next;
  };
  await poll();
  const poller = setInterval(() => poll().catch(reportBackground), POLL_MS).unref();

  // Measured (npm run bench:isolation): with every connection taken by exports and searches, a
  // rating waited for one, p50 127 ms instead of 11 ms.
  const readers = Math.max(1, Math.floor(options.poolSize / 2));
  let reading = 0;
  const readQueue: (() => void)[] = [];
  const db: Pg = {
    query: (text, values) => (typeof text === 'string' ? pool.query(text, values) : pool.query({ ...text, values })).catch(unavailable),
    async read(text, values) {
      if (reading >= readers) await new Promise<void>((resolve) => readQueue.push(resolve));
      else reading++;
      try {
        return await db.query(text, values);
      } finally {
        // The slot passes straight to the next waiting read, or is given back.
        const next = readQueue.shift();
        if (next) next();
        else reading--;
      }
    },
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect().catch(unavailable);
        try {
          await client.query('BEGIN');
          const result = await work(client);
          await client.query('COMMIT');
          client.release();
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          client.release(isUnavailable(error) ? (error as Error) : undefined);
          // 40P01 deadlock, 40001 serialization failure: PostgreSQL asks for the transaction again.
          const code = (error as { code?: string }).code;
          if ((code === '40P01' || code === '40001') && attempt < 5) continue;
          return unavailable(error);
        }
      }
    },
    maintenance(work) {
      return db.transaction(async (client) => {
        await client.query('SET LOCAL statement_timeout = 0');
        // node-postgres reads a query_timeout of 0 as "use the pool's": a day is "none" in practice.
        return work((text, values) => client.query({ text, values, query_timeout: 86_400_000 } as pg.QueryConfig));
      });
    },
    changed(what) {
      local++;
      if (what === 'catalog') for (const listener of catalogListeners) listener();
    },
    marker: () => ({ catalog: remote.catalog, rollups: `${remote.rollups}:${local}` }),
  };

  let closing: Promise<void> | undefined;
  const rollups = postgresRollups(db);
  const procedures = postgresProcedures(db);
  catalogListeners.push(procedures.forget);
  const reviews = postgresReviews(db, options.onBatch);
  return {
    engine: 'postgres',
    procedures,
    reviews,
    rollups,
    terms: postgresTerms(db),
    refusedRatings: postgresRefusedRatings(db),
    forms: postgresForms(db),
    hostedForms: postgresHostedForms(db),
    mails: postgresMails(db),
    accessRequests: postgresAccessRequests(db),
    notifications: postgresNotifications(db),
    entities: postgresEntities(db),
    members: postgresMembers(db),
    apiKeys: postgresApiKeys(db),
    sessions: postgresSessions(db),
    loginLinks: postgresLoginLinks(db),
    audit: postgresAuditLog(db),
    problemReports: postgresProblemReports(db),
    tags: postgresTags(db),
    editions: postgresEditions(db),
    ping: async () => void (await db.query('SELECT 1')),
    close: () =>
      (closing ??= (async () => {
        clearInterval(poller);
        await reviews.drain();
        await pool.end();
      })()),
  };
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect().catch(unavailable);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
    const current = rows[0]?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new SchemaTooNewError(current, MIGRATIONS.length);
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      const migration = MIGRATIONS[version]!;
      if (typeof migration === 'string') await client.query(migration);
      else await migration(client);
      await client.query('DELETE FROM schema_version');
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [version + 1]);
      await client.query('COMMIT');
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}
