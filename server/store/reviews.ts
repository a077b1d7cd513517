import type { Db } from './open-store.ts';
import { toLang, type FollowUpAnswers, type Lang, type SatisfactionAnswer } from '../../shared/questionnaire.ts';
import { rollupQueries, type RollupKey } from './rollups.ts';

export interface NewReview {
  procedureId: string;
  placementId: string;
  satisfaction: SatisfactionAnswer;
  lang: Lang;
  tokenHash: Buffer;
  createdAt: Date;
}

export interface ReviewKey {
  id: number;
  procedureId: string;
  tokenHash: Buffer;
  createdAt: number;
  /** The language the hot rating was given in: free text is scrubbed with placeholders in it. */
  lang: Lang;
}

/** One row of `review_answers`: the per-answer form every indicator counts (see migrations.ts). */
export interface AnswerRow {
  question: 'clarity' | 'help_sought' | 'help_reached' | 'help_quality';
  channel: string;
  answer: string;
}

/** Flattens follow-up answers to per-answer rows; free text stays out (it goes to its own columns). */
export function answerRows(answers: FollowUpAnswers): AnswerRow[] {
  const rows: AnswerRow[] = [];
  if (answers.clarity !== undefined) rows.push({ question: 'clarity', channel: '', answer: String(answers.clarity) });
  for (const channel of answers.help_sought ?? []) rows.push({ question: 'help_sought', channel: '', answer: channel });
  for (const [channel, answer] of Object.entries(answers.help_reached ?? {})) {
    rows.push({ question: 'help_reached', channel, answer });
  }
  for (const [channel, answer] of Object.entries(answers.help_quality ?? {})) {
    rows.push({ question: 'help_quality', channel, answer: String(answer) });
  }
  return rows;
}

export function reviewQueries(db: Db, rollups: ReturnType<typeof rollupQueries>) {
  const insertReview = db.prepare<[string, string, string, number, string, string, Buffer]>(
    `INSERT INTO reviews (procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectKey = db.prepare<[number], { id: number; procedure_id: string; token_hash: Buffer; created_at: number; lang: string }>(
    'SELECT id, procedure_id, token_hash, created_at, lang FROM reviews WHERE id = ?',
  );
  const selectRollupKey = db.prepare<[number], { procedure_id: string; placement_id: string; day: string }>(
    'SELECT procedure_id, placement_id, day FROM reviews WHERE id = ?',
  );
  const selectAnswers = db.prepare<[number], AnswerRow>(
    'SELECT question, channel, answer FROM review_answers WHERE review_id = ?',
  );
  const deleteAnswers = db.prepare<[number]>('DELETE FROM review_answers WHERE review_id = ?');
  const insertAnswer = db.prepare<[number, string, string, string]>(
    'INSERT INTO review_answers (review_id, question, channel, answer) VALUES (?, ?, ?, ?)',
  );
  const updateFollowUp = db.prepare<[number, string | null, string | null, number]>(
    'UPDATE reviews SET followed_up_at = ?, help_other = ?, comment = ? WHERE id = ?',
  );

  const createMany = db.transaction((reviews: readonly NewReview[]): number[] => {
    const counted: { key: RollupKey; satisfaction: string }[] = [];
    const ids = reviews.map((review) => {
      const day = review.createdAt.toISOString().slice(0, 10);
      const { lastInsertRowid } = insertReview.run(
        review.procedureId, review.placementId, day, review.createdAt.getTime(), review.lang, review.satisfaction, review.tokenHash,
      );
      counted.push({ key: { procedureId: review.procedureId, placementId: review.placementId, day }, satisfaction: review.satisfaction });
      return Number(lastInsertRowid);
    });
    rollups.addHotRatings(counted);
    return ids;
  });

  return {
    /** Stores hot ratings and counts them in the rollups, in one transaction; returns their ids, in order. */
    createMany,

    /** Stores one hot rating (see createMany); returns its id once committed. */
    create: (review: NewReview): number => createMany([review])[0]!,

    findKey: (id: number): ReviewKey | undefined => {
      const row = selectKey.get(id);
      return row && { id: row.id, procedureId: row.procedure_id, tokenHash: row.token_hash, createdAt: row.created_at, lang: toLang(row.lang) };
    },

    /** Replaces every earlier follow-up answer of a review with these, moving their rollup counts, in one transaction. */
    replaceFollowUps: db.transaction((id: number, answers: FollowUpAnswers, at: Date): void => {
      const review = selectRollupKey.get(id);
      if (!review) return;
      const previous = selectAnswers.all(id);
      const next = answerRows(answers);
      deleteAnswers.run(id);
      for (const row of next) insertAnswer.run(id, row.question, row.channel, row.answer);
      rollups.moveFollowUps({ procedureId: review.procedure_id, placementId: review.placement_id, day: review.day }, previous, next);
      updateFollowUp.run(at.getTime(), answers.help_other ?? null, answers.comment ?? null, id);
    }),
  };
}
