import type { ProblemKind } from '../../../shared/problem-report.ts';
import type { WidgetLang } from '../../../shared/questionnaire.ts';
import type { ProblemReport, ProblemReportRepository } from '../store.ts';
import type { Pg } from './open-postgres.ts';

interface ReportRow {
  id: string;
  procedure_id: string;
  placement_id: string;
  day: string;
  created_at: string;
  lang: WidgetLang;
  kind: ProblemKind;
  text: string | null;
}

const reportOf = (row: ReportRow): ProblemReport => ({
  id: Number(row.id),
  procedureId: row.procedure_id,
  placementId: row.placement_id,
  kind: row.kind,
  text: row.text,
  lang: row.lang,
  createdAt: Number(row.created_at),
  day: row.day,
});

export function postgresProblemReports(db: Pg): ProblemReportRepository {
  return {
    add: async (report) => {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO problem_reports (procedure_id, placement_id, day, created_at, lang, kind, text)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          report.procedureId,
          report.placementId,
          report.createdAt.toISOString().slice(0, 10),
          report.createdAt.getTime(),
          report.lang,
          report.kind,
          report.text,
        ],
      );
      return Number(rows[0]!.id);
    },
    list: async (procedureId, from, to, limit) => {
      const { rows } = await db.query<ReportRow>(
        `SELECT id, procedure_id, placement_id, day, created_at, lang, kind, text FROM problem_reports
         WHERE procedure_id = $1 AND day BETWEEN $2 AND $3 ORDER BY id DESC LIMIT $4`,
        [procedureId, from, to, limit],
      );
      return rows.map(reportOf);
    },
    purgeText: async (before) =>
      (await db.query('UPDATE problem_reports SET text = NULL WHERE created_at < $1 AND text IS NOT NULL', [before])).rowCount ?? 0,
    countsByKind: async (procedureId, from, to) => {
      const { rows } = await db.query<{ kind: ProblemKind; count: string }>(
        'SELECT kind, count(*) AS count FROM problem_reports WHERE procedure_id = $1 AND day BETWEEN $2 AND $3 GROUP BY kind',
        [procedureId, from, to],
      );
      return Object.fromEntries(rows.map((row) => [row.kind, Number(row.count)]));
    },
    contactUrl: async (procedureId) => {
      const { rows } = await db.query<{ url: string }>('SELECT url FROM procedure_contacts WHERE procedure_id = $1', [procedureId]);
      return rows[0]?.url ?? null;
    },
    setContactUrl: async (procedureId, url) => {
      const result =
        url === null
          ? await db.query('DELETE FROM procedure_contacts WHERE procedure_id = $1', [procedureId])
          : await db.query(
              `INSERT INTO procedure_contacts (procedure_id, url) VALUES ($1, $2)
               ON CONFLICT (procedure_id) DO UPDATE SET url = excluded.url WHERE procedure_contacts.url <> excluded.url`,
              [procedureId, url],
            );
      return (result.rowCount ?? 0) > 0;
    },
  };
}
