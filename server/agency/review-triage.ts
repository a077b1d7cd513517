// Comment triage (SPEC §8), for the API and the space's comments page alike: any member of the
// procedure's entity sets a review's status, marks it spam, confirms or clears a flagged duplicate,
// sets or unsets a tag; the entity's admins create, rename and delete its tags. Every change goes to
// the audit log; none touches answers, counts or indicators. API keys read only.
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http-errors.ts';
import type { ReviewRecord, Store, Tag, TriageChange, TriageStatus } from '../store/store.ts';
import { actorOf, requireCaller, requireEntity, requireProcedure } from './access.ts';

/** What a member asks for: one change at a time, as the space's forms and the API send it. */
export type TriageRequest =
  | { status: TriageStatus }
  | { spam: boolean }
  | { duplicate: 'confirmed' | 'cleared' }
  | { tag: number; on: boolean };

const reviewNotFound = (procedureId: string, reviewId: number) =>
  new HttpError(404, 'review_not_found', `Procedure "${procedureId}" has no review ${reviewId}.`);
const tagNotFound = (tagId: number) => new HttpError(404, 'tag_not_found', `This entity has no tag ${tagId}.`);

/**
 * Applies one triage change: 403 for an API key, 404 for a review or tag not the procedure's, 409
 * `not_duplicate` for a verdict on a review nothing flagged. A change that changes nothing is not audited.
 */
export async function triageReview(
  store: Store,
  now: () => Date,
  request: FastifyRequest,
  { procedureId, reviewId, change }: { procedureId: string; reviewId: number; change: TriageRequest },
): Promise<ReviewRecord> {
  const procedure = await requireProcedure(store, request, procedureId, 'read');
  const caller = requireCaller(request);
  if (caller.kind === 'key') throw new HttpError(403, 'forbidden', 'API keys are read-only.');
  const actor = actorOf(caller);
  const at = now().getTime();
  let stored: TriageChange;
  let action: string;
  const details: Record<string, unknown> = { procedure: procedure.id };
  if ('status' in change) {
    stored = change;
    action = 'review_status';
    details.status = change.status;
  } else if ('spam' in change) {
    stored = { spam: change.spam ? { by: actor, at } : null };
    action = change.spam ? 'review_spam' : 'review_not_spam';
  } else if ('duplicate' in change) {
    stored = change;
    action = change.duplicate === 'confirmed' ? 'duplicate_confirmed' : 'duplicate_cleared';
  } else {
    const tag = (await store.tags.list(procedure.entityId)).find((candidate) => candidate.id === change.tag);
    if (!tag) throw tagNotFound(change.tag);
    stored = { tagId: tag.id, on: change.on };
    action = change.on ? 'review_tagged' : 'review_untagged';
    details.tag = tag.name;
  }
  const result = await store.reviews.triage(procedure.id, reviewId, stored);
  if (!result) throw reviewNotFound(procedure.id, reviewId);
  if ('duplicate' in change && result.review.duplicate === null) {
    throw new HttpError(409, 'not_duplicate', `Review ${reviewId} is not flagged as a duplicate.`);
  }
  if (result.changed) {
    if ('duplicate' in change) details.of = result.review.duplicate?.of;
    await store.audit.add({ entityId: procedure.entityId, at, actor, action, target: String(reviewId), details });
  }
  return result.review;
}

/** An entity's tags, for any member or key of it. */
export async function entityTags(store: Store, request: FastifyRequest, entityId: string): Promise<Tag[]> {
  requireEntity(request, entityId, 'read');
  return store.tags.list(entityId);
}

export type TagChange = { create: string } | { rename: number; name: string } | { remove: number };

/** Creates, renames or deletes a tag (admins): 409 `tag_exists` for a name the entity has, 404 `tag_not_found`. */
export async function changeTag(
  store: Store,
  now: () => Date,
  request: FastifyRequest,
  entityId: string,
  change: TagChange,
): Promise<Tag | undefined> {
  const caller = requireEntity(request, entityId, 'admin');
  const at = now().getTime();
  const audit = (action: string, target: string, details: Record<string, unknown> = {}) =>
    store.audit.add({ entityId, at, actor: actorOf(caller), action, target, details });
  const exists = (name: string) => new HttpError(409, 'tag_exists', `This entity already has a tag "${name}".`);
  if ('create' in change) {
    const tag = await store.tags.add(entityId, change.create, at);
    if (!tag) throw exists(change.create);
    await audit('tag_created', tag.name);
    return tag;
  }
  const tag = (await store.tags.list(entityId)).find((candidate) => candidate.id === ('rename' in change ? change.rename : change.remove));
  if (!tag) throw tagNotFound('rename' in change ? change.rename : change.remove);
  if ('remove' in change) {
    if (!(await store.tags.remove(entityId, tag.id))) throw tagNotFound(tag.id);
    await audit('tag_deleted', tag.name, { reviews: tag.reviews });
    return undefined;
  }
  if (tag.name === change.name) return tag;
  const outcome = await store.tags.rename(entityId, tag.id, change.name);
  if (outcome === 'taken') throw exists(change.name);
  if (outcome === 'missing') throw tagNotFound(tag.id);
  await audit('tag_renamed', change.name, { previous: tag.name });
  return { ...tag, name: change.name };
}
