// Feed windows (SPEC §4): inclusive ranges of UTC days, written YYYY-MM-DD.

export interface FeedWindow {
  from: string;
  to: string;
}

/** The longest window the feed serves: five years (60 months), which bounds what one request makes the collector read. */
export const MAX_WINDOW_MONTHS = 60;
/** The default window: the rolling 12 months ending today (SPEC §4). */
export const DEFAULT_WINDOW_MONTHS = 12;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isDay(value: string): boolean {
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A day in milliseconds: UTC days have no summer time. */
export const DAY_MS = 86_400_000;

export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

const parseDay = (day: string): Date => new Date(`${day}T00:00:00Z`);

export function addDays(day: string, days: number): string {
  const date = parseDay(day);
  date.setUTCDate(date.getUTCDate() + days);
  return utcDay(date);
}

/** The same day `months` months away, clamped to the end of a shorter month (2028-02-29 − 12 months → 2027-02-28). */
export function addMonths(day: string, months: number): string {
  const date = parseDay(day);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return utcDay(target);
}

/** The first day of a window of `months` months ending on `to` (inclusive): 2026-11-22 → 2025-11-23 for 12. */
export const windowStart = (to: string, months: number): string => addDays(addMonths(to, -months), 1);

/**
 * Every month (YYYY-MM) a window touches, in order. Counted in numbers, not by comparing strings:
 * the month after 9999-12 is written "+010000-01", which sorts before "9999-12", and a window
 * ending in December 9999 never ended.
 */
export function monthsOf({ from, to }: FeedWindow): string[] {
  const index = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
  const months: string[] = [];
  for (let month = index(from); month <= index(to); month++) {
    months.push(`${String(Math.floor(month / 12)).padStart(4, '0')}-${String((month % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

/** The last day of the month of `day`. */
export function monthEnd(day: string): string {
  const date = parseDay(day);
  return utcDay(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)));
}

export interface WindowProblem {
  field: 'from' | 'to';
  message: string;
}

/**
 * Resolves the query's optional bounds against today (UTC): `to` defaults to today, `from` to
 * 12 months before `to`. Returns the problems instead when the range is inverted or longer than 5 years.
 */
export function resolveWindow(query: { from?: string | undefined; to?: string | undefined }, today: string): FeedWindow | WindowProblem[] {
  const to = query.to ?? today;
  const from = query.from ?? windowStart(to, DEFAULT_WINDOW_MONTHS);
  if (from > to) return [{ field: query.from !== undefined ? 'from' : 'to', message: `must not be after "to" (${to})` }];
  if (from < windowStart(to, MAX_WINDOW_MONTHS)) {
    return [
      {
        field: 'from',
        message: `the window must not exceed 5 years (earliest "from" for this "to": ${windowStart(to, MAX_WINDOW_MONTHS)})`,
      },
    ];
  }
  return { from, to };
}
