import type { MonthCount } from '../../../shared/feed.ts';
import type { FeedWindow } from '../../../shared/feed-window.ts';
import { NO_HELP } from '../../../shared/questionnaire.ts';
import { followUpRollup, planWindow, type AnswerRow, type RollupKey } from '../rollup-math.ts';
import type { ProcedureVersion, RollupRepository } from '../store.ts';
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

    rebuild: async (): Promise<void> =>
      db.transaction(() => {
        for (const statement of REBUILD) statement.run();
      })(),

    // Another connection's commit (the command line's, in another process) moves SQLite's
    // data_version; this connection's own writes move total_changes.
    changeMarker: async (): Promise<string> => `${selectDataVersion.get() as number}:${selectTotalChanges.get() as number}`,

    procedureVersions: async (): Promise<ProcedureVersion[]> => selectVersions.all(),

    monthCounts: async (procedureId: string, window: FeedWindow, placement: string | null, today: string): Promise<MonthCount[]> => {
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
  } satisfies RollupRepository & Record<string, unknown>;
}
