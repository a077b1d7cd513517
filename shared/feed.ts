// The public feed of SPEC §6, as types and the pure assembly of one procedure's entry from its
// monthly counts. server/schemas/feed-schema.ts is the JSON Schema of exactly these types.
import type { FeedWindow } from './feed-window.ts';
import {
  DEFAULT_MIN_REVIEWS,
  computeIndicators,
  emptyWindowCounts,
  trendPoint,
  type FeedMethod,
  type Indicators,
  type TrendPoint,
  type WindowCounts,
} from './indicators.ts';

export interface FeedProcedure {
  id: string;
  title: string;
  entity: string;
  reviews: number;
  indicators: Indicators;
  trend: TrendPoint[];
}

export interface Feed {
  generated_at: string;
  window: FeedWindow;
  method: FeedMethod;
  procedures: FeedProcedure[];
}

/** One rollup figure: within `month`, `count` answers `answer` to `question` (as stored in rollups). */
export interface MonthCount {
  month: string;
  question: string;
  answer: string;
  count: number;
}

/** Adds one rollup figure to window counts; unknown questions or answers are ignored, never published. */
export function addCount(counts: WindowCounts, question: string, answer: string, count: number): void {
  const table = (counts as unknown as Record<string, Record<string, number> | undefined>)[question];
  if (table && Object.hasOwn(table, answer)) table[answer]! += count;
}

/**
 * One procedure's feed entry: indicators over the whole window, and the trend over every month the
 * window touches (months with no review included, so a chart's x axis is the window itself).
 */
export function procedureFeed(
  procedure: { id: string; title: string; entity: string },
  months: readonly string[],
  monthCounts: readonly MonthCount[],
  minReviews: number = DEFAULT_MIN_REVIEWS,
): FeedProcedure {
  const windowCounts = emptyWindowCounts();
  const byMonth = new Map(months.map((month) => [month, { good: 0, medium: 0, bad: 0 }]));
  for (const { month, question, answer, count } of monthCounts) {
    addCount(windowCounts, question, answer, count);
    const satisfaction = byMonth.get(month);
    if (question === 'satisfaction' && satisfaction && Object.hasOwn(satisfaction, answer)) {
      satisfaction[answer as keyof typeof satisfaction] += count;
    }
  }
  const s = windowCounts.satisfaction;
  return {
    id: procedure.id,
    title: procedure.title,
    entity: procedure.entity,
    reviews: s.good + s.medium + s.bad,
    indicators: computeIndicators(windowCounts, minReviews),
    trend: months.map((month) => trendPoint(month, byMonth.get(month)!, minReviews)),
  };
}
