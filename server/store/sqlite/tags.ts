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
  const confirmed = db.prepare<[string], { terms: string; tags: string | null }>(
    `SELECT rt.terms, (SELECT group_concat(tag_id) FROM review_tags WHERE review_id = r.id) AS tags
       FROM reviews r JOIN procedures p ON p.id = r.procedure_id JOIN review_terms rt ON rt.review_id = r.id
      WHERE p.entity_id = ? AND r.hidden_at IS NULL AND r.spam_at IS NULL
        AND (r.triage_status <> 'new' OR EXISTS (SELECT 1 FROM review_tags WHERE review_id = r.id))
      ORDER BY r.id`,
  );
  const saveModel = db.prepare<[string, string, number]>(
    `INSERT INTO tag_models (entity_id, model, trained_at) VALUES (?, ?, ?)
     ON CONFLICT (entity_id) DO UPDATE SET model = excluded.model, trained_at = excluded.trained_at`,
  );
  const removeModel = db.prepare<[string]>('DELETE FROM tag_models WHERE entity_id = ?');
  const model = db.prepare<[string], { model: string }>('SELECT model FROM tag_models WHERE entity_id = ?');
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
    confirmed: async (entityId) =>
      confirmed.all(entityId).map((row) => ({
        terms: (JSON.parse(row.terms) as [string, string][]).map(([term]) => term),
        tagIds: row.tags === null ? [] : row.tags.split(',').map(Number),
      })),
    saveModel: async (entityId, json, at) => void (json === null ? removeModel.run(entityId) : saveModel.run(entityId, json, at)),
    model: async (entityId) => model.get(entityId)?.model,
  };
}
