// The agency's problem reports (SPEC §3 "Signaler un problème"): listed, counted per kind and
// exported apart from reviews, so that no satisfaction figure ever mixes them in. Every route asks
// access.ts who may see the procedure. Agency data is private: never kept by a shared cache.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { utcDay } from '../../../../shared/feed-window.ts';
import { PROBLEM_KINDS, type ProblemKind } from '../../../../shared/problem-report.ts';
import { requireProcedure } from '../../../agency/access.ts';
import { invalidQuery, windowOf } from '../../../agency/review-listing.ts';
import {
  AGENCY_AUTH,
  AGENCY_ERRORS,
  type ApiRouteSchema,
  apiRoute,
  errorReply,
  mediaReply,
  STORAGE_UNAVAILABLE,
} from '../../../api-docs.ts';
import { csvCell } from '../../../feed-csv.ts';
import { ProcedureParamsSchema } from '../../../schemas/agency-review-schemas.ts';
import { queryIssueDetails } from '../../../schemas/feed-query-schema.ts';
import {
  type AgencyProblemReport,
  ProblemReportsExportQuerySchema,
  ProblemReportsQuerySchema,
  ProblemReportsReplySchema,
} from '../../../schemas/problem-report-schemas.ts';
import type { ProblemReport, Store } from '../../../store/store.ts';

const PRIVATE = 'private, no-store';
/** Reports are few (a person writes one, not one per visit): an export reads them in one query, bounded. */
const EXPORT_MAX = 100_000;
export const PROBLEM_CSV_COLUMNS = ['id', 'created_at', 'day', 'placement', 'lang', 'kind', 'text'] as const;

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw invalidQuery(queryIssueDetails(parsed.error));
  return parsed.data;
}

export const problemReportJson = (report: ProblemReport): AgencyProblemReport => ({
  id: report.id,
  created_at: new Date(report.createdAt).toISOString(),
  day: report.day,
  placement: report.placementId,
  lang: report.lang,
  kind: report.kind,
  text: report.text,
});

/** Every kind, 0 when none came. */
export const countsOf = (counts: Partial<Record<ProblemKind, number>>): Record<ProblemKind, number> =>
  Object.fromEntries(PROBLEM_KINDS.map((kind) => [kind, counts[kind] ?? 0])) as Record<ProblemKind, number>;

const read = (
  summary: string,
  description: string,
  querystring: z.ZodType,
  ok: z.ZodType | ReturnType<typeof mediaReply>,
  replyHeaders: ApiRouteSchema['replyHeaders'] = {},
) =>
  apiRoute({
    summary,
    description,
    tags: ['Résultats'],
    security: AGENCY_AUTH,
    params: ProcedureParamsSchema,
    querystring,
    replyHeaders,
    response: {
      200: ok,
      400: errorReply('Un paramètre inconnu, répété ou invalide', ['invalid_query']),
      ...AGENCY_ERRORS,
      404: errorReply('Aucune démarche de ce nom dans vos entités', ['procedure_not_found']),
      503: STORAGE_UNAVAILABLE,
    },
  });

export async function agencyProblemReportRoutes(app: FastifyInstance, { store, now }: { store: Store; now: () => Date }): Promise<void> {
  const procedureOf = async (request: FastifyRequest) => {
    const { id } = parse(ProcedureParamsSchema, request.params);
    return requireProcedure(store, request, id, 'read');
  };

  const listSchema = read(
    'Les signalements d’une démarche («\u00a0Signaler un problème\u00a0»)',
    'Sur une fenêtre de jours UTC (`from`, `to`, par défaut les 12 derniers mois)\u00a0: le nombre de signalements de chaque sorte (`technical`, `own_situation`, `suggestion`) et les plus récents (`limit`, 100 par défaut, 1\u00a0000 au plus), leur texte débarrassé des données personnelles. Jamais comptés dans les indicateurs de satisfaction.',
    ProblemReportsQuerySchema,
    ProblemReportsReplySchema,
  );
  app.get('/api/v1/procedures/:id/problem-reports', { schema: listSchema }, async (request, reply) => {
    const procedure = await procedureOf(request);
    const query = parse(ProblemReportsQuerySchema, request.query);
    const { from, to } = windowOf(query, utcDay(now()));
    const [counts, reports] = await Promise.all([
      store.problemReports.countsByKind(procedure.id, from, to),
      store.problemReports.list(procedure.id, from, to, query.limit),
    ]);
    reply.header('cache-control', PRIVATE);
    return { from, to, counts: countsOf(counts), reports: reports.map(problemReportJson) };
  });

  const csvSchema = read(
    'Les signalements d’une démarche en CSV',
    `Un signalement par ligne (colonnes ${PROBLEM_CSV_COLUMNS.join(', ')}), les plus récents d’abord, sur la fenêtre \`from\`, \`to\` (par défaut les 12 derniers mois), ${EXPORT_MAX.toLocaleString('fr-FR')} au plus. UTF-8 avec BOM, virgule, CRLF\u00a0; un texte qu’un tableur prendrait pour une formule est précédé d’une apostrophe.`,
    ProblemReportsExportQuerySchema,
    mediaReply('Les signalements en CSV', { 'text/csv': z.string() }),
    { 200: ['Content-Disposition'] },
  );
  app.get('/api/v1/procedures/:id/problem-reports.csv', { schema: csvSchema }, async (request, reply) => {
    const procedure = await procedureOf(request);
    const { from, to } = windowOf(parse(ProblemReportsExportQuerySchema, request.query), utcDay(now()));
    const reports = await store.problemReports.list(procedure.id, from, to, EXPORT_MAX);
    const lines = [
      PROBLEM_CSV_COLUMNS,
      ...reports.map(problemReportJson).map((report) => PROBLEM_CSV_COLUMNS.map((column) => report[column])),
    ];
    return reply
      .header('cache-control', PRIVATE)
      .header('content-disposition', `attachment; filename="signalements-${procedure.id}-${from}-${to}.csv"`)
      .type('text/csv; charset=utf-8; header=present')
      .send(`\uFEFF${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`);
  });
}
