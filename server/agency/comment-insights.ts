// Comment insights (SPEC §8): which terms the comments of a procedure use most, which tell unhappy
// reviews from happy ones, and which are rising. Read from the term rollups only, so they outlive
// the free text, and never show a term fewer than TERM_MIN_REVIEWS reviews wrote.
import { addDays, type FeedWindow } from '../../shared/feed-window.ts';
import type { SatisfactionAnswer } from '../../shared/questionnaire.ts';
import { type Store, type TermCount, UNSEEN } from '../store/store.ts';

/** Terms per list, at most. */
const LIST_LENGTH = 20;
/** JDMA's rule: a bigram stands for its word when it holds at least 70 % of that word's reviews. */
const BIGRAM_ABSORBS = 0.7;
/**
 * Weight of the prior in distinctive terms, in reviews: each term's rate over every review of the
 * window is worth that many reviews in each group, so a term two reviews wrote cannot top the list.
 */
const PRIOR_REVIEWS = 10;
/** |z| of a distinctive term, at least: 1.96 is a two-sided 5 % test. */
const DISTINCTIVE_Z = 1.96;
/** G² of a rising term, at least: 10.83 is a 0.1 % test with one degree of freedom (many terms are tried). */
const RISING_G2 = 10.83;
/** "This month" and "the three before" of rising terms: the last 30 days of the window, and the 90 before. */
const RECENT_DAYS = 30;
const EARLIER_DAYS = 90;

export interface Term {
  /** The grouping key (terms.ts). */
  key: string;
  /** The form most reviews wrote it in: what is shown, and what the comment search is given. */
  label: string;
  /** Distinct reviews that wrote it. */
  reviews: number;
}

export interface DistinctiveTerm extends Term {
  /** Reviews « Pas bien » and « Très bien » that wrote it. */
  bad: number;
  good: number;
  /** Smoothed log-odds of « Pas bien » over « Très bien », and its z-score: positive, unhappy reviews' term. */
  logOdds: number;
  z: number;
}

export interface RisingTerm extends Term {
  /** Reviews that wrote it in the last 30 days, and in the 90 before. */
  recent: number;
  earlier: number;
  g2: number;
}

export interface CommentInsights {
  window: FeedWindow;
  placement: string | null;
  /** Reviews whose comment had at least one term, in all and per satisfaction answer. */
  reviews: Record<SatisfactionAnswer | 'all', number>;
  top: Term[];
  distinctive: { bad: DistinctiveTerm[]; good: DistinctiveTerm[] };
  rising: { recent: FeedWindow; earlier: FeedWindow; reviews: { recent: number; earlier: number }; terms: RisingTerm[] };
}

interface Tally {
  key: string;
  forms: Map<string, number>;
  by: Record<SatisfactionAnswer, number>;
  reviews: number;
}

/**
 * Rows per term: its reviews per satisfaction answer and form; the '' rows as the reviews read; the
 * UNSEEN rows of folded months summed, as the most reviews a term missing from them wrote there.
 */
export function tallyTerms(rows: readonly TermCount[]): {
  terms: Map<string, Tally>;
  reviews: Record<SatisfactionAnswer | 'all', number>;
  unseen: number;
} {
  const terms = new Map<string, Tally>();
  const reviews = { all: 0, bad: 0, medium: 0, good: 0 };
  let unseen = 0;
  for (const { term, form, satisfaction, count } of rows) {
    if (term === UNSEEN) {
      unseen += count;
      continue;
    }
    if (term === '') {
      reviews[satisfaction] += count;
      reviews.all += count;
      continue;
    }
    let tally = terms.get(term);
    if (!tally) terms.set(term, (tally = { key: term, forms: new Map(), by: { bad: 0, medium: 0, good: 0 }, reviews: 0 }));
    tally.forms.set(form, (tally.forms.get(form) ?? 0) + count);
    tally.by[satisfaction] += count;
    tally.reviews += count;
  }
  return { terms, reviews, unseen };
}

