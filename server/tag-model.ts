// Suggested tags (SPEC §8 "Triage"): a multinomial Naive Bayes over a review's terms (terms.ts, the
// insights' own), trained on the reviews whose tags members confirmed. Pure: no store, no HTTP.
//   classes     every tag set on at least SUGGEST_MIN_REVIEWS reviews, and « none »: reviews a member
//               triaged (status « lu » or « traité ») without tagging them, so that the model learns
//               when no tag fits rather than always naming one
//   features    each term once per review (the terms are distinct per review), Laplace smoothing
//               (+1 per term of the vocabulary), everything in log space so that long comments never
//               underflow
//   vocabulary  only terms at least `minTermReviews` of the reviews learnt from wrote (TERM_MIN_REVIEWS,
//               as the insights): a rare word (a name the scrubber missed) is never kept in a model
//   precision   measured on the newest 20 % of the confirmed reviews with a model trained on the
//               older 80 %: of the suggestions it made there, the share the members had set

/** A tag suggests itself once members set it on this many reviews. */
export const SUGGEST_MIN_REVIEWS = 20;
/** The newest share of the confirmed reviews the precision is measured on. */
const HELD_OUT_SHARE = 0.2;

/** A review whose tags a member confirmed: none when it was triaged untagged. Oldest first. */
export interface ConfirmedReview {
  terms: readonly string[];
  tagIds: readonly number[];
}

/** What the nightly job stores per entity (as JSON): enough to score a review without the corpus. */
export interface TagModel {
  /** The tag classes, then « none » under id 0. */
  classes: { tagId: number; logPrior: number; logUnseen: number }[];
  /** Per term of the vocabulary, its log-likelihood in each class (same order as `classes`). */
  terms: Record<string, number[]>;
  /** Share of the held-out suggestions that were right, 0 … 1; null when the held-out reviews got none. */
  precision: number | null;
  /** Held-out suggestions the precision counts. */
  heldOut: number;
}

const NONE = 0;

/** The classes of one training set: each review under each of its eligible tags, or under « none ». */
function classesOf(reviews: readonly ConfirmedReview[], eligible: ReadonlySet<number>): Map<number, readonly string[][]> {
  const byClass = new Map<number, string[][]>();
  for (const review of reviews) {
    const tags = review.tagIds.filter((id) => eligible.has(id));
    // A review tagged only with rarer tags teaches nothing about the classes here.
    if (tags.length === 0 && review.tagIds.length > 0) continue;
    for (const id of tags.length === 0 ? [NONE] : tags) {
      let docs = byClass.get(id);
      if (!docs) byClass.set(id, (docs = []));
      docs.push(review.terms as string[]);
    }
  }
  return byClass;
}

function fitClasses(byClass: Map<number, readonly string[][]>): Omit<TagModel, 'precision' | 'heldOut'> {
  const ids = [...byClass.keys()].sort((a, b) => a - b);
  const vocabulary = new Map<string, number[]>();
  const totals = ids.map(() => 0);
  let documents = 0;
  ids.forEach((id, k) => {
    for (const terms of byClass.get(id)!) {
      documents++;
      for (const term of terms) {
        let counts = vocabulary.get(term);
        if (!counts) vocabulary.set(term, (counts = ids.map(() => 0)));
        counts[k]!++;
        totals[k]!++;
      }
    }
  });
  const size = vocabulary.size;
  const denominators = totals.map((total) => Math.log(total + size));
  const terms: Record<string, number[]> = {};
  for (const [term, counts] of vocabulary) terms[term] = counts.map((count, k) => Math.log(count + 1) - denominators[k]!);
  return {
    classes: ids.map((tagId, k) => ({
      tagId,
      logPrior: Math.log(byClass.get(tagId)!.length / documents),
      logUnseen: -denominators[k]!,
    })),
    terms,
  };
}

/**
 * The tag the model gives these terms, or null: when « none » wins, when no term is in the
 * vocabulary (nothing to go on), or when the model has no tag class.
 */
export function suggestTag(model: Pick<TagModel, 'classes' | 'terms'>, terms: readonly string[]): number | null {
  const known = terms.filter((term) => Object.hasOwn(model.terms, term));
  if (known.length === 0) return null;
  let best = -1;
  let bestScore = Number.NEGATIVE_INFINITY;
  model.classes.forEach((cls, k) => {
    let score = cls.logPrior;
    for (const term of known) score += model.terms[term]![k]!;
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  });
  const tagId = model.classes[best]?.tagId ?? NONE;
  return tagId === NONE ? null : tagId;
}

/** Tags set on at least SUGGEST_MIN_REVIEWS of these reviews. */
function eligibleTags(reviews: readonly ConfirmedReview[]): Set<number> {
  const counts = new Map<number, number>();
  for (const review of reviews) for (const id of review.tagIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  return new Set([...counts].filter(([, count]) => count >= SUGGEST_MIN_REVIEWS).map(([id]) => id));
}

/** The reviews with only the terms at least `minReviews` of them wrote. */
function withFrequentTerms(reviews: readonly ConfirmedReview[], minReviews: number): ConfirmedReview[] {
  const counts = new Map<string, number>();
  for (const review of reviews) for (const term of review.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return reviews.map((review) => ({ ...review, terms: review.terms.filter((term) => counts.get(term)! >= minReviews) }));
}

/**
 * Trains an entity's model on its confirmed reviews (oldest first), its precision measured on the
 * newest 20 % by a model of the older 80 %; undefined while no tag has SUGGEST_MIN_REVIEWS reviews.
 * A term fewer than `minTermReviews` of the reviews learnt from wrote is left out.
 */
export function trainTagModel(reviews: readonly ConfirmedReview[], minTermReviews = 1): TagModel | undefined {
  const eligible = eligibleTags(reviews);
  if (eligible.size === 0) return undefined;
  const split = Math.ceil(reviews.length * (1 - HELD_OUT_SHARE));
  const trial = fitClasses(classesOf(withFrequentTerms(reviews.slice(0, split), minTermReviews), eligible));
  let suggested = 0;
  let right = 0;
  for (const review of reviews.slice(split)) {
    const tagId = suggestTag(trial, review.terms);
    if (tagId === null) continue;
    suggested++;
    if (review.tagIds.includes(tagId)) right++;
  }
  return {
    ...fitClasses(classesOf(withFrequentTerms(reviews, minTermReviews), eligible)),
    precision: suggested === 0 ? null : right / suggested,
    heldOut: suggested,
  };
}
