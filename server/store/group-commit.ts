import type { Transaction } from 'better-sqlite3';

/**
 * Group commit (issue 2): every write queued during one turn of the event loop goes to `writeBatch`
 * together, in one transaction, and each caller's promise settles only after that transaction has
 * committed: no reply is ever sent for uncommitted data. One commit per batch, and counts summed
 * once per batch, is what keeps the write path near a route that stores nothing.
 *
 * `writeBatch` must be a better-sqlite3 `db.transaction()` function returning one result per item,
 * in order. If a batch fails, nothing of it was stored; its items are then retried one by one, so a
 * bad item rejects its own caller alone and its neighbours still commit.
 */
export function groupCommit<T, R>(writeBatch: Transaction<(items: T[]) => R[]>): (item: T) => Promise<R> {
  type Pending = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  let queue: Pending[] = [];

  const flush = (): void => {
    const batch = queue;
    queue = [];
    let results: R[];
    try {
      results = writeBatch(batch.map((pending) => pending.item));
    } catch {
      for (const { item, resolve, reject } of batch) {
        try {
          resolve(writeBatch([item])[0]!);
        } catch (error) {
          reject(error);
        }
      }
      return;
    }
    batch.forEach((pending, i) => pending.resolve(results[i]!));
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (queue.push({ item, resolve, reject }) === 1) setImmediate(flush);
    });
}