const labelOf = (tally: Tally): string => [...tally.forms].reduce((best, next) => (next[1] > best[1] ? next : best))[0];
const termOf = (tally: Tally): Term => ({ key: tally.key, label: labelOf(tally), reviews: tally.reviews });
const byReviews = (a: Term, b: Term) => b.reviews - a.reviews || (a.label < b.label ? -1 : 1);

/** The most written terms, a word left out when one of its bigrams holds ≥ 70 % of its reviews. */
export function topTerms(terms: Map<string, Tally>, length = LIST_LENGTH): Term[] {
  const absorbed = new Set<string>();
  for (const tally of terms.values()) {
    const words = tally.key.split(' ');
    if (words.length !== 2) continue;
    for (const word of words) {
      const unigram = terms.get(word);
      if (unigram && tally.reviews >= BIGRAM_ABSORBS * unigram.reviews) absorbed.add(word);
    }
  }
  return [...terms.values()]
    .filter((tally) => !absorbed.has(tally.key))
    .map(termOf)
    .sort(byReviews)
    .slice(0, length);
}

/**
 * Terms that tell « Pas bien » reviews from « Très bien » ones: the log-odds ratio of a review of
 * each group writing the term, smoothed by an informative prior (the term's rate over every review
 * of the window, worth PRIOR_REVIEWS reviews), divided by its standard error (Monroe, Colaresi and
 * Quinn's "Fightin' words", per review rather than per word); |z| ≥ 1.96 only.
 */
export function distinctiveTerms(
  terms: Map<string, Tally>,
  reviews: Record<SatisfactionAnswer | 'all', number>,
  length = LIST_LENGTH,
): { bad: DistinctiveTerm[]; good: DistinctiveTerm[] } {
  const found: DistinctiveTerm[] = [];
  if (reviews.bad === 0 || reviews.good === 0) return { bad: [], good: [] };
  for (const tally of terms.values()) {
    const rate = Math.min(tally.reviews / reviews.all, 1);
    const yes = rate * PRIOR_REVIEWS;
    const no = (1 - rate) * PRIOR_REVIEWS;
    const { bad, good } = tally.by;
    const logOdds = Math.log((bad + yes) / (reviews.bad - bad + no)) - Math.log((good + yes) / (reviews.good - good + no));
    const variance = 1 / (bad + yes) + 1 / (reviews.bad - bad + no) + 1 / (good + yes) + 1 / (reviews.good - good + no);
    const z = logOdds / Math.sqrt(variance);
    if (Math.abs(z) >= DISTINCTIVE_Z) found.push({ ...termOf(tally), bad, good, logOdds: round(logOdds), z: round(z) });
  }
  return {
    bad: found
      .filter((term) => term.z > 0)
      .sort((a, b) => b.z - a.z)
      .slice(0, length),
    good: found
      .filter((term) => term.z < 0)
      .sort((a, b) => a.z - b.z)
      .slice(0, length),
  };
}

/** G² of a 2×2 table (term or not × recent or earlier): 0 when a margin is empty. */
export function gSquared(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  const cell = (observed: number, row: number, column: number) => {
    const expected = (row * column) / n;
    return observed === 0 || expected === 0 ? 0 : observed * Math.log(observed / expected);
  };
  return 2 * (cell(a, a + b, a + c) + cell(b, a + b, b + d) + cell(c, c + d, a + c) + cell(d, c + d, b + d));
}

/**
 * Terms whose share of reviews grew from the 90 days before to the last 30, with G² ≥ 10.83. The
 * earlier count of a term is taken `earlierUnseen` higher (what it may have written in the folded
 * months' terms left out), so that a term those months left out does not look new.
 */
