import type { Tag, TagRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

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
      // The unique (entity_id, name) decides between two renames at once; one of them is told 'taken'.
      const { rows } = await db.query<{ outcome: 'renamed' | 'missing' | 'taken' }>(
        `WITH taken AS (SELECT 1 FROM entity_tags WHERE entity_id = $1 AND name = $2 AND id <> $3),
              renamed AS (UPDATE entity_tags SET name = $2 WHERE entity_id = $1 AND id = $3 AND NOT EXISTS (SELECT 1 FROM taken) RETURNING id)
         SELECT CASE WHEN EXISTS (SELECT 1 FROM taken) THEN 'taken' WHEN EXISTS (SELECT 1 FROM renamed) THEN 'renamed' ELSE 'missing' END AS outcome`,
        [entityId, name, tagId],
      );
      return rows[0]!.outcome;
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
  };
}
