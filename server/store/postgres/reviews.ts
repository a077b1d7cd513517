import type pg from 'pg';
import type { FollowUpAnswers, WidgetLang } from '../../../shared/questionnaire.ts';
import { shareEventLoop } from '../../event-loop-share.ts';
import { groupCommit } from '../group-commit.ts';
import {
  EXPORT_BATCH,
  PAGE_SCAN,
  filterParams,
  hasFilters,
  nextCursor,
  recordOf,
  searchTextOf,
  startOf,
  suspectsColumn,
  suspectsOf,
  MARKED_SQL,
  TRIAGE_COLUMNS,
  type ReviewRow,
} from '../review-records.ts';
import { answerRows, followUpRollup, type AnswerRow } from '../rollup-math.ts';
import type {
  NewReview,
  ReviewCursor,
  ReviewFilters,
  ReviewRecord,
  ReviewRepository,
  SuspectSpan,
  TriageChange,
  DuplicateCandidate,
} from '../store.ts';
import type { Pg } from './open-postgres.ts';

// A batch of hot ratings is ONE statement: the reviews, their daily and monthly counts and the
// procedures' versions, written together or not at all, in one round trip. Counts are summed per
// key first (an upsert may touch a row once per statement), and every upsert takes its rows in key
// order, so that two collectors' batches never wait on each other in a cycle.
const INSERT_BATCH = `
WITH input AS (
  SELECT t.*, coalesce(p.is_test, false) AS is_test
    FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bytea[], $8::integer[])
         WITH ORDINALITY AS t(procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, form_version, ord)
    LEFT JOIN placements p ON p.procedure_id = t.procedure_id AND p.id = t.placement_id
), inserted AS (
  INSERT INTO reviews (procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, form_version, is_test)
  SELECT procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, form_version, is_test FROM input ORDER BY ord
  RETURNING id
), counted AS (
  -- A review on a test placement is stored, never counted (SPEC §2).
  SELECT procedure_id, day, placement_id, satisfaction, count(*)::integer AS n FROM input WHERE NOT is_test GROUP BY 1, 2, 3, 4
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
  SELECT DISTINCT procedure_id, 1 FROM counted ORDER BY 1
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

// Listing (SPEC §8): newest first along reviews_listing (procedure_id, day, id); the cursor and the
// scan bound are row comparisons on that index.
const SELECT_REVIEW = `SELECT id, day, created_at, placement_id, is_test, lang, satisfaction, form_version, comment, help_other, hidden_at, hidden_reason, hidden_by, pii_suspects,
       ${TRIAGE_COLUMNS},
       (SELECT string_agg(question || ',' || channel || ',' || answer, ';') FROM review_answers WHERE review_id = r.id) AS answers,
       (SELECT string_agg(t.id || ':' || t.name, chr(31)) FROM review_tags rt JOIN entity_tags t ON t.id = rt.tag_id
         WHERE rt.review_id = r.id) AS tags
  FROM reviews r`;
const SELECT_PAGE = `${SELECT_REVIEW}
 WHERE procedure_id = $1 AND day >= $2 AND day <= $3
   AND (day, id) < ($4, $5) AND (day, id) >= ($6, $7)
   AND ($8::text IS NULL OR placement_id = $8)
   AND ($9::text IS NULL OR satisfaction = $9)
   AND ($10::integer IS NULL OR (coalesce(comment, '') <> '') = ($10::integer = 1))
   AND ($11::text IS NULL OR (hidden_at IS NULL AND strpos(search_text, $11) > 0))
   AND ($13::text IS NULL OR triage_status = $13)
   AND ($14::bigint IS NULL OR EXISTS (SELECT 1 FROM review_tags WHERE review_id = r.id AND tag_id = $14))
   AND (CASE $15::text WHEN 'show' THEN true WHEN 'only' THEN ${MARKED_SQL} ELSE NOT ${MARKED_SQL} END)
 ORDER BY day DESC, id DESC LIMIT $12`;
/** The `offset + 1`-th review after the cursor: how far one filtered page may scan. */
const SELECT_BOUND = `SELECT day, id FROM reviews
 WHERE procedure_id = $1 AND day >= $2 AND day <= $3 AND (day, id) < ($4, $5)
 ORDER BY day DESC, id DESC LIMIT 1 OFFSET $6`;

/** Rows an export fetches per query: a quarter of a millisecond to parse and turn into records. */
const EXPORT_STEP = 250;

/** One triage change as a statement on review $1 of procedure $2: it changes a row only when the mark differs. */
function triageQuery(change: TriageChange): [string] {
  const OF_REVIEW = 'WHERE id = $1 AND procedure_id = $2';
  if ('status' in change) return [`UPDATE reviews SET triage_status = $3 ${OF_REVIEW} AND triage_status <> $3`];
  if ('spam' in change) {
    return change.spam
      ? [`UPDATE reviews SET spam_at = $3, spam_by = $4 ${OF_REVIEW} AND spam_at IS NULL`]
      : [`UPDATE reviews SET spam_at = NULL, spam_by = NULL ${OF_REVIEW} AND spam_at IS NOT NULL`];
  }
  if ('duplicate' in change) {
    return [`UPDATE reviews SET duplicate_state = $3 ${OF_REVIEW} AND duplicate_of IS NOT NULL AND duplicate_state <> $3`];
  }
  return change.on
    ? [`INSERT INTO review_tags (review_id, tag_id) SELECT $1, $3 WHERE EXISTS (SELECT 1 FROM reviews ${OF_REVIEW}) ON CONFLICT DO NOTHING`]
    : [`DELETE FROM review_tags WHERE review_id = $1 AND tag_id = $3 AND EXISTS (SELECT 1 FROM reviews ${OF_REVIEW})`];
}

function triageValues(change: TriageChange): unknown[] {
  if ('status' in change) return [change.status];
  if ('spam' in change) return change.spam ? [change.spam.at, change.spam.by] : [];
  if ('duplicate' in change) return [change.duplicate];
  return [change.tagId];
}

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
      reviews.map((r) => r.formVersion ?? null),
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

  const queryPage = async (procedureId: string, filters: ReviewFilters, after: ReviewCursor, limit: number, bound: ReviewCursor | null) => {
    const f = filterParams(filters);
    const { rows } = await db.read<ReviewRow>(SELECT_PAGE, [
      procedureId,
      filters.from,
      filters.to,
      after.day,
      after.id,
      bound?.day ?? '',
      bound?.id ?? 0,
      f.placement,
      f.satisfaction,
      f.hasComment,
      f.q,
      limit,
      f.status,
      f.tag,
      f.marked,
    ]);
    return rows;
  };

  return {
    page: async (procedureId, filters, { after, limit, scan = PAGE_SCAN }) => {
      const from = after ?? startOf(filters);
      let bound: ReviewCursor | null = null;
      if (hasFilters(filters)) {
        const { rows } = await db.read<ReviewCursor>(SELECT_BOUND, [procedureId, filters.from, filters.to, from.day, from.id, scan - 1]);
        bound = rows[0] ?? null;
      }
      const rows = await queryPage(procedureId, filters, from, limit + 1, bound);
      return { reviews: rows.slice(0, limit).map(recordOf), next: nextCursor(rows, limit, bound) };
    },
    async *batches(procedureId, filters, batchSize = EXPORT_BATCH) {
      // Fetched EXPORT_STEP rows at a time, the event loop shared before turning each fetch into
      // records: rows of a thousand at once, parsed and turned in one go, held it over 20 ms.
      let batch: ReviewRecord[] = [];
      for (let after = startOf(filters); ; ) {
        const rows = await queryPage(procedureId, filters, after, EXPORT_STEP, null);
        await shareEventLoop();
        for (const row of rows) batch.push(recordOf(row));
        const done = rows.length < EXPORT_STEP;
        if (batch.length >= batchSize || done) {
          for (let i = 0; i < batch.length; i += batchSize) yield batch.slice(i, i + batchSize);
          batch = [];
        }
        if (done) return;
        const last = rows.at(-1)!;
        after = { day: last.day, id: Number(last.id) };
      }
    },
    setHidden: async (procedureId, reviewId, hidden) => {
      // A hidden comment's terms leave the counts, and come back with it: the review is queued for counting either way.
      const rowCount = await db.transaction(async (client) => {
        const { rowCount: changed } = hidden
          ? await client.query(
              'UPDATE reviews SET hidden_at = $1, hidden_reason = $2, hidden_by = $3 WHERE id = $4 AND procedure_id = $5 AND hidden_at IS NULL',
              [hidden.at.getTime(), hidden.reason, hidden.by, reviewId, procedureId],
            )
          : await client.query(
              `UPDATE reviews SET hidden_at = NULL, hidden_reason = NULL, hidden_by = NULL
                WHERE id = $1 AND procedure_id = $2 AND hidden_at IS NOT NULL`,
              [reviewId, procedureId],
            );
        if ((changed ?? 0) > 0) {
          await client.query(
            'INSERT INTO term_queue (review_id) VALUES ($1) ON CONFLICT (review_id) DO UPDATE SET version = term_queue.version + 1',
            [reviewId],
          );
        }
        return changed;
      });
      const { rows } = await db.query<ReviewRow>(`${SELECT_REVIEW} WHERE id = $1 AND procedure_id = $2`, [reviewId, procedureId]);
      return rows[0] && { review: recordOf(rows[0]), changed: (rowCount ?? 0) > 0 };
    },
    settleSuspect: (procedureId, reviewId, settle) =>
      db.transaction(async (client) => {
        // The row lock makes two admins' checks of one review take turns, each on the other's result.
        const { rows } = await client.query<ReviewRow>(`${SELECT_REVIEW} WHERE id = $1 AND procedure_id = $2 FOR UPDATE`, [
          reviewId,
          procedureId,
        ]);
        const row = rows[0];
        if (!row) return undefined;
        const held = settle({ lang: row.lang, comment: row.comment, helpOther: row.help_other, suspects: suspectsOf(row.pii_suspects) });
        if (!held) return { review: recordOf(row), changed: false };
        const { comment, helpOther, suspects, lang } = held;
        await client.query('UPDATE reviews SET help_other = $1, comment = $2, search_text = $3, pii_suspects = $4 WHERE id = $5', [
          helpOther,
          comment,
          searchTextOf(comment, helpOther, suspects, lang),
          suspectsColumn(suspects),
          reviewId,
        ]);
        // A comment's terms are counted later (term-counting.ts): the request only queues its review.
        await client.query(
          'INSERT INTO term_queue (review_id) VALUES ($1) ON CONFLICT (review_id) DO UPDATE SET version = term_queue.version + 1',
          [reviewId],
        );
        const updated = { ...row, comment, help_other: helpOther, pii_suspects: suspectsColumn(suspects) };
        return { review: recordOf(updated), changed: true };
      }),
    triage: async (procedureId, reviewId, change) => {
      const { rowCount } = await db.query(...triageQuery(change), [reviewId, procedureId, ...triageValues(change)]);
      const { rows } = await db.query<ReviewRow>(`${SELECT_REVIEW} WHERE id = $1 AND procedure_id = $2`, [reviewId, procedureId]);
      return rows[0] && { review: recordOf(rows[0]), changed: (rowCount ?? 0) > 0 };
    },
    duplicateCandidates: async (procedureId, reviewId, fromDay, limit) =>
      (
        await db.query<DuplicateCandidate>(
          `SELECT id, search_text AS text, text_signature AS signature FROM reviews
            WHERE procedure_id = $1 AND day >= $2 AND id < $3 AND search_text IS NOT NULL AND hidden_at IS NULL
            ORDER BY day DESC, id DESC LIMIT $4`,
          [procedureId, fromDay, reviewId, limit],
        )
      ).rows,
    flagDuplicate: async (reviewId, of, signature) =>
      void (await db.query(
        `UPDATE reviews SET text_signature = $3,
                duplicate_of = CASE WHEN coalesce(duplicate_state, 'flagged') = 'flagged' THEN $1::bigint ELSE duplicate_of END,
                duplicate_state = CASE WHEN coalesce(duplicate_state, 'flagged') <> 'flagged' THEN duplicate_state
                                       WHEN $1::bigint IS NULL THEN NULL ELSE 'flagged' END
          WHERE id = $2`,
        [of, reviewId, signature],
      )),
    markedCounts: async (procedureId, from, to) =>
      (
        await db.query<{ spam: number; duplicates: number }>(
          `SELECT count(*) FILTER (WHERE spam_at IS NOT NULL)::integer AS spam,
                  count(*) FILTER (WHERE duplicate_state IN ('flagged', 'confirmed'))::integer AS duplicates
             FROM reviews WHERE procedure_id = $1 AND day >= $2 AND day <= $3 AND (spam_at IS NOT NULL OR duplicate_state IS NOT NULL)`,
          [procedureId, from, to],
        )
      ).rows[0]!,
    purge: (freeTextBefore, tokensBefore) =>
      db.maintenance(async (run) => {
        const freeText = await run(
          `UPDATE reviews SET comment = NULL, help_other = NULL, search_text = NULL, pii_suspects = NULL, text_signature = NULL
            WHERE created_at < $1 AND (comment IS NOT NULL OR help_other IS NOT NULL OR search_text IS NOT NULL)`,
          [freeTextBefore],
        );
        // What a review's terms were counted under is its text in other words: it goes with the text.
        await run('DELETE FROM review_terms WHERE created_at < $1', [freeTextBefore]);
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
      const { rows } = await db.query<{ id: number; procedure_id: string; lang: WidgetLang; token_hash: Buffer; created_at: number }>(
        'SELECT id, procedure_id, lang, token_hash, created_at FROM reviews WHERE id = $1',
        [id],
      );
      const row = rows[0];
      return row && { id: row.id, procedureId: row.procedure_id, lang: row.lang, tokenHash: row.token_hash, createdAt: row.created_at };
    },
    replaceFollowUps: async (id: number, answers: FollowUpAnswers, at: Date, suspects: readonly SuspectSpan[] = []) => {
      await db.transaction(async (client) => {
        // The row lock makes two follow-ups of one review (through two collectors) take turns.
        const { rows } = await client.query<{
          procedure_id: string;
          placement_id: string;
          day: string;
          lang: WidgetLang;
          is_test: boolean;
        }>('SELECT procedure_id, placement_id, day, lang, is_test FROM reviews WHERE id = $1 FOR UPDATE', [id]);
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
        if (!review.is_test) await moveCounts(client, review, previous, next);
        await client.query(
          'UPDATE reviews SET followed_up_at = $1, help_other = $2, comment = $3, search_text = $4, pii_suspects = $5 WHERE id = $6',
          [
            at.getTime(),
            answers.help_other ?? null,
            answers.comment ?? null,
            searchTextOf(answers.comment, answers.help_other, suspects, review.lang),
            suspectsColumn(suspects),
            id,
          ],
        );
        // A comment's terms are counted later (term-counting.ts): the request only queues its review.
        await client.query(
          'INSERT INTO term_queue (review_id) VALUES ($1) ON CONFLICT (review_id) DO UPDATE SET version = term_queue.version + 1',
          [id],
        );
      });
      db.changed('rollups');
    },
  };
}
