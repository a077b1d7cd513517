import type { Tag, TagRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

export function sqliteTags(db: Db): TagRepository {
  const insert = db.prepare<[string, string, number], { id: number }>(
    'INSERT INTO entity_tags (entity_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING id',
  );
  const rename = db.prepare<[string, string, number]>('UPDATE entity_tags SET name = ? WHERE entity_id = ? AND id = ?');
  const remove = db.prepare<[string, number]>('DELETE FROM entity_tags WHERE entity_id = ? AND id = ?');
  const selectAll = db.prepare<[string], Tag>(
    `SELECT id, name, (SELECT count(*) FROM review_tags WHERE tag_id = t.id) AS reviews
       FROM entity_tags t WHERE entity_id = ? ORDER BY name, id`,
  );
  return {
    add: async (entityId, name, at) => {
      const row = insert.get(entityId, name, at);
      return row && { id: row.id, name, reviews: 0 };
    },
    // The unique (entity_id, name) decides, as on PostgreSQL (where two renames at once race past any look beforehand).
    rename: async (entityId, tagId, name) => {
      try {
        return rename.run(name, entityId, tagId).changes > 0 ? 'renamed' : 'missing';
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'taken';
        throw error;
      }
    },
    // review_tags rows go with it (ON DELETE CASCADE).
    remove: async (entityId, tagId) => remove.run(entityId, tagId).changes > 0,
    list: async (entityId) => selectAll.all(entityId),
  };
}
