import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { utcDay } from '../../../../shared/feed-window.ts';
import { actorOf, requireCaller, requireProcedure } from '../../../agency/access.ts';
import { invalidQuery, reviewFiltersOf, windowOf } from '../../../agency/review-listing.ts';
import type { AgencyReads, ExportFormat } from '../../../agency/agency-reads.ts';
import { moderateReview } from '../../../agency/review-moderation.ts';
import { type TagSuggestion, tagSuggestions } from '../../../agency/tag-suggestions.ts';
import { checkSuspect, type SuspectVerdict } from '../../../agency/suspect-checks.ts';
import {
  AGENCY_AUTH,
  AGENCY_ERRORS,
  type ApiRouteSchema,
  apiRoute,
  errorReply,
  mediaReply,
  STORAGE_UNAVAILABLE,
} from '../../../api-docs.ts';
import { procedureStats, statsJson } from '../../../agency/procedure-stats.ts';
import { EXPORT_RETRY_AFTER_S, exportSlots } from '../../../agency/review-export.ts';
import { HttpError } from '../../../http-errors.ts';
import {
  encodeCursor,
  ExportQuerySchema,
  HideBodySchema,
  AgencyReviewSchema,
  ProcedureParamsSchema,
  ProcedureStatsSchema,
  ReviewsPageSchema,
  ReviewParamsSchema,
  ReviewsQuerySchema,
  StatsQuerySchema,
  SuspectParamsSchema,
  type AgencyReview,
} from '../../../schemas/agency-review-schemas.ts';
import { queryIssueDetails } from '../../../schemas/feed-query-schema.ts';
import { issueDetails } from '../../../schemas/review-schemas.ts';
import type { ReviewFilters, ReviewRecord, Store } from '../../../store/store.ts';

// The agency's own reviews (SPEC §8): indicators without threshold, the reviews with their free
// text, exports, moderation. Every route asks access.ts, and nothing else, who may see the procedure.
// Agency data is private: never kept by a shared cache.
const PRIVATE = 'private, no-store';

interface Options {
  store: Store;
  now: () => Date;
  /** Exports one entity may have under way at once. */
  exportsPerEntity: number;
  reads: AgencyReads;
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw invalidQuery(queryIssueDetails(parsed.error));
  return parsed.data;
}

export function reviewJson(review: ReviewRecord, suggestion: TagSuggestion | null = null): AgencyReview {
  return {
    id: review.id,
    created_at: new Date(review.createdAt).toISOString(),
    day: review.day,
    placement: review.placementId,
    test: review.test,
    lang: review.lang,
    answers: review.answers,
    form_version: review.formVersion,
    comment: review.comment,
    help_other: review.helpOther,
    hidden: review.hidden && { reason: review.hidden.reason, at: new Date(review.hidden.at).toISOString(), by: review.hidden.by },
    pii_suspected: review.piiSuspected,
    // What the span says stays in the store: the space shows it to admins, who check it there.
    suspects: review.suspects.map(({ n, field, category }) => ({ n, field, category })),
    status: review.status,
    tags: review.tags,
    suggested_tag: suggestion && { ...suggestion.tag, precision: suggestion.precision },
    spam: review.spam && { at: new Date(review.spam.at).toISOString(), by: review.spam.by },
    duplicate: review.duplicate,
  };
}

const filterDetails = (filters: ReviewFilters) => ({
  from: filters.from,
  to: filters.to,
  placement: filters.placementId,
  satisfaction: filters.satisfaction,
  has_comment: filters.hasComment,
  q: filters.q,
  status: filters.status ?? null,
  tag: filters.tagId ?? null,
  marked: filters.marked ?? 'hide',
});

