import type { Store } from './store.ts';
import { openPostgres } from './postgres/open-postgres.ts';
import { openSqlite } from './sqlite/open-sqlite.ts';

export interface StoreOptions {
  /** The SQLite file, used when there is no databaseUrl. */
  databasePath: string;
  /** PostgreSQL, for several collectors on one database. */
  databaseUrl?: string | undefined;
  databasePoolSize?: number;
  /** Told of database errors that no request is waiting for. */
  onBackgroundError?: (error: unknown) => void;
}

/** Opens the configured engine, with its schema brought up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    return openPostgres({
      databaseUrl: options.databaseUrl,
      poolSize: options.databasePoolSize ?? 10,
      ...(options.onBackgroundError && { onBackgroundError: options.onBackgroundError }),
    });
  }
  return openSqlite(options.databasePath);
}
