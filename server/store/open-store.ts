import type { Store } from './store.ts';
import { openSqlite } from './sqlite/open-sqlite.ts';

export interface StoreOptions {
  /** The SQLite file, used when there is no databaseUrl. */
  databasePath: string;
  /** Told the size of each group-commit batch of hot ratings as it is written (metrics). */
  onBatch?: ((size: number) => void) | undefined;
}

/** Opens the configured engine, with its schema brought up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  return openSqlite(options.databasePath, { onBatch: options.onBatch });
}
