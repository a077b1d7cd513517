import type { ProblemKind } from '../../../shared/problem-report.ts';
import type { WidgetLang } from '../../../shared/questionnaire.ts';
import type { ProblemReport, ProblemReportRepository } from '../store.ts';
import type { Db } from './open-sqlite.ts';

interface ReportRow {
  id: number;
  procedure_id: string;
  placement_id: string;
  day: string;
  created_at: number;
  lang: WidgetLang;
  kind: ProblemKind;
  text: string | null;
}

const reportOf = (row: ReportRow): ProblemReport => ({
  id: row.id,
  procedureId: row.procedure_id,
  placementId: row.placement_id,
  kind: row.kind,
  text: row.text,
  lang: row.lang,
  createdAt: row.created_at,
  day: row.day,
});

export function sqliteProblemReports(db: Db): ProblemReportRepository {
  const insert = db.prepare<[string, string, string, number, string, string, string | null]>(
    `INSERT INTO problem_reports (procedure_id, placement_id, day, created_at, lang, kind, text) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectPage = db.prepare<[string, string, string, number], ReportRow>(
    `SELECT id, procedure_id, placement_id, day, created_at, lang, kind, text FROM problem_reports
     WHERE procedure_id = ? AND day BETWEEN ? AND ? ORDER BY id DESC LIMIT ?`,
  );
  const selectCounts = db.prepare<[string, string, string], { kind: ProblemKind; count: number }>(
    'SELECT kind, count(*) AS count FROM problem_reports WHERE procedure_id = ? AND day BETWEEN ? AND ? GROUP BY kind',
  );
  const selectContact = db.prepare<[string], string>('SELECT url FROM procedure_contacts WHERE procedure_id = ?').pluck();
  const upsertContact = db.prepare<[string, string]>(
    'INSERT INTO procedure_contacts (procedure_id, url) VALUES (?, ?) ON CONFLICT DO UPDATE SET url = excluded.url WHERE url <> excluded.url',
  );
  const deleteContact = db.prepare<[string]>('DELETE FROM procedure_contacts WHERE procedure_id = ?');
  const purgeText = db.prepare<[number]>('UPDATE problem_reports SET text = NULL WHERE created_at < ? AND text IS NOT NULL');

  return {
    add: async (report) =>
      Number(
        insert.run(
          report.procedureId,
          report.placementId,
          report.createdAt.toISOString().slice(0, 10),
          report.createdAt.getTime(),
          report.lang,
          report.kind,
          report.text,
        ).lastInsertRowid,
      ),
    list: async (procedureId, from, to, limit) => selectPage.all(procedureId, from, to, limit).map(reportOf),
    purgeText: async (before) => purgeText.run(before).changes,
    countsByKind: async (procedureId, from, to) =>
      Object.fromEntries(selectCounts.all(procedureId, from, to).map((row) => [row.kind, row.count])),
    contactUrl: async (procedureId) => selectContact.get(procedureId) ?? null,
    setContactUrl: async (procedureId, url) =>
      (url === null ? deleteContact.run(procedureId) : upsertContact.run(procedureId, url)).changes > 0,
  };
}
