// Comparisons (SPEC §8): two periods of one procedure, or two procedures of one entity over their
// periods, side by side. Each indicator's difference is said to be beyond the intervals when the two
// 95 % intervals (shared/intervals.ts, the same as the feed's and the stats') do not overlap: a
// conservative reading, which a difference inside them never passes for a change.
import type { FeedWindow } from '../../shared/feed-window.ts';
import type { Indicators } from '../../shared/indicators.ts';
import type { Procedure, Store } from '../store/store.ts';
import { procedureStats } from './procedure-stats.ts';

export const COMPARED = ['satisfaction', 'clarity', 'help_reachable', 'help_quality', 'autonomy'] as const;
type Compared = (typeof COMPARED)[number];

export interface ComparedSide {
  procedure: { id: string; title: string };
  window: FeedWindow;
  reviews: number;
}

export interface ComparedValue {
  /** A score out of 10, or a rate 0 … 1 (help_reachable, autonomy); null without answers. */
  value: number | null;
  interval: { low: number; high: number } | null;
  answers: number;
}

export interface IndicatorComparison {
  a: ComparedValue;
  b: ComparedValue;
  /** b − a, rounded as the values are; null when either has no value. */
  difference: number | null;
  /** The two intervals do not overlap; null when either has no interval. */
  beyond_intervals: boolean | null;
}

export interface Comparison {
  a: ComparedSide;
  b: ComparedSide;
  indicators: Record<Compared, IndicatorComparison>;
}

function comparedValue(indicators: Indicators, name: Compared): ComparedValue {
  const indicator = indicators[name];
  const value = 'score' in indicator ? indicator.score : indicator.rate;
  return { value, interval: indicator.interval, answers: indicator.answers ?? 0 };
}

/** Scores have one decimal, rates two (SPEC §4): the difference is rounded alike. */
const round = (name: Compared, value: number) => {
  const factor = name === 'help_reachable' || name === 'autonomy' ? 100 : 10;
  return Math.round(value * factor) / factor;
};

export function compareIndicators(a: Indicators, b: Indicators): Record<Compared, IndicatorComparison> {
  const out = {} as Record<Compared, IndicatorComparison>;
  for (const name of COMPARED) {
    const left = comparedValue(a, name);
    const right = comparedValue(b, name);
    const difference = left.value === null || right.value === null ? null : round(name, right.value - left.value);
    const beyond =
      left.interval === null || right.interval === null
        ? null
        : left.interval.high < right.interval.low || right.interval.high < left.interval.low;
    out[name] = { a: left, b: right, difference, beyond_intervals: beyond };
  }
  return out;
}

/** Reads both sides from the rollups, as the stats do, and compares them. */
export async function compareProcedures(
  store: Store,
  a: { procedure: Procedure; window: FeedWindow },
  b: { procedure: Procedure; window: FeedWindow },
  today: string,
): Promise<Comparison> {
  const statsOf = (side: { procedure: Procedure; window: FeedWindow }) =>
    procedureStats(store, side.procedure, { window: side.window, placement: null, interval: 'month' }, today);
  const [left, right] = [await statsOf(a), await statsOf(b)];
  const side = (side: { procedure: Procedure; window: FeedWindow }, reviews: number): ComparedSide => ({
    procedure: { id: side.procedure.id, title: side.procedure.title },
    window: side.window,
    reviews,
  });
  return { a: side(a, left.reviews), b: side(b, right.reviews), indicators: compareIndicators(left.indicators, right.indicators) };
}
