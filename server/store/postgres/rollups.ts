import type { MonthCount } from '../../../shared/feed.ts';
import type { FeedWindow } from '../../../shared/feed-window.ts';
import { NO_HELP } from '../../../shared/questionnaire.ts';
import { planWindow } from '../rollup-math.ts';
import type { PeriodCount, ProcedureVersion, RollupRepository } from '../store.ts';
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

const MONTH_PLACEMENT_COUNTS = `
SELECT month AS period, placement_id AS "placementId", question, answer, sum(count)::integer AS count FROM (
  SELECT month, placement_id, question, answer, count FROM monthly_rollups
   WHERE procedure_id = $1 AND month BETWEEN $3 AND $4 AND ($2::text IS NULL OR placement_id = $2)
  ${Array.from(
    { length: MAX_DAY_RANGES },
    (_, i) => `
  UNION ALL
  SELECT left(day, 7), placement_id, question, answer, count * $${7 + 3 * i}::integer FROM daily_rollups
   WHERE procedure_id = $1 AND day BETWEEN $${5 + 3 * i} AND $${6 + 3 * i} AND ($2::text IS NULL OR placement_id = $2)`,
  ).join('')}
) AS counts GROUP BY month, placement_id, question, answer HAVING sum(count) <> 0`;

const DAY_COUNTS = `
SELECT day AS period, placement_id AS "placementId", question, answer, count FROM daily_rollups
 WHERE procedure_id = $1 AND day BETWEEN $2 AND $3 AND ($4::text IS NULL OR placement_id = $4)`;

// The recount, one procedure's month at a time, as the SQLite engine's (bool_or for SQLite's max of
// a boolean), each month in a short REPEATABLE READ transaction: one transaction over every rollup
// blocked every rating's upsert until it committed, and failed on the first rating that inserted a
// row it was about to insert. A rating committed meanwhile either came before the month's snapshot
// (counted by the recount) or after (its increment waits, then lands on the recounted row); one
// that touches the month's rows between the two makes the transaction fail with a serialization
// error, and the month is recounted again. (A transaction per day, as SQLite has, costs five round
// trips a day: 36 s for five years of one procedure on the loaded test machine.)
const REBUILD_MONTHS = `
SELECT procedure_id, left(day, 7) AS month FROM reviews GROUP BY 1, 2
UNION SELECT procedure_id, month FROM monthly_rollups
UNION SELECT procedure_id, left(day, 7) FROM daily_rollups
ORDER BY 1, 2`;
const RECOUNT_DAYS = `
INSERT INTO daily_rollups AS d (procedure_id, day, placement_id, question, answer, count)
SELECT $1, day, placement_id, question, answer, count(*) FROM (
  SELECT day, placement_id, 'satisfaction' AS question, satisfaction AS answer FROM reviews
   WHERE procedure_id = $1 AND day BETWEEN $2::text || '-01' AND $2::text || '-31' AND NOT is_test
  UNION ALL
  SELECT r.day, r.placement_id, a.question, a.answer FROM reviews r JOIN review_answers a ON a.review_id = r.id
   WHERE r.procedure_id = $1 AND r.day BETWEEN $2::text || '-01' AND $2::text || '-31' AND NOT r.is_test
  UNION ALL
  SELECT r.day, r.placement_id, 'autonomy', CASE WHEN bool_or(a.answer = '${NO_HELP}') THEN 'none' ELSE 'sought' END
    FROM reviews r JOIN review_answers a ON a.review_id = r.id
   WHERE r.procedure_id = $1 AND r.day BETWEEN $2::text || '-01' AND $2::text || '-31' AND NOT r.is_test AND a.question = 'help_sought'
   GROUP BY r.id, r.day, r.placement_id
) AS answers GROUP BY day, placement_id, question, answer
ON CONFLICT (procedure_id, day, placement_id, question, answer) DO UPDATE SET count = excluded.count`;
const SUM_MONTH = `
INSERT INTO monthly_rollups AS m (procedure_id, month, placement_id, question, answer, count)
SELECT $1, $2, placement_id, question, answer, sum(count) FROM daily_rollups
 WHERE procedure_id = $1 AND day BETWEEN $2::text || '-01' AND $2::text || '-31'
 GROUP BY placement_id, question, answer
ON CONFLICT (procedure_id, month, placement_id, question, answer) DO UPDATE SET count = excluded.count`;
const BUMP_EVERY_VERSION = `
INSERT INTO rollup_versions AS v (procedure_id, version) SELECT id, 1 FROM procedures
ON CONFLICT (procedure_id) DO UPDATE SET version = v.version + 1`;
/** Attempts at one month's recount while ratings keep touching it. */
const RECOUNT_ATTEMPTS = 50;

/** The parameters of a window read as months plus or minus day ranges (planWindow). */
function planValues(procedureId: string, window: FeedWindow, placement: string | null, today: string): unknown[] {
  const plan = planWindow(window, today);
  const values: unknown[] = [procedureId, placement, plan.months?.from ?? '9', plan.months?.to ?? '0'];
  for (let i = 0; i < MAX_DAY_RANGES; i++) {
    const range = plan.days[i] ?? EMPTY_RANGE;
    values.push(range.from, range.to, range.sign);
  }
  return values;
}

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
    monthCounts: async (procedureId, window, placement, today) =>
      (await db.query<MonthCount>(MONTH_COUNTS, planValues(procedureId, window, placement, today))).rows,
    periodCounts: async (procedureId, window, placement, grain, today) =>
      grain === 'day'
        ? (await db.read<PeriodCount>(DAY_COUNTS, [procedureId, window.from, window.to, placement])).rows
        : (await db.read<PeriodCount>(MONTH_PLACEMENT_COUNTS, planValues(procedureId, window, placement, today))).rows,
    reviewDays: async (procedureId) =>
      (
        await db.read<{ day: string; reviews: string }>(
          `SELECT day, sum(count) AS reviews FROM daily_rollups
            WHERE procedure_id = $1 AND question = 'satisfaction' GROUP BY day HAVING sum(count) > 0 ORDER BY day`,
          [procedureId],
        )
      ).rows.map((row) => ({ day: row.day, reviews: Number(row.reviews) })),
    rebuild: async () => {
      /** Runs one recount in its own REPEATABLE READ transaction, again while a rating's commit conflicts with it. */
      const recount = async (statements: [string, unknown[]][]) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await db.transaction(async (client) => {
              await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
              for (const [text, values] of statements) await client.query(text, values);
            });
          } catch (error) {
            if ((error as { code?: string }).code !== '40001' || attempt === RECOUNT_ATTEMPTS) throw error;
            await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
          }
        }
      };
      const months = (await db.query<{ procedure_id: string; month: string }>(REBUILD_MONTHS)).rows;
      for (const { procedure_id: procedureId, month } of months) {
        await recount([
          [
            "DELETE FROM daily_rollups WHERE procedure_id = $1 AND day BETWEEN $2::text || '-01' AND $2::text || '-31'",
            [procedureId, month],
          ],
          [RECOUNT_DAYS, [procedureId, month]],
          ['DELETE FROM monthly_rollups WHERE procedure_id = $1 AND month = $2', [procedureId, month]],
          [SUM_MONTH, [procedureId, month]],
        ]);
      }
      await db.query(BUMP_EVERY_VERSION);
      db.changed('rollups');
    },
  };
}
