import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { z } from 'zod';
import { DEFAULT_PLACEMENT, type ReviewCreated } from '../../shared/questionnaire.ts';
import type { Config } from '../config.ts';
import { HttpError } from '../http-errors.ts';
import { clientKey } from '../client-key.ts';
import { hashReviewToken, newReviewToken, reviewTokenMatches } from '../review-token.ts';
import { FollowUpSchema, HotRatingSchema, issueDetails } from '../schemas/review-schemas.ts';
import { groupCommit } from '../store/group-commit.ts';
import type { Store } from '../store/open-store.ts';

/** SPEC §6: follow-ups are accepted for one hour after the hot rating. */
export const FOLLOW_UP_WINDOW_MS = 60 * 60 * 1000;

interface Options {
  config: Config;
  store: Store;
  now: () => Date;
}

export async function reviewRoutes(app: FastifyInstance, { config, store, now }: Options): Promise<void> {
  const ownOrigin = new URL(config.publicUrl).origin;
  const createReview = groupCommit(store.db, store.reviews.create);

  if (config.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      global: false,
      // SPEC §7: clients are told apart by a keyed hash whose salt rotates daily, never by their raw address.
      keyGenerator: (request) => clientKey(request.ip),
    });
  }

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
    reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  };

  // An error about a procedure that allows this origin carries the CORS header too, so the widget
  // can read it and knows not to retry a 4xx (issue 3); other origins learn nothing (issue 2).
  app.addHook('onError', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || reply.hasHeader('access-control-allow-origin')) return;
    const params = request.params as { id?: string };
    const body = request.body as { procedure?: unknown } | undefined;
    const procedureId = params.id !== undefined ? reviewOf(params.id)?.procedureId : body?.procedure;
    if (typeof procedureId === 'string' && (origin === ownOrigin || store.procedures.isOriginAllowed(procedureId, origin))) {
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    }
  });

  // Preflight, for agencies' own scripts that post application/json (the widget's text/plain needs
  // none). It carries no body, hence no procedure: an origin that some procedure allows is answered.
  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (typeof origin === 'string' && (origin === ownOrigin || store.procedures.isOriginKnown(origin))) {
      reply
        .header('access-control-allow-origin', origin)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '86400');
    }
    return reply.header('vary', 'Origin').code(204).send();
  };
  app.options('/api/v1/reviews', preflight);
  app.options('/api/v1/reviews/:id', preflight);

  const reviewOf = (id: string) => (/^[1-9][0-9]{0,15}$/.test(id) ? store.reviews.findKey(Number(id)) : undefined);

  app.post(
    '/api/v1/reviews',
    { config: { rateLimit: { max: config.rateLimitPerMinute, timeWindow: 60_000 } } },
    async (request, reply) => {
      const rating = parse(HotRatingSchema, request.body);
      const procedure = rating.procedure;
      if (!store.procedures.exists(procedure)) {
        throw new HttpError(404, 'unknown_procedure', `No procedure is registered as "${procedure}".`);
      }
      admitOrigin(request, reply, procedure);
      const placement = rating.placement ?? DEFAULT_PLACEMENT;
      if (!store.procedures.hasPlacement(procedure, placement)) {
        throw new HttpError(404, 'unknown_placement', `Procedure "${procedure}" has no placement "${placement}".`);
      }
      const token = newReviewToken();
      const createdAt = now();
      // Resolves once the batch holding this rating has committed: the reply always follows the commit.
      const id = await createReview({
        procedureId: procedure,
        placementId: placement,
        satisfaction: rating.satisfaction,
        lang: rating.lang ?? 'fr',
        tokenHash: hashReviewToken(token),
        createdAt,
      });
      const body: ReviewCreated = {
        id,
        token,
        expires_at: new Date(createdAt.getTime() + FOLLOW_UP_WINDOW_MS).toISOString(),
      };
      return reply.code(201).send(body);
    },
  );

  app.post<{ Params: { id: string } }>('/api/v1/reviews/:id', async (request, reply) => {
    const followUp = parse(FollowUpSchema, request.body);
    const review = reviewOf(request.params.id);
    if (!review) throw new HttpError(404, 'unknown_review', 'No review has this id.');
    admitOrigin(request, reply, review.procedureId);
    if (!reviewTokenMatches(followUp.token, review.tokenHash)) {
      throw new HttpError(403, 'invalid_token', 'This token does not match the review.');
    }
    const at = now();
    if (at.getTime() - review.createdAt > FOLLOW_UP_WINDOW_MS) {
      throw new HttpError(410, 'follow_up_expired', 'Follow-up answers are accepted for one hour after the rating.');
    }
    store.reviews.replaceFollowUps(review.id, followUp.answers, at);
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
