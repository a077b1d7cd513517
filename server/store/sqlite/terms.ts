import { shareEventLoop } from '../../event-loop-share.ts';
import { addDays, monthEnd } from '../../../shared/feed-window.ts';
import { pendingOf, type PendingTermsRow } from '../review-records.ts';
import { FoldedTermCache } from '../folded-term-cache.ts';
import { type CountedReview, type TermColumns, type TermSum, termWindowCounts } from '../rollup-math.ts';
import { type TermRepository, UNSEEN } from '../store.ts';
import type { Db } from './open-sqlite.ts';

// The term rollups (migrations.ts, SPEC §8 "Comment insights"). Counts move one review at a time:
// what review_terms says it was counted under comes off, what it writes now goes on.

/**
 * Terms looked at per step of the prune: 100 held the event loop 65 ms at a million reviews, 25 and
 * 10 about 40 ms (npm run bench:insights, on a loaded machine): below 25 the steps no longer set the
 * longest hold.
 */
const PRUNE_STEP = 25;

/** Day rows read, or moved into their month, per step of the month fold: about a millisecond's work. */
const FOLD_STEP = 100;

type Key = [procedureId: string, day: string, placementId: string, satisfaction: string];

interface DayRow {
  day: string;
  placement_id: string;
  satisfaction: string;
  term: string;
  form: string;
  count: number;
}

/** The keep-th highest of `totals` (0 when there are fewer): what a term needs to rank among the first `keep`. */
function keepFloor(totals: Iterable<number>, keep: number): number {
  const terms = new Map<number, number>();
  for (const total of totals) terms.set(total, (terms.get(total) ?? 0) + 1);
  let above = 0;
  for (const total of [...terms.keys()].sort((a, b) => b - a)) {
    above += terms.get(total)!;
    if (above >= keep) return total;
  }
  return 0;
}

