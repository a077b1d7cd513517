import type { AuditEntry, AuditRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

type AuditRow = Omit<AuditEntry, 'details' | 'entityId'> & { entity_id: string | null; details: string };

export function sqliteAuditLog(db: Db): AuditRepository {
  const insert = db.prepare<[string | null, number, string, string, string, string]>(
    'INSERT INTO audit_log (entity_id, at, actor, action, target, details) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const selectPage = db.prepare<[string, number, number], AuditRow>(
    'SELECT * FROM audit_log WHERE entity_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
  );
  const purge = db.prepare<[number]>('DELETE FROM audit_log WHERE at < ?');
  return {
    add: async (entry) => void insert.run(entry.entityId, entry.at, entry.actor, entry.action, entry.target, JSON.stringify(entry.details)),
    list: async (entityId, { before, limit }) =>
      selectPage
        .all(entityId, before ?? Number.MAX_SAFE_INTEGER, limit)
        .map(({ entity_id, details, ...row }) => ({ ...row, entityId: entity_id, details: JSON.parse(details) })),
    purge: async (before) => purge.run(before).changes,
  };
}
