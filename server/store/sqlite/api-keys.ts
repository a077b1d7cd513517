import type { ApiKey, ApiKeyRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

/** A key's last use is written at most this often (ApiKeyRepository.use). */
const LAST_USE_PRECISION_MS = 60_000;

interface KeyRow {
  id: number;
  entity_id: string;
  name: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export function sqliteApiKeys(db: Db): ApiKeyRepository {
  const insert = db.prepare<[string, string, Buffer, string], number>(
    `INSERT INTO api_keys (entity_id, name, hash, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (entity_id, name) WHERE revoked_at IS NULL DO NOTHING RETURNING id`,
  );
  const insertScope = db.prepare<[number, string]>('INSERT INTO api_key_procedures (key_id, procedure_id) VALUES (?, ?)');
  const selectLive = db.prepare<[Buffer], KeyRow>('SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL');
  const selectScope = db.prepare<[number], string>('SELECT procedure_id FROM api_key_procedures WHERE key_id = ? ORDER BY procedure_id');
  const updateLastUse = db.prepare<[string, number]>('UPDATE api_keys SET last_used_at = ? WHERE id = ?');
  const selectAll = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE entity_id = ? ORDER BY id');
  const revoke = db.prepare<[string, string, string]>(
    'UPDATE api_keys SET revoked_at = ? WHERE entity_id = ? AND name = ? AND revoked_at IS NULL',
  );
  selectScope.pluck();
  insert.pluck();

  const toKey = (row: KeyRow): ApiKey => {
    const scope = selectScope.all(row.id);
    return {
      id: row.id,
      entityId: row.entity_id,
      name: row.name,
      procedureIds: scope.length > 0 ? scope : null,
      createdAt: row.created_at,
      revokedAt: row.revoked_at,
      lastUsedAt: row.last_used_at,
    };
  };
  const add = db.transaction((key: Parameters<ApiKeyRepository['add']>[0]): boolean => {
    if (key.procedureIds?.length === 0) throw new RangeError('a key limited to no procedure reaches nothing: pass null for all');
    const id = insert.get(key.entityId, key.name, key.hash, new Date().toISOString());
    if (id === undefined) return false;
    for (const procedureId of key.procedureIds ?? []) insertScope.run(id, procedureId);
    return true;
  });

  return {
    add: async (key) => add(key),
    use: async (hash, at) => {
      const row = selectLive.get(hash);
      if (!row) return undefined;
      if (row.last_used_at === null || Date.parse(row.last_used_at) <= at.getTime() - LAST_USE_PRECISION_MS) {
        row.last_used_at = at.toISOString();
        updateLastUse.run(row.last_used_at, row.id);
      }
      return toKey(row);
    },
    list: async (entityId) => selectAll.all(entityId).map(toKey),
    revoke: async (entityId, name, at) => revoke.run(at.toISOString(), entityId, name).changes > 0,
  };
}
