import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { z } from 'zod';
import { DEFAULT_PLACEMENT } from '../../../shared/questionnaire.ts';
import { errorReplyOf, HttpError } from '../../http-errors.ts';
import { clientKeyOf } from '../../client-key.ts';
import type { RatingAdmission } from '../../rating-admission.ts';
import { tooManyRatings, type RatingQuota } from '../../rating-quota.ts';
import type { RefusalCounter } from '../../refusal-counter.ts';
import type { ReviewWrites } from '../../review-writes.ts';
import { FollowUpSavedSchema, FollowUpSchema, HotRatingSchema, issueDetails, ReviewCreatedSchema } from '../../schemas/review-schemas.ts';
import { apiRoute, errorReply, PUBLIC, STORAGE_UNAVAILABLE } from '../../api-docs.ts';

interface Options {
  admission: RatingAdmission;
  refusals: RefusalCounter;
  writes: ReviewWrites;
  quota: RatingQuota;
  /** Options of every hot-rating route: the one shared rate limit (app.ts). */
  hotRatingRoute: RouteShorthandOptions;
  /** Options of every follow-up route: their own rate limit (app.ts). */
  followUpRoute: RouteShorthandOptions;
}

// SPEC §6: the widget posts text/plain (a CORS "simple" request); both are parsed as JSON.
const CONSUMES = ['application/json', 'text/plain'];
const INVALID_BODY = errorReply('Le corps n’est pas du JSON, ou ne respecte pas le schéma (`details` nomme chaque champ en cause)', [
  'invalid_json',
  'invalid_body',
  'bad_request',
]);
const BODY_TOO_LARGE = errorReply('Corps de plus de 16 Kio', ['body_too_large']);
const UNSUPPORTED_MEDIA_TYPE = errorReply('Corps ni application/json ni text/plain', ['unsupported_media_type']);

const RATE_SCHEMA = apiRoute({
  summary: 'Enregistrer une note (la réponse à «\u00a0De façon générale, comment ça s’est passé\u00a0?\u00a0»)',
  description:
    'Une note par clic sur l’un des trois visages. La réponse 201 arrive une fois l’avis enregistré en base\u00a0; elle porte le jeton des réponses facultatives, valable une heure. Une origine que la démarche n’autorise pas est refusée\u00a0; toute réponse d’erreur reste lisible par la page qui a envoyé la requête (CORS).',
  tags: ['Avis'],
  security: PUBLIC,
  consumes: CONSUMES,
  body: HotRatingSchema,
  // Any reply, refusals too, is readable by the page that sent it (CORS, for its origin).
  everyReplyHeaders: ['Access-Control-Allow-Origin', 'Vary'],
  replyHeaders: { 429: ['Retry-After'] },
  response: {
    201: ReviewCreatedSchema,
    400: INVALID_BODY,
    403: errorReply('La page n’est pas d’une origine de la démarche', ['origin_not_allowed']),
    404: errorReply('Démarche, emplacement ou version du formulaire inconnus', [
      'unknown_procedure',
      'unknown_placement',
      'unknown_form_version',
    ]),
    410: errorReply('Démarche archivée', ['procedure_archived']),
    413: BODY_TOO_LARGE,
    415: UNSUPPORTED_MEDIA_TYPE,
    429: errorReply('Trop de requêtes à la minute, ou trop de notes de cette démarche aujourd’hui (en-tête Retry-After)', [
      'rate_limited',
      'too_many_ratings',
    ]),
    503: STORAGE_UNAVAILABLE,
  },
});

const FOLLOW_UP_SCHEMA = apiRoute({
  summary: 'Ajouter les réponses facultatives à une note',
  description:
    'Dans l’heure qui suit la note, avec son jeton. Chaque envoi remplace les réponses précédentes. Des réponses incohérentes (une aide atteinte qui n’a pas été cherchée, «\u00a0none\u00a0» avec un autre canal…) sont une erreur 400, jamais ignorées.',
  tags: ['Avis'],
  security: PUBLIC,
  consumes: CONSUMES,
  // Documentation only: the handler looks the id up, and an id that names no review is a 404.
  params: z.strictObject({ id: z.string().describe('l’identifiant renvoyé par POST /api/v1/reviews') }),
  body: FollowUpSchema,
  everyReplyHeaders: ['Access-Control-Allow-Origin', 'Vary'],
  replyHeaders: { 429: ['Retry-After'] },
  response: {
    200: FollowUpSavedSchema,
    400: INVALID_BODY,
    403: errorReply('Origine non autorisée, ou jeton qui ne correspond pas à l’avis', ['origin_not_allowed', 'invalid_token']),
    404: errorReply('Aucun avis n’a cet identifiant', ['unknown_review']),
    410: errorReply('L’heure des réponses est passée', ['follow_up_expired']),
    413: BODY_TOO_LARGE,
    415: UNSUPPORTED_MEDIA_TYPE,
    429: errorReply('Trop de requêtes à la minute', ['rate_limited']),
    503: STORAGE_UNAVAILABLE,
  },
});

