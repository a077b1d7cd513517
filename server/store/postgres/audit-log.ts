import { AUDIT_REPEAT_MS, type AuditEntry, type AuditRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

type AuditRow = Omit<AuditEntry, 'details' | 'entityId'> & { entity_id: string | null; details: string };

// One statement: an identical entry of the last minute is counted, or else a row is inserted. Two
// collectors adding the same event at the same instant may each insert one: two rows, none lost.
// Ordered by time, so that audit_log_at both bounds the search to the last minute and serves the
// order: by id, the planner may walk an entity's whole year of entries backwards on audit_log_entity.
const ADD = `
WITH repeated AS (
  UPDATE audit_log SET count = count + 1
   WHERE id = (SELECT id FROM audit_log
                WHERE at > $2::bigint - $7::bigint AND at <= $2::bigint AND entity_id IS NOT DISTINCT FROM $1::text
                  AND actor = $3::text AND action = $4::text AND target = $5::text AND details = $6::text
                ORDER BY at DESC, id DESC LIMIT 1)
  RETURNING id)
INSERT INTO audit_log (entity_id, at, actor, action, target, details)
SELECT $1::text, $2::bigint, $3::text, $4::text, $5::text, $6::text WHERE NOT EXISTS (SELECT 1 FROM repeated)`;

export function postgresAuditLog(db: Pg): AuditRepository {
  return {
    add: async (entry) =>
      void (await db.query(ADD, [
        entry.entityId,
        entry.at,
        entry.actor,
        entry.action,
        entry.target,
        JSON.stringify(entry.details),
        AUDIT_REPEAT_MS,
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
