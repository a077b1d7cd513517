import { addDays, monthEnd } from '../../../shared/feed-window.ts';
import { pendingOf, type PendingTermsRow } from '../review-records.ts';
import type { SatisfactionAnswer } from '../../../shared/questionnaire.ts';
import { FoldedTermCache } from '../folded-term-cache.ts';
import { type CountedReview, type TermColumns, termWindowCounts } from '../rollup-math.ts';
import { type TermRepository, UNSEEN } from '../store.ts';
import type { Pg } from './open-postgres.ts';

// The term rollups (migrations.ts, SPEC §8 "Comment insights"). A batch's changes are summed per
// row first and written in key order, in three statements: several collectors may count at once,
// and a review is counted by the one whose transaction took it off the queue.

const ADD = `
INSERT INTO daily_term_rollups AS r (procedure_id, day, placement_id, satisfaction, term, form, count)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[])
ON CONFLICT (procedure_id, day, placement_id, satisfaction, term, form) DO UPDATE SET count = r.count + excluded.count`;
// Rows never hold zero (CHECK count > 0): those brought down to zero are deleted, the others lowered.
// Each row found is returned with what it could not take (\`rest\`): a day row the fold summed into
// the month to date and a late review wrote again holds less than its reviews taken off together.
const SUBTRACT = `
WITH d AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[])
    AS t(procedure_id, day, placement_id, satisfaction, term, form, n)
), gone AS (
  DELETE FROM daily_term_rollups r USING d
   WHERE (r.procedure_id, r.day, r.placement_id, r.satisfaction, r.term, r.form) = (d.procedure_id, d.day, d.placement_id, d.satisfaction, d.term, d.form)
     AND r.count <= d.n
RETURNING r.procedure_id, r.day, r.placement_id, r.satisfaction, r.term, r.form, d.n - r.count AS rest
), lowered AS (
  UPDATE daily_term_rollups r SET count = r.count - d.n FROM d
   WHERE (r.procedure_id, r.day, r.placement_id, r.satisfaction, r.term, r.form) = (d.procedure_id, d.day, d.placement_id, d.satisfaction, d.term, d.form)
     AND r.count > d.n
  RETURNING r.procedure_id, r.day, r.placement_id, r.satisfaction, r.term, r.form, 0 AS rest
)
SELECT * FROM gone UNION ALL SELECT * FROM lowered`;

// Every write to a procedure's month to date or folded months raises its version, in the same
// transaction: what a cached read of them holds (folded-term-cache.ts) is found under the old one.
const RAISE_VERSION = `INSERT INTO term_versions AS v (procedure_id, version) VALUES ($1, 1)
  ON CONFLICT (procedure_id) DO UPDATE SET version = v.version + 1 RETURNING version`;
// Writes to the folded months raise their own version too.
const RAISE_VERSIONS = `INSERT INTO term_versions AS v (procedure_id, version, months_version) VALUES ($1, 1, 1)
  ON CONFLICT (procedure_id) DO UPDATE SET version = v.version + 1, months_version = v.months_version + 1`;

// A month to date summed per term, form and answer, for every placement ('') and for each, under the
// version the fold raised (term_month_sums, as SQLite's migration says): what its first read takes.
const WRITE_SUMS = `
INSERT INTO term_month_sums AS s (procedure_id, placement_id, day, version, columns)
SELECT $1, coalesce(placement_id, ''), $2, $3,
       json_build_array(array_agg(term), array_agg(form), array_agg(satisfaction), array_agg(count))::text
  FROM (SELECT placement_id, term, form, satisfaction, sum(count)::integer AS count FROM daily_term_rollups
         WHERE procedure_id = $1 AND day = $2
         GROUP BY GROUPING SETS ((placement_id, term, form, satisfaction), (term, form, satisfaction))) t
 GROUP BY placement_id
ON CONFLICT (procedure_id, placement_id) DO UPDATE SET day = excluded.day, version = excluded.version, columns = excluded.columns`;

/** The month fold's advisory lock (beside the migrations' 4,242,001 and the refusals' 4,242,002). */
const FOLD_LOCK = 4_242_003;

