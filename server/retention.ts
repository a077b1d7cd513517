import { FOLLOW_UP_WINDOW_MS } from './review-writes.ts';
import type { Store } from './store/store.ts';

const DAY_MS = 86_400_000;
/** How often the collector erases what has outlived its use: tokens are kept an hour at most, so hourly. */
export const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Erases free text older than the retention, and follow-up token hashes once their hour is over. */
export function purge(store: Store, retentionDays: number, now: Date): Promise<{ freeText: number; tokens: number }> {
  return store.reviews.purge(now.getTime() - retentionDays * DAY_MS, now.getTime() - FOLLOW_UP_WINDOW_MS);
}

/**
 * Runs purge() at start and then every hour, until stopped. Several collectors on one database each
 * run it: erasing what is already erased changes nothing.
 */
export function schedulePurge(store: Store, retentionDays: number, now: () => Date, onError: (error: unknown) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = (): void => {
    purge(store, retentionDays, now())
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, PURGE_EVERY_MS).unref();
      });
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
