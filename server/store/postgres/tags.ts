import type { Tag, TagRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

/** PostgreSQL's SQLSTATE for a unique constraint refused. */
const UNIQUE_VIOLATION = '23505';

export function postgresTags(db: Pg): TagRepository {
  return {
    add: async (entityId, name, at) => {
      const { rows } = await db.query<{ id: string }>(
        'INSERT INTO entity_tags (entity_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id',
        [entityId, name, at],
      );
      return rows[0] && { id: Number(rows[0].id), name, reviews: 0 };
    },
    rename: async (entityId, tagId, name) => {
      // The unique (entity_id, name) decides, not a look beforehand: two renames at once onto one
      // name would both pass a look, and the second would then hit the constraint.
      try {
        const { rowCount } = await db.query('UPDATE entity_tags SET name = $2 WHERE entity_id = $1 AND id = $3', [entityId, name, tagId]);
        return (rowCount ?? 0) > 0 ? 'renamed' : 'missing';
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) return 'taken';
        throw error;
      }
    },
    // review_tags rows go with it (ON DELETE CASCADE).
    remove: async (entityId, tagId) =>
      ((await db.query('DELETE FROM entity_tags WHERE entity_id = $1 AND id = $2', [entityId, tagId])).rowCount ?? 0) > 0,
    list: async (entityId) =>
      (
        await db.query<{ id: string; name: string; reviews: number }>(
          `SELECT id, name, (SELECT count(*)::integer FROM review_tags WHERE tag_id = t.id) AS reviews
             FROM entity_tags t WHERE entity_id = $1 ORDER BY name, id`,
          [entityId],
        )
      ).rows.map((row): Tag => ({ id: Number(row.id), name: row.name, reviews: row.reviews })),
    confirmed: async (entityId) =>
      (
        await db.query<{ terms: string; tags: string | null }>(
          `SELECT rt.terms, (SELECT string_agg(tag_id::text, ',') FROM review_tags WHERE review_id = r.id) AS tags
             FROM reviews r JOIN procedures p ON p.id = r.procedure_id JOIN review_terms rt ON rt.review_id = r.id
            WHERE p.entity_id = $1 AND r.hidden_at IS NULL AND r.spam_at IS NULL
              AND (r.triage_status <> 'new' OR EXISTS (SELECT 1 FROM review_tags WHERE review_id = r.id))
            ORDER BY r.id`,
          [entityId],
        )
      ).rows.map((row) => ({
        terms: (JSON.parse(row.terms) as [string, string][]).map(([term]) => term),
        tagIds: row.tags === null ? [] : row.tags.split(',').map(Number),
      })),
    saveModel: async (entityId, json, at) => {
      if (json === null) await db.query('DELETE FROM tag_models WHERE entity_id = $1', [entityId]);
      else
        await db.query(
          `INSERT INTO tag_models (entity_id, model, trained_at) VALUES ($1, $2, $3)
           ON CONFLICT (entity_id) DO UPDATE SET model = excluded.model, trained_at = excluded.trained_at`,
          [entityId, json, at],
        );
    },
    model: async (entityId) =>
      (await db.query<{ model: string }>('SELECT model FROM tag_models WHERE entity_id = $1', [entityId])).rows[0]?.model,
  };
}
