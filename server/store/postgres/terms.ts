import { addDays, monthEnd } from '../../../shared/feed-window.ts';
import { pendingOf, type PendingTermsRow } from '../review-records.ts';
import { termMonths } from '../rollup-math.ts';
import { type TermCount, type TermRepository, UNSEEN } from '../store.ts';
import type { Pg } from './open-postgres.ts';

// The term rollups (migrations.ts, SPEC §8 "Comment insights"). A batch's changes are summed per
// row first and written in key order, in three statements: several collectors may count at once,
// and a review is counted by the one whose transaction took it off the queue.

const ADD = `
INSERT INTO daily_term_rollups AS r (procedure_id, day, placement_id, satisfaction, term, form, count)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[])
ON CONFLICT (procedure_id, day, placement_id, satisfaction, term, form) DO UPDATE SET count = r.count + excluded.count`;
// Rows never hold zero (CHECK count > 0): those brought down to zero are deleted, the others lowered.
const SUBTRACT = `
WITH d AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[])
    AS t(procedure_id, day, placement_id, satisfaction, term, form, n)
), gone AS (
  DELETE FROM daily_term_rollups r USING d
   WHERE (r.procedure_id, r.day, r.placement_id, r.satisfaction, r.term, r.form) = (d.procedure_id, d.day, d.placement_id, d.satisfaction, d.term, d.form)
     AND r.count <= d.n
)
UPDATE daily_term_rollups r SET count = r.count - d.n FROM d
 WHERE (r.procedure_id, r.day, r.placement_id, r.satisfaction, r.term, r.form) = (d.procedure_id, d.day, d.placement_id, d.satisfaction, d.term, d.form)
   AND r.count > d.n`;

/** The month fold's advisory lock (beside the migrations' 4,242,001 and the refusals' 4,242,002). */
const FOLD_LOCK = 4_242_003;

export function postgresTerms(db: Pg): TermRepository {
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
        for (const [statement, sign] of [
          [SUBTRACT, -1],
          [ADD, 1],
        ] as const) {
          const part = rows
            .filter(([, n]) => Math.sign(n) === sign)
            .map(([at, n]) => [...(JSON.parse(at) as string[]), Math.abs(n)] as const);
          if (part.length === 0) continue;
          await client.query(
            statement,
            Array.from({ length: 7 }, (_, column) => part.map((row) => row[column])),
          );
        }
        await client.query(
          `INSERT INTO review_terms (review_id, created_at, terms) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])
           ON CONFLICT (review_id) DO UPDATE SET terms = excluded.terms`,
          [keep.map((row) => row.id), keep.map((row) => row.createdAt), keep.map((row) => row.terms)],
        );
        await client.query('DELETE FROM review_terms WHERE review_id = ANY($1::bigint[])', [drop]);
      }),
    // Day rows of the window and the folded months it holds at least half of (rollup-math.ts).
    counts: async (procedureId, window, placementId, minReviews) => {
      const months = termMonths(window);
      return (
        await db.query<TermCount>(
          `WITH w AS (
             SELECT term, form, satisfaction, sum(count)::integer AS count FROM (
               SELECT term, form, satisfaction, count FROM daily_term_rollups
                WHERE procedure_id = $1 AND day BETWEEN $2 AND $3 AND ($4::text IS NULL OR placement_id = $4)
               UNION ALL
               SELECT term, form, satisfaction, count FROM monthly_term_rollups
                WHERE procedure_id = $1 AND month BETWEEN $6 AND $7 AND ($4::text IS NULL OR placement_id = $4)
             ) r
              GROUP BY term, form, satisfaction
           )
           SELECT term, form, satisfaction, count FROM w
            WHERE term IN ('', '${UNSEEN}') OR term IN (SELECT term FROM w GROUP BY term HAVING sum(count) >= $5)`,
          [procedureId, window.from, window.to, placementId, minReviews, months.from, months.to],
        )
      ).rows;
    },
    // A folded month that `from` cuts keeps its counts (its days cannot be told apart): the rebuild
    // starts with the next month.
    requeue: (asked) =>
      db.maintenance(async (run) => {
        const folded = await run('SELECT 1 FROM monthly_term_rollups WHERE month = $1 LIMIT 1', [asked.slice(0, 7)]);
        const from = (folded.rowCount ?? 0) > 0 ? addDays(monthEnd(asked), 1) : asked;
        await run('DELETE FROM daily_term_rollups WHERE day >= $1', [from]);
        await run('DELETE FROM monthly_term_rollups WHERE month >= $1', [from.slice(0, 7)]);
        await run('DELETE FROM review_terms t USING reviews r WHERE r.id = t.review_id AND r.day >= $1', [from]);
        const queued = await run(
          `INSERT INTO term_queue (review_id) SELECT id FROM reviews WHERE day >= $1 AND comment IS NOT NULL
           ON CONFLICT (review_id) DO UPDATE SET version = term_queue.version + 1`,
          [from],
        );
        return queued.rowCount ?? 0;
      }),
    fold: async (before, keep, minReviews) => {
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
              before,
            ])
          ).rows[0]?.day;
          if (!next) break;
          const first = `${next.slice(0, 8)}01`;
          const last = monthEnd(first);
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
            return (
              (await run('DELETE FROM daily_term_rollups WHERE procedure_id = $1 AND day BETWEEN $2 AND $3', [id, first, last])).rowCount ??
              0
            );
          });
        }
      }
      return folded;
    },
    prune: async (since, before, minReviews) => {
      // Whether a term reached the floor needs `minReviews` of its rows at most (each counts one
      // review or more), not all of them: a common term's thousand rows are not read.
      let deleted = 0;
      const procedures = (await db.query<{ id: string }>('SELECT id FROM procedures')).rows;
      for (const { id } of procedures) {
        deleted += await db.maintenance(
          async (run) =>
            (
              await run(
                `DELETE FROM daily_term_rollups d USING (
                   SELECT c.term FROM (
                     SELECT DISTINCT term FROM daily_term_rollups WHERE procedure_id = $1 AND day >= $2 AND day < $3 AND term <> ''
                   ) c
                   WHERE (SELECT sum(count) FROM (SELECT count FROM daily_term_rollups t WHERE t.procedure_id = $1 AND t.term = c.term LIMIT $4) s) < $4
                 ) rare
                 WHERE d.procedure_id = $1 AND d.term = rare.term AND d.day < $3`,
                [id, since, before, minReviews],
              )
            ).rowCount ?? 0,
        );
      }
      return deleted;
    },
  };
}
