// One procedure at a glance, as the agency space's home shows it (SPEC §8): its satisfaction over
// the default window, its review counts, the direction of its satisfaction, and its refusals.
// Every figure is procedureStats' (procedure-stats.ts) over the window named here, so the API's
// /stats with the same `from` and `to` gives the same numbers.
import { addDays, DEFAULT_WINDOW_MONTHS, type FeedWindow, windowStart } from '../../shared/feed-window.ts';
import type { Indicators, TrendDirection } from '../../shared/indicators.ts';
import type { Procedure, Store } from '../store/store.ts';
import { type HealthTotals, healthTotals, type TriedId } from './integration-health.ts';
import { procedureStats } from './procedure-stats.ts';

/** The recent period the trend compares with the one before it, in months. */
export const TREND_MONTHS = 3;
/**
 * A change of satisfaction smaller than this (out of 10) is "stable": the published scores have
 * one decimal, and a few tenths come and go with a handful of reviews.
 */
export const TREND_STEP = 0.5;
/** Refusals counted for the home's warning, in days (today included). */
export const REFUSAL_DAYS = 30;
const RECENT_DAYS = 30;

export interface ProcedureOverview {
  procedure: Procedure;
  /** The default window (the last 12 months), and its satisfaction indicator. */
  window: FeedWindow;
  reviews: number;
  satisfaction: Indicators['satisfaction'];
  /** The last 30 days, today included. */
  recent: { window: FeedWindow; reviews: number };
  /** Satisfaction over the last 3 months against the 3 months before; `unknown` when either has no review. */
  trend: {
    direction: TrendDirection;
    current: { window: FeedWindow; score: number | null };
    previous: { window: FeedWindow; score: number | null };
  };
  /** Rating attempts refused in the last 30 days (the integration health), per kind. */
  refused: HealthTotals;
}

/** The windows the overview reads, each ending on `today` or just before the next. */
export function overviewWindows(today: string): { year: FeedWindow; recent: FeedWindow; current: FeedWindow; previous: FeedWindow } {
  const current = { from: windowStart(today, TREND_MONTHS), to: today };
  const previousEnd = addDays(current.from, -1);
  return {
    year: { from: windowStart(today, DEFAULT_WINDOW_MONTHS), to: today },
    recent: { from: addDays(today, -(RECENT_DAYS - 1)), to: today },
    current,
    previous: { from: windowStart(previousEnd, TREND_MONTHS), to: previousEnd },
  };
}

export function trendDirection(current: number | null, previous: number | null): TrendDirection {
  if (current === null || previous === null) return 'unknown';
  // In tenths: the published scores have one decimal, and 7.3 − 6.8 must be exactly 0.5.
  const tenths = Math.round(current * 10) - Math.round(previous * 10);
  if (tenths >= TREND_STEP * 10) return 'up';
  if (tenths <= -TREND_STEP * 10) return 'down';
  return 'stable';
}

export async function procedureOverview(store: Store, procedure: Procedure, today: string): Promise<ProcedureOverview> {
  const windows = overviewWindows(today);
  const stats = (window: FeedWindow) => procedureStats(store, procedure, { window, placement: null, interval: 'month' }, today);
  const [year, recent, current, previous, refusals] = await Promise.all([
    stats(windows.year),
    stats(windows.recent),
    stats(windows.current),
    stats(windows.previous),
    store.refusedRatings.since(procedure.id, addDays(today, -(REFUSAL_DAYS - 1))),
  ]);
  const currentScore = current.indicators.satisfaction.score;
  const previousScore = previous.indicators.satisfaction.score;
  return {
    procedure,
    window: windows.year,
    reviews: year.reviews,
    satisfaction: year.indicators.satisfaction,
    recent: { window: windows.recent, reviews: recent.reviews },
    trend: {
      direction: trendDirection(currentScore, previousScore),
      current: { window: windows.current, score: currentScore },
      previous: { window: windows.previous, score: previousScore },
    },
    refused: healthTotals(refusals),
  };
}

/**
 * The unknown procedure ids that the origins of these procedures (one entity's) sent in the last
 * 30 days: a mistyped `data-procedure` is the entity's to fix, though no procedure of it was named.
 */
export async function idsTriedFrom(store: Store, procedures: readonly Procedure[], today: string): Promise<TriedId[]> {
  const origins = [...new Set(procedures.flatMap((procedure) => procedure.origins))];
  return store.refusedRatings.triedFrom(origins, addDays(today, -(REFUSAL_DAYS - 1)));
}