export function postgresTerms(db: Pg): TermRepository {
  const cache = new FoldedTermCache();
  return {
    pending: async (limit) =>
      (
        await db.query<PendingTermsRow>(
          `SELECT r.id, q.version, r.procedure_id, r.placement_id, r.day, r.satisfaction, r.lang, r.created_at,
                  CASE WHEN r.hidden_at IS NULL THEN r.comment END AS comment, r.pii_suspects
             FROM term_queue q JOIN reviews r ON r.id = q.review_id ORDER BY q.review_id LIMIT $1`,
          [limit],
        )
      ).rows.map(pendingOf),
    count: (reviews) =>
      db.transaction(async (client) => {
        if (reviews.length === 0) return;
        const taken = new Set(
          (
            await client.query<{ review_id: number }>(
              `DELETE FROM term_queue q USING unnest($1::bigint[], $2::integer[]) AS t(review_id, version)
                WHERE q.review_id = t.review_id AND q.version = t.version RETURNING q.review_id`,
              [reviews.map(({ review }) => review.reviewId), reviews.map(({ review }) => review.queueVersion)],
            )
          ).rows.map((row) => row.review_id),
        );
        const counted = await client.query<{ review_id: number; terms: string }>(
          'SELECT review_id, terms FROM review_terms WHERE review_id = ANY($1::bigint[]) ORDER BY review_id FOR UPDATE',
          [[...taken]],
        );
        const before = new Map(counted.rows.map((row) => [row.review_id, JSON.parse(row.terms) as [string, string][]]));
        const change = new Map<string, number>();
        const move = (key: string[], pairs: readonly [string, string][], sign: 1 | -1): void => {
          for (const pair of pairs) {
            const at = JSON.stringify([...key, ...pair]);
            change.set(at, (change.get(at) ?? 0) + sign);
          }
        };
        const keep: { id: number; createdAt: number; terms: string }[] = [];
        const drop: number[] = [];
        for (const { review, terms } of reviews) {
          if (!taken.has(review.reviewId)) continue;
          const key = [review.procedureId, review.day, review.placementId, review.satisfaction];
          move(key, before.get(review.reviewId) ?? [], -1);
          // The '' row counts the review itself once, beside its terms: the denominator of every rate.
          const now: [string, string][] =
            terms.length === 0 ? [] : [['', ''], ...terms.map(({ term, form }): [string, string] => [term, form])];
          move(key, now, 1);
          if (now.length > 0) keep.push({ id: review.reviewId, createdAt: review.createdAt, terms: JSON.stringify(now) });
          else drop.push(review.reviewId);
        }
        const rows = [...change].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        const columns = (part: (readonly [...string[], number])[]) =>
          Array.from({ length: 7 }, (_, column) => part.map((row) => row[column]));
        const raised = new Set<string>();
        const lower = rows.filter(([, n]) => n < 0).map(([at, n]) => [...(JSON.parse(at) as string[]), -n] as const);
        if (lower.length > 0) {
          // A day the hourly fold summed into its month to date has no row of its own any more, or
          // a smaller one (a late review of it): what it counted comes off the month-to-date row (day
          // 'YYYY-MM-00').
          const found = new Map(
            (await client.query<Record<string, string | number> & { rest: number }>(SUBTRACT, columns(lower))).rows.map(
              ({ rest, ...key }) => [JSON.stringify(Object.values(key)), rest],
            ),
          );
          const toDate = new Map<string, number>();
          for (const row of lower) {
            const left = found.get(JSON.stringify(row.slice(0, 6))) ?? (row[6] as number);
            if (left === 0) continue;
            const at = JSON.stringify([row[0], `${String(row[1]).slice(0, 8)}00`, ...row.slice(2, 6)]);
            toDate.set(at, (toDate.get(at) ?? 0) + left);
          }
          const rest = [...toDate]
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([at, n]) => [...(JSON.parse(at) as string[]), n] as const);
          if (rest.length > 0) {
            for (const row of (await client.query<{ procedure_id: string }>(SUBTRACT, columns(rest))).rows) raised.add(row.procedure_id);
          }
        }
        const raise = rows.filter(([, n]) => n > 0).map(([at, n]) => [...(JSON.parse(at) as string[]), n] as const);
        if (raise.length > 0) await client.query(ADD, columns(raise));
        await client.query(
          `INSERT INTO review_terms (review_id, created_at, terms) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])
           ON CONFLICT (review_id) DO UPDATE SET terms = excluded.terms`,
          [keep.map((row) => row.id), keep.map((row) => row.createdAt), keep.map((row) => row.terms)],
        );
        await client.query('DELETE FROM review_terms WHERE review_id = ANY($1::bigint[])', [drop]);
        // Last, and in order: rows first, then the versions of the procedures whose month to date
        // changed, so that no transaction here waits for rows while holding a version another waits for.
        for (const procedureId of [...raised].sort()) await client.query(RAISE_VERSION, [procedureId]);
        // Then their month-to-date sums, which still count what came off (after the versions, as the
        // fold writes them: no transaction waits for a version while holding sums another waits for).
        if (raised.size > 0) await client.query('DELETE FROM term_month_sums WHERE procedure_id = ANY($1::text[])', [[...raised]]);
      }),
    // A window's parts (rollup-math.ts termWindowCounts): its day rows and the folded months it
    // holds at least half of, each summed per term, form and satisfaction.
    // One snapshot for every part: the hourly fold moves day rows into the month to date in one
    // transaction, and parts read in separate snapshots around it would count those rows twice, or
    // not at all.
    counts: (procedureId, windows, placementId) =>
      db.transaction(async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        // The parts' reads start together, and a connection answers one query at a time: they wait
        // their turn here (pg 9 will no longer queue them itself).
        let turn: Promise<unknown> = Promise.resolve();
        const query: typeof client.query = ((...args: Parameters<typeof client.query>) => {
          const next = turn.then(() => client.query(...args));
          turn = next.catch(() => {});
          return next;
        }) as typeof client.query;
        const sums = async (table: 'daily_term_rollups' | 'monthly_term_rollups', column: 'day' | 'month', from: string, to: string) =>
          (
            await query<[string, string, SatisfactionAnswer, number]>({
              text: `SELECT term, form, satisfaction, sum(count)::integer AS count FROM ${table}
                      WHERE procedure_id = $1 AND ${column} BETWEEN $2 AND $3 AND ($4::text IS NULL OR placement_id = $4)
                      GROUP BY term, form, satisfaction`,
              values: [procedureId, from, to, placementId],
              rowMode: 'array',
            })
          ).rows;
        return termWindowCounts(
          {
            mark: async () => {
              const { rows } = await query<{ day: string | null; version: number | null; months: number | null }>(
                `SELECT (SELECT day FROM term_month_marks WHERE procedure_id = $1) AS day, v.version, v.months_version AS months
                   FROM (SELECT 1) one LEFT JOIN term_versions v ON v.procedure_id = $1`,
                [procedureId],
              );
              return { day: rows[0]!.day, version: rows[0]!.version ?? 0, monthsVersion: rows[0]!.months ?? 0 };
            },
            dayBounds: async (from, to) => {
              const { rows } = await query<{ first: string | null; last: string | null }>(
                `SELECT (SELECT min(day) FROM daily_term_rollups WHERE procedure_id = $1 AND day BETWEEN $2 AND $3) AS first,
                      (SELECT max(day) FROM daily_term_rollups WHERE procedure_id = $1 AND day BETWEEN $2 AND $3) AS last`,
                [procedureId, from, to],
              );
              return rows[0]?.first ? { from: rows[0].first, to: rows[0].last! } : null;
            },
            days: (from, to) => sums('daily_term_rollups', 'day', from, to),
            // The month to date: its sums when the fold wrote them under the version read, else its
            // rows as stored, as columns (rollup-math.ts TermParts.rows).
            rows: async (day) => {
              const sums = (
                await query<{ columns: string }>(
                  `SELECT s.columns FROM term_month_sums s JOIN term_versions v USING (procedure_id)
                    WHERE s.procedure_id = $1 AND s.placement_id = coalesce($3, '') AND s.day = $2 AND s.version = v.version`,
                  [procedureId, day, placementId],
                )
              ).rows[0];
              if (sums) return JSON.parse(sums.columns) as TermColumns;
              return (
                await query<{ columns: TermColumns }>(
                  `SELECT json_build_array(array_agg(term), array_agg(form), array_agg(satisfaction), array_agg(count)) AS columns
                     FROM daily_term_rollups WHERE procedure_id = $1 AND day = $2 AND ($3::text IS NULL OR placement_id = $3)`,
                  [procedureId, day, placementId],
                )
              ).rows[0]!.columns.map((column) => column ?? []) as unknown as TermColumns;
            },
            months: (from, to) => sums('monthly_term_rollups', 'month', from, to),
            // The days of a month to date a window holds only part of, from what each review is counted under.
            exact: async (from, to) =>
              (
                await query<CountedReview>(
                  `SELECT r.satisfaction, t.terms FROM reviews r JOIN review_terms t ON t.review_id = r.id
                    WHERE r.procedure_id = $1 AND r.day BETWEEN $2 AND $3 AND ($4::text IS NULL OR r.placement_id = $4)`,
                  [procedureId, from, to, placementId],
                )
              ).rows,
          },
          windows,
          UNSEEN,
          { store: cache, procedureId, placementId },
        );
      }),
    // A folded month, or a month to date, that `from` cuts keeps its counts (its days cannot be told
    // apart): the rebuild starts with the next month. From a month's first day, its month-to-date
    // rows (day 'YYYY-MM-00') go too.
    requeue: (asked) =>
      db.maintenance(async (run) => {
        const month = asked.slice(0, 7);
        const folded = await run(
          `SELECT 1 FROM monthly_term_rollups WHERE month = $1
           UNION ALL SELECT 1 FROM term_month_marks WHERE day BETWEEN $1 || '-01' AND $1 || '-31' LIMIT 1`,
          [month],
        );
        const from = !asked.endsWith('-01') && (folded.rowCount ?? 0) > 0 ? addDays(monthEnd(asked), 1) : asked;
        await run('DELETE FROM daily_term_rollups WHERE day >= $1', [from.endsWith('-01') ? `${from.slice(0, 8)}00` : from]);
        await run('DELETE FROM term_month_marks WHERE day >= $1', [from]);
        await run('DELETE FROM monthly_term_rollups WHERE month >= $1', [from.slice(0, 7)]);
        await run('DELETE FROM review_terms t USING reviews r WHERE r.id = t.review_id AND r.day >= $1', [from]);
        const queued = await run(
          `INSERT INTO term_queue (review_id) SELECT id FROM reviews WHERE day >= $1 AND comment IS NOT NULL
           ON CONFLICT (review_id) DO UPDATE SET version = term_queue.version + 1`,
          [from],
        );
        // Last, as in every transaction here (rows, then versions): counting takes the queue's rows first.
        await run(
          `INSERT INTO term_versions AS v (procedure_id, version, months_version) SELECT id, 1, 1 FROM procedures ORDER BY id
           ON CONFLICT (procedure_id) DO UPDATE SET version = v.version + 1, months_version = v.months_version + 1`,
        );
        await run(`DELETE FROM term_month_sums WHERE day >= $1`, [`${from.slice(0, 8)}00`]);
        return { from, queued: queued.rowCount ?? 0 };
      }),
    fold: async (today, keep, minReviews) => {
      const before = `${today.slice(0, 8)}01`;
      // A month of a procedure per transaction: its day rows summed per term and form, kept for the
      // `keep` most written terms of each placement × satisfaction among those `minReviews` reviews
      // of the procedure wrote; '' always, and the UNSEEN row: the most reviews a term left out wrote.
      let folded = 0;
      const procedures = (await db.query<{ id: string }>('SELECT id FROM procedures')).rows;
      for (const { id } of procedures) {
        for (;;) {
          const next = (
            await db.query<{ day: string | null }>('SELECT min(day) AS day FROM daily_term_rollups WHERE procedure_id = $1 AND day < $2', [
              id,
              `${today.slice(0, 8)}00`,
            ])
          ).rows[0]?.day;
          if (!next) break;
          // From the month's month-to-date rows, day 'YYYY-MM-00', on.
          const first = `${next.slice(0, 8)}00`;
          const last = monthEnd(`${next.slice(0, 8)}01`);
          folded += await db.maintenance(async (run) => {
            // Collectors sharing the database all run the purge: one folds a month at a time, and
            // the next reads the day rows it left (none), never the same rows twice.
            await run('SELECT pg_advisory_xact_lock($1)', [FOLD_LOCK]);
            await run(
              `INSERT INTO monthly_term_rollups AS m (procedure_id, month, placement_id, satisfaction, term, form, count)
               WITH t AS (
                 SELECT placement_id, satisfaction, term, form, sum(count)::integer AS count FROM daily_term_rollups
                  WHERE procedure_id = $1 AND day BETWEEN $3 AND $4
                  GROUP BY placement_id, satisfaction, term, form
               ), totals AS (
                 SELECT placement_id, satisfaction, term, sum(count) AS total FROM t GROUP BY placement_id, satisfaction, term
               ), kept AS (
                 SELECT placement_id, satisfaction, term FROM (
                   SELECT placement_id, satisfaction, term,
                          row_number() OVER (PARTITION BY placement_id, satisfaction ORDER BY total DESC, term) AS rank
                     FROM totals WHERE term <> ''
                 ) r WHERE rank <= $5
                    AND (SELECT sum(count) FROM (SELECT count FROM daily_term_rollups d
                                                  WHERE d.procedure_id = $1 AND d.term = r.term LIMIT $6) s) >= $6
                 UNION ALL SELECT DISTINCT placement_id, satisfaction, '' FROM t WHERE term = ''
               )
               SELECT $1, $2, placement_id, satisfaction, term, form, count FROM t JOIN kept USING (placement_id, satisfaction, term)
               UNION ALL
               SELECT $1, $2, placement_id, satisfaction, '${UNSEEN}', '', max(total)::integer FROM totals
                WHERE term <> '' AND (placement_id, satisfaction, term) NOT IN (SELECT placement_id, satisfaction, term FROM kept)
                GROUP BY placement_id, satisfaction
               ON CONFLICT (procedure_id, month, placement_id, satisfaction, term, form) DO UPDATE SET count = m.count + excluded.count`,
              [id, first.slice(0, 7), first, last, keep, minReviews],
            );
            await run('DELETE FROM term_month_marks WHERE procedure_id = $1 AND day <= $2', [id, last]);
            const moved =
              (await run('DELETE FROM daily_term_rollups WHERE procedure_id = $1 AND day BETWEEN $2 AND $3', [id, first, last])).rowCount ??
              0;
            // Last, as in every transaction here: rows first, then the version, so that none waits
            // for rows while holding the version another one waits for.
            await run(RAISE_VERSIONS, [id]);
            await run('DELETE FROM term_month_sums WHERE procedure_id = $1', [id]);
            return moved;
          });
        }
        if (today === before) continue;
        // The current month's closed days into its month-to-date rows, every term.
        folded += await db.maintenance(async (run) => {
          await run('SELECT pg_advisory_xact_lock($1)', [FOLD_LOCK]);
          const moved = await run(
            `WITH moved AS (
               DELETE FROM daily_term_rollups WHERE procedure_id = $1 AND day BETWEEN $2 AND $3
               RETURNING placement_id, satisfaction, term, form, count
             ), summed AS (
               INSERT INTO daily_term_rollups AS r (procedure_id, day, placement_id, satisfaction, term, form, count)
               SELECT $1, $4, placement_id, satisfaction, term, form, sum(count)::integer FROM moved
                GROUP BY placement_id, satisfaction, term, form
               ON CONFLICT (procedure_id, day, placement_id, satisfaction, term, form) DO UPDATE SET count = r.count + excluded.count
             )
             SELECT count(*)::integer AS n FROM moved`,
            [id, before, addDays(today, -1), `${today.slice(0, 8)}00`],
          );
          const n = (moved.rows[0] as { n: number }).n;
          if (n > 0) {
            await run(
              'INSERT INTO term_month_marks (procedure_id, day) VALUES ($1, $2) ON CONFLICT (procedure_id) DO UPDATE SET day = excluded.day',
              [id, addDays(today, -1)],
            );
            const { version } = (await run(RAISE_VERSION, [id])).rows[0] as { version: number };
            await run(WRITE_SUMS, [id, `${today.slice(0, 8)}00`, version]);
          }
          return n;
        });
      }
      return folded;
    },
    prune: async (since, before, minReviews) => {
      // Whether a term reached the floor needs `minReviews` of its rows at most (each counts one
      // review or more), not all of them: a common term's thousand rows are not read.
      let deleted = 0;
      const procedures = (await db.query<{ id: string }>('SELECT id FROM procedures')).rows;
      for (const { id } of procedures) {
        deleted += await db.maintenance(async (run) => {
          const pruned =
            (
              await run(
                `DELETE FROM daily_term_rollups d USING (
                   SELECT c.term FROM (
                     SELECT DISTINCT term FROM daily_term_rollups WHERE procedure_id = $1 AND day >= $2 AND day < $3 AND term <> ''
                   ) c
                   WHERE (SELECT sum(count) FROM (SELECT count FROM daily_term_rollups t WHERE t.procedure_id = $1 AND t.term = c.term LIMIT $4) s) < $4
                 ) rare
                 -- The month to date of $3's month (day 'YYYY-MM-00') also sums days whose text is still kept.
                 WHERE d.procedure_id = $1 AND d.term = rare.term AND d.day < $3 AND d.day <> substr($3, 1, 8) || '00'`,
                [id, since, before, minReviews],
              )
            ).rowCount ?? 0;
          // The rows a prune deletes may be those of a month to date not yet folded into its month.
          if (pruned > 0) {
            await run(RAISE_VERSION, [id]);
            await run('DELETE FROM term_month_sums WHERE procedure_id = $1', [id]);
          }
          return pruned;
        });
      }
      return deleted;
    },
  };
}
