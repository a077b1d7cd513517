import type { TestDatabase } from './test-database.ts';

// Many reviews at once, straight into the database (one INSERT … SELECT over a sequence), for tests
// that need volume (exports of a million reviews): the write path is tested elsewhere, review by review.
// Review i (0-based) is rated on day `lastDay - (i % days)`; every `commentEvery`-th one has a comment
// with follow-up answers. Rollups are not touched: call store.rollups.rebuild() when counts matter.

export interface Seed {
  procedureId: string;
  count: number;
  /** The newest day, YYYY-MM-DD. */
  lastDay: string;
  days: number;
  commentEvery: number;
}

export async function seedReviews(db: TestDatabase, seed: Seed): Promise<void> {
  const last = Date.parse(`${seed.lastDay}T12:00:00Z`);
  if (db.engine === 'sqlite') {
    await db.exec(`
      WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${seed.count} - 1)
      INSERT INTO reviews (procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, comment, search_text)
      SELECT '${seed.procedureId}', CASE WHEN i % 3 = 0 THEN 'site' ELSE 'default' END,
             date(at / 1000, 'unixepoch'), at, 'fr', CASE i % 3 WHEN 0 THEN 'good' WHEN 1 THEN 'medium' ELSE 'bad' END, x'00',
             CASE WHEN i % ${seed.commentEvery} = 0 THEN 'Démarche n° ' || i || ', =SOMME(A1) « très bien »' END,
             CASE WHEN i % ${seed.commentEvery} = 0 THEN 'demarche n° ' || i || ', =somme(a1) « tres bien »' END
        FROM (SELECT i, ${last} - (i % ${seed.days}) * 86400000 AS at FROM seq);
      INSERT INTO review_answers (review_id, question, channel, answer)
      SELECT id, 'clarity', '', '4' FROM reviews WHERE procedure_id = '${seed.procedureId}' AND comment IS NOT NULL;`);
  } else {
    await db.exec(`
      INSERT INTO reviews (procedure_id, placement_id, day, created_at, lang, satisfaction, token_hash, comment, search_text)
      SELECT '${seed.procedureId}', CASE WHEN i % 3 = 0 THEN 'site' ELSE 'default' END,
             to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), at, 'fr',
             CASE i % 3 WHEN 0 THEN 'good' WHEN 1 THEN 'medium' ELSE 'bad' END, '\\x00'::bytea,
             CASE WHEN i % ${seed.commentEvery} = 0 THEN 'Démarche n° ' || i || ', =SOMME(A1) « très bien »' END,
             CASE WHEN i % ${seed.commentEvery} = 0 THEN 'demarche n° ' || i || ', =somme(a1) « tres bien »' END
        FROM (SELECT i, ${last}::bigint - (i % ${seed.days}) * 86400000 AS at FROM generate_series(0::bigint, ${seed.count} - 1) AS i) AS s;
      INSERT INTO review_answers (review_id, question, channel, answer)
      SELECT id, 'clarity', '', '4' FROM reviews WHERE procedure_id = '${seed.procedureId}' AND comment IS NOT NULL;
      ANALYZE reviews;`);
  }
}