// What the OpenAPI document says of each route (api-docs.ts); the handlers validate themselves.
const INVALID_QUERY = errorReply('Un paramètre inconnu, répété ou invalide', ['invalid_query']);
const NOT_FOUND = errorReply('Aucune démarche de ce nom dans vos entités', ['procedure_not_found']);
const EXPORT_BUSY = errorReply(
  'L’entité a déjà autant d’exports en cours que permis (2 par défaut, `EXPORTS_PER_ENTITY`)\u00a0: réessayer après `Retry-After` secondes',
  ['export_busy'],
);
/** An export is a file to save; past the exports under way, `Retry-After` says when to try again. */
const EXPORT_HEADERS = { 200: ['Content-Disposition'], 429: ['Retry-After'] } as const;
const read = (
  summary: string,
  description: string,
  querystring: z.ZodType,
  ok: z.ZodType | ReturnType<typeof mediaReply>,
  limits: Record<number, z.ZodType> = {},
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
    response: { 200: ok, 400: INVALID_QUERY, ...AGENCY_ERRORS, 404: NOT_FOUND, ...limits, 503: STORAGE_UNAVAILABLE },
  });
const FILTERS_DOC =
  'Fenêtre de jours UTC (`from`, `to`, par défaut les 12 derniers mois), emplacement, satisfaction, avec ou sans commentaire, `q`\u00a0: recherche sans accents ni casse dans le texte libre (un texte masqué n’est jamais cherché), `status` (new, seen, handled), `tag` (numéro d’étiquette), et `marked`\u00a0: les avis indésirables et les doublons (signalés ou confirmés) sont écartés par défaut (`hide`), montrés avec les autres (`show`) ou seuls (`only`)\u00a0; ils comptent toujours dans les indicateurs.';
const EXPORT_DOC = `Tous les avis retenus, un par ligne, une colonne par réponse, envoyés au fil de la lecture. ${FILTERS_DOC} Chaque export est inscrit au journal d’audit. Une entité a au plus 2 exports en cours à la fois (\`EXPORTS_PER_ENTITY\`)\u00a0: au-delà, 429 \`export_busy\`, sans rien inscrire.`;
const moderate = (summary: string, body?: z.ZodType) =>
  apiRoute({
    summary,
    description:
      'Réservé aux administrateurs de l’entité. Le texte libre est masqué des listes et des exports\u00a0; les réponses comptent toujours. Inscrit au journal d’audit.',
    tags: ['Administration'],
    security: AGENCY_AUTH,
    params: ReviewParamsSchema,
    ...(body && { body }),
    response: {
      200: AgencyReviewSchema.describe('L’avis, tel que la liste le montre désormais'),
      400: errorReply('Paramètre ou corps invalide', ['invalid_query', 'invalid_body']),
      ...AGENCY_ERRORS,
      404: errorReply('Aucune démarche de ce nom dans vos entités, ou aucun avis de ce numéro pour elle', [
        'procedure_not_found',
        'review_not_found',
      ]),
      503: STORAGE_UNAVAILABLE,
    },
  });

const suspectCheck = (summary: string) =>
  apiRoute({
    summary,
    description:
      'Réservé aux administrateurs de l’entité. Un passage retenu (`suspects[].n`) est confirmé (remplacé pour de bon par le repère de sa catégorie, comme une donnée personnelle sûre) ou libéré (publié tel qu’écrit). Quand aucun ne reste, `pii_suspected` redevient faux. Inscrit au journal d’audit\u00a0; les réponses et les indicateurs ne changent pas.',
    tags: ['Administration'],
    security: AGENCY_AUTH,
    params: SuspectParamsSchema,
    response: {
      200: AgencyReviewSchema.describe('L’avis, tel que la liste le montre désormais'),
      400: errorReply('Paramètre invalide', ['invalid_query']),
      ...AGENCY_ERRORS,
      404: errorReply(
        'Aucune démarche de ce nom dans vos entités, aucun avis de ce numéro pour elle, ou aucun passage retenu de ce numéro',
        ['procedure_not_found', 'review_not_found', 'suspect_not_found'],
      ),
      503: STORAGE_UNAVAILABLE,
    },
  });

