// Which reviews an agency lists or exports (SPEC §8), for the API's listing and exports and for the
// space's comments page alike: the filters a query asks for, and a page of reviews newest first.
import { type FeedWindow, resolveWindow } from '../../shared/feed-window.ts';
import { type ErrorDetail, HttpError } from '../http-errors.ts';
import type { SatisfactionAnswer } from '../../shared/questionnaire.ts';
import type { ReviewCursor, ReviewFilters, ReviewRecord, Store, TriageStatus } from '../store/store.ts';

/** The filters as a query gives them, once its schema has checked each one. */
export interface FilterQuery {
  from?: string | undefined;
  to?: string | undefined;
  placement?: string | undefined;
  satisfaction?: SatisfactionAnswer | undefined;
  has_comment?: boolean | undefined;
  q?: string | undefined;
  status?: TriageStatus | undefined;
  tag?: number | undefined;
  marked?: 'hide' | 'show' | 'only' | undefined;
}

export const invalidQuery = (details: ErrorDetail[]) =>
  new HttpError(400, 'invalid_query', 'The query does not match this route.', details);

/** The window of UTC days a query asks for (by default the last 12 months): 400 when it is backwards or over 5 years. */
export function windowOf(query: { from?: string | undefined; to?: string | undefined }, today: string): FeedWindow {
  const window = resolveWindow(query, today);
  if (Array.isArray(window)) throw invalidQuery(window);
  return window;
}

export function reviewFiltersOf(query: FilterQuery, today: string): ReviewFilters {
  const { from, to } = windowOf(query, today);
  return {
    from,
    to,
    placementId: query.placement ?? null,
    satisfaction: query.satisfaction ?? null,
    hasComment: query.has_comment ?? null,
    q: query.q ?? null,
    status: query.status ?? null,
    tagId: query.tag ?? null,
    marked: query.marked ?? 'hide',
  };
}

export interface ReviewListing {
  reviews: ReviewRecord[];
  /** Where the next page starts; null at the end. */
  next: ReviewCursor | null;
}

/**
 * Up to `limit` reviews after `after`, newest first. A filtered store page examines a bounded number
 * of reviews and may come back short with a cursor: up to `storePages` of them are read to fill the
 * page (the API answers one, as it documents; a person's page follows on, rather than show a short
 * page). The listing is short with a cursor only when that scanning bound was reached.
 */
export async function listReviews(
  store: Store,
  procedureId: string,
  filters: ReviewFilters,
  { after, limit, storePages = 1 }: { after: ReviewCursor | null; limit: number; storePages?: number },
): Promise<ReviewListing> {
  const reviews: ReviewRecord[] = [];
  let next = after;
  for (let read = 0; read < storePages; read++) {
    const page = await store.reviews.page(procedureId, filters, { after: next, limit: limit - reviews.length });
    reviews.push(...page.reviews);
    next = page.next;
    if (next === null || reviews.length >= limit) break;
  }
  return { reviews, next };
}
