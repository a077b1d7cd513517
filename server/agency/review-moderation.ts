// Hiding a review's free text, and restoring it (SPEC §8), for the API, the space's comments page
// and the command line alike: the caller has been checked as an admin of the procedure's entity,
// the review must be the procedure's, and a change goes to the audit log. The answers keep
// counting: only the text leaves lists, search and exports.
import { HttpError } from '../http-errors.ts';
import type { Procedure, ReviewRecord, Store } from '../store/store.ts';
import { type Actor, actorOf } from './access.ts';

/**
 * A reason hides the text; null restores it. Hiding what is hidden (or restoring what is shown)
 * changes nothing and is not audited.
 */
export async function moderateReview(
  store: Store,
  now: () => Date,
  actor: Actor,
  { procedure, reviewId, reason }: { procedure: Procedure; reviewId: number; reason: string | null },
): Promise<ReviewRecord> {
  const by = actorOf(actor);
  const at = now();
  const result = await store.reviews.setHidden(procedure.id, reviewId, reason === null ? null : { reason, by, at });
  if (!result) throw new HttpError(404, 'review_not_found', `Procedure "${procedure.id}" has no review ${reviewId}.`);
  if (result.changed) {
    await store.audit.add({
      entityId: procedure.entityId,
      at: at.getTime(),
      actor: by,
      action: reason === null ? 'review_restored' : 'review_hidden',
      target: String(reviewId),
      details: reason === null ? { procedure: procedure.id } : { procedure: procedure.id, reason },
    });
  }
  return result.review;
}
