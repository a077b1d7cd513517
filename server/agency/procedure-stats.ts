// An agency's own indicators for one procedure (SPEC §8): the feed's indicator objects (SPEC §4)
// with no publication threshold, a series per day, week or month, and one entry per placement.
// Read from the rollups only, like the feed, so its cost follows days × answers, not reviews.
import { addCount } from '../../shared/feed.ts';
import { addDays, monthEnd, monthsOf, type FeedWindow } from '../../shared/feed-window.ts';
import { computeIndicators, emptyWindowCounts, type Indicators, type WindowCounts } from '../../shared/indicators.ts';
import { shareEventLoop } from '../event-loop-share.ts';
import type { MarkedCounts, PeriodCount, Procedure, Store } from '../store/store.ts';

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
  /** Reviews of the window (every placement) marked spam or duplicate: counted above all the same, listed apart. */
  marked: MarkedCounts;
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

/** Days of daily rollups read per query: a quarter of a large procedure's rows take about a millisecond. */
const DAYS_PER_READ = 92;
/** Rollup rows added up, and periods computed or written, between two shares of the event loop. */
const ROWS_PER_UNIT = 2000;
const PERIODS_PER_UNIT = 100;

/**
 * The window's rollup rows, read a quarter at a time by day and at once by month (a few rows per
 * month), the event loop shared between two reads: five years of days are some 100,000 rows.
 */
async function periodRows(
  store: Store,
  procedureId: string,
  window: FeedWindow,
  placement: string | null,
  interval: StatsInterval,
  today: string,
) {
  if (interval === 'month') return store.rollups.periodCounts(procedureId, window, placement, 'month', today);
  const rows: PeriodCount[] = [];
  for (let from = window.from; from <= window.to; from = addDays(from, DAYS_PER_READ)) {
    await shareEventLoop();
    const end = addDays(from, DAYS_PER_READ - 1);
    // biome-ignore lint/complexity/useMathMinMax: days are YYYY-MM-DD strings, which Math.min does not compare
    const part = { from, to: end > window.to ? window.to : end };
    for (const row of await store.rollups.periodCounts(procedureId, part, placement, 'day', today)) rows.push(row);
  }
  return rows;
}

export async function procedureStats(
  store: Store,
  procedure: Procedure,
  request: { window: FeedWindow; placement: string | null; interval: StatsInterval },
  today: string,
): Promise<ProcedureStats> {
  const { window, placement, interval } = request;
  const rows = await periodRows(store, procedure.id, window, placement, interval, today);
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
  for (const [i, row] of rows.entries()) {
    if (i % ROWS_PER_UNIT === 0) await shareEventLoop();
    addCount(total, row.question, row.answer, row.count);
    const period = byPeriod.get(keyOf(row.period));
    if (period) addCount(period, row.question, row.answer, row.count);
    let counts = placements.get(row.placementId);
    if (!counts) placements.set(row.placementId, (counts = emptyWindowCounts()));
    addCount(counts, row.question, row.answer, row.count);
  }
  const series: ProcedureStats['series'] = [];
  for (const [i, { key, from, to }] of periods.entries()) {
    if (i % PERIODS_PER_UNIT === 0) await shareEventLoop();
    series.push({ from, to, ...figures(byPeriod.get(key)!) });
  }
  return {
    procedure: { id: procedure.id, title: procedure.title, entity: procedure.entity },
    window: { from: window.from, to: window.to },
    interval,
    ...figures(total),
    series,
    placements: [...placements].map(([id, counts]) => ({ placement: id, ...figures(counts) })),
    marked: await store.reviews.markedCounts(procedure.id, window.from, window.to),
  };
}

/**
 * The stats as JSON text, in pieces: the same bytes as JSON.stringify(stats), but a series of five
 * years of days (a megabyte, some 50 ms to stringify at once) is written a few periods at a time,
 * sharing the event loop between two.
 */
export async function* statsJson(stats: ProcedureStats): AsyncGenerator<string> {
  let separator = '{';
  for (const [name, value] of Object.entries(stats)) {
    const key = `${separator}${JSON.stringify(name)}:`;
    separator = ',';
    if (name !== 'series') {
      yield key + JSON.stringify(value);
      continue;
    }
    let chunk = `${key}[`;
    for (const [i, period] of stats.series.entries()) {
      if (i > 0 && i % PERIODS_PER_UNIT === 0) {
        yield chunk;
        chunk = '';
        await shareEventLoop();
      }
      chunk += (i > 0 ? ',' : '') + JSON.stringify(period);
    }
    yield `${chunk}]`;
  }
  yield '}';
}
