import { addDays, DAY_MS, utcDay } from '../shared/feed-window.ts';
import { ACCESS_REQUEST_KEEP_MS, AUDIT_KEEP_MS, MAIL_KEEP_MS, SESSION_IDLE_MS, SESSION_MAX_MS } from './agency/lifetimes.ts';
import { FORM_LIFETIME_MS } from './hosted-form-guard.ts';
import { FOLLOW_UP_WINDOW_MS } from './review-writes.ts';
import type { Store } from './store/store.ts';
import { TERM_MIN_REVIEWS_DEFAULT } from './config.ts';

/**
 * Days before the retention line whose rare terms the hourly purge looks for: the line crosses one a
 * day, and a week covers a collector stopped for a few days; `jdma purge` looks at every day.
 */
export const TERM_PRUNE_DAYS = 7;

/**
 * Terms kept per procedure × placement × satisfaction × month when the hourly purge folds the days
 * of closed months into months (store.ts TermRepository.fold): on a seeded Zipf corpus
 * (test/server/term-folding.test.ts) the shown top, distinctive and rising terms stay those of the
 * exact counts.
 */
export const TERM_MONTH_KEEP = 300;

/** How often the collector erases what has outlived its use: tokens are kept an hour at most, so hourly. */
export const PURGE_EVERY_MS = 60 * 60 * 1000;

interface Purged {
  /** Reviews whose free text was erased. */
  freeText: number;
  /** Reviews whose follow-up token hash was erased. */
  tokens: number;
  audit: number;
  sessions: number;
  loginLinks: number;
  /** One-time keys of hosted forms too old to be sent any more. */
  formKeys: number;
  /** Sent or given-up mails older than 30 days. */
  mails: number;
  /** Access requests answered, made more than 30 days ago. */
  accessRequests: number;
  /** Problem reports whose text was erased (the same retention as comments). */
  problemReports: number;
}

/**
 * Erases free text (comments, problem reports) older than the retention, follow-up token hashes once their hour is over, audit
 * entries older than a year, sessions ended (idle or too old), login links used or expired, and
 * the one-time keys of hosted forms past their lifetime, sent or given-up mails and answered access
 * requests after 30 days. The term counts of comment insights stay, except those of terms fewer than
 * `termMinReviews` reviews of their procedure wrote, on days whose text is erased, and the days
 * of closed months are folded into months, their most written terms only, those of the current
 * month into its month to date, every term (SPEC §8).
 */
export async function purge(
  store: Store,
  retentionDays: number,
  now: Date,
  termMinReviews = TERM_MIN_REVIEWS_DEFAULT,
  termPruneDays = TERM_PRUNE_DAYS,
): Promise<Purged> {
  const at = now.getTime();
  const reviews = await store.reviews.purge(at - retentionDays * DAY_MS, at - FOLLOW_UP_WINDOW_MS);
  const line = utcDay(new Date(at - retentionDays * DAY_MS));
  await store.terms.prune(Number.isFinite(termPruneDays) ? addDays(line, -termPruneDays) : '0000-01-01', line, termMinReviews);
  const today = utcDay(now);
  await store.terms.fold(today, TERM_MONTH_KEEP, termMinReviews);
  return {
    ...reviews,
    audit: await store.audit.purge(at - AUDIT_KEEP_MS),
    sessions: await store.sessions.purge(at - SESSION_IDLE_MS, at - SESSION_MAX_MS),
    loginLinks: await store.loginLinks.purge(at),
    formKeys: await store.hostedForms.purge(at - FORM_LIFETIME_MS),
    mails: await store.mails.purge(at - MAIL_KEEP_MS),
    accessRequests: await store.accessRequests.purge(at - ACCESS_REQUEST_KEEP_MS),
    problemReports: await store.problemReports.purgeText(at - retentionDays * DAY_MS),
  };
}

/** The hourly purge as it runs: `settled()` waits for the run under way, `stop()` ends the schedule and waits too. */
export interface PurgeSchedule {
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs purge() at start and then every hour, until stopped. Several collectors on one database each
 * run it: erasing what is already erased changes nothing.
 */
export function schedulePurge(
  store: Store,
  retentionDays: number,
  now: () => Date,
  onError: (error: unknown) => void,
  termMinReviews = TERM_MIN_REVIEWS_DEFAULT,
): PurgeSchedule {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    running = purge(store, retentionDays, now(), termMinReviews)
      .then(() => undefined, onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, PURGE_EVERY_MS).unref();
      });
  };
  run();
  return {
    settled: () => running,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // The store closes after the app: a run under way finishes first, rather than under a closed store.
      await running;
    },
  };
}
