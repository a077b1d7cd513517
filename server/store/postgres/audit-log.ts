import type { AuditEntry, AuditRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

type AuditRow = Omit<AuditEntry, 'details' | 'entityId'> & { entity_id: string | null; details: string };

export function postgresAuditLog(db: Pg): AuditRepository {
  return {
    add: async (entry) =>
      void (await db.query('INSERT INTO audit_log (entity_id, at, actor, action, target, details) VALUES ($1, $2, $3, $4, $5, $6)', [
        entry.entityId,
        entry.at,
        entry.actor,
        entry.action,
        entry.target,
        JSON.stringify(entry.details),
      ])),
    list: async (entityId, { before, limit }) =>
      (
        await db.query<AuditRow>('SELECT * FROM audit_log WHERE entity_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3', [
          entityId,
          before ?? Number.MAX_SAFE_INTEGER,
          limit,
        ])
      ).rows.map(({ entity_id, details, ...row }) => ({ ...row, entityId: entity_id, details: JSON.parse(details) })),
    purge: async (before) => (await db.query('DELETE FROM audit_log WHERE at < $1', [before])).rowCount ?? 0,
  };
}
