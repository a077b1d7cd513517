import type pg from 'pg';
import type { FollowUpAnswers, Lang } from '../../../shared/questionnaire.ts';
import { groupCommit } from '../group-commit.ts';
import { answerRows, followUpRollup, type AnswerRow } from '../rollup-math.ts';
import type { NewReview, ReviewRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

// A batch of hot ratings is ONE statement: the reviews, their daily and monthly counts and the
// procedures' versions, written together or not at all, in one round trip. Counts are summed per
// key first (an upsert may touch a row once per statement), and every upsert takes its rows in key
// order, so that two collectors' batches never wait on each other in a cycle.
const INSERT_BATCH = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bytea[])
    WITH ORDINALITY AS t(procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, ord)
), inserted AS (
  INSERT INTO reviews (procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash)
  SELECT procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash FROM input ORDER BY ord
  RETURNING id
), counted AS (
  SELECT procedure_id, day, placement_id, satisfaction, count(*)::integer AS n FROM input GROUP BY 1, 2, 3, 4
), daily AS (
  INSERT INTO daily_rollups AS r (procedure_id, day, placement_id, question, answer, count)
  SELECT procedure_id, day, placement_id, 'satisfaction', satisfaction, n FROM counted ORDER BY 1, 2, 3, 5
  ON CONFLICT (procedure_id, day, placement_id, question, answer) DO UPDATE SET count = r.count + excluded.count
), monthly AS (
  INSERT INTO monthly_rollups AS r (procedure_id, month, placement_id, question, answer, count)
  SELECT procedure_id, left(day, 7), placement_id, 'satisfaction', satisfaction, sum(n) FROM counted
   GROUP BY 1, 2, 3, 5 ORDER BY 1, 2, 3, 5
  ON CONFLICT (procedure_id, month, placement_id, question, answer) DO UPDATE SET count = r.count + excluded.count
), versions AS (
  INSERT INTO rollup_versions AS v (procedure_id, version)
  SELECT DISTINCT procedure_id, 1 FROM input ORDER BY 1
  ON CONFLICT (procedure_id) DO UPDATE SET version = v.version + 1
)
SELECT id FROM inserted ORDER BY id`;

/**
 * Adds signed counts to the rollups of one review's day and month, then bumps the procedure's
 * version. Increments are upserts; decrements are updates of rows that exist (they were counted),
 * apart because PostgreSQL checks `count >= 0` on the row it would insert before it finds the
 * conflict. Rows brought to zero are deleted afterwards.
 */
const MOVE_COUNTS = `
WITH delta AS (
  SELECT * FROM unnest($4::text[], $5::text[], $6::integer[]) AS t(question, answer, n)
), daily_up AS (
  INSERT INTO daily_rollups AS r (procedure_id, day, placement_id, question, answer, count)
  SELECT $1, $2, $3, question, answer, n FROM delta WHERE n > 0 ORDER BY question, answer
  ON CONFLICT (procedure_id, day, placement_id, question, answer) DO UPDATE SET count = r.count + excluded.count
), daily_down AS (
  UPDATE daily_rollups AS r SET count = r.count + d.n FROM delta d
   WHERE d.n < 0 AND r.procedure_id = $1 AND r.day = $2 AND r.placement_id = $3 AND r.question = d.question AND r.answer = d.answer
), monthly_up AS (
  INSERT INTO monthly_rollups AS r (procedure_id, month, placement_id, question, answer, count)
  SELECT $1, left($2, 7), $3, question, answer, n FROM delta WHERE n > 0 ORDER BY question, answer
  ON CONFLICT (procedure_id, month, placement_id, question, answer) DO UPDATE SET count = r.count + excluded.count
), monthly_down AS (
  UPDATE monthly_rollups AS r SET count = r.count + d.n FROM delta d
   WHERE d.n < 0 AND r.procedure_id = $1 AND r.month = left($2, 7) AND r.placement_id = $3 AND r.question = d.question AND r.answer = d.answer
)
INSERT INTO rollup_versions AS v (procedure_id, version) VALUES ($1, 1)
ON CONFLICT (procedure_id) DO UPDATE SET version = v.version + 1`;

export function postgresReviews(db: Pg, onBatch?: (size: number) => void): ReviewRepository & { drain(): Promise<void> } {
  const insertBatch = async (reviews: readonly NewReview[]): Promise<number[]> => {
    const days = reviews.map((r) => r.createdAt.toISOString().slice(0, 10));
    const { rows } = await db.query<{ id: number }>({ name: 'jdma-insert-batch', text: INSERT_BATCH }, [
      reviews.map((r) => r.procedureId),
      reviews.map((r) => r.placementId),
      days,
      reviews.map((r) => r.createdAt.getTime()),
      reviews.map((r) => r.lang),
      reviews.map((r) => r.satisfaction),
      reviews.map((r) => r.tokenHash),
    ]);
    db.changed('rollups');
    // Ids are drawn in insertion order, which follows the batch's order: the smallest is the first item's.
    return rows.map((row) => row.id);
  };
  // Two batches at most wait on PostgreSQL: while one commits (a disk flush), the next fills up.
  const commit = groupCommit(insertBatch, { maxInFlight: 2, onBatch });
  const inFlight = new Set<Promise<unknown>>();

  const moveCounts = async (
    client: pg.PoolClient,
    key: { procedure_id: string; day: string; placement_id: string },
    previous: AnswerRow[],
    next: AnswerRow[],
  ) => {
    const before = followUpRollup(previous);
    const after = followUpRollup(next);
    const deltas = new Map<string, { question: string; answer: string; n: number }>();
    for (const [k, { question, answer, count }] of after) deltas.set(k, { question, answer, n: count });
    for (const [k, { question, answer, count }] of before) {
      const entry = deltas.get(k) ?? { question, answer, n: 0 };
      deltas.set(k, { ...entry, n: entry.n - count });
    }
    const changed = [...deltas.values()].filter((d) => d.n !== 0);
    await client.query(MOVE_COUNTS, [
      key.procedure_id,
      key.day,
      key.placement_id,
      changed.map((d) => d.question),
      changed.map((d) => d.answer),
      changed.map((d) => d.n),
    ]);
    if (changed.some((d) => d.n < 0)) {
      await client.query('DELETE FROM daily_rollups WHERE procedure_id = $1 AND day = $2 AND placement_id = $3 AND count = 0', [
        key.procedure_id,
        key.day,
        key.placement_id,
      ]);
      await client.query(
        'DELETE FROM monthly_rollups WHERE procedure_id = $1 AND month = left($2, 7) AND placement_id = $3 AND count = 0',
        [key.procedure_id, key.day, key.placement_id],
      );
    }
  };

  return {
    purge: (freeTextBefore, tokensBefore) =>
      db.maintenance(async (run) => {
        const freeText = await run(
          'UPDATE reviews SET comment = NULL, help_other = NULL WHERE created_at < $1 AND (comment IS NOT NULL OR help_other IS NOT NULL)',
          [freeTextBefore],
        );
        const tokens = await run(`UPDATE reviews SET token_hash = '\\x' WHERE created_at < $1 AND length(token_hash) > 0`, [tokensBefore]);
        return { freeText: freeText.rowCount ?? 0, tokens: tokens.rowCount ?? 0 };
      }),
    create(review) {
      const committed = commit(review);
      inFlight.add(committed);
      void committed.catch(() => {}).finally(() => inFlight.delete(committed));
      return committed;
    },
    /** Waits for the batches under way (a clean shutdown replies to every rating it accepted). */
    drain: async () => void (await Promise.allSettled([...inFlight])),
    findKey: async (id) => {
      const { rows } = await db.query<{ id: number; procedure_id: string; lang: Lang; token_hash: Buffer; created_at: number }>(
        'SELECT id, procedure_id, lang, token_hash, created_at FROM reviews WHERE id = $1',
        [id],
      );
      const row = rows[0];
      return row && { id: row.id, procedureId: row.procedure_id, lang: row.lang, tokenHash: row.token_hash, createdAt: row.created_at };
    },
    replaceFollowUps: async (id: number, answers: FollowUpAnswers, at: Date) => {
      await db.transaction(async (client) => {
        // The row lock makes two follow-ups of one review (through two collectors) take turns.
        const { rows } = await client.query<{ procedure_id: string; placement_id: string; day: string }>(
          'SELECT procedure_id, placement_id, day FROM reviews WHERE id = $1 FOR UPDATE',
          [id],
        );
        const review = rows[0];
        if (!review) return;
        const previous = (await client.query<AnswerRow>('SELECT question, channel, answer FROM review_answers WHERE review_id = $1', [id]))
          .rows;
        const next = answerRows(answers);
        await client.query('DELETE FROM review_answers WHERE review_id = $1', [id]);
        await client.query(
          `INSERT INTO review_answers (review_id, question, channel, answer)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])`,
          [id, next.map((r) => r.question), next.map((r) => r.channel), next.map((r) => r.answer)],
        );
        await moveCounts(client, review, previous, next);
        await client.query('UPDATE reviews SET followed_up_at = $1, help_other = $2, comment = $3 WHERE id = $4', [
          at.getTime(),
          answers.help_other ?? null,
          answers.comment ?? null,
          id,
        ]);
      });
      db.changed('rollups');
    },
  };
}