// A hidden comment is read as none: its terms come off the counts (the review is queued when
// hidden, and again when restored).
export function sqliteTerms(db: Db): TermRepository {
  const cache = new FoldedTermCache();
  const selectPending = db.prepare<[number], PendingTermsRow>(
    `SELECT r.id, q.version, r.procedure_id, r.placement_id, r.day, r.satisfaction, r.lang, r.created_at,
            CASE WHEN r.hidden_at IS NULL THEN r.comment END AS comment, r.pii_suspects
       FROM term_queue q JOIN reviews r ON r.id = q.review_id ORDER BY q.review_id LIMIT ?`,
  );
  const selectCounted = db.prepare<[number], string>('SELECT terms FROM review_terms WHERE review_id = ?').pluck();
  const upsertCounted = db.prepare<[number, number, string]>(
    `INSERT INTO review_terms (review_id, created_at, terms) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET terms = excluded.terms`,
  );
  const deleteCounted = db.prepare<[number]>('DELETE FROM review_terms WHERE review_id = ?');
  const dequeue = db.prepare<[number, number]>('DELETE FROM term_queue WHERE review_id = ? AND version = ?');
  const increment = db.prepare<[...Key, string, string]>(
    `INSERT INTO daily_term_rollups (procedure_id, day, placement_id, satisfaction, term, form, count) VALUES (?, ?, ?, ?, ?, ?, 1)
     ON CONFLICT DO UPDATE SET count = count + 1`,
  );
  // Rows never hold zero (CHECK count > 0): a count brought down to zero is deleted instead.
  const decrement = db.prepare<[...Key, string, string]>(
    `UPDATE daily_term_rollups SET count = count - 1
      WHERE procedure_id = ? AND day = ? AND placement_id = ? AND satisfaction = ? AND term = ? AND form = ? AND count > 1`,
  );
  const deleteRow = db.prepare<[...Key, string, string]>(
    `DELETE FROM daily_term_rollups
      WHERE procedure_id = ? AND day = ? AND placement_id = ? AND satisfaction = ? AND term = ? AND form = ?`,
  );
  // A window's parts (rollup-math.ts termWindowCounts): its day rows and the folded months it holds
  // at least half of, each summed per term, form and satisfaction.
  const selectDaySums = db
    .prepare<Record<string, string | null>, TermSum>(
      `SELECT term, form, satisfaction, sum(count) FROM daily_term_rollups
        WHERE procedure_id = :procedure AND day BETWEEN :from AND :to AND (:placement IS NULL OR placement_id = :placement)
        GROUP BY term, form, satisfaction`,
    )
    .raw();
  // One day's rows as stored, as columns (rollup-math.ts TermParts.rows): the month to date.
  const selectDayColumns = db
    .prepare<Record<string, string | null>, string>(
      `SELECT json_array(json_group_array(term), json_group_array(form), json_group_array(satisfaction), json_group_array(count))
         FROM daily_term_rollups WHERE procedure_id = :procedure AND day = :day AND (:placement IS NULL OR placement_id = :placement)`,
    )
    .pluck();
  // The month to date summed, when the fold wrote it under the version read (term_month_sums).
  const selectToDateSums = db
    .prepare<Record<string, string | null>, string>(
      `SELECT s.columns FROM term_month_sums s JOIN term_versions v USING (procedure_id)
        WHERE s.procedure_id = :procedure AND s.placement_id = coalesce(:placement, '') AND s.day = :day AND s.version = v.version`,
    )
    .pluck();
  const selectMonthSums = db
    .prepare<Record<string, string | null>, TermSum>(
      `SELECT term, form, satisfaction, sum(count) FROM monthly_term_rollups
        WHERE procedure_id = :procedure AND month BETWEEN :from AND :to AND (:placement IS NULL OR placement_id = :placement)
        GROUP BY term, form, satisfaction`,
    )
    .raw();
  // The days of a month to date a window holds only part of, from what each review is counted under.
  const selectCountedTerms = db.prepare<Record<string, string | null>, CountedReview>(
    `SELECT r.satisfaction, t.terms FROM reviews r JOIN review_terms t ON t.review_id = r.id
      WHERE r.procedure_id = :procedure AND r.day BETWEEN :from AND :to AND (:placement IS NULL OR r.placement_id = :placement)`,
  );
  const selectFirstDay = db
    .prepare<[string, string, string], string | null>(
      'SELECT min(day) FROM daily_term_rollups WHERE procedure_id = ? AND day BETWEEN ? AND ?',
    )
    .pluck();
  const selectLastDay = db
    .prepare<[string, string, string], string | null>(
      'SELECT max(day) FROM daily_term_rollups WHERE procedure_id = ? AND day BETWEEN ? AND ?',
    )
    .pluck();
  const selectMark = db.prepare<{ procedure: string }, { day: string | null; version: number | null; months: number | null }>(
    `SELECT (SELECT day FROM term_month_marks WHERE procedure_id = :procedure) AS day, v.version, v.months_version AS months
       FROM (SELECT 1) LEFT JOIN term_versions v ON v.procedure_id = :procedure`,
  );
  // Every write to a procedure's month to date or folded months raises its version, in the same
  // transaction: what a cached read of them holds (folded-term-cache.ts) is found under the old one.
  const raiseVersion = db.prepare<[string]>(
    'INSERT INTO term_versions (procedure_id, version) VALUES (?, 1) ON CONFLICT DO UPDATE SET version = version + 1',
  );
  const raiseEveryVersion = db.prepare(
    `INSERT INTO term_versions (procedure_id, version, months_version) SELECT id, 1, 1 FROM procedures WHERE true
     ON CONFLICT DO UPDATE SET version = version + 1, months_version = months_version + 1`,
  );
  // Writes to the folded months raise their own version too.
  const raiseVersions = db.prepare<[string]>(
    `INSERT INTO term_versions (procedure_id, version, months_version) VALUES (?, 1, 1)
     ON CONFLICT DO UPDATE SET version = version + 1, months_version = months_version + 1`,
  );
  const upsertMark = db.prepare<[string, string]>(
    'INSERT INTO term_month_marks (procedure_id, day) VALUES (?, ?) ON CONFLICT DO UPDATE SET day = excluded.day',
  );
  const deleteMark = db.prepare<[string, string]>('DELETE FROM term_month_marks WHERE procedure_id = ? AND day <= ?');
  // A month to date summed per term, form and answer, for every placement ('') and for each, under
  // the procedure's version: what the first read after the fold takes (term_month_sums). Any other
  // write to the month to date deletes them, so that what came off is not kept here either.
  const writeSums = db.prepare<{ procedure: string; day: string }>(
    `INSERT INTO term_month_sums (procedure_id, placement_id, day, version, columns)
     SELECT :procedure, placement_id, :day, (SELECT version FROM term_versions WHERE procedure_id = :procedure),
            json_array(json_group_array(term), json_group_array(form), json_group_array(satisfaction), json_group_array(count))
       FROM (SELECT placement_id, term, form, satisfaction, sum(count) AS count FROM daily_term_rollups
              WHERE procedure_id = :procedure AND day = :day GROUP BY placement_id, term, form, satisfaction
             UNION ALL
             SELECT '', term, form, satisfaction, sum(count) FROM daily_term_rollups
              WHERE procedure_id = :procedure AND day = :day GROUP BY term, form, satisfaction)
      GROUP BY placement_id
     ON CONFLICT DO UPDATE SET day = excluded.day, version = excluded.version, columns = excluded.columns`,
  );
  const deleteSums = db.prepare<[string]>('DELETE FROM term_month_sums WHERE procedure_id = ?');
  const selectFoldable = db
    .prepare<[string, string], string | null>('SELECT min(day) FROM daily_term_rollups WHERE procedure_id = ? AND day < ?')
    .pluck();
  // The month fold (store.ts TermRepository.fold) in steps of FOLD_STEP day rows, the event loop
  // shared between them: one statement per month held it 5.6 s at a million reviews. First the
  // month's totals per placement × satisfaction × term are read through the primary key, from a
  // cursor; then the kept terms are chosen; then the day rows go FOLD_STEP at a time, each step
  // moving those of kept terms (and '') into the month and deleting the rest in one transaction, so
  // that no row is counted twice or lost, wherever the fold stops.
  const selectMonthRows = db.prepare<Record<string, string | number>, DayRow>(
    `SELECT day, placement_id, satisfaction, term, form, count FROM daily_term_rollups
      WHERE procedure_id = :procedure AND day <= :last
        AND (day, placement_id, satisfaction, term, form) > (:day, :placement_id, :satisfaction, :term, :form)
      ORDER BY day, placement_id, satisfaction, term, form LIMIT :limit`,
  );
  const selectFirstRows = db.prepare<[string, string, string, number], DayRow>(
    `SELECT day, placement_id, satisfaction, term, form, count FROM daily_term_rollups
      WHERE procedure_id = ? AND day BETWEEN ? AND ? ORDER BY day, placement_id, satisfaction, term, form LIMIT ?`,
  );
  const addToMonth = db.prepare<[string, string, string, string, string, string, number]>(
    `INSERT INTO monthly_term_rollups (procedure_id, month, placement_id, satisfaction, term, form, count) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET count = count + excluded.count`,
  );
  const deleteDayRow = db.prepare<[string, string, string, string, string, string]>(
    'DELETE FROM daily_term_rollups WHERE procedure_id = ? AND day = ? AND placement_id = ? AND satisfaction = ? AND term = ? AND form = ?',
  );
  const addUnseen = db.transaction((procedureId: string, month: string, unseen: Map<string, number>) => {
    for (const [group, count] of unseen) {
      const [placementId, satisfaction] = group.split('|') as [string, string];
      addToMonth.run(procedureId, month, placementId, satisfaction, UNSEEN, '', count);
    }
    if (unseen.size > 0) raiseVersions.run(procedureId);
  });
  const moveRows = db.transaction((procedureId: string, month: string, first: string, last: string, kept: Set<string>): number => {
    const rows = selectFirstRows.all(procedureId, first, last, FOLD_STEP);
    for (const row of rows) {
      if (row.term === '' || kept.has(`${row.placement_id}|${row.satisfaction}|${row.term}`)) {
        addToMonth.run(procedureId, month, row.placement_id, row.satisfaction, row.term, row.form, row.count);
      }
      deleteDayRow.run(procedureId, row.day, row.placement_id, row.satisfaction, row.term, row.form);
    }
    if (rows.length > 0) raiseVersions.run(procedureId);
    return rows.length;
  });
  // The month's rows start with its month-to-date rows, day 'YYYY-MM-00'.
  const foldMonth = async (procedureId: string, month: string, keep: number, minReviews: number): Promise<number> => {
    const first = `${month}-00`;
    const last = monthEnd(`${month}-01`);
    // Reviews per group (placement × satisfaction) and term in the month.
    const totals = new Map<string, Map<string, number>>();
    let cursor: Omit<DayRow, 'count'> = { day: first, placement_id: '', satisfaction: '', term: '', form: '' };
    for (;;) {
      await shareEventLoop();
      const rows = selectMonthRows.all({ procedure: procedureId, last, ...cursor, limit: FOLD_STEP });
      for (const { placement_id, satisfaction, term, count } of rows) {
        if (term === '') continue;
        const group = `${placement_id}|${satisfaction}`;
        let terms = totals.get(group);
        if (!terms) totals.set(group, (terms = new Map()));
        terms.set(term, (terms.get(term) ?? 0) + count);
      }
      if (rows.length < FOLD_STEP) break;
      const { day, placement_id, satisfaction, term, form } = rows.at(-1)!;
      cursor = { day, placement_id, satisfaction, term, form };
    }
    // Each group keeps its `keep` most written terms among those `minReviews` reviews of the
    // procedure wrote; its UNSEEN row holds the most reviews a term left out wrote.
    const kept = new Set<string>();
    const unseen = new Map<string, number>();
    const reached = new Map<string, boolean>();
    for (const [group, terms] of totals) {
      await shareEventLoop();
      // Only the terms at or above the keep-th highest total are sorted: a group of a month holds
      // thousands of terms at a million reviews, and sorting them all took tens of milliseconds.
      const floor = keepFloor(terms.values(), keep);
      const ranked: [string, number][] = [];
      let most = 0;
      for (const entry of terms) {
        if (entry[1] >= floor) ranked.push(entry);
        else most = Math.max(most, entry[1]);
      }
      ranked.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
      for (const [rank, [term, total]] of ranked.entries()) {
        if (rank < keep && !reached.has(term)) {
          if (reached.size % FOLD_STEP === FOLD_STEP - 1) await shareEventLoop();
          reached.set(term, (selectTotal.get(procedureId, term, minReviews) ?? 0) >= minReviews);
        }
        if (rank < keep && reached.get(term)) kept.add(`${group}|${term}`);
        else most = Math.max(most, total);
      }
      if (most > 0) unseen.set(group, most);
    }
    await shareEventLoop();
    addUnseen(procedureId, month, unseen);
    let moved = 0;
    for (;;) {
      await shareEventLoop();
      const step = moveRows(procedureId, month, first, last, kept);
      moved += step;
      if (step < FOLD_STEP) break;
    }
    deleteMark.run(procedureId, last);
    deleteSums.run(procedureId);
    return moved;
  };
  // The closed days of the current month into its month-to-date rows, every term, FOLD_STEP day rows
  // a transaction: a row is either moved or not, wherever the fold stops.
  const addToDate = db.prepare<[string, string, string, string, string, string, number]>(
    `INSERT INTO daily_term_rollups (procedure_id, day, placement_id, satisfaction, term, form, count) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET count = count + excluded.count`,
  );
  const moveToDate = db.transaction((procedureId: string, first: string, last: string): number => {
    const rows = selectFirstRows.all(procedureId, first, last, FOLD_STEP);
    const toDate = `${first.slice(0, 8)}00`;
    for (const row of rows) {
      addToDate.run(procedureId, toDate, row.placement_id, row.satisfaction, row.term, row.form, row.count);
      deleteDayRow.run(procedureId, row.day, row.placement_id, row.satisfaction, row.term, row.form);
    }
    if (rows.length > 0) {
      upsertMark.run(procedureId, last);
      raiseVersion.run(procedureId);
    }
    return rows.length;
  });
  const deleteCountsFrom = db.prepare<[string]>('DELETE FROM daily_term_rollups WHERE day >= ?');
  const deleteMarksFrom = db.prepare<[string]>('DELETE FROM term_month_marks WHERE day >= ?');
  const selectMarked = db
    .prepare<[string, string], number>("SELECT EXISTS (SELECT 1 FROM term_month_marks WHERE day BETWEEN ? || '-01' AND ? || '-31')")
    .pluck();
  const deleteSumsFrom = db.prepare<[string]>('DELETE FROM term_month_sums WHERE day >= ?');
  const deleteMonthsFrom = db.prepare<[string]>('DELETE FROM monthly_term_rollups WHERE month >= ?');
  const selectFolded = db.prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM monthly_term_rollups WHERE month = ?)').pluck();
  const deleteCountedFrom = db.prepare<[string]>('DELETE FROM review_terms WHERE review_id IN (SELECT id FROM reviews WHERE day >= ?)');
  const queueFrom = db.prepare<[string]>(
    `INSERT INTO term_queue (review_id) SELECT id FROM reviews WHERE day >= ? AND comment IS NOT NULL
     ON CONFLICT DO UPDATE SET version = version + 1`,
  );
  // A folded month, or a month to date, that `from` cuts keeps its counts (its days cannot be told
  // apart): the rebuild starts with the next month. From a month's first day, its month-to-date rows
  // (day 'YYYY-MM-00') go too.
  const requeue = db.transaction((asked: string): { from: string; queued: number } => {
    const month = asked.slice(0, 7);
    const cut = !asked.endsWith('-01') && (selectFolded.get(month) === 1 || selectMarked.get(month, month) === 1);
    const from = cut ? addDays(monthEnd(asked), 1) : asked;
    deleteCountsFrom.run(from.endsWith('-01') ? `${from.slice(0, 8)}00` : from);
    deleteMarksFrom.run(from);
    deleteMonthsFrom.run(from.slice(0, 7));
    deleteCountedFrom.run(from);
    raiseEveryVersion.run();
    deleteSumsFrom.run(`${from.slice(0, 8)}00`);
    return { from, queued: queueFrom.run(from).changes };
  });
  const selectProcedures = db.prepare<[], string>('SELECT id FROM procedures').pluck();
  const selectCandidates = db
    .prepare<[string, string, string], string>(
      "SELECT DISTINCT term FROM daily_term_rollups WHERE procedure_id = ? AND day >= ? AND day < ? AND term <> ''",
    )
    .pluck();
  // Whether a term reached the floor needs `minReviews` of its rows at most (each counts one review
  // or more), not all of them: a common term's thousand rows are not read.
  const selectTotal = db
    .prepare<[string, string, number], number>(
      'SELECT sum(count) FROM (SELECT count FROM daily_term_rollups INDEXED BY daily_term_rollups_term WHERE procedure_id = ? AND term = ? LIMIT ?)',
    )
    .pluck();
  // Named: without statistics SQLite ranges over the primary key's procedure, every row of it.
  // The month to date of `before`'s month (day 'YYYY-MM-00', which sorts before its days) also sums
  // days whose text is still kept: it stays.
  const deleteTerm = db.prepare<[string, string, string, string]>(
    "DELETE FROM daily_term_rollups INDEXED BY daily_term_rollups_term WHERE procedure_id = ? AND term = ? AND day < ? AND day <> substr(?, 1, 8) || '00'",
  );
  const pruneTerms = db.transaction((procedureId: string, terms: readonly string[], before: string, minReviews: number): number => {
    let deleted = 0;
    for (const term of terms) {
      if ((selectTotal.get(procedureId, term, minReviews) ?? 0) < minReviews)
        deleted += deleteTerm.run(procedureId, term, before, before).changes;
    }
    // The rows a prune deletes may be those of a month to date not yet folded into its month.
    if (deleted > 0) {
      raiseVersion.run(procedureId);
      deleteSums.run(procedureId);
    }
    return deleted;
  });

  const subtract = (key: Key, term: string, form: string): boolean =>
    decrement.run(...key, term, form).changes > 0 || deleteRow.run(...key, term, form).changes > 0;
  // A day the hourly fold summed into its month to date has no row of its own any more: what it
  // counted comes off the month-to-date row.
  const move = (key: Key, pairs: readonly [string, string][], sign: 1 | -1): void => {
    const toDate: Key = [key[0], `${key[1].slice(0, 8)}00`, key[2], key[3]];
    for (const [term, form] of pairs) {
      if (sign === 1) increment.run(...key, term, form);
      else if (!subtract(key, term, form) && subtract(toDate, term, form)) {
        raiseVersion.run(key[0]);
        deleteSums.run(key[0]);
      }
    }
  };
  const count = db.transaction((reviews: Parameters<TermRepository['count']>[0]) => {
    for (const { review, terms } of reviews) {
      if (dequeue.run(review.reviewId, review.queueVersion).changes === 0) continue;
      const key: Key = [review.procedureId, review.day, review.placementId, review.satisfaction];
      const before = selectCounted.get(review.reviewId);
      if (before !== undefined) move(key, JSON.parse(before) as [string, string][], -1);
      // The '' row counts the review itself once, beside its terms: the denominator of every rate.
      const now: [string, string][] =
        terms.length === 0 ? [] : [['', ''], ...terms.map(({ term, form }): [string, string] => [term, form])];
      move(key, now, 1);
      if (now.length > 0) upsertCounted.run(review.reviewId, review.createdAt, JSON.stringify(now));
      else deleteCounted.run(review.reviewId);
    }
  });

  return {
    pending: async (limit) => selectPending.all(limit).map(pendingOf),
    count: async (reviews) => count(reviews),
    counts: (procedureId, windows, placementId) =>
      termWindowCounts(
        {
          mark: async () => {
            const { day, version, months } = selectMark.get({ procedure: procedureId })!;
            return { day, version: version ?? 0, monthsVersion: months ?? 0 };
          },
          dayBounds: async (from, to) => {
            const first = selectFirstDay.get(procedureId, from, to);
            return first ? { from: first, to: selectLastDay.get(procedureId, from, to)! } : null;
          },
          days: async (from, to) => selectDaySums.all({ procedure: procedureId, from, to, placement: placementId }),
          rows: async (day) => {
            const at = { procedure: procedureId, day, placement: placementId };
            return JSON.parse(selectToDateSums.get(at) ?? selectDayColumns.get(at)!) as TermColumns;
          },
          months: async (from, to) => selectMonthSums.all({ procedure: procedureId, from, to, placement: placementId }),
          exact: async (from, to) => selectCountedTerms.all({ procedure: procedureId, from, to, placement: placementId }),
        },
        windows,
        UNSEEN,
        { store: cache, procedureId, placementId },
      ),
    fold: async (today, keep, minReviews) => {
      // A month of a procedure at a time, the event loop shared between them; then the current
      // month's closed days.
      const before = `${today.slice(0, 8)}01`;
      // Closed months' days sort before the current month's month-to-date rows.
      const current = `${today.slice(0, 8)}00`;
      let folded = 0;
      for (const procedureId of selectProcedures.all()) {
        for (let first = selectFoldable.get(procedureId, current); first; first = selectFoldable.get(procedureId, current)) {
          folded += await foldMonth(procedureId, first.slice(0, 7), keep, minReviews);
        }
        if (today === before) continue;
        let moved = 0;
        for (;;) {
          await shareEventLoop();
          const step = moveToDate(procedureId, before, addDays(today, -1));
          moved += step;
          if (step < FOLD_STEP) break;
        }
        // One statement, under the version the last step raised (SQLite writes one at a time).
        if (moved > 0) writeSums.run({ procedure: procedureId, day: current });
        folded += moved;
      }
      return folded;
    },
    requeue: async (from) => requeue(from),
    prune: async (since, before, minReviews) => {
      // A term at a time through its index, the event loop shared every PRUNE_STEP terms: one
      // statement over the whole table held it 10 s at a million reviews.
      let deleted = 0;
      for (const procedureId of selectProcedures.all()) {
        const terms = selectCandidates.all(procedureId, since, before);
        for (let i = 0; i < terms.length; i += PRUNE_STEP) {
          await shareEventLoop();
          deleted += pruneTerms(procedureId, terms.slice(i, i + PRUNE_STEP), before, minReviews);
        }
      }
      return deleted;
    },
  };
}
