// POST /api/v1/problem-reports: the problem form's one write (SPEC §3 "Signaler un problème"),
// admitted exactly as a hot rating is (procedure, placement, origin, rate limit, daily quota), and
// stored apart from reviews, so that no indicator ever counts a report.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { DEFAULT_PLACEMENT } from '../../../shared/questionnaire.ts';
import { apiRoute, errorReply, PUBLIC, STORAGE_UNAVAILABLE } from '../../api-docs.ts';
import { clientKeyOf } from '../../client-key.ts';
import { errorReplyOf, HttpError } from '../../http-errors.ts';
import type { ProblemReportWrites } from '../../problem-report-writes.ts';
import type { RatingAdmission } from '../../rating-admission.ts';
import { tooManyRatings, type RatingQuota } from '../../rating-quota.ts';
import type { RefusalCounter } from '../../refusal-counter.ts';
import { ProblemReportCreatedSchema, ProblemReportSchema } from '../../schemas/problem-report-schemas.ts';
import { issueDetails } from '../../schemas/review-schemas.ts';
import type { Store } from '../../store/store.ts';

interface Options {
  store: Store;
  admission: RatingAdmission;
  refusals: RefusalCounter;
  reports: ProblemReportWrites;
  quota: RatingQuota;
  /** Options of every hot-rating route: the one shared rate limit (app.ts). */
  hotRatingRoute: RouteShorthandOptions;
}

const schema = apiRoute({
  summary: 'Signaler un problème (un problème technique, sa situation personnelle, une suggestion)',
  description:
    'Le second formulaire\u00a0: `kind` est `technical`, `own_situation` ou `suggestion`. Un problème technique et une suggestion portent un texte (3\u00a0000 caractères au plus), dont les données personnelles sont remplacées avant l’enregistrement\u00a0; «\u00a0ma situation personnelle\u00a0» n’en porte aucun\u00a0: la réponse donne alors la page de contact de la démarche (`contact_url`). Les signalements ne sont jamais comptés dans la satisfaction. Mêmes règles d’admission qu’une note (origine, limite par minute, quota quotidien).',
  tags: ['Avis'],
  security: PUBLIC,
  consumes: ['application/json', 'text/plain'],
  body: ProblemReportSchema,
  everyReplyHeaders: ['Access-Control-Allow-Origin', 'Vary'],
  replyHeaders: { 429: ['Retry-After'] },
  response: {
    201: ProblemReportCreatedSchema,
    400: errorReply('Le corps n’est pas du JSON, ou ne respecte pas le schéma (`details` nomme chaque champ en cause)', [
      'invalid_json',
      'invalid_body',
      'bad_request',
    ]),
    403: errorReply('La page n’est pas d’une origine de la démarche', ['origin_not_allowed']),
    404: errorReply('Démarche ou emplacement inconnus', ['unknown_procedure', 'unknown_placement']),
    410: errorReply('Démarche archivée', ['procedure_archived']),
    413: errorReply('Corps de plus de 16 Kio', ['body_too_large']),
    415: errorReply('Corps ni application/json ni text/plain', ['unsupported_media_type']),
    429: errorReply('Trop de requêtes à la minute, ou trop d’envois de ce client pour cette démarche aujourd’hui (en-tête Retry-After)', [
      'rate_limited',
      'too_many_ratings',
    ]),
    503: STORAGE_UNAVAILABLE,
  },
});

const allowCors = (reply: FastifyReply, origin: string) => reply.header('access-control-allow-origin', origin).header('vary', 'Origin');

export async function problemReportRoutes(
  app: FastifyInstance,
  { store, admission, refusals, reports, quota, hotRatingRoute }: Options,
): Promise<void> {
  // As for ratings (reviews.ts): every refusal stays readable by the page that sent it, and is
  // counted for the agency's integration health.
  app.addHook('onError', async (request, reply, error) => {
    const origin = request.headers.origin;
    if (origin !== undefined && !reply.hasHeader('access-control-allow-origin')) allowCors(reply, origin);
    const { status, code } = errorReplyOf(error as FastifyError);
    if (status >= 500) return;
    const body = request.body as { procedure?: unknown; placement?: unknown } | undefined;
    refusals.count({ procedureId: body?.procedure, reason: code, origin, placementId: body?.placement ?? DEFAULT_PLACEMENT });
  });

  app.options('/api/v1/problem-reports', async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (typeof origin === 'string') {
      allowCors(reply, origin)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '86400');
    }
    return reply.header('vary', 'Origin').code(204).send();
  });

  app.post('/api/v1/problem-reports', { ...hotRatingRoute, schema }, async (request, reply) => {
    const parsed = ProblemReportSchema.safeParse(request.body);
    if (!parsed.success) throw new HttpError(400, 'invalid_body', 'The request body does not match the API.', issueDetails(parsed.error));
    const body = parsed.data;
    const placementId = body.placement ?? DEFAULT_PLACEMENT;
    const origin = request.headers.origin;
    const refusal = await admission.refusal(body.procedure, placementId, origin);
    if (refusal) throw new HttpError(refusal.status, refusal.code, refusal.message);
    if (origin !== undefined) allowCors(reply, origin);
    const client = clientKeyOf(request);
    if (!quota.claim(client, body.procedure)) {
      const { error, retryAfter } = tooManyRatings(quota, body.procedure);
      reply.header('retry-after', retryAfter);
      throw error;
    }
    try {
      const id = await reports.report({
        procedureId: body.procedure,
        placementId,
        kind: body.kind,
        text: body.text ?? null,
        lang: body.lang ?? 'fr',
      });
      const contactUrl = body.kind === 'own_situation' ? await store.problemReports.contactUrl(body.procedure) : null;
      return reply.code(201).send({ id, contact_url: contactUrl });
    } catch (error) {
      quota.release(client, body.procedure); // not stored: it does not count
      throw error;
    }
  });
}
