import { AUDIT_REPEAT_MS, type AuditEntry, type AuditRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

type AuditRow = Omit<AuditEntry, 'details' | 'entityId'> & { entity_id: string | null; details: string };

export function sqliteAuditLog(db: Db): AuditRepository {
  // `+entity_id` keeps SQLite off audit_log_entity, which it otherwise picks and which would scan
  // a year of the entity's entries when none repeats; audit_log_at reads the last minute's only.
  const selectRepeat = db
    .prepare<[number, number, string | null, string, string, string, string], number>(
      `SELECT id FROM audit_log
        WHERE at > ? AND at <= ? AND +entity_id IS ? AND actor = ? AND action = ? AND target = ? AND details = ?
        ORDER BY id DESC LIMIT 1`,
    )
    .pluck();
  const count = db.prepare<[number]>('UPDATE audit_log SET count = count + 1 WHERE id = ?');
  const insert = db.prepare<[string | null, number, string, string, string, string]>(
    'INSERT INTO audit_log (entity_id, at, actor, action, target, details) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const add = db.transaction((entry: Omit<AuditEntry, 'id' | 'count'>) => {
    const details = JSON.stringify(entry.details);
    const repeat = selectRepeat.get(entry.at - AUDIT_REPEAT_MS, entry.at, entry.entityId, entry.actor, entry.action, entry.target, details);
    if (repeat === undefined) insert.run(entry.entityId, entry.at, entry.actor, entry.action, entry.target, details);
    else count.run(repeat);
  });
  const selectPage = db.prepare<[string, number, number], AuditRow>(
    'SELECT * FROM audit_log WHERE entity_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
  );
  const purge = db.prepare<[number]>('DELETE FROM audit_log WHERE at < ?');
  return {
    add: async (entry) => add(entry),
    list: async (entityId, { before, limit }) =>
      selectPage
        .all(entityId, before ?? Number.MAX_SAFE_INTEGER, limit)
        .map(({ entity_id, details, ...row }) => ({ ...row, entityId: entity_id, details: JSON.parse(details) })),
    purge: async (before) => purge.run(before).changes,
  };
}
