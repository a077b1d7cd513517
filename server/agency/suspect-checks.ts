// Checking a held-back span of free text (SPEC §8), for the API and the space's comments page alike:
// an admin of the procedure's entity confirms it (it is personal data: replaced for good by its
// category's placeholder, as a sure item is on write) or releases it (it is not: published as
// written). Either way the span is held no more, and the check goes to the audit log. Answers,
// counts and indicators are never touched.
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http-errors.ts';
import { placeholderOf } from '../scrub/scrub.ts';
import { settleSpan } from '../store/review-records.ts';
import type { ReviewRecord, Store } from '../store/store.ts';
import { actorOf, requireCaller, requireProcedure } from './access.ts';

export type SuspectVerdict = 'confirm' | 'release';

/** 403 for a reader before anything else; 404 when the review, or its span `n`, is not there (any more). */
export async function checkSuspect(
  store: Store,
  now: () => Date,
  request: FastifyRequest,
  { procedureId, reviewId, n, verdict }: { procedureId: string; reviewId: number; n: number; verdict: SuspectVerdict },
): Promise<ReviewRecord> {
  const procedure = await requireProcedure(store, request, procedureId, 'admin');
  const actor = actorOf(requireCaller(request));
  let category = '';
  const result = await store.reviews.settleSuspect(procedure.id, reviewId, (held) => {
    const span = held.suspects.find((suspect) => suspect.n === n);
    if (!span) return undefined;
    category = span.category;
    return settleSpan(held, n, verdict === 'confirm' ? placeholderOf(span.category)[held.lang] : null);
  });
  if (!result) throw new HttpError(404, 'review_not_found', `Procedure "${procedure.id}" has no review ${reviewId}.`);
  if (!result.changed) throw new HttpError(404, 'suspect_not_found', `Review ${reviewId} holds back no span ${n}.`);
  await store.audit.add({
    entityId: procedure.entityId,
    at: now().getTime(),
    actor,
    action: verdict === 'confirm' ? 'suspect_confirmed' : 'suspect_released',
    target: String(reviewId),
    details: { procedure: procedure.id, span: n, category },
  });
  return result.review;
}
