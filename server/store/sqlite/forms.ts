import type { FormChanges, FormRepository, FormVersion } from '../store.ts';
import type { Db } from './open-sqlite.ts';

interface VersionRow {
  version: number;
  config: string;
  published_at: number;
  published_by: string;
  archived_at: number | null;
}

const versionOf = (row: VersionRow): FormVersion => ({
  version: row.version,
  changes: JSON.parse(row.config) as FormChanges,
  publishedAt: row.published_at,
  publishedBy: row.published_by,
  archivedAt: row.archived_at,
});

export function sqliteForms(db: Db): FormRepository {
  const selectDraft = db.prepare<[string], { config: string; updated_at: number; updated_by: string }>(
    'SELECT config, updated_at, updated_by FROM form_drafts WHERE procedure_id = ?',
  );
  const upsertDraft = db.prepare<[string, string, number, string]>(
    `INSERT INTO form_drafts (procedure_id, config, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  );
  const archivePublished = db.prepare<[number, string]>(
    'UPDATE form_versions SET archived_at = ? WHERE procedure_id = ? AND archived_at IS NULL',
  );
  const selectPublishedNumber = db
    .prepare<[string], number>('SELECT version FROM form_versions WHERE procedure_id = ? AND archived_at IS NULL')
    .pluck();
  const insertVersion = db.prepare<[string, string, number, string, string]>(
    `INSERT INTO form_versions (procedure_id, version, config, published_at, published_by)
     SELECT ?, coalesce(max(version), 0) + 1, ?, ?, ? FROM form_versions WHERE procedure_id = ?`,
  );
  const SELECT_VERSION = 'SELECT version, config, published_at, published_by, archived_at FROM form_versions';
  const selectVersions = db.prepare<[string], VersionRow>(`${SELECT_VERSION} WHERE procedure_id = ? ORDER BY version DESC`);
  const selectPublished = db.prepare<[string], VersionRow>(`${SELECT_VERSION} WHERE procedure_id = ? AND archived_at IS NULL`);
  const selectHas = db.prepare<[string, number], number>('SELECT 1 FROM form_versions WHERE procedure_id = ? AND version = ?').pluck();

  const publish = db.transaction((procedureId: string, by: string, at: number): number | undefined => {
    const draft = selectDraft.get(procedureId);
    if (!draft) return undefined;
    archivePublished.run(at, procedureId);
    insertVersion.run(procedureId, draft.config, at, by, procedureId);
    return selectPublishedNumber.get(procedureId);
  });
  const archive = db.transaction((procedureId: string, at: number): number | undefined => {
    const version = selectPublishedNumber.get(procedureId);
    if (version !== undefined) archivePublished.run(at, procedureId);
    return version;
  });

  return {
    draft: async (procedureId) => {
      const row = selectDraft.get(procedureId);
      return row && { changes: JSON.parse(row.config) as FormChanges, updatedAt: row.updated_at, updatedBy: row.updated_by };
    },
    saveDraft: async (procedureId, draft) =>
      void upsertDraft.run(procedureId, JSON.stringify(draft.changes), draft.updatedAt, draft.updatedBy),
    publish: async (procedureId, by, at) => publish(procedureId, by, at),
    archive: async (procedureId, at) => archive(procedureId, at),
    versions: async (procedureId) => selectVersions.all(procedureId).map(versionOf),
    published: async (procedureId) => {
      const row = selectPublished.get(procedureId);
      return row && versionOf(row);
    },
    hasVersion: async (procedureId, version) => selectHas.get(procedureId, version) !== undefined,
  };
}
