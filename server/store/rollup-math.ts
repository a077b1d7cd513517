// Pure rules both engines write rollups and read windows by: per-answer rows of a follow-up, the
// counts they add to the rollups, and the cheapest way to read a window from monthly and daily rows.
import { addDays, monthEnd, type FeedWindow } from '../../shared/feed-window.ts';
import { NO_HELP, type FollowUpAnswers, type SatisfactionAnswer } from '../../shared/questionnaire.ts';

/** One row of `review_answers`: the per-answer form every indicator counts (see migrations.ts). */
export interface AnswerRow {
  question: 'clarity' | 'help_sought' | 'help_reached' | 'help_quality';
  channel: string;
  answer: string;
}

/** Flattens follow-up answers to per-answer rows; free text stays out (it goes to its own columns). */
export function answerRows(answers: FollowUpAnswers): AnswerRow[] {
  const rows: AnswerRow[] = [];
  if (answers.clarity !== undefined) rows.push({ question: 'clarity', channel: '', answer: String(answers.clarity) });
  for (const channel of answers.help_sought ?? []) rows.push({ question: 'help_sought', channel: '', answer: channel });
  for (const [channel, answer] of Object.entries(answers.help_reached ?? {})) {
    rows.push({ question: 'help_reached', channel, answer });
  }
  for (const [channel, answer] of Object.entries(answers.help_quality ?? {})) {
    rows.push({ question: 'help_quality', channel, answer: String(answer) });
  }
  return rows;
}

export interface RollupKey {
  procedureId: string;
  placementId: string;
  /** UTC day of the hot rating: follow-ups count on the day of the review they complete. */
  day: string;
}

/** (question, answer) → how many times, for the follow-up answers of one review. */
export function followUpRollup(rows: readonly AnswerRow[]): Map<string, { question: string; answer: string; count: number }> {
  const counts = new Map<string, { question: string; answer: string; count: number }>();
  const add = (question: string, answer: string) => {
    const key = `${question}\u0000${answer}`;
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { question, answer, count: 1 });
  };
  let helpSought: 'none' | 'sought' | undefined;
  for (const row of rows) {
    // help_reached / help_quality: the channel is dropped, SPEC §4 counts answers across channels.
    add(row.question, row.answer);
    if (row.question === 'help_sought') helpSought = row.answer === NO_HELP ? 'none' : (helpSought ?? 'sought');
  }
  if (helpSought) add('autonomy', helpSought);
  return counts;
}

/**
 * How to read a window cheaply: whole months from `monthly_rollups`, plus or minus day ranges from
 * `daily_rollups` at the two partial ends. A partial month is read as its days, or as the month
 * minus the days outside the window, whichever reads fewer days that can hold data (days after
 * `today` hold none): the default window ending today thus reads ~8 days and 12 months.
 */
export interface WindowPlan {
  months: { from: string; to: string } | null;
  days: { from: string; to: string; sign: 1 | -1 }[];
}

const dayCount = (from: string, to: string): number =>
  from > to ? 0 : Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

export function planWindow({ from, to }: FeedWindow, today: string): WindowPlan {
  /** Days of a range that can hold data: none after today. */
  const cost = (a: string, b: string) => dayCount(a, b < today ? b : today);
  const days: WindowPlan['days'] = [];
  const fromMonth = from.slice(0, 7);
  const toMonth = to.slice(0, 7);
  const startOf = (month: string) => `${month}-01`;
  let firstMonth = fromMonth;
  let lastMonth = toMonth;

  if (fromMonth === toMonth) {
    const before = [startOf(fromMonth), addDays(from, -1)] as const;
    const after = [addDays(to, 1), monthEnd(to)] as const;
    if (cost(from, to) <= cost(...before) + cost(...after)) {
      days.push({ from, to, sign: 1 });
      return { months: null, days };
    }
    if (before[0] <= before[1]) days.push({ from: before[0], to: before[1], sign: -1 });
    if (after[0] <= after[1]) days.push({ from: after[0], to: after[1], sign: -1 });
    return { months: { from: fromMonth, to: toMonth }, days };
  }

  if (from !== startOf(fromMonth)) {
    const inside = [from, monthEnd(from)] as const;
    const outside = [startOf(fromMonth), addDays(from, -1)] as const;
    if (cost(...inside) <= cost(...outside)) {
      days.push({ from: inside[0], to: inside[1], sign: 1 });
      firstMonth = addDays(monthEnd(from), 1).slice(0, 7);
    } else {
      days.push({ from: outside[0], to: outside[1], sign: -1 });
    }
  }
  if (to !== monthEnd(to)) {
    const inside = [startOf(toMonth), to] as const;
    const outside = [addDays(to, 1), monthEnd(to)] as const;
    if (cost(...inside) < cost(...outside)) {
      days.push({ from: inside[0], to: inside[1], sign: 1 });
      lastMonth = addDays(startOf(toMonth), -1).slice(0, 7);
    } else {
      days.push({ from: outside[0], to: outside[1], sign: -1 });
    }
  }
  return { months: firstMonth <= lastMonth ? { from: firstMonth, to: lastMonth } : null, days };
}

/**
 * The folded term months (monthly_term_rollups) a window of days reads: those it holds at least half
 * of, as a range of YYYY-MM, empty when `from` > `to`. Their day rows are gone, so a window's edge
 * inside a folded month is rounded to the nearest month boundary.
 */
export function termMonths({ from, to }: FeedWindow): { from: string; to: string } {
  const daysIn = (day: string) => Number(monthEnd(day).slice(8));
  const first = (day: string) => `${day.slice(0, 8)}01`;
  // from's month counts when from is in its first half; to's when to is in its second half.
  const start = Number(from.slice(8)) - 1 <= daysIn(from) / 2 ? from : addDays(monthEnd(from), 1);
  const end = Number(to.slice(8)) >= daysIn(to) / 2 ? to : addDays(first(to), -1);
  return { from: start.slice(0, 7), to: end.slice(0, 7) };
}

