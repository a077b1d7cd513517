// Pure rules both engines write rollups and read windows by: per-answer rows of a follow-up, the
// counts they add to the rollups, and the cheapest way to read a window from monthly and daily rows.
import { addDays, monthEnd, type FeedWindow } from '../../shared/feed-window.ts';
import { NO_HELP, type FollowUpAnswers, type SatisfactionAnswer } from '../../shared/questionnaire.ts';
import type { FoldedTermCache } from './folded-term-cache.ts';

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

/** Rows as four columns: terms, forms, satisfaction answers, counts. */
export type TermColumns = readonly [terms: string[], forms: string[], satisfactions: SatisfactionAnswer[], counts: number[]];

/** A term's summed count in one part of a window (day rows, or folded months): term, form, satisfaction, count. */
export type TermSum = readonly [term: string, form: string, satisfaction: SatisfactionAnswer, count: number];

/** How an engine reads the parts of a term window, for one procedure and placement. */
export interface TermParts {
  /**
   * The last day of its month summed into the month-to-date rows (day 'YYYY-MM-00'), or null; the
   * procedure's term version (term_versions, 0 without a row), raised by every write to those rows
   * or to its folded months; and its months' version, raised by writes to its folded months alone.
   */
  mark(): Promise<{ day: string | null; version: number; monthsVersion: number }>;
  /** The first and last day that hold day rows within [from, to], or null when none does. */
  dayBounds(from: string, to: string): Promise<{ from: string; to: string } | null>;
  /** Day rows of [from, to], summed per term, form and satisfaction. */
  days(from: string, to: string): Promise<TermSum[]>;
  /**
   * The rows of one day as stored, one per placement (the month to date, summed by the caller), as
   * columns: one JSON value of four arrays was the quickest way out of either engine, for 40,000 rows
   * at a million reviews (PostgreSQL: 32 ms, against 35 as rows and 54 as an array of rows).
   */
  rows(day: string): Promise<TermColumns>;
  /** Folded months of [from, to] (YYYY-MM), summed per term, form and satisfaction. */
  months(from: string, to: string): Promise<TermSum[]>;
  /**
   * The days [from, to] of the month to date counted exactly, from what each review is counted under
   * (review_terms: its JSON [[term, form], …], the '' entry counting the review): for a window that
   * holds only part of the days it sums.
   */
  exact(from: string, to: string): Promise<Iterable<CountedReview>>;
}

/** A review as review_terms says it is counted: its answer, and its JSON [[term, form], …]. */
export interface CountedReview {
  satisfaction: SatisfactionAnswer;
  terms: string;
}

/**
 * A part of a window, its rows grouped per term with the term's count there: a window keeps a
 * term when its counts in all its parts reach the floor, and most terms of the month to date are
 * rare, so that a window is sifted term by term (a lookup in the smaller parts for each) rather than
 * row by row.
 */
type Part = Map<string, { total: number; rows: Counted[] }>;
/** A row of a part: counted while the part is built, then shared by the reads that keep it, as is. */
type Counted = { term: string; form: string; satisfaction: SatisfactionAnswer; count: number };

/** Adds a count to a part: to its row of that form and answer (a term has a handful) or a new one. */
function addTo(part: Part, term: string, form: string, satisfaction: SatisfactionAnswer, count: number): void {
  let group = part.get(term);
  if (!group) part.set(term, (group = { total: 0, rows: [] }));
  group.total += count;
  for (const row of group.rows) {
    if (row.form === form && row.satisfaction === satisfaction) {
      row.count += count;
      return;
    }
  }
  group.rows.push({ term, form, satisfaction, count });
}

/** Summed rows as a part. */
function partOf(rows: readonly TermSum[]): Part {
  const part: Part = new Map();
  for (const [term, form, satisfaction, count] of rows) addTo(part, term, form, satisfaction, count);
  return part;
}

/** What review_terms rows say, summed into a part. */
function partOfCounted(reviews: Iterable<CountedReview>): Part {
  const part: Part = new Map();
  for (const { satisfaction, terms } of reviews) {
    for (const [term, form] of JSON.parse(terms) as [string, string][]) addTo(part, term, form, satisfaction, 1);
  }
  return part;
}

