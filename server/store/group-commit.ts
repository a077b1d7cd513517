import { StorageUnavailableError } from './store.ts';

/**
 * Group commit: every write queued during one turn of the event loop goes to `writeBatch` together,
 * in one transaction, and each caller's promise settles only after that transaction has committed:
 * no reply is ever sent for uncommitted data. One commit per batch, and counts summed once per
 * batch, is what keeps the write path near a route that stores nothing.
 *
 * `writeBatch` must write all of its items in one transaction (all or nothing) and return one
 * result per item, in order. If a batch fails, nothing of it was stored; its items are then retried
 * one by one, so a bad item rejects its own caller alone and its neighbours still commit. When the
 * database itself is unreachable, retrying is pointless: every caller is rejected at once.
 */
export function groupCommit<T, R>(
  writeBatch: (items: T[]) => R[] | Promise<R[]>,
  {
    maxInFlight = Infinity,
    onBatch,
  }: {
    /** Batches waiting on the database at once, at most. */
    maxInFlight?: number;
    /** Told each batch's size as it is written (metrics). */
    onBatch?: ((size: number) => void) | undefined;
  } = {},
): (item: T) => Promise<R> {
  type Pending = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  let queue: Pending[] = [];
  let inFlight = 0;

  // With `maxInFlight` batches waiting on the database, new items wait in the queue, and go
  // together in the next batch as soon as one returns: fewer, larger commits (each a disk flush).
  const flush = async (): Promise<void> => {
    if (queue.length === 0 || inFlight >= maxInFlight) return;
    const batch = queue;
    queue = [];
    inFlight++;
    try {
      await write(batch);
    } finally {
      inFlight--;
      if (queue.length > 0) setImmediate(flush);
    }
  };

  const write = async (batch: Pending[]): Promise<void> => {
    onBatch?.(batch.length);
    let results: R[];
    try {
      results = await writeBatch(batch.map((pending) => pending.item));
    } catch (error) {
      if (batch.length === 1 || error instanceof StorageUnavailableError) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      for (const { item, resolve, reject } of batch) {
        try {
          resolve((await writeBatch([item]))[0]!);
        } catch (itemError) {
          reject(itemError);
        }
      }
      return;
    }
    for (const [i, pending] of batch.entries()) pending.resolve(results[i]!);
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (queue.push({ item, resolve, reject }) === 1) setImmediate(flush);
    });
}
