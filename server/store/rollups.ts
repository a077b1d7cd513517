import type { Db } from './open-store.ts';
import type { AnswerRow } from './reviews.ts';
import type { MonthCount } from '../../shared/feed.ts';
import { addDays, monthEnd, type FeedWindow } from '../../shared/feed-window.ts';
import { NO_HELP } from '../../shared/questionnaire.ts';

// The feed's only source (issue 4): daily and monthly counts per procedure × placement × question ×
// answer, described in migrations.ts. Writes call addHotRatings / moveFollowUps inside their own
// transaction, so a count never disagrees with the reviews it comes from.

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

export interface ProcedureVersion {
  id: string;
  title: string;
  entity: string;
  /** Bumped by every write that touches the procedure's rollups. */
  version: number;
}

/** Up to four day ranges: the two partial ends of a window, each read forwards or subtracted. */
const MAX_DAY_RANGES = 4;
const EMPTY_RANGE = { from: '9', to: '0', sign: 1 as const };

export function rollupQueries(db: Db) {
  const upsertDaily = db.prepare<[string, string, string, string, string, number]>(
    `INSERT INTO daily_rollups (procedure_id, day, placement_id, question, answer, count) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET count = count + excluded.count`,
  );
  const upsertMonthly = db.prepare<[string, string, string, string, string, number]>(
    `INSERT INTO monthly_rollups (procedure_id, month, placement_id, question, answer, count) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET count = count + excluded.count`,
  );
  // Rows never hold zero (CHECK count > 0): a count brought down to zero is deleted instead.
  const decrementDaily = db.prepare<[number, string, string, string, string, string, number]>(
    `UPDATE daily_rollups SET count = count - ?
      WHERE procedure_id = ? AND day = ? AND placement_id = ? AND question = ? AND answer = ? AND count > ?`,
  );
  const deleteDaily = db.prepare<[string, string, string, string, string]>(
    `DELETE FROM daily_rollups WHERE procedure_id = ? AND day = ? AND placement_id = ? AND question = ? AND answer = ?`,
  );
  const decrementMonthly = db.prepare<[number, string, string, string, string, string, number]>(
    `UPDATE monthly_rollups SET count = count - ?
      WHERE procedure_id = ? AND month = ? AND placement_id = ? AND question = ? AND answer = ? AND count > ?`,
  );
  const deleteMonthly = db.prepare<[string, string, string, string, string]>(
    `DELETE FROM monthly_rollups WHERE procedure_id = ? AND month = ? AND placement_id = ? AND question = ? AND answer = ?`,
  );
  const bumpVersion = db.prepare<[string]>(
    `INSERT INTO rollup_versions (procedure_id, version) VALUES (?, 1)
     ON CONFLICT DO UPDATE SET version = version + 1`,
  );
  const selectDataVersion = db.prepare('PRAGMA data_version').pluck();
  const selectTotalChanges = db.prepare('SELECT total_changes()').pluck();
  const selectVersions = db.prepare<[], ProcedureVersion>(
    `SELECT p.id, p.title, p.entity, coalesce(v.version, 0) AS version
       FROM procedures p LEFT JOIN rollup_versions v ON v.procedure_id = p.id
      WHERE p.archived_at IS NULL -- an archived procedure leaves the feed and the observatory
      ORDER BY p.id`,
  );

  const dayRanges = Array.from({ length: MAX_DAY_RANGES }, (_, i) => i);
  const selectMonthCounts = db.prepare<Record<string, string | number | null>, MonthCount>(
    `SELECT month, question, answer, sum(count) AS count FROM (
       SELECT month, question, answer, count FROM monthly_rollups
        WHERE procedure_id = :procedure AND month BETWEEN :monthFrom AND :monthTo
          AND (:placement IS NULL OR placement_id = :placement)
       ${dayRanges.map((i) => `
       UNION ALL
       SELECT substr(day, 1, 7), question, answer, count * :sign${i} FROM daily_rollups
        WHERE procedure_id = :procedure AND day BETWEEN :from${i} AND :to${i}
          AND (:placement IS NULL OR placement_id = :placement)`).join('')}
     ) GROUP BY month, question, answer`,
  );

  const REBUILD = [
    'DELETE FROM daily_rollups',
    'DELETE FROM monthly_rollups',
    `INSERT INTO daily_rollups (procedure_id, day, placement_id, question, answer, count)
     SELECT procedure_id, day, placement_id, question, answer, count(*) FROM (
       SELECT procedure_id, day, placement_id, 'satisfaction' AS question, satisfaction AS answer FROM reviews
       UNION ALL
       SELECT r.procedure_id, r.day, r.placement_id, a.question, a.answer
         FROM review_answers a JOIN reviews r ON r.id = a.review_id
       UNION ALL
       SELECT r.procedure_id, r.day, r.placement_id, 'autonomy',
              CASE WHEN max(a.answer = '${NO_HELP}') THEN 'none' ELSE 'sought' END
         FROM review_answers a JOIN reviews r ON r.id = a.review_id
        WHERE a.question = 'help_sought' GROUP BY r.id
     ) GROUP BY procedure_id, day, placement_id, question, answer`,
    `INSERT INTO monthly_rollups (procedure_id, month, placement_id, question, answer, count)
     SELECT procedure_id, substr(day, 1, 7), placement_id, question, answer, sum(count)
       FROM daily_rollups GROUP BY procedure_id, substr(day, 1, 7), placement_id, question, answer`,
    `INSERT INTO rollup_versions (procedure_id, version) SELECT id, 1 FROM procedures WHERE true
     ON CONFLICT DO UPDATE SET version = version + 1`,
  ].map((sql) => db.prepare(sql));

  const add = (key: RollupKey, question: string, answer: string, count: number) => {
    upsertDaily.run(key.procedureId, key.day, key.placementId, question, answer, count);
    upsertMonthly.run(key.procedureId, key.day.slice(0, 7), key.placementId, question, answer, count);
  };
  const remove = (key: RollupKey, question: string, answer: string, count: number) => {
    const month = key.day.slice(0, 7);
    if (decrementDaily.run(count, key.procedureId, key.day, key.placementId, question, answer, count).changes === 0) {
      deleteDaily.run(key.procedureId, key.day, key.placementId, question, answer);
    }
    if (decrementMonthly.run(count, key.procedureId, month, key.placementId, question, answer, count).changes === 0) {
      deleteMonthly.run(key.procedureId, month, key.placementId, question, answer);
    }
  };

  return {
    /**
     * Counts new reviews' hot ratings. Call inside the transaction that inserts them. Equal keys are
     * summed first: a group-committed batch updates each rollup row and each version once.
     */
    addHotRatings: (ratings: readonly { key: RollupKey; satisfaction: string }[]): void => {
      const counts = new Map<string, { key: RollupKey; satisfaction: string; count: number }>();
      for (const { key, satisfaction } of ratings) {
        const id = `${key.procedureId}\u0000${key.day}\u0000${key.placementId}\u0000${satisfaction}`;
        const entry = counts.get(id);
        if (entry) entry.count++;
        else counts.set(id, { key, satisfaction, count: 1 });
      }
      for (const { key, satisfaction, count } of counts.values()) add(key, 'satisfaction', satisfaction, count);
      for (const procedureId of new Set(ratings.map(({ key }) => key.procedureId))) bumpVersion.run(procedureId);
    },

    /**
     * Moves a review's follow-up counts from its previous answers to its new ones (issue 4: a
     * replaced follow-up moves its counts, never double-counts). Call inside the replacing transaction.
     */
    moveFollowUps: (key: RollupKey, previous: readonly AnswerRow[], next: readonly AnswerRow[]): void => {
      const before = followUpRollup(previous);
      const after = followUpRollup(next);
      for (const [k, { question, answer, count }] of before) {
        const delta = count - (after.get(k)?.count ?? 0);
        if (delta > 0) remove(key, question, answer, delta);
      }
      for (const [k, { question, answer, count }] of after) {
        const delta = count - (before.get(k)?.count ?? 0);
        if (delta > 0) add(key, question, answer, delta);
      }
      bumpVersion.run(key.procedureId);
    },

    /** Recomputes every rollup from the reviews (`jdma rollups rebuild`), in one transaction. */
    rebuild: db.transaction((): void => {
      for (const statement of REBUILD) statement.run();
    }),

    /**
     * Changes whenever anything may have been written: by another connection (SQLite's data_version,
     * e.g. `jdma rollups rebuild` or `procedure add` in another process) or by this one (total_changes).
     * Equal markers mean nothing was written in between, so procedureVersions() need not be read again.
     */
    changeMarker: (): string => `${selectDataVersion.get() as number}:${selectTotalChanges.get() as number}`,

    /** Every procedure with its rollup version, by id: what the feed's cache and ETag are keyed on. */
    procedureVersions: (): ProcedureVersion[] => selectVersions.all(),

    /** One procedure's counts per month over a window (days outside it excluded), from rollups only. */
    monthCounts: (procedureId: string, window: FeedWindow, placement: string | null, today: string): MonthCount[] => {
      const plan = planWindow(window, today);
      const params: Record<string, string | number | null> = {
        procedure: procedureId,
        placement,
        monthFrom: plan.months?.from ?? '9',
        monthTo: plan.months?.to ?? '0',
      };
      dayRanges.forEach((i) => {
        const range = plan.days[i] ?? EMPTY_RANGE;
        params[`from${i}`] = range.from;
        params[`to${i}`] = range.to;
        params[`sign${i}`] = range.sign;
      });
      return selectMonthCounts.all(params);
    },

    /** Runs `read` on one consistent snapshot of the database (a read transaction). */
    snapshot: <T>(read: () => T): T => db.transaction(read)(),
  };
}
