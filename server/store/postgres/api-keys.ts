import type { ApiKey, ApiKeyRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

/** A key's last use is written at most this often (ApiKeyRepository.use). */
const LAST_USE_PRECISION_MS = 60_000;

interface KeyRow {
  id: number;
  entity_id: string;
  name: string;
  procedure_ids: string[] | null;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

const SELECT_KEYS = `SELECT k.id, k.entity_id, k.name, k.created_at, k.revoked_at, k.last_used_at,
  (SELECT array_agg(procedure_id ORDER BY procedure_id) FROM api_key_procedures WHERE key_id = k.id) AS procedure_ids
  FROM api_keys k`;

const toKey = (row: KeyRow): ApiKey => ({
  id: row.id,
  entityId: row.entity_id,
  name: row.name,
  procedureIds: row.procedure_ids,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

export function postgresApiKeys(db: Pg): ApiKeyRepository {
  return {
    add: async (key) => {
      if (key.procedureIds?.length === 0) throw new RangeError('a key limited to no procedure reaches nothing: pass null for all');
      return db.transaction(async (client) => {
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO api_keys (entity_id, name, hash, created_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (entity_id, name) WHERE revoked_at IS NULL DO NOTHING RETURNING id`,
          [key.entityId, key.name, key.hash, new Date().toISOString()],
        );
        if (rows.length === 0) return false;
        await client.query('INSERT INTO api_key_procedures (key_id, procedure_id) SELECT $1, unnest($2::text[])', [
          rows[0]!.id,
          key.procedureIds ?? [],
        ]);
        return true;
      });
    },
    use: async (hash, at) => {
      const { rows } = await db.query<KeyRow>({ name: 'api-key-use', text: `${SELECT_KEYS} WHERE k.hash = $1 AND k.revoked_at IS NULL` }, [
        hash,
      ]);
      const row = rows[0];
      if (!row) return undefined;
      if (row.last_used_at === null || Date.parse(row.last_used_at) <= at.getTime() - LAST_USE_PRECISION_MS) {
        row.last_used_at = at.toISOString();
        await db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [row.id, row.last_used_at]);
      }
      return toKey(row);
    },
    list: async (entityId) => (await db.query<KeyRow>(`${SELECT_KEYS} WHERE k.entity_id = $1 ORDER BY k.id`, [entityId])).rows.map(toKey),
    revoke: async (entityId, name, at) =>
      ((
        await db.query('UPDATE api_keys SET revoked_at = $3 WHERE entity_id = $1 AND name = $2 AND revoked_at IS NULL', [
          entityId,
          name,
          at.toISOString(),
        ])
      ).rowCount ?? 0) > 0,
  };
}
