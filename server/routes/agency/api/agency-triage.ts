// Comment triage in the agency API (SPEC §8): one change of a review per request, for any member
// of its entity; the entity's tags, listed for its members and keys, changed by its admins. The
// rules and the audit are review-triage.ts's, shared with the space's comments page.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireCaller } from '../../../agency/access.ts';
import { changeTag, entityTags, triageReview } from '../../../agency/review-triage.ts';
import { agencyRoute, ENTITY_NOT_FOUND, FORBIDDEN, INVALID_BODY } from '../../../agency/route-docs.ts';
import { errorReply, noBody } from '../../../api-docs.ts';
import { AgencyReviewSchema, ReviewParamsSchema } from '../../../schemas/agency-review-schemas.ts';
import { EntityParamsSchema, parseRequest } from '../../../schemas/agency-schemas.ts';
import { TagBodySchema, TagListSchema, TagParamsSchema, TagSchema, TriageBodySchema } from '../../../schemas/triage-schemas.ts';
import type { Store, Tag } from '../../../store/store.ts';
import { reviewJson } from './agency-reviews.ts';

interface Options {
  store: Store;
  now: () => Date;
}

const PRIVATE = 'private, no-store';
const TAGS = ['Tri'] as const;
const TAG_NOT_FOUND = errorReply('Entité invisible, ou aucune étiquette de ce numéro pour elle', [
  'entity_not_found',
  'not_found',
  'tag_not_found',
]);
const TAG_EXISTS = errorReply('L’entité a déjà une étiquette de ce nom', ['tag_exists']);
const tagReply = (tag: Tag) => ({ id: tag.id, name: tag.name, reviews: tag.reviews });

const DOCS = {
  triage: agencyRoute({
    summary: 'Trier un avis\u00a0: statut, indésirable, doublon, étiquette',
    description:
      'Ouvert à tout membre de l’entité (une clé d’API ne fait que lire). Un seul changement par requête\u00a0; un changement qui ne change rien n’est pas inscrit au journal d’audit. Les réponses et les indicateurs ne changent jamais\u00a0: un avis indésirable ou en doublon compte toujours.',
    tags: TAGS,
    params: ReviewParamsSchema,
    body: TriageBodySchema,
    response: {
      200: AgencyReviewSchema.describe('L’avis, tel que la liste le montre désormais'),
      400: INVALID_BODY,
      403: errorReply('Une clé d’API ne fait que lire\u00a0; une requête par session sans son jeton CSRF est refusée', [
        'forbidden',
        'csrf_invalid',
      ]),
      404: errorReply('Aucune démarche de ce nom dans vos entités, aucun avis de ce numéro pour elle, ou aucune étiquette de ce numéro', [
        'procedure_not_found',
        'not_found',
        'review_not_found',
        'tag_not_found',
      ]),
      409: errorReply('Confirmer ou écarter un doublon\u00a0: l’avis n’est pas signalé comme doublon', ['not_duplicate']),
    },
  }),
  tags: agencyRoute({
    summary: 'Les étiquettes d’une entité',
    tags: TAGS,
    params: EntityParamsSchema,
    response: { 200: TagListSchema, 404: ENTITY_NOT_FOUND },
  }),
  createTag: agencyRoute({
    summary: 'Créer une étiquette (administrateur)',
    tags: TAGS,
    params: EntityParamsSchema,
    body: TagBodySchema,
    response: { 201: TagSchema, 400: INVALID_BODY, 403: FORBIDDEN, 404: ENTITY_NOT_FOUND, 409: TAG_EXISTS },
  }),
  renameTag: agencyRoute({
    summary: 'Renommer une étiquette (administrateur)',
    description: 'Les avis qui la portent la gardent sous son nouveau nom.',
    tags: TAGS,
    params: TagParamsSchema,
    body: TagBodySchema,
    response: { 200: TagSchema, 400: INVALID_BODY, 403: FORBIDDEN, 404: TAG_NOT_FOUND, 409: TAG_EXISTS },
  }),
  deleteTag: agencyRoute({
    summary: 'Supprimer une étiquette (administrateur)',
    description: 'Elle est retirée de tous les avis qui la portaient.',
    tags: TAGS,
    params: TagParamsSchema,
    response: { 204: noBody('Supprimée'), 403: FORBIDDEN, 404: TAG_NOT_FOUND },
  }),
};

export async function agencyTriageRoutes(app: FastifyInstance, { store, now }: Options): Promise<void> {
  /** 401 before anything about the request is said. */
  const paramsOf = <T>(request: FastifyRequest, parse: () => T): T => {
    requireCaller(request);
    return parse();
  };

  app.post('/api/v1/procedures/:id/reviews/:reviewId/triage', { schema: DOCS.triage }, async (request, reply) => {
    const params = paramsOf(request, () => parseRequest(ReviewParamsSchema, request.params, 'params'));
    const change = parseRequest(TriageBodySchema, request.body, 'body');
    const review = await triageReview(store, now, request, { procedureId: params.id, reviewId: params.reviewId, change });
    return reply.header('cache-control', PRIVATE).send(reviewJson(review));
  });

  app.get('/api/v1/entities/:entity/tags', { schema: DOCS.tags }, async (request, reply) => {
    const { entity } = paramsOf(request, () => parseRequest(EntityParamsSchema, request.params, 'params'));
    return reply.header('cache-control', PRIVATE).send({ tags: (await entityTags(store, request, entity)).map(tagReply) });
  });

  app.post('/api/v1/entities/:entity/tags', { schema: DOCS.createTag }, async (request, reply) => {
    const { entity } = paramsOf(request, () => parseRequest(EntityParamsSchema, request.params, 'params'));
    const { name } = parseRequest(TagBodySchema, request.body, 'body');
    const tag = await changeTag(store, now, request, entity, { create: name });
    return reply.code(201).send(tagReply(tag!));
  });

  app.patch('/api/v1/entities/:entity/tags/:tagId', { schema: DOCS.renameTag }, async (request) => {
    const { entity, tagId } = paramsOf(request, () => parseRequest(TagParamsSchema, request.params, 'params'));
    const { name } = parseRequest(TagBodySchema, request.body, 'body');
    return tagReply((await changeTag(store, now, request, entity, { rename: tagId, name }))!);
  });

  app.delete('/api/v1/entities/:entity/tags/:tagId', { schema: DOCS.deleteTag }, async (request, reply) => {
    const { entity, tagId } = paramsOf(request, () => parseRequest(TagParamsSchema, request.params, 'params'));
    await changeTag(store, now, request, entity, { remove: tagId });
    return reply.code(204).send();
  });
}
