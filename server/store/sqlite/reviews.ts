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
import { answerRows, type AnswerRow, type RollupKey } from '../rollup-math.ts';
import type {
  HeldText,
  NewReview,
  ReviewCursor,
  ReviewFilters,
  ReviewRecord,
  ReviewRepository,
  SuspectSpan,
  TriageChange,
  DuplicateCandidate,
} from '../store.ts';
import type { Db } from './open-sqlite.ts';
import type { SqliteRollups } from './rollups.ts';

/** Reviews a filtered page examines per step, and an export reads per query: about a millisecond each. */
const SCAN_STEP = 500;
const EXPORT_STEP = 200;

export function sqliteReviews(
  db: Db,
  rollups: SqliteRollups,
  onBatch?: (size: number) => void,
): ReviewRepository & { createMany(reviews: readonly NewReview[]): number[] } {
  // A review is test when its placement is at that moment (SPEC §2): marked here, in the insert,
  // so that every writer agrees and the rollups below can leave it out.
  const insertReview = db.prepare<
    [string, string, string, number, string, string, Buffer, number | null, string, string],
    { id: number; is_test: number }
  >(
    `INSERT INTO reviews (procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, form_version, is_test)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, coalesce((SELECT is_test FROM placements WHERE procedure_id = ? AND id = ?), 0))
     RETURNING id, is_test`,
  );
  const selectKey = db.prepare<[number], { id: number; procedure_id: string; lang: WidgetLang; token_hash: Buffer; created_at: number }>(
    'SELECT id, procedure_id, lang, token_hash, created_at FROM reviews WHERE id = ?',
  );
  const selectRollupKey = db.prepare<
    [number],
    { procedure_id: string; placement_id: string; day: string; lang: WidgetLang; is_test: number }
  >('SELECT procedure_id, placement_id, day, lang, is_test FROM reviews WHERE id = ?');
  const selectAnswers = db.prepare<[number], AnswerRow>('SELECT question, channel, answer FROM review_answers WHERE review_id = ?');
  const deleteAnswers = db.prepare<[number]>('DELETE FROM review_answers WHERE review_id = ?');
  const insertAnswer = db.prepare<[number, string, string, string]>(
    'INSERT INTO review_answers (review_id, question, channel, answer) VALUES (?, ?, ?, ?)',
  );
  const updateFollowUp = db.prepare<[number, string | null, string | null, string | null, string | null, number]>(
    'UPDATE reviews SET followed_up_at = ?, help_other = ?, comment = ?, search_text = ?, pii_suspects = ? WHERE id = ?',
  );
  // A comment's terms are counted later (term-counting.ts): the request only queues its review.
  const queueTerms = db.prepare<[number]>('INSERT INTO term_queue (review_id) VALUES (?) ON CONFLICT DO UPDATE SET version = version + 1');
  const updateHeldText = db.prepare<[string | null, string | null, string | null, string | null, number]>(
    'UPDATE reviews SET help_other = ?, comment = ?, search_text = ?, pii_suspects = ? WHERE id = ?',
  );

  /** Stores hot ratings and counts them in the rollups, in one transaction; returns their ids, in order. */
  const createMany = db.transaction((reviews: readonly NewReview[]): number[] => {
    const counted: { key: RollupKey; satisfaction: string }[] = [];
    const ids = reviews.map((review) => {
      const day = review.createdAt.toISOString().slice(0, 10);
      const { id, is_test } = insertReview.get(
        review.procedureId,
        review.placementId,
        day,
        review.createdAt.getTime(),
        review.lang,
        review.satisfaction,
        review.tokenHash,
        review.formVersion ?? null,
        review.procedureId,
        review.placementId,
      )!;
      if (!is_test) {
        counted.push({ key: { procedureId: review.procedureId, placementId: review.placementId, day }, satisfaction: review.satisfaction });
      }
      return id;
    });
    rollups.addHotRatings(counted);
    return ids;
  });

  const replaceFollowUps = db.transaction((id: number, answers: FollowUpAnswers, at: Date, suspects: readonly SuspectSpan[]): void => {
    const review = selectRollupKey.get(id);
    if (!review) return;
    const previous = selectAnswers.all(id);
    const next = answerRows(answers);
    deleteAnswers.run(id);
    for (const row of next) insertAnswer.run(id, row.question, row.channel, row.answer);
    if (!review.is_test) {
      rollups.moveFollowUps({ procedureId: review.procedure_id, placementId: review.placement_id, day: review.day }, previous, next);
    }
    updateFollowUp.run(
      at.getTime(),
      answers.help_other ?? null,
      answers.comment ?? null,
      searchTextOf(answers.comment, answers.help_other, suspects, review.lang),
      suspectsColumn(suspects),
      id,
    );
    queueTerms.run(id);
  });

  const selectMaxId = db.prepare<[], number | null>('SELECT max(id) FROM reviews').pluck();
  const eraseFreeText = db.prepare<[number, number, number]>(
    `UPDATE reviews SET comment = NULL, help_other = NULL, search_text = NULL, pii_suspects = NULL, text_signature = NULL
      WHERE id > ? AND id <= ? AND created_at < ? AND (comment IS NOT NULL OR help_other IS NOT NULL OR search_text IS NOT NULL)`,
  );
  // What a review's terms were counted under is its text in other words: it goes with the text.
  const eraseCountedTerms = db.prepare<[number, number, number]>(
    'DELETE FROM review_terms WHERE review_id > ? AND review_id <= ? AND created_at < ?',
  );
  const eraseTokens = db.prepare<[number, number, number]>(
    `UPDATE reviews SET token_hash = x'' WHERE id > ? AND id <= ? AND created_at < ? AND length(token_hash) > 0`,
  );
  // Listing (SPEC §8): newest first along reviews_listing (procedure_id, day, rowid). SQLite does
  // not turn a row value (day, id) < (?, ?) into a range of that index (it scans the whole day, and
  // a day of a large procedure holds thousands of reviews), so a cursor is read as two ranges: the
  // rest of its day by rowid, then the earlier days. The scan bound is cut the same way.
  const SELECT_REVIEW = `SELECT id, day, created_at, placement_id, is_test, lang, satisfaction, form_version, comment, help_other, hidden_at, hidden_reason, hidden_by, pii_suspects,
            ${TRIAGE_COLUMNS},
            (SELECT group_concat(question || ',' || channel || ',' || answer, ';') FROM review_answers WHERE review_id = r.id) AS answers,
            (SELECT group_concat(t.id || ':' || t.name, char(31)) FROM review_tags rt JOIN entity_tags t ON t.id = rt.tag_id
              WHERE rt.review_id = r.id) AS tags
       FROM reviews r`;
  const FILTERS = `AND (:placement IS NULL OR placement_id = :placement)
        AND (:satisfaction IS NULL OR satisfaction = :satisfaction)
        AND (:hasComment IS NULL OR (coalesce(comment, '') <> '') = :hasComment)
        AND (:q IS NULL OR (hidden_at IS NULL AND instr(search_text, :q) > 0))
        AND (:status IS NULL OR triage_status = :status)
        AND (:tag IS NULL OR EXISTS (SELECT 1 FROM review_tags WHERE review_id = r.id AND tag_id = :tag))
        AND (CASE :marked WHEN 'show' THEN 1 WHEN 'only' THEN ${MARKED_SQL} ELSE NOT ${MARKED_SQL} END)`;
  // Each query gets one lower and one upper bound on `day`, worked out here: given two (the window's
  // and the scan's), SQLite may range over the wrong one and read the whole window.
  const selectSameDay = db.prepare<Record<string, string | number | null>, ReviewRow>(
    `${SELECT_REVIEW} WHERE procedure_id = :procedure AND day = :day AND id < :id AND id >= :lowId ${FILTERS} ORDER BY id DESC LIMIT :limit`,
  );
  const selectEarlier = db.prepare<Record<string, string | number | null>, ReviewRow>(
    `${SELECT_REVIEW} WHERE procedure_id = :procedure AND day < :day AND day >= :low AND (day > :low OR id >= :lowId) ${FILTERS}
      ORDER BY day DESC, id DESC LIMIT :limit`,
  );
  /** The `offset + 1`-th review after the cursor, in each of the two ranges: how far one filtered page may scan. */
  const selectBoundSameDay = db.prepare<Record<string, string | number>, ReviewCursor>(
    'SELECT day, id FROM reviews WHERE procedure_id = :procedure AND day = :day AND id < :id ORDER BY id DESC LIMIT 1 OFFSET :offset',
  );
  const countSameDay = db
    .prepare<Record<string, string | number>, number>(
      'SELECT count(*) FROM reviews WHERE procedure_id = :procedure AND day = :day AND id < :id',
    )
    .pluck();
  const selectBoundEarlier = db.prepare<Record<string, string | number>, ReviewCursor>(
    `SELECT day, id FROM reviews WHERE procedure_id = :procedure AND day < :day AND day >= :from
      ORDER BY day DESC, id DESC LIMIT 1 OFFSET :offset`,
  );
  /** The cursor brought inside the window: null when the window is behind it. */
  const clamp = (filters: ReviewFilters, after: ReviewCursor): ReviewCursor | null => {
    if (after.day > filters.to) return startOf(filters);
    return after.day < filters.from ? null : after;
  };
  const selectOne = db.prepare<[number, string], ReviewRow>(`${SELECT_REVIEW} WHERE id = ? AND procedure_id = ?`);
  const hide = db.prepare<[number, string, string, number, string]>(
    'UPDATE reviews SET hidden_at = ?, hidden_reason = ?, hidden_by = ? WHERE id = ? AND procedure_id = ? AND hidden_at IS NULL',
  );
  const restore = db.prepare<[number, string]>(
    `UPDATE reviews SET hidden_at = NULL, hidden_reason = NULL, hidden_by = NULL
      WHERE id = ? AND procedure_id = ? AND hidden_at IS NOT NULL`,
  );
  // A hidden comment's terms leave the counts, and come back with it: the review is queued for counting either way.
  const setHidden = db.transaction(
    (procedureId: string, reviewId: number, hidden: { reason: string; by: string; at: Date } | null): number => {
      const { changes } = hidden
        ? hide.run(hidden.at.getTime(), hidden.reason, hidden.by, reviewId, procedureId)
        : restore.run(reviewId, procedureId);
      if (changes > 0) queueTerms.run(reviewId);
      return changes;
    },
  );
  const scanBound = (procedureId: string, filters: ReviewFilters, after: ReviewCursor, scan: number): ReviewCursor | null => {
    const at = { procedure: procedureId, day: after.day, id: after.id };
    const sameDay = selectBoundSameDay.get({ ...at, offset: scan - 1 });
    if (sameDay) return sameDay;
    return selectBoundEarlier.get({ ...at, from: filters.from, offset: scan - 1 - countSameDay.get(at)! }) ?? null;
  };
  /** Up to `limit` matching reviews after the (clamped) cursor, down to the scan's bound or the window's start. */
  const queryPage = (procedureId: string, filters: ReviewFilters, after: ReviewCursor, limit: number, bound: ReviewCursor | null) => {
    const params = { procedure: procedureId, day: after.day, id: after.id, ...filterParams(filters) };
    const boundInDay = bound !== null && bound.day === after.day;
    const rows = selectSameDay.all({ ...params, lowId: boundInDay ? bound.id : 0, limit });
    if (rows.length >= limit || boundInDay) return rows;
    const low = bound ?? { day: filters.from, id: 0 };
    return rows.concat(selectEarlier.all({ ...params, low: low.day, lowId: low.id, limit: limit - rows.length }));
  };

  const settleSuspect = db.transaction((procedureId: string, reviewId: number, settle: (held: HeldText) => HeldText | undefined) => {
    const row = selectOne.get(reviewId, procedureId);
    if (!row) return undefined;
    const held = settle({ lang: row.lang, comment: row.comment, helpOther: row.help_other, suspects: suspectsOf(row.pii_suspects) });
    if (!held) return { review: recordOf(row), changed: false };
    const { comment, helpOther, suspects, lang } = held;
    updateHeldText.run(helpOther, comment, searchTextOf(comment, helpOther, suspects, lang), suspectsColumn(suspects), reviewId);
    queueTerms.run(reviewId);
    return { review: recordOf(selectOne.get(reviewId, procedureId)!), changed: true };
  });

  const OF_REVIEW = 'WHERE id = :review AND procedure_id = :procedure';
  const setStatus = db.prepare(`UPDATE reviews SET triage_status = :status ${OF_REVIEW} AND triage_status <> :status`);
  const setSpam = db.prepare(`UPDATE reviews SET spam_at = :at, spam_by = :by ${OF_REVIEW} AND spam_at IS NULL`);
  const unsetSpam = db.prepare(`UPDATE reviews SET spam_at = NULL, spam_by = NULL ${OF_REVIEW} AND spam_at IS NOT NULL`);
  const settleDuplicate = db.prepare(
    `UPDATE reviews SET duplicate_state = :state ${OF_REVIEW} AND duplicate_of IS NOT NULL AND duplicate_state <> :state`,
  );
  const setTag = db.prepare(
    `INSERT OR IGNORE INTO review_tags (review_id, tag_id) SELECT :review, :tag WHERE EXISTS (SELECT 1 FROM reviews ${OF_REVIEW})`,
  );
  const unsetTag = db.prepare(
    `DELETE FROM review_tags WHERE review_id = :review AND tag_id = :tag AND EXISTS (SELECT 1 FROM reviews ${OF_REVIEW})`,
  );
  const triage = (procedure: string, review: number, change: TriageChange): number => {
    const at = { procedure, review };
    if ('status' in change) return setStatus.run({ ...at, status: change.status }).changes;
    if ('spam' in change) return change.spam ? setSpam.run({ ...at, ...change.spam }).changes : unsetSpam.run(at).changes;
    if ('duplicate' in change) return settleDuplicate.run({ ...at, state: change.duplicate }).changes;
    return (change.on ? setTag : unsetTag).run({ ...at, tag: change.tagId }).changes;
  };
  const selectCandidates = db.prepare<[string, string, number, number], DuplicateCandidate>(
    `SELECT id, search_text AS text, text_signature AS signature FROM reviews
      WHERE procedure_id = ? AND day >= ? AND id < ? AND search_text IS NOT NULL AND hidden_at IS NULL
      ORDER BY day DESC, id DESC LIMIT ?`,
  );
  const flagDuplicate = db.prepare<{ of: number | null; review: number; signature: Buffer | null }>(
    `UPDATE reviews SET text_signature = :signature,
            duplicate_of = CASE WHEN coalesce(duplicate_state, 'flagged') = 'flagged' THEN :of ELSE duplicate_of END,
            duplicate_state = CASE WHEN coalesce(duplicate_state, 'flagged') <> 'flagged' THEN duplicate_state
                                   WHEN :of IS NULL THEN NULL ELSE 'flagged' END
      WHERE id = :review`,
  );
  const countMarked = db.prepare<[string, string, string], { spam: number; duplicates: number }>(
    `SELECT count(*) FILTER (WHERE spam_at IS NOT NULL) AS spam,
            count(*) FILTER (WHERE duplicate_state IN ('flagged', 'confirmed')) AS duplicates
       FROM reviews WHERE procedure_id = ? AND day >= ? AND day <= ? AND (spam_at IS NOT NULL OR duplicate_state IS NOT NULL)`,
  );

  /** Ids per purge step: each is a short transaction (2,000 reviews to erase take about 3 ms), and ratings are taken between two. */
  const PURGE_CHUNK = 2000;

  return {
    purge: async (freeTextBefore, tokensBefore) => {
      const erased = { freeText: 0, tokens: 0 };
      const last = selectMaxId.get() ?? 0;
      for (let from = 0; from < last; from += PURGE_CHUNK) {
        await shareEventLoop();
        erased.freeText += eraseFreeText.run(from, from + PURGE_CHUNK, freeTextBefore).changes;
        eraseCountedTerms.run(from, from + PURGE_CHUNK, freeTextBefore);
        erased.tokens += eraseTokens.run(from, from + PURGE_CHUNK, tokensBefore).changes;
      }
      return erased;
    },
    // One queue for every hot rating, whichever route it came through.
    create: groupCommit(createMany, { onBatch }),
    /** For seeding tests and benchmarks: many ratings in one transaction, at once. */
    createMany,
    findKey: async (id) => {
      const row = selectKey.get(id);
      return row && { id: row.id, procedureId: row.procedure_id, lang: row.lang, tokenHash: row.token_hash, createdAt: row.created_at };
    },
    replaceFollowUps: async (id, answers, at, suspects = []) => replaceFollowUps(id, answers, at, suspects),
    page: async (procedureId, filters, { after, limit, scan = PAGE_SCAN }) => {
      let from = clamp(filters, after ?? startOf(filters));
      if (!from) return { reviews: [], next: null };
      if (!hasFilters(filters)) {
        const rows = queryPage(procedureId, filters, from, limit + 1, null);
        return { reviews: rows.slice(0, limit).map(recordOf), next: nextCursor(rows, limit, null) };
      }
      // A filtered page scans in steps, sharing the event loop between two (a rare search word
      // reads all `scan` reviews: 5,000 at once held it 14 ms here, and the comments page, which
      // reads up to ten such pages, 110 ms).
      const rows: ReviewRow[] = [];
      for (let scanned = 0; ; ) {
        await shareEventLoop();
        const step = Math.min(SCAN_STEP, scan - scanned);
        const bound = scanBound(procedureId, filters, from, step);
        rows.push(...queryPage(procedureId, filters, from, limit + 1 - rows.length, bound));
        scanned += step;
        if (rows.length > limit || bound === null || scanned >= scan) {
          return { reviews: rows.slice(0, limit).map(recordOf), next: nextCursor(rows, limit, bound) };
        }
        from = bound;
      }
    },
    async *batches(procedureId, filters, batchSize = EXPORT_BATCH) {
      // Read in steps of at most EXPORT_STEP rows and, filtered, SCAN_STEP reviews examined (a rare
      // word would otherwise be looked for through the whole window in one query), sharing the
      // event loop before each; handed over in batches of `batchSize` all the same.
      const filtered = hasFilters(filters);
      let batch: ReviewRecord[] = [];
      for (let after: ReviewCursor | null = startOf(filters); after !== null; ) {
        await shareEventLoop();
        const bound: ReviewCursor | null = filtered ? scanBound(procedureId, filters, after, SCAN_STEP) : null;
        const rows = queryPage(procedureId, filters, after, EXPORT_STEP, bound);
        for (const row of rows) batch.push(recordOf(row));
        const last = rows.at(-1);
        // On from the last row when the step was full, else from the scan's bound; the end when neither.
        after = rows.length === EXPORT_STEP && last ? { day: last.day, id: last.id } : bound;
        if (batch.length >= batchSize || after === null) {
          for (let i = 0; i < batch.length; i += batchSize) yield batch.slice(i, i + batchSize);
          batch = [];
        }
      }
    },
    setHidden: async (procedureId, reviewId, hidden) => {
      const changes = setHidden(procedureId, reviewId, hidden);
      const row = selectOne.get(reviewId, procedureId);
      return row && { review: recordOf(row), changed: changes > 0 };
    },
    settleSuspect: async (procedureId, reviewId, settle) => settleSuspect(procedureId, reviewId, settle),
    triage: async (procedureId, reviewId, change) => {
      const changes = triage(procedureId, reviewId, change);
      const row = selectOne.get(reviewId, procedureId);
      return row && { review: recordOf(row), changed: changes > 0 };
    },
    duplicateCandidates: async (procedureId, reviewId, fromDay, limit) => selectCandidates.all(procedureId, fromDay, reviewId, limit),
    flagDuplicate: async (reviewId, of, signature) => void flagDuplicate.run({ of, review: reviewId, signature }),
    markedCounts: async (procedureId, from, to) => countMarked.get(procedureId, from, to)!,
  };
}