/** Rows as stored, one per placement, summed into a part. */
function partOfColumns([terms, forms, satisfactions, counts]: TermColumns): Part {
  const part: Part = new Map();
  for (let i = 0; i < terms.length; i++) addTo(part, terms[i]!, forms[i]!, satisfactions[i]!, counts[i]!);
  return part;
}

/**
 * The counts of several windows of days at once (store.ts TermRepository.counts): each reads its day
 * rows, the month-to-date rows when it holds every day they sum (the days it holds of them, when
 * only some, counted exactly from review_terms), and the folded months it holds at least half of
 * (termMonths); a part two windows share is read once (the windows that end today all read the
 * current month's). The month to date and the folded months, most of what is read, come from
 * `cache` while the procedure's term version holds (folded-term-cache.ts). A window's rows are those
 * of terms at least its `minReviews` reviews wrote, and the '' and UNSEEN rows; a term may have a row
 * per part (the sums are the caller's).
 */
export async function termWindowCounts(
  parts: TermParts,
  windows: readonly { window: FeedWindow; minReviews: number }[],
  unseen: string,
  cache: { store: FoldedTermCache; procedureId: string; placementId: string | null },
): Promise<Readonly<Counted>[][]> {
  const read = new Map<string, Promise<Part>>();
  const once = (key: string, fetch: () => Promise<Part>) => {
    let part = read.get(key);
    if (!part) read.set(key, (part = fetch()));
    return part;
  };
  const { day: mark, version, monthsVersion } = await parts.mark();
  // Folded months are kept under their own version: the daily fold of the month to date leaves them be.
  const folded = (key: string, fetch: () => Promise<Part>) =>
    once(key, () =>
      cache.store.get(
        JSON.stringify([cache.procedureId, cache.placementId, key]),
        key.startsWith('m ') ? `m${monthsVersion}` : `${version}`,
        fetch,
      ),
    );
  const current = mark ? `${mark.slice(0, 8)}00` : '';
  const plans = await Promise.all(
    windows.map(async ({ window: { from, to }, minReviews }) => {
      const months = termMonths({ from, to });
      const reads: Promise<Part>[] = [];
      if (months.from <= months.to)
        reads.push(folded(`m ${months.from} ${months.to}`, async () => partOf(await parts.months(months.from, months.to))));
      // Day rows, the month-to-date ones (which sort before their month's first day) left out.
      let ranges = [[from, to]];
      if (mark) {
        const first = `${mark.slice(0, 8)}01`;
        if (from <= current && current <= to)
          ranges = [
            [from, addDays(first, -1)],
            [first, to],
          ];
        const [start, end] = [[from, first].sort()[1]!, [to, mark].sort()[0]!];
        // All of it: its rows; part of it (« the last 7 days » late in a month): those days exactly.
        if (start === first && end === mark) reads.push(folded(`t ${current}`, async () => partOfColumns(await parts.rows(current))));
        else if (start <= end) reads.push(once(`e ${start} ${end}`, async () => partOfCounted(await parts.exact(start, end))));
      }
      for (const [a, b] of ranges) {
        const bounds = await parts.dayBounds(a!, b!);
        if (bounds) reads.push(once(`d ${bounds.from} ${bounds.to}`, async () => partOf(await parts.days(bounds.from, bounds.to))));
      }
      return { minReviews, parts: await Promise.all(reads) };
    }),
  );
  return plans.map(({ minReviews, parts }) => {
    // The parts' own rows, not copies: a window at a million reviews keeps some 12,000, and making
    // them again at every read was a tenth of its time in garbage collection.
    const kept: Readonly<Counted>[] = [];
    parts.forEach((part, at) => {
      for (const [term, { total, rows }] of part) {
        let sum = total;
        for (let other = 0; other < parts.length && sum < minReviews; other++) {
          if (other !== at) sum += parts[other]!.get(term)?.total ?? 0;
        }
        if (term === '' || term === unseen || sum >= minReviews) {
          for (const row of rows) kept.push(row);
        }
      }
    });
    return kept;
  });
}