/** A term's summed count in one part of a window (day rows, or folded months): term, form, satisfaction, count. */
export type TermSum = readonly [term: string, form: string, satisfaction: SatisfactionAnswer, count: number];

/** How an engine reads the parts of a term window, for one procedure and placement. */
export interface TermParts {
  /** The last day of its month summed into the month-to-date rows (day 'YYYY-MM-00'), or null. */
  mark(): Promise<string | null>;
  /** The first and last day that hold day rows within [from, to], or null when none does. */
  dayBounds(from: string, to: string): Promise<{ from: string; to: string } | null>;
  /**
   * Day rows of [from, to], summed per term, form and satisfaction; with a `floor`, only those of
   * terms written at least `min` times there or named in `terms`, and the '' and UNSEEN rows.
   */
  days(from: string, to: string, floor?: { min: number; terms: readonly string[] }): Promise<TermSum[]>;
  /** Folded months of [from, to] (YYYY-MM), summed per term, form and satisfaction. */
  months(from: string, to: string): Promise<TermSum[]>;
  /**
   * The days [from, to] of the month to date counted exactly, from what each review is counted under
   * (review_terms): for a window that holds only part of the days it sums.
   */
  exact(from: string, to: string): Promise<TermSum[]>;
}

/** What review_terms rows say, summed per term, form and satisfaction (its '' entry counts the review). */
export function sumCountedTerms(rows: Iterable<{ satisfaction: SatisfactionAnswer; terms: string }>): TermSum[] {
  const sums = new Map<string, [string, string, SatisfactionAnswer, number]>();
  for (const { satisfaction, terms } of rows) {
    for (const [term, form] of JSON.parse(terms) as [string, string][]) {
      const key = `${term}\u0000${form}\u0000${satisfaction}`;
      const sum = sums.get(key);
      if (sum) sum[3]++;
      else sums.set(key, [term, form, satisfaction, 1]);
    }
  }
  return [...sums.values()];
}

/**
 * The counts of several windows of days at once (store.ts TermRepository.counts): each reads its day
 * rows, the month-to-date rows when it holds every day they sum (the days it holds of them, when
 * only some, counted exactly from review_terms), and the folded
 * months it holds at least half of (termMonths); a part two windows share is read once (the windows
 * that end today all read the current month's). A window's rows are those of terms at least its
 * `minReviews` reviews wrote, and the '' and UNSEEN rows; a term may have a row per part (the sums
 * are the caller's). The month to date, most of the rows and most of them rare terms, is read last,
 * without the rows of terms that can reach no window's floor: under the floor there and absent
 * from the other parts of the windows that read it.
 */
export async function termWindowCounts(
  parts: TermParts,
  windows: readonly { window: FeedWindow; minReviews: number }[],
  unseen: string,
): Promise<{ term: string; form: string; satisfaction: SatisfactionAnswer; count: number }[][]> {
  const read = new Map<string, Promise<TermSum[]>>();
  const once = (key: string, fetch: () => Promise<TermSum[]>) => {
    let rows = read.get(key);
    if (!rows) read.set(key, (rows = fetch()));
    return rows;
  };
  const mark = await parts.mark();
  const current = mark ? `${mark.slice(0, 8)}00` : '';
  const plans = await Promise.all(
    windows.map(async ({ window: { from, to }, minReviews }) => {
      const months = termMonths({ from, to });
      const reads: Promise<TermSum[]>[] = [];
      if (months.from <= months.to) reads.push(once(`m ${months.from} ${months.to}`, () => parts.months(months.from, months.to)));
      // Day rows, the month-to-date ones (which sort before their month's first day) left out.
      let ranges = [[from, to]];
      let toDate = false;
      if (mark) {
        const first = `${mark.slice(0, 8)}01`;
        if (from <= current && current <= to)
          ranges = [
            [from, addDays(first, -1)],
            [first, to],
          ];
        const [start, end] = [[from, first].sort()[1]!, [to, mark].sort()[0]!];
        // All of it: its rows; part of it (« the last 7 days » late in a month): those days exactly.
        if (start === first && end === mark) toDate = true;
        else if (start <= end) reads.push(once(`e ${start} ${end}`, () => parts.exact(start, end)));
      }
      for (const [a, b] of ranges) {
        const bounds = await parts.dayBounds(a!, b!);
        if (bounds) reads.push(once(`d ${bounds.from} ${bounds.to}`, () => parts.days(bounds.from, bounds.to)));
      }
      return { minReviews, sums: await Promise.all(reads), toDate };
    }),
  );
  const readers = plans.filter((plan) => plan.toDate);
  if (readers.length > 0) {
    const terms = new Set<string>();
    for (const { sums } of readers) for (const rows of sums) for (const [term] of rows) terms.add(term);
    const floor = { min: Math.min(...readers.map((plan) => plan.minReviews)), terms: [...terms] };
    const rows = await parts.days(current, current, floor);
    for (const plan of readers) plan.sums.push(rows);
  }
  return plans.map(({ minReviews, sums }) => {
    const totals = new Map<string, number>();
    for (const rows of sums) for (const [term, , , count] of rows) totals.set(term, (totals.get(term) ?? 0) + count);
    return sums.flatMap((rows) =>
      rows
        .filter(([term]) => term === '' || term === unseen || totals.get(term)! >= minReviews)
        .map(([term, form, satisfaction, count]) => ({ term, form, satisfaction, count })),
    );
  });
}
