// Hiding a review's free text, and restoring it (SPEC §8), for the API and the space's comments page
// alike: an admin of the procedure's entity only, the review must be the procedure's, and a change
// goes to the audit log. The answers keep counting: only the text leaves lists, search and exports.
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http-errors.ts';
import type { ReviewRecord, Store } from '../store/store.ts';
import { actorOf, requireCaller, requireProcedure } from './access.ts';

/**
 * A reason hides the text; null restores it. `reasonOf` is asked once access is granted, so that a
 * reader hears "forbidden" before anything about what they sent. Hiding what is hidden (or restoring
 * what is shown) changes nothing and is not audited.
 */
export async function moderateReview(
  store: Store,
  now: () => Date,
  request: FastifyRequest,
  { procedureId, reviewId, reasonOf }: { procedureId: string; reviewId: number; reasonOf: () => string | null },
): Promise<ReviewRecord> {
  const procedure = await requireProcedure(store, request, procedureId, 'admin');
  const reason = reasonOf();
  const actor = actorOf(requireCaller(request));
  const at = now();
  const result = await store.reviews.setHidden(procedure.id, reviewId, reason === null ? null : { reason, by: actor, at });
  if (!result) throw new HttpError(404, 'review_not_found', `Procedure "${procedure.id}" has no review ${reviewId}.`);
  if (result.changed) {
    await store.audit.add({
      entityId: procedure.entityId,
      at: at.getTime(),
      actor,
      action: reason === null ? 'review_restored' : 'review_hidden',
      target: String(reviewId),
      details: reason === null ? { procedure: procedure.id } : { procedure: procedure.id, reason },
    });
  }
  return result.review;
}
