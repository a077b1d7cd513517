// An agency's own indicators for one procedure (SPEC §8): the feed's indicator objects (SPEC §4)
// with no publication threshold, a series per day, week or month, and one entry per placement.
// Read from the rollups only, like the feed, so its cost follows days × answers, not reviews.
import { addCount } from '../../shared/feed.ts';
import { addDays, monthEnd, monthsOf, type FeedWindow } from '../../shared/feed-window.ts';
import { computeIndicators, emptyWindowCounts, type Indicators, type WindowCounts } from '../../shared/indicators.ts';
import type { Procedure, Store } from '../store/store.ts';

export type StatsInterval = 'day' | 'week' | 'month';

export interface StatsFigures {
  reviews: number;
  indicators: Indicators;
}

export interface ProcedureStats extends StatsFigures {
  procedure: { id: string; title: string; entity: string };
  window: FeedWindow;
  interval: StatsInterval;
  series: (StatsFigures & { from: string; to: string })[];
  placements: (StatsFigures & { placement: string })[];
}

/** The agency's data: every figure is published, whatever the number of reviews. */
const NO_THRESHOLD = 0;

const figures = (counts: WindowCounts): StatsFigures => {
  const s = counts.satisfaction;
  return { reviews: s.good + s.medium + s.bad, indicators: computeIndicators(counts, NO_THRESHOLD) };
};

/** The Monday of a day's week (ISO weeks, UTC). */
export function weekOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** The periods of a window, each with the key its rollup rows are filed under, clipped to the window. */
export function periodsOf(window: FeedWindow, interval: StatsInterval): { key: string; from: string; to: string }[] {
  const clip = (from: string, to: string) => ({ from: from < window.from ? window.from : from, to: to > window.to ? window.to : to });
  if (interval === 'month') {
    return monthsOf(window).map((month) => ({ key: month, ...clip(`${month}-01`, monthEnd(`${month}-01`)) }));
  }
  const periods: { key: string; from: string; to: string }[] = [];
  const step = interval === 'week' ? 7 : 1;
  for (let start = interval === 'week' ? weekOf(window.from) : window.from; start <= window.to; start = addDays(start, step)) {
    periods.push({ key: start, ...clip(start, addDays(start, step - 1)) });
  }
  return periods;
}

export async function procedureStats(
  store: Store,
  procedure: Procedure,
  request: { window: FeedWindow; placement: string | null; interval: StatsInterval },
  today: string,
): Promise<ProcedureStats> {
  const { window, placement, interval } = request;
  const rows = await store.rollups.periodCounts(procedure.id, window, placement, interval === 'month' ? 'month' : 'day', today);
  const periods = periodsOf(window, interval);
  const byPeriod = new Map(periods.map((period) => [period.key, emptyWindowCounts()]));
  // Every placement of the procedure, then any other one its history holds (a removed placement).
  const placements = new Map((placement === null ? procedure.placements : [placement]).map((id) => [id, emptyWindowCounts()]));
  const total = emptyWindowCounts();
  const weeks = new Map<string, string>();
  const keyOf = (period: string): string => {
    if (interval !== 'week') return period;
    let week = weeks.get(period);
    if (week === undefined) weeks.set(period, (week = weekOf(period)));
    return week;
  };
  for (const row of rows) {
    addCount(total, row.question, row.answer, row.count);
    const period = byPeriod.get(keyOf(row.period));
    if (period) addCount(period, row.question, row.answer, row.count);
    let counts = placements.get(row.placementId);
    if (!counts) placements.set(row.placementId, (counts = emptyWindowCounts()));
    addCount(counts, row.question, row.answer, row.count);
  }
  return {
    procedure: { id: procedure.id, title: procedure.title, entity: procedure.entity },
    window: { from: window.from, to: window.to },
    interval,
    ...figures(total),
    series: periods.map(({ key, from, to }) => ({ from, to, ...figures(byPeriod.get(key)!) })),
    placements: [...placements].map(([id, counts]) => ({ placement: id, ...figures(counts) })),
  };
}
