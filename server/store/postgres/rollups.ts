import type { MonthCount } from '../../../shared/feed.ts';
import { NO_HELP } from '../../../shared/questionnaire.ts';
import { planWindow } from '../rollup-math.ts';
import type { ProcedureVersion, RollupRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

/** Up to four day ranges: the two partial ends of a window, each read forwards or subtracted. */
const MAX_DAY_RANGES = 4;
const EMPTY_RANGE = { from: '9', to: '0', sign: 1 as const };

const MONTH_COUNTS = `
SELECT month, question, answer, sum(count)::integer AS count FROM (
  SELECT month, question, answer, count FROM monthly_rollups
   WHERE procedure_id = $1 AND month BETWEEN $3 AND $4 AND ($2::text IS NULL OR placement_id = $2)
  ${Array.from(
    { length: MAX_DAY_RANGES },
    (_, i) => `
  UNION ALL
  SELECT left(day, 7), question, answer, count * $${7 + 3 * i}::integer FROM daily_rollups
   WHERE procedure_id = $1 AND day BETWEEN $${5 + 3 * i} AND $${6 + 3 * i} AND ($2::text IS NULL OR placement_id = $2)`,
  ).join('')}
) AS counts GROUP BY month, question, answer`;

// The same recount as the SQLite engine's, in PostgreSQL's words (bool_or for SQLite's max of a boolean).
const REBUILD = `
DELETE FROM daily_rollups;
DELETE FROM monthly_rollups;
INSERT INTO daily_rollups (procedure_id, day, placement_id, question, answer, count)
SELECT procedure_id, day, placement_id, question, answer, count(*) FROM (
  SELECT procedure_id, day, placement_id, 'satisfaction' AS question, satisfaction AS answer FROM reviews
  UNION ALL
  SELECT r.procedure_id, r.day, r.placement_id, a.question, a.answer
    FROM review_answers a JOIN reviews r ON r.id = a.review_id
  UNION ALL
  SELECT r.procedure_id, r.day, r.placement_id, 'autonomy',
         CASE WHEN bool_or(a.answer = '${NO_HELP}') THEN 'none' ELSE 'sought' END
    FROM review_answers a JOIN reviews r ON r.id = a.review_id
   WHERE a.question = 'help_sought' GROUP BY r.id, r.procedure_id, r.day, r.placement_id
) AS answers GROUP BY procedure_id, day, placement_id, question, answer;
INSERT INTO monthly_rollups (procedure_id, month, placement_id, question, answer, count)
SELECT procedure_id, left(day, 7), placement_id, question, answer, sum(count)
  FROM daily_rollups GROUP BY procedure_id, left(day, 7), placement_id, question, answer;
INSERT INTO rollup_versions AS v (procedure_id, version) SELECT id, 1 FROM procedures
ON CONFLICT (procedure_id) DO UPDATE SET version = v.version + 1;`;

export function postgresRollups(db: Pg): RollupRepository {
  return {
    // Moves with every commit of this process at once, and within a poll with everyone else's.
    changeMarker: async () => {
      const { catalog, rollups } = db.marker();
      return `${catalog}:${rollups}`;
    },
    procedureVersions: async () =>
      (
        await db.query<ProcedureVersion>(
          `SELECT p.id, p.title, p.entity_id AS "entityId", e.name AS entity, coalesce(v.version, 0) AS version
             FROM procedures p JOIN entities e ON e.id = p.entity_id LEFT JOIN rollup_versions v ON v.procedure_id = p.id
            WHERE p.archived_at IS NULL
            ORDER BY p.id`,
        )
      ).rows,
    monthCounts: async (procedureId, window, placement, today) => {
      const plan = planWindow(window, today);
      const values: unknown[] = [procedureId, placement, plan.months?.from ?? '9', plan.months?.to ?? '0'];
      for (let i = 0; i < MAX_DAY_RANGES; i++) {
        const range = plan.days[i] ?? EMPTY_RANGE;
        values.push(range.from, range.to, range.sign);
      }
      return (await db.query<MonthCount>(MONTH_COUNTS, values)).rows;
    },
    rebuild: async () => {
      await db.maintenance(async (run) => void (await run(REBUILD)));
      db.changed('rollups');
    },
  };
}