export function risingTerms(
  recent: Map<string, Tally>,
  recentReviews: number,
  earlier: Map<string, Tally>,
  earlierReviews: number,
  length = LIST_LENGTH,
  earlierUnseen = 0,
): RisingTerm[] {
  if (recentReviews === 0 || earlierReviews === 0) return [];
  const rising: RisingTerm[] = [];
  for (const tally of recent.values()) {
    const now = tally.reviews;
    const before = Math.min((earlier.get(tally.key)?.reviews ?? 0) + earlierUnseen, earlierReviews);
    if (now / recentReviews <= before / earlierReviews) continue;
    const g2 = gSquared(now, recentReviews - now, before, earlierReviews - before);
    if (g2 >= RISING_G2) rising.push({ ...termOf(tally), recent: now, earlier: before, g2: round(g2) });
  }
  return rising.sort((a, b) => b.g2 - a.g2).slice(0, length);
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** The last 30 days up to `to`, and the 90 before: what rising terms compare. */
const risingWindows = (to: string) => ({
  recentWindow: { from: addDays(to, 1 - RECENT_DAYS), to },
  earlierWindow: { from: addDays(to, 1 - RECENT_DAYS - EARLIER_DAYS), to: addDays(to, -RECENT_DAYS) },
});

/**
 * The counts of the window (when asked) and of rising terms, in one read of the store (the windows
 * ending on the same day share the current month's day rows): terms at least `minReviews` reviews
 * wrote in the window and in the recent window; in the earlier one, each of those recent terms
 * whatever its count there, rare ones included (a term's earlier count is never shown alone, and
 * dropping those under the floor would make a steady term look new), with the '' and UNSEEN rows.
 */
async function insightCounts(
  store: Store,
  procedureId: string,
  to: string,
  window: FeedWindow | null,
  placementId: string | null,
  minReviews: number,
) {
  const { recentWindow, earlierWindow } = risingWindows(to);
  const counts = await store.terms.counts(
    procedureId,
    [...(window ? [{ window, minReviews }] : []), { window: recentWindow, minReviews }, { window: earlierWindow, minReviews: 1 }],
    placementId,
  );
  const [earlier, recent, all] = counts.reverse() as [TermCount[], TermCount[], TermCount[] | undefined];
  const recentTerms = new Set(recent.map((row) => row.term));
  const recentTally = tallyTerms(recent);
  const earlierTally = tallyTerms(earlier.filter((row) => row.term === '' || row.term === UNSEEN || recentTerms.has(row.term)));
  return {
    all: all ?? [],
    rising: (length: number) =>
      risingTerms(recentTally.terms, recentTally.reviews.all, earlierTally.terms, earlierTally.reviews.all, length, earlierTally.unseen),
    risingReviews: { recent: recentTally.reviews.all, earlier: earlierTally.reviews.all },
    recentWindow,
    earlierWindow,
  };
}

/** A procedure's rising terms alone, by the insights' rule, over the 30 days up to `to` (every placement): the digests'. */
export async function procedureRisingTerms(
  store: Store,
  procedureId: string,
  to: string,
  minReviews: number,
  length: number,
): Promise<RisingTerm[]> {
  const { rising } = await insightCounts(store, procedureId, to, null, null, minReviews);
  return rising(length);
}

/** A procedure's comment insights over a window and a placement (every one when null). */
export async function commentInsights(
  store: Store,
  procedureId: string,
  window: FeedWindow,
  placementId: string | null,
  minReviews: number,
): Promise<CommentInsights> {
  const counts = await insightCounts(store, procedureId, window.to, window, placementId, minReviews);
  const { terms, reviews } = tallyTerms(counts.all);
  return {
    window,
    placement: placementId,
    reviews,
    top: topTerms(terms),
    distinctive: distinctiveTerms(terms, reviews),
    rising: {
      recent: counts.recentWindow,
      earlier: counts.earlierWindow,
      reviews: counts.risingReviews,
      terms: counts.rising(LIST_LENGTH),
    },
  };
}
