import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { z } from 'zod';
import { DEFAULT_PLACEMENT } from '../../shared/questionnaire.ts';
import type { Config } from '../config.ts';
import { HttpError } from '../http-errors.ts';
import type { ReviewWrites } from '../review-writes.ts';
import { FollowUpSchema, HotRatingSchema, issueDetails } from '../schemas/review-schemas.ts';
import type { Store } from '../store/open-store.ts';

interface Options {
  config: Config;
  store: Store;
  writes: ReviewWrites;
  /** Options of every hot-rating route: the one shared rate limit (app.ts). */
  hotRatingRoute: RouteShorthandOptions;
}

const REFUSALS = {
  invalid_token: () => new HttpError(403, 'invalid_token', 'This token does not match the review.'),
  follow_up_expired: () => new HttpError(410, 'follow_up_expired', 'Follow-up answers are accepted for one hour after the rating.'),
};

export async function reviewRoutes(app: FastifyInstance, { config, store, writes, hotRatingRoute }: Options): Promise<void> {
  const ownOrigin = new URL(config.publicUrl).origin;
  const allowCors = (reply: FastifyReply, origin: string) =>
    reply.header('access-control-allow-origin', origin).header('vary', 'Origin');

  /**
   * SPEC §5/§6: a browser may post only from an origin the procedure allows (or from the collector's
   * own pages). A request without Origin is not a browser's cross-site request and is let through.
   */
  const admitOrigin = (request: FastifyRequest, reply: FastifyReply, procedureId: string): void => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (origin !== ownOrigin && !store.procedures.isOriginAllowed(procedureId, origin)) {
      throw new HttpError(403, 'origin_not_allowed', `This procedure does not accept reviews from ${origin}.`);
    }
    allowCors(reply, origin);
  };

  // An error readable by the widget is one it knows not to retry (issue 3: a 4xx is final). So an
  // error carries the CORS header when the origin is allowed for the procedure the request names,
  // or, when the request names none that can be read (429, 413, 415, bad JSON), when the origin
  // is one some procedure allows, as for a preflight. Other origins learn nothing (issue 2).
  app.addHook('onError', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || reply.hasHeader('access-control-allow-origin')) return;
    const params = request.params as { id?: string } | undefined;
    const body = request.body as { procedure?: unknown } | undefined;
    const procedureId = params?.id !== undefined ? writes.find(params.id)?.procedureId : body?.procedure;
    const allowed =
      origin === ownOrigin ||
      (typeof procedureId === 'string'
        ? store.procedures.isOriginAllowed(procedureId, origin)
        : store.procedures.isOriginKnown(origin));
    if (allowed) allowCors(reply, origin);
  });

  // Preflight, for agencies' own scripts that post application/json (the widget's text/plain needs
  // none). It carries no body, hence no procedure: an origin that some procedure allows is answered.
  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (typeof origin === 'string' && (origin === ownOrigin || store.procedures.isOriginKnown(origin))) {
      allowCors(reply, origin)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '86400');
    }
    return reply.header('vary', 'Origin').code(204).send();
  };
  app.options('/api/v1/reviews', preflight);
  app.options('/api/v1/reviews/:id', preflight);

  app.post('/api/v1/reviews', hotRatingRoute, async (request, reply) => {
    const rating = parse(HotRatingSchema, request.body);
    const procedureId = rating.procedure;
    if (!store.procedures.exists(procedureId)) {
      throw new HttpError(404, 'unknown_procedure', `No procedure is registered as "${procedureId}".`);
    }
    admitOrigin(request, reply, procedureId);
    const placementId = rating.placement ?? DEFAULT_PLACEMENT;
    if (!store.procedures.hasPlacement(procedureId, placementId)) {
      throw new HttpError(404, 'unknown_placement', `Procedure "${procedureId}" has no placement "${placementId}".`);
    }
    // Resolves once the batch holding this rating has committed: the reply always follows the commit.
    const created = await writes.rate({ procedureId, placementId, satisfaction: rating.satisfaction, lang: rating.lang ?? 'fr' });
    return reply.code(201).send(created);
  });

  app.post<{ Params: { id: string } }>('/api/v1/reviews/:id', async (request, reply) => {
    const followUp = parse(FollowUpSchema, request.body);
    const review = writes.find(request.params.id);
    if (!review) throw new HttpError(404, 'unknown_review', 'No review has this id.');
    admitOrigin(request, reply, review.procedureId);
    const refusal = writes.followUpRefusal(review, followUp.token);
    if (refusal) throw REFUSALS[refusal]();
    writes.replaceFollowUps(review, followUp.answers);
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
