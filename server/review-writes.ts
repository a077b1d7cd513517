import type { FollowUpAnswers, WidgetLang, ReviewCreated, SatisfactionAnswer } from '../shared/questionnaire.ts';
import { flagDuplicateReview } from './duplicate-reviews.ts';
import { hashReviewToken, newReviewToken, reviewTokenMatches } from './review-token.ts';
import { scrubWithSuspects } from './scrub/scrub.ts';
import { searchTextOf } from './store/review-records.ts';
import type { ReviewKey, Store, SuspectSpan } from './store/store.ts';
import type { RatingChannel } from './metrics.ts';

/** SPEC §6: follow-ups are accepted for one hour after the hot rating. */
export const FOLLOW_UP_WINDOW_MS = 60 * 60 * 1000;

export interface Rating {
  procedureId: string;
  placementId: string;
  satisfaction: SatisfactionAnswer;
  lang: WidgetLang;
  /** The published form version shown (SPEC §3 "Customisation"), checked by formVersionKnown; null: the default form. */
  formVersion?: number | null;
}

export type ReviewWrites = ReturnType<typeof reviewWrites>;

/**
 * The two writes of a review, shared by the API (routes/public/reviews.ts) and the hosted form
 * (routes/public/hosted-form.ts) so that both store, tokenize and time out exactly alike. Callers have
 * already checked the procedure, placement and origin.
 */
export function reviewWrites(store: Store, now: () => Date, onRated?: (channel: RatingChannel) => void) {
  const knownVersions = new Set<string>();
  return {
    /** Stores a hot rating; resolves once it is committed, with what the rater needs for follow-ups. */
    rate: async (rating: Rating, channel: RatingChannel): Promise<ReviewCreated> => {
      const token = newReviewToken();
      const createdAt = now();
      // Fields copied one by one: an object spread here cost more than the token's hash (measured with npm run bench).
      const { procedureId, placementId, satisfaction, lang, formVersion } = rating;
      const id = await store.reviews.create({
        procedureId,
        placementId,
        satisfaction,
        lang,
        tokenHash: hashReviewToken(token),
        createdAt,
        formVersion,
      });
      onRated?.(channel);
      return { id, token, expires_at: new Date(createdAt.getTime() + FOLLOW_UP_WINDOW_MS).toISOString() };
    },

    /**
     * Whether the procedure published this form version. Versions are never deleted, so a known one
     * is remembered: the widget sends the same few numbers with every rating.
     */
    formVersionKnown: async (procedureId: string, version: number): Promise<boolean> => {
      const key = `${procedureId}\n${version}`;
      if (knownVersions.has(key)) return true;
      if (!(await store.forms.hasVersion(procedureId, version))) return false;
      knownVersions.add(key);
      return true;
    },

    /** The review an id in a URL names; undefined when there is none or the text cannot be an id. */
    find: async (id: string): Promise<ReviewKey | undefined> =>
      /^[1-9][0-9]{0,15}$/.test(id) ? store.reviews.findKey(Number(id)) : undefined,

    /** Why follow-ups to this review are refused (wrong token first, then too late), or null. */
    followUpRefusal: (review: ReviewKey, token: string): 'invalid_token' | 'follow_up_expired' | null => {
      // Its hash erased (purge), the hour is over: say so, as before the erasure.
      if (review.tokenHash.length === 0) return 'follow_up_expired';
      if (!reviewTokenMatches(token, review.tokenHash)) return 'invalid_token';
      if (now().getTime() - review.createdAt > FOLLOW_UP_WINDOW_MS) return 'follow_up_expired';
      return null;
    },

    /**
     * Replaces the review's earlier follow-ups with these (and moves their rollup counts). Free text
     * loses its personal data here, the one way into the store for both the API and the hosted form.
     * Callers have validated the answers, so size limits apply to what the person typed; the
     * placeholders may make the stored text longer, and it is stored whole. What the scrubber is
     * only unsure of is kept as written but held back: agencies read it masked until an admin
     * confirms or releases it (SPEC §8), so a guess neither publishes nor destroys the text.
     */
    replaceFollowUps: async (review: ReviewKey, answers: FollowUpAnswers): Promise<void> => {
      const scrubbed = { ...answers };
      const suspects: SuspectSpan[] = [];
      for (const field of ['comment', 'help_other'] as const) {
        const text = scrubbed[field];
        if (text === undefined) continue;
        const result = scrubWithSuspects(text, review.lang);
        scrubbed[field] = result.text;
        for (const { start, end, category } of result.suspects) suspects.push({ n: suspects.length + 1, field, start, end, category });
      }
      await store.reviews.replaceFollowUps(review.id, scrubbed, now(), suspects);
      // In the request, after the write, so that a member reading the list next sees it flagged: the
      // stored signatures rule most earlier comments out (about 1 ms for 500 measured on a loaded
      // machine; more when every comment is written from the same few words, which pass the
      // signatures and are compared shingle by shingle).
      await flagDuplicateReview(store, review, searchTextOf(scrubbed.comment, scrubbed.help_other, suspects, review.lang));
    },
  };
}
