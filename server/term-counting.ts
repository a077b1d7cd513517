// Counting the terms of new comments (SPEC §8 "Comment insights"), off the request path: a follow-up
// only queues its review (one row in its own transaction); this reads the queue a batch at a time.
import { shareEventLoop } from './event-loop-share.ts';
import { maskSuspects } from './store/review-records.ts';
import type { PendingTerms, Store } from './store/store.ts';
import { termsOf } from './terms.ts';

/**
 * Reviews counted per transaction, the event loop shared between two: reading one comment's terms
 * takes about a quarter of a millisecond (Intl.Segmenter), so a batch holds it some 13 ms.
 */
const TERM_BATCH = 50;
/** How often a collector looks at the queue: a comment shows in insights within seconds. */
export const TERM_COUNT_EVERY_MS = 5000;

/** A queued review's terms: those of its comment, held-back spans left out (they are masked, and a mask is no term). */
const termsOfReview = (review: PendingTerms) =>
  review.comment === null ? [] : termsOf(maskSuspects(review.comment, 'comment', review.suspects, review.lang), review.lang);

/**
 * Counts every queued review's terms, a batch at a time, until the queue is empty or `stopped()`
 * says so (the collector closing: its store must not be used after); returns how many reviews were read.
 */
export async function countQueuedTerms(store: Store, stopped: () => boolean = () => false): Promise<number> {
  let read = 0;
  while (!stopped()) {
    const pending = await store.terms.pending(TERM_BATCH);
    if (pending.length === 0) return read;
    await store.terms.count(pending.map((review) => ({ review, terms: termsOfReview(review) })));
    read += pending.length;
    await shareEventLoop();
  }
  return read;
}

/** Runs countQueuedTerms() now and then every TERM_COUNT_EVERY_MS, until stopped. */
export function scheduleTermCounting(store: Store, onError: (error: unknown) => void): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    running = countQueuedTerms(store, () => stopped)
      .then(() => {}, onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, TERM_COUNT_EVERY_MS).unref();
      });
  };
  run();
  // Resolves once the batch under way is committed: the store may then close.
  return () => {
    stopped = true;
    clearTimeout(timer);
    return running;
  };
}
