import { addDays, DEFAULT_WINDOW_MONTHS, utcDay, windowStart, type FeedWindow } from '../shared/feed-window.ts';
import { FeedBuilder } from './feed-builder.ts';
import { feedCsv } from './feed-csv.ts';
import { impactCsv } from './impact-csv.ts';
import type { Edition, Store } from './store/store.ts';

// Quarterly editions (SPEC §6 "Editions"): at the end of a quarter, the feed's figures over the
// 12 months that end on the quarter's last day are frozen and stored as the bytes that will be
// served: JSON, CSV, and the impact schema's long CSV. They are never recomputed, so a review that
// arrives later, a rebuild of the rollups or a new method leaves a published figure as it was.

/** Raised when the indicators' maths change (marks, levels, intervals, threshold rule), so a reader knows two editions differ in method. */
export const EDITION_METHOD_VERSION = 1;

export const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;

/** The quarter's 12-month window (the feed's default window on the quarter's last day), or undefined for a malformed name. */
export function quarterWindow(quarter: string): FeedWindow | undefined {
  const match = QUARTER_PATTERN.exec(quarter);
  if (!match) return undefined;
  const year = Number(match[1]);
  const nextQuarterStart =
    Number(match[2]) === 4 ? `${year + 1}-01-01` : `${match[1]}-${String(Number(match[2]) * 3 + 1).padStart(2, '0')}-01`;
  const to = addDays(nextQuarterStart, -1);
  return { from: windowStart(to, DEFAULT_WINDOW_MONTHS), to };
}

export type PublishOutcome =
  | { outcome: 'published'; edition: Edition }
  | { outcome: 'malformed' }
  | { outcome: 'not_over'; endsOn: string }
  | { outcome: 'already_published'; publishedAt: number };

/**
 * Publishes a quarter's edition once its last day is over (UTC). A quarter already published keeps
 * its edition: of two publishers (two operators, two collectors), the store keeps the first.
 */
export async function publishEdition(store: Store, options: { minReviews: number; now: Date }, quarter: string): Promise<PublishOutcome> {
  const window = quarterWindow(quarter);
  if (!window) return { outcome: 'malformed' };
  if (utcDay(options.now) <= window.to) return { outcome: 'not_over', endsOn: window.to };
  const existing = await store.editions.find(quarter);
  if (existing) return { outcome: 'already_published', publishedAt: existing.publishedAt };
  const builder = new FeedBuilder(store, { minReviews: options.minReviews, now: () => options.now });
  const { built } = await builder.build({ window });
  const feed = built!.feed;
  const publishedAt = options.now.getTime();
  const header = {
    quarter,
    published_at: new Date(publishedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    method_version: EDITION_METHOD_VERSION,
  };
  // The feed's own JSON, with the edition's facts first: one reader reads both.
  const json = `{"edition":${JSON.stringify(header)},${built!.json().slice(1)}`;
  const edition: Edition = {
    quarter,
    windowFrom: window.from,
    windowTo: window.to,
    methodVersion: EDITION_METHOD_VERSION,
    minReviews: options.minReviews,
    publishedAt,
    json: Buffer.from(json),
    csv: Buffer.from(feedCsv(feed)),
    impactCsv: Buffer.from(impactCsv(feed)),
  };
  if (!(await store.editions.add(edition))) {
    return { outcome: 'already_published', publishedAt: (await store.editions.find(quarter))!.publishedAt };
  }
  return { outcome: 'published', edition };
}