const REFUSALS = {
  invalid_token: () => new HttpError(403, 'invalid_token', 'This token does not match the review.'),
  follow_up_expired: () => new HttpError(410, 'follow_up_expired', 'Follow-up answers are accepted for one hour after the rating.'),
};

/**
 * The procedure of the review a follow-up names, once the handler has found it: a refusal that comes
 * after (token, time, origin) is counted under it without reading the review a second time.
 */
const followedUpProcedure = new WeakMap<FastifyRequest, string>();

const allowCors = (reply: FastifyReply, origin: string) => reply.header('access-control-allow-origin', origin).header('vary', 'Origin');

export async function reviewRoutes(
  app: FastifyInstance,
  { admission, refusals, writes, quota, hotRatingRoute, followUpRoute }: Options,
): Promise<void> {
  // Every refusal is readable by the page that sent it, whatever its origin: a reply the browser
  // hides looks like a network failure, and the widget would then queue for ever a rating that can
  // never be delivered, and tell nobody. Error bodies hold nothing private. Each refusal is also
  // counted, per procedure, reason and origin, for the agency to see (jdma procedure show).
  app.addHook('onError', async (request, reply, error) => {
    const origin = request.headers.origin;
    if (origin !== undefined && !reply.hasHeader('access-control-allow-origin')) allowCors(reply, origin);
    const { status, code } = errorReplyOf(error as FastifyError);
    if (status >= 500) return;
    const reviewId = (request.params as { id?: string } | undefined)?.id;
    const body = request.body as { procedure?: unknown; placement?: unknown } | undefined;
    if (reviewId === undefined) {
      refusals.count({ procedureId: body?.procedure, reason: code, origin, placementId: body?.placement ?? DEFAULT_PLACEMENT });
      return;
    }
    // Refused before the handler ran (rate limit, body): the review is looked up for its procedure.
    const procedureId = followedUpProcedure.get(request) ?? (await writes.find(reviewId))?.procedureId;
    refusals.count({ procedureId, reason: code, origin, placementId: '' });
  });

  // Preflight, for agencies' own scripts that post application/json (the widget's text/plain needs
  // none). It carries no body, hence no procedure: every origin is answered, and the POST itself
  // is then admitted or refused, readably.
  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (typeof origin === 'string') {
      allowCors(reply, origin)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '86400');
    }
    return reply.header('vary', 'Origin').code(204).send();
  };
  app.options('/api/v1/reviews', preflight);
  app.options('/api/v1/reviews/:id', preflight);

  app.post('/api/v1/reviews', { ...hotRatingRoute, schema: RATE_SCHEMA }, async (request, reply) => {
    const rating = parse(HotRatingSchema, request.body);
    const { procedure: procedureId, placement: placementId = DEFAULT_PLACEMENT } = rating;
    const origin = request.headers.origin;
    const refusal = await admission.refusal(procedureId, placementId, origin);
    if (refusal) throw new HttpError(refusal.status, refusal.code, refusal.message);
    const formVersion = rating.form_version ?? null;
    if (formVersion !== null && !(await writes.formVersionKnown(procedureId, formVersion))) {
      throw new HttpError(404, 'unknown_form_version', `The procedure never published form version ${formVersion}.`);
    }
    if (origin !== undefined) allowCors(reply, origin);
    const client = clientKeyOf(request);
    if (!quota.claim(client, procedureId)) {
      const { error, retryAfter } = tooManyRatings(quota, procedureId);
      reply.header('retry-after', retryAfter);
      throw error;
    }
    // Resolves once the batch holding this rating has committed: the reply always follows the commit.
    try {
      const created = await writes.rate(
        { procedureId, placementId, satisfaction: rating.satisfaction, lang: rating.lang ?? 'fr', formVersion },
        'api',
      );
      return reply.code(201).send(created);
    } catch (error) {
      quota.release(client, procedureId); // not stored: it does not count
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>('/api/v1/reviews/:id', { ...followUpRoute, schema: FOLLOW_UP_SCHEMA }, async (request, reply) => {
    const followUp = parse(FollowUpSchema, request.body);
    const review = await writes.find(request.params.id);
    if (!review) throw new HttpError(404, 'unknown_review', 'No review has this id.');
    followedUpProcedure.set(request, review.procedureId);
    const origin = request.headers.origin;
    const wrongOrigin = await admission.originRefusal(review.procedureId, origin);
    if (wrongOrigin) throw new HttpError(wrongOrigin.status, wrongOrigin.code, wrongOrigin.message);
    if (origin !== undefined) allowCors(reply, origin);
    const refusal = writes.followUpRefusal(review, followUp.token);
    if (refusal) throw REFUSALS[refusal]();
    await writes.replaceFollowUps(review, followUp.answers);
    return reply.code(200).send({ id: review.id });
  });
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new HttpError(400, 'invalid_body', 'The request body does not match the API.', issueDetails(result.error));
  }
  return result.data;
}
