import type { Transaction } from 'better-sqlite3';
import type { Db } from './open-store.ts';

/**
 * Group commit (issue 2): every write queued during one turn of the event loop runs in a single
 * transaction, and each caller's promise settles only after that transaction has committed: no
 * reply is ever sent for uncommitted data. One commit per batch instead of one per rating is what
 * keeps the write path near a route that stores nothing.
 *
 * A write that throws must not sink its neighbours, so `write` must be a better-sqlite3
 * `db.transaction()` function: nested in the batch's transaction it runs as a SAVEPOINT, and a
 * failure rolls back that write alone and rejects that caller alone.
 */
export function groupCommit<T, R>(db: Db, write: Transaction<(item: T) => R>): (item: T) => Promise<R> {
  type Pending = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  let queue: Pending[] = [];

  const flush = (): void => {
    const batch = queue;
    queue = [];
    let outcomes: ({ ok: true; result: R } | { ok: false; error: unknown })[];
    try {
      outcomes = db.transaction(() =>
        batch.map(({ item }) => {
          try {
            return { ok: true as const, result: write(item) };
          } catch (error) {
            return { ok: false as const, error };
          }
        }),
      )();
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of this batch is stored.
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (queue.push({ item, resolve, reject }) === 1) setImmediate(flush);
    });
}
