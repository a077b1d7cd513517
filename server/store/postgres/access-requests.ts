import type { AccessRequest, AccessRequestRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

const RECORD = `id, entity_id AS "entityId", email, status, created_at AS "createdAt", decided_at AS "decidedAt", decided_by AS "decidedBy", lang`;

export function postgresAccessRequests(db: Pg): AccessRequestRepository {
  return {
    // The partial unique index (one pending request per entity and address) makes a repeat a no-op.
    add: async ({ entityId, email, at, lang }) =>
      (
        await db.query<{ id: number }>(
          'INSERT INTO access_requests (entity_id, email, created_at, lang) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id',
          [entityId, email.toLowerCase(), at, lang],
        )
      ).rows[0]?.id,
    pending: async (entityId) =>
      (
        await db.query<AccessRequest>(`SELECT ${RECORD} FROM access_requests WHERE entity_id = $1 AND status = 'pending' ORDER BY id`, [
          entityId,
        ])
      ).rows,
    decide: async (entityId, id, status, by, at) =>
      (
        await db.query<AccessRequest>(
          `UPDATE access_requests SET status = $1, decided_at = $2, decided_by = $3
           WHERE id = $4 AND entity_id = $5 AND status = 'pending' RETURNING ${RECORD}`,
          [status, at, by, id, entityId],
        )
      ).rows[0],
    countRecent: async (email, since) =>
      (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM access_requests WHERE email = $1 AND created_at >= $2', [
          email.toLowerCase(),
          since,
        ])
      ).rows[0]!.n,
    purge: async (before) =>
      (await db.query("DELETE FROM access_requests WHERE status <> 'pending' AND created_at < $1", [before])).rowCount ?? 0,
  };
}
