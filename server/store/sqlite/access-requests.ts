import type { AccessRequest, AccessRequestRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

const RECORD = `id, entity_id AS entityId, email, status, created_at AS createdAt, decided_at AS decidedAt, decided_by AS decidedBy, lang`;

export function sqliteAccessRequests(db: Db): AccessRequestRepository {
  // The partial unique index (one pending request per entity and address) makes a repeat a no-op.
  const insert = db.prepare<[string, string, number, string]>(
    'INSERT INTO access_requests (entity_id, email, created_at, lang) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const pending = db.prepare<[string], AccessRequest>(
    `SELECT ${RECORD} FROM access_requests WHERE entity_id = ? AND status = 'pending' ORDER BY id`,
  );
  const decide = db.prepare<[string, number, string, number, string], AccessRequest>(
    `UPDATE access_requests SET status = ?, decided_at = ?, decided_by = ?
     WHERE id = ? AND entity_id = ? AND status = 'pending' RETURNING ${RECORD}`,
  );
  const recent = db.prepare<[string, number], number>('SELECT count(*) FROM access_requests WHERE email = ? AND created_at >= ?').pluck();
  const purge = db.prepare<[number]>("DELETE FROM access_requests WHERE status <> 'pending' AND created_at < ?");
  return {
    add: async ({ entityId, email, at, lang }) => {
      const result = insert.run(entityId, email.toLowerCase(), at, lang);
      return result.changes > 0 ? Number(result.lastInsertRowid) : undefined;
    },
    pending: async (entityId) => pending.all(entityId),
    decide: async (entityId, id, status, by, at) => decide.get(status, at, by, id, entityId),
    countRecent: async (email, since) => recent.get(email.toLowerCase(), since)!,
    purge: async (before) => purge.run(before).changes,
  };
}
