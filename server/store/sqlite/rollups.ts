import type { MonthCount } from '../../../shared/feed.ts';
import type { FeedWindow } from '../../../shared/feed-window.ts';
import { NO_HELP } from '../../../shared/questionnaire.ts';
import { shareEventLoop } from '../../event-loop-share.ts';
import { followUpRollup, planWindow, type AnswerRow, type RollupKey } from '../rollup-math.ts';
import type { PeriodCount, ProcedureVersion, RollupRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

// The feed's only source: daily and monthly counts per procedure × placement × question × answer,
// described in migrations.ts. Writes call addHotRatings / moveFollowUps inside their own
// transaction, so a count never disagrees with the reviews it comes from.

export type SqliteRollups = ReturnType<typeof sqliteRollups>;

/** Up to four day ranges: the two partial ends of a window, each read forwards or subtracted. */
const MAX_DAY_RANGES = 4;
const EMPTY_RANGE = { from: '9', to: '0', sign: 1 as const };

export function sqliteRollups(db: Db) {
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
    `SELECT p.id, p.title, p.entity_id AS entityId, e.name AS entity, coalesce(v.version, 0) AS version
       FROM procedures p JOIN entities e ON e.id = p.entity_id LEFT JOIN rollup_versions v ON v.procedure_id = p.id
      WHERE p.archived_at IS NULL -- an archived procedure leaves the feed and the observatory
      ORDER BY p.id`,
  );

  const dayRanges = Array.from({ length: MAX_DAY_RANGES }, (_, i) => i);
  const selectMonthCounts = db.prepare<Record<string, string | number | null>, MonthCount>(
    `SELECT month, question, answer, sum(count) AS count FROM (
       SELECT month, question, answer, count FROM monthly_rollups
        WHERE procedure_id = :procedure AND month BETWEEN :monthFrom AND :monthTo
          AND (:placement IS NULL OR placement_id = :placement)
       ${dayRanges
         .map(
           (i) => `
       UNION ALL
       SELECT substr(day, 1, 7), question, answer, count * :sign${i} FROM daily_rollups
        WHERE procedure_id = :procedure AND day BETWEEN :from${i} AND :to${i}
          AND (:placement IS NULL OR placement_id = :placement)`,
         )
         .join('')}
     ) GROUP BY month, question, answer`,
  );

  const selectMonthPlacementCounts = db.prepare<Record<string, string | number | null>, PeriodCount>(
    `SELECT month AS period, placement_id AS placementId, question, answer, sum(count) AS count FROM (
       SELECT month, placement_id, question, answer, count FROM monthly_rollups
        WHERE procedure_id = :procedure AND month BETWEEN :monthFrom AND :monthTo
          AND (:placement IS NULL OR placement_id = :placement)
       ${dayRanges
         .map(
           (i) => `
       UNION ALL
       SELECT substr(day, 1, 7), placement_id, question, answer, count * :sign${i} FROM daily_rollups
        WHERE procedure_id = :procedure AND day BETWEEN :from${i} AND :to${i}
          AND (:placement IS NULL OR placement_id = :placement)`,
         )
         .join('')}
     ) GROUP BY month, placement_id, question, answer HAVING sum(count) <> 0`,
  );
  const selectReviewDays = db.prepare<[string], { day: string; reviews: number }>(
    `SELECT day, sum(count) AS reviews FROM daily_rollups
      WHERE procedure_id = ? AND question = 'satisfaction' GROUP BY day HAVING sum(count) > 0 ORDER BY day`,
  );
  const selectDayCounts = db.prepare<Record<string, string | null>, PeriodCount>(
    `SELECT day AS period, placement_id AS placementId, question, answer, count FROM daily_rollups
      WHERE procedure_id = :procedure AND day BETWEEN :from AND :to AND (:placement IS NULL OR placement_id = :placement)`,
  );

  // The recount, one procedure's day at a time, each in a short transaction of its own: a single
  // transaction over every review (0.4 s at 300,000, the command line's) held SQLite's write lock so
  // long that the collector's ratings, waiting on busy_timeout, held its event loop as long. A day's
  // recount reads and writes that day only; the month is summed from its days afterwards. Ratings
  // committed meanwhile count where they belong: a day recounted before them gets their increment,
  // a day recounted after them finds them among the reviews.
  const selectRebuildDays = db.prepare<[], { procedure_id: string; day: string }>(
    `SELECT procedure_id, day FROM reviews GROUP BY procedure_id, day
     UNION SELECT procedure_id, day FROM daily_rollups
     UNION SELECT procedure_id, month || '-00' FROM monthly_rollups
     ORDER BY 1, 2`,
  );
  const deleteDay = db.prepare<[string, string]>('DELETE FROM daily_rollups WHERE procedure_id = ? AND day = ?');
  const recountDay = db.prepare<{ procedure: string; day: string }>(
    `INSERT INTO daily_rollups (procedure_id, day, placement_id, question, answer, count)
     SELECT :procedure, :day, placement_id, question, answer, count(*) FROM (
       SELECT placement_id, 'satisfaction' AS question, satisfaction AS answer FROM reviews
        WHERE procedure_id = :procedure AND day = :day AND NOT is_test
       UNION ALL
       SELECT r.placement_id, a.question, a.answer FROM reviews r JOIN review_answers a ON a.review_id = r.id
        WHERE r.procedure_id = :procedure AND r.day = :day AND NOT r.is_test
       UNION ALL
       SELECT r.placement_id, 'autonomy', CASE WHEN max(a.answer = '${NO_HELP}') THEN 'none' ELSE 'sought' END
         FROM reviews r JOIN review_answers a ON a.review_id = r.id
        WHERE r.procedure_id = :procedure AND r.day = :day AND NOT r.is_test AND a.question = 'help_sought' GROUP BY r.id
     ) GROUP BY placement_id, question, answer`,
  );
  const deleteMonth = db.prepare<[string, string]>('DELETE FROM monthly_rollups WHERE procedure_id = ? AND month = ?');
  const sumMonth = db.prepare<{ procedure: string; month: string }>(
    `INSERT INTO monthly_rollups (procedure_id, month, placement_id, question, answer, count)
     SELECT :procedure, :month, placement_id, question, answer, sum(count) FROM daily_rollups
      WHERE procedure_id = :procedure AND day BETWEEN :month || '-01' AND :month || '-31'
      GROUP BY placement_id, question, answer`,
  );
  const bumpEveryVersion = db.prepare(
    `INSERT INTO rollup_versions (procedure_id, version) SELECT id, 1 FROM procedures WHERE true
     ON CONFLICT DO UPDATE SET version = version + 1`,
  );
  const rebuildDay = db.transaction((procedureId: string, day: string) => {
    deleteDay.run(procedureId, day);
    recountDay.run({ procedure: procedureId, day });
  });
  const rebuildMonth = db.transaction((procedureId: string, month: string) => {
    deleteMonth.run(procedureId, month);
    sumMonth.run({ procedure: procedureId, month });
  });

  /** The parameters of a window read as months plus or minus day ranges (planWindow). */
  const planParams = (procedureId: string, window: FeedWindow, placement: string | null, today: string) => {
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
    return params;
  };

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
     * Moves a review's follow-up counts from its previous answers to its new ones (follow-ups
     * replace earlier ones, SPEC §6: their counts move, never double-count). Call inside the replacing transaction.
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

    rebuild: async (): Promise<void> => {
      // Every (procedure, day) that has reviews or rollups; a month that has only a monthly row comes as day `YYYY-MM-00`.
      const days = selectRebuildDays.all();
      const monthOf = (at: number) => days[at] && `${days[at].procedure_id}\u0000${days[at].day.slice(0, 7)}`;
      for (const [at, { procedure_id: procedureId, day }] of days.entries()) {
        await shareEventLoop();
        if (!day.endsWith('-00')) rebuildDay(procedureId, day);
        // The month's last day done: its monthly rows are summed from its days.
        if (monthOf(at + 1) !== monthOf(at)) rebuildMonth(procedureId, day.slice(0, 7));
      }
      bumpEveryVersion.run();
    },

    // Another connection's commit (the command line's, in another process) moves SQLite's
    // data_version; this connection's own writes move total_changes.
    changeMarker: async (): Promise<string> => `${selectDataVersion.get() as number}:${selectTotalChanges.get() as number}`,

    procedureVersions: async (): Promise<ProcedureVersion[]> => selectVersions.all(),

    monthCounts: async (procedureId: string, window: FeedWindow, placement: string | null, today: string): Promise<MonthCount[]> =>
      selectMonthCounts.all(planParams(procedureId, window, placement, today)),

    periodCounts: async (procedureId: string, window: FeedWindow, placement: string | null, grain: 'day' | 'month', today: string) =>
      grain === 'day'
        ? selectDayCounts.all({ procedure: procedureId, from: window.from, to: window.to, placement })
        : selectMonthPlacementCounts.all(planParams(procedureId, window, placement, today)),

    reviewDays: async (procedureId: string) => selectReviewDays.all(procedureId),
  } satisfies RollupRepository & Record<string, unknown>;
}
