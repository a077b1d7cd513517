import type { FormChanges, FormRepository, FormVersion } from '../store.ts';
import type { Pg } from './open-postgres.ts';

interface VersionRow {
  version: number;
  config: string;
  published_at: string;
  published_by: string;
  archived_at: string | null;
}

const versionOf = (row: VersionRow): FormVersion => ({
  version: row.version,
  changes: JSON.parse(row.config) as FormChanges,
  publishedAt: Number(row.published_at),
  publishedBy: row.published_by,
  archivedAt: row.archived_at === null ? null : Number(row.archived_at),
});

const SELECT_VERSION = 'SELECT version, config, published_at, published_by, archived_at FROM form_versions';

export function postgresForms(db: Pg): FormRepository {
  return {
    draft: async (procedureId) => {
      const { rows } = await db.query<{ config: string; updated_at: string; updated_by: string }>(
        'SELECT config, updated_at, updated_by FROM form_drafts WHERE procedure_id = $1',
        [procedureId],
      );
      const row = rows[0];
      return row && { changes: JSON.parse(row.config) as FormChanges, updatedAt: Number(row.updated_at), updatedBy: row.updated_by };
    },
    saveDraft: async (procedureId, draft) =>
      void (await db.query(
        `INSERT INTO form_drafts (procedure_id, config, updated_at, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (procedure_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [procedureId, JSON.stringify(draft.changes), draft.updatedAt, draft.updatedBy],
      )),
    publish: (procedureId, by, at) =>
      db.transaction(async (client) => {
        // The draft's row lock makes two publications of one procedure take turns: each numbers after the other.
        const { rows } = await client.query<{ config: string }>('SELECT config FROM form_drafts WHERE procedure_id = $1 FOR UPDATE', [
          procedureId,
        ]);
        if (!rows[0]) return undefined;
        await client.query('UPDATE form_versions SET archived_at = $2 WHERE procedure_id = $1 AND archived_at IS NULL', [procedureId, at]);
        const inserted = await client.query<{ version: number }>(
          `INSERT INTO form_versions (procedure_id, version, config, published_at, published_by)
           SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4 FROM form_versions WHERE procedure_id = $1
           RETURNING version`,
          [procedureId, rows[0].config, at, by],
        );
        return inserted.rows[0]!.version;
      }),
    archive: async (procedureId, at) => {
      const { rows } = await db.query<{ version: number }>(
        'UPDATE form_versions SET archived_at = $2 WHERE procedure_id = $1 AND archived_at IS NULL RETURNING version',
        [procedureId, at],
      );
      return rows[0]?.version;
    },
    versions: async (procedureId) =>
      (await db.query<VersionRow>(`${SELECT_VERSION} WHERE procedure_id = $1 ORDER BY version DESC`, [procedureId])).rows.map(versionOf),
    published: async (procedureId) => {
      const { rows } = await db.query<VersionRow>(`${SELECT_VERSION} WHERE procedure_id = $1 AND archived_at IS NULL`, [procedureId]);
      return rows[0] && versionOf(rows[0]);
    },
    hasVersion: async (procedureId, version) =>
      ((await db.query('SELECT 1 FROM form_versions WHERE procedure_id = $1 AND version = $2', [procedureId, version])).rowCount ?? 0) > 0,
  };
}