export async function agencyReviewRoutes(app: FastifyInstance, { store, now, exportsPerEntity, reads }: Options): Promise<void> {
  const slots = exportSlots(exportsPerEntity);
  /** The procedure named by the path, when the caller may `need` it (404 out of scope, 403 for a reader asking to change). */
  const procedureOf = async (request: FastifyRequest, need: 'read' | 'admin') => {
    const { id } = parse(ProcedureParamsSchema, request.params);
    return requireProcedure(store, request, id, need);
  };

  const statsSchema = read(
    'Les indicateurs d’une démarche, sans seuil de publication',
    'Les mêmes indicateurs que le flux (SPEC §4), publiés quel que soit le nombre d’avis, avec une série par jour, semaine ou mois et le détail par emplacement. Lus dans les cumuls, comme le flux.',
    StatsQuerySchema,
    ProcedureStatsSchema,
  );
  app.get('/api/v1/procedures/:id/stats', { schema: statsSchema }, async (request, reply) => {
    const procedure = await procedureOf(request, 'read');
    const query = parse(StatsQuerySchema, request.query);
    const today = utcDay(now());
    const stats = await procedureStats(
      store,
      procedure,
      { window: windowOf(query, today), placement: query.placement ?? null, interval: query.interval },
      today,
    );
    // Streamed: a long series by day is a megabyte of JSON (procedure-stats.ts).
    return reply
      .header('cache-control', PRIVATE)
      .type('application/json; charset=utf-8')
      .send(Readable.from(statsJson(stats)));
  });

  const pageSchema = read(
    'Les avis d’une démarche, les plus récents d’abord',
    `Une page d’avis avec leurs réponses et leur texte libre, et le curseur de la suivante. ${FILTERS_DOC} Avec des filtres, une page examine au plus 5\u00a0000 avis\u00a0: elle peut en montrer moins que \`limit\` et avoir une suite.`,
    ReviewsQuerySchema,
    ReviewsPageSchema,
  );
  app.get('/api/v1/procedures/:id/reviews', { schema: pageSchema }, async (request, reply) => {
    const procedure = await procedureOf(request, 'read');
    const query = parse(ReviewsQuerySchema, request.query);
    const listing = await reads.list(procedure.id, reviewFiltersOf(query, utcDay(now())), {
      after: query.cursor ?? null,
      limit: query.limit,
    });
    const suggestions = await tagSuggestions(store, procedure.entityId, listing.reviews);
    return reply.header('cache-control', PRIVATE).send({
      reviews: listing.reviews.map((review) => reviewJson(review, suggestions.get(review.id))),
      next_cursor: listing.next && encodeCursor(listing.next),
    });
  });

  const exportRoute = (format: ExportFormat) => async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const procedure = await procedureOf(request, 'read');
    const filters = reviewFiltersOf(parse(ExportQuerySchema, request.query), utcDay(now()));
    let release: () => void;
    try {
      release = slots.take(procedure.entityId);
    } catch (error) {
      reply.header('retry-after', EXPORT_RETRY_AFTER_S);
      throw error;
    }
    try {
      await store.audit.add({
        entityId: procedure.entityId,
        at: now().getTime(),
        actor: actorOf(requireCaller(request)),
        action: 'export',
        target: procedure.id,
        details: { format, ...filterDetails(filters) },
      });
      const body = await reads.exportBody(format, procedure.id, filters);
      // The slot is held until the body is sent, or the client went away (Fastify then destroys it).
      body.once('close', release);
      reply.raw.once('close', release);
      const filename = `avis-${procedure.id}-${filters.from}-${filters.to}${format === 'csv-excel' ? '-excel.csv' : `.${format}`}`;
      reply.header('cache-control', PRIVATE).header('content-disposition', `attachment; filename="${filename}"`);
      return reply
        .type(
          format === 'xlsx'
            ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
            : 'text/csv; charset=utf-8; header=present',
        )
        .send(body);
    } catch (error) {
      release();
      throw error;
    }
  };
  const csvSchema = read(
    'Les avis en CSV',
    `${EXPORT_DOC} UTF-8 avec BOM, virgule, CRLF\u00a0; une cellule qui commencerait par = + - @ est précédée d’une apostrophe.`,
    ExportQuerySchema,
    mediaReply('Les avis en CSV', { 'text/csv': z.string() }),
    { 429: EXPORT_BUSY },
    EXPORT_HEADERS,
  );
  app.get('/api/v1/procedures/:id/reviews.csv', { schema: csvSchema }, exportRoute('csv'));
  const excelSchema = read(
    'Les avis en CSV pour Excel',
    `${EXPORT_DOC} Pour ouvrir d’un double-clic dans Excel en français (format \`csv-excel\`)\u00a0: UTF-8 avec BOM, point-virgule, CRLF, en-têtes de colonnes en français, réponses en toutes lettres («\u00a0Très bien\u00a0», «\u00a0Par téléphone\u00a0», «\u00a0Oui\u00a0»), heures de Paris sous la forme jj/mm/aaaa hh:mm:ss\u00a0; mêmes colonnes, dans le même ordre, que le CSV.`,
    ExportQuerySchema,
    mediaReply('Les avis en CSV pour Excel', { 'text/csv': z.string() }),
    { 429: EXPORT_BUSY },
    EXPORT_HEADERS,
  );
  app.get('/api/v1/procedures/:id/reviews-excel.csv', { schema: excelSchema }, exportRoute('csv-excel'));
  const xlsxSchema = read(
    'Les avis en classeur XLSX',
    EXPORT_DOC,
    ExportQuerySchema,
    mediaReply('Les avis en XLSX (feuille «\u00a0Avis\u00a0»)', {
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': z.string().describe('binaire'),
    }),
    { 429: EXPORT_BUSY },
    EXPORT_HEADERS,
  );
  app.get('/api/v1/procedures/:id/reviews.xlsx', { schema: xlsxSchema }, exportRoute('xlsx'));

  const moderation = (action: 'hide' | 'restore') => async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const params = ReviewParamsSchema.safeParse(request.params);
    if (!params.success) throw invalidQuery(queryIssueDetails(params.error));
    const reasonOf = () => {
      if (action === 'restore') return null;
      const body = HideBodySchema.safeParse(request.body ?? {});
      if (!body.success) throw new HttpError(400, 'invalid_body', 'The body does not match this route.', issueDetails(body.error));
      return body.data.reason;
    };
    // A reader hears "forbidden" before anything about what they sent.
    const procedure = await requireProcedure(store, request, params.data.id, 'admin');
    const review = await moderateReview(store, now, requireCaller(request), {
      procedure,
      reviewId: params.data.reviewId,
      reason: reasonOf(),
    });
    return reply.header('cache-control', PRIVATE).send(reviewJson(review));
  };
  app.post(
    '/api/v1/procedures/:id/reviews/:reviewId/hide',
    { schema: moderate('Masquer le texte libre d’un avis', HideBodySchema) },
    moderation('hide'),
  );
  app.post(
    '/api/v1/procedures/:id/reviews/:reviewId/restore',
    { schema: moderate('Rétablir le texte libre d’un avis') },
    moderation('restore'),
  );

  const suspectRoute = (verdict: SuspectVerdict) => async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const params = SuspectParamsSchema.safeParse(request.params);
    if (!params.success) throw invalidQuery(queryIssueDetails(params.error));
    const { id, reviewId, n } = params.data;
    const review = await checkSuspect(store, now, request, { procedureId: id, reviewId, n, verdict });
    return reply.header('cache-control', PRIVATE).send(reviewJson(review));
  };
  app.post(
    '/api/v1/procedures/:id/reviews/:reviewId/suspects/:n/confirm',
    { schema: suspectCheck('Confirmer un passage retenu\u00a0: le masquer pour de bon') },
    suspectRoute('confirm'),
  );
  app.post(
    '/api/v1/procedures/:id/reviews/:reviewId/suspects/:n/release',
    { schema: suspectCheck('Libérer un passage retenu\u00a0: le publier tel qu’écrit') },
    suspectRoute('release'),
  );
}
