// Duplicate comments (SPEC §8): a follow-up whose free text repeats, near word for word, another
// review of the same procedure from the days before is flagged as that review's duplicate, for a
// member to confirm or clear. Flagged when the follow-up arrives (the hot rating has no text), on
// the folded text the search reads, so placeholders and held-back spans compare as they are shown.
import type { Store } from './store/store.ts';

/** Jaccard similarity of character shingles from which two texts are near-identical. */
export const DUPLICATE_SIMILARITY = 0.8;
/** Days before the review's own day whose reviews it is compared with. */
export const DUPLICATE_WINDOW_DAYS = 7;
/** Reviews compared at most: a bounded cost per follow-up, whatever the procedure's volume. */
const CANDIDATES = 500;
/**
 * Shorter texts are never flagged: « Merci » or « RAS » written twice are two people saying the
 * same short thing, not one text sent twice.
 */
const MIN_LENGTH = 20;
const SHINGLE = 3;

/** The text compared: letters and digits only, one space between words. */
const comparable = (text: string): string => text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

function shingles(text: string): Set<string> {
  const set = new Set<string>();
  for (let i = 0; i + SHINGLE <= text.length; i++) set.add(text.slice(i, i + SHINGLE));
  return set;
}

/** Jaccard similarity of two texts' character 3-shingles (texts already folded), 0 … 1. */
export function shingleSimilarity(a: string, b: string): number {
  const left = shingles(comparable(a));
  const right = shingles(comparable(b));
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const shingle of left) if (right.has(shingle)) shared++;
  return shared / (left.size + right.size - shared);
}

/**
 * The most similar earlier review whose text is near-identical to `text` (folded), or null. Texts
 * whose lengths differ by more than the threshold allows are skipped before any shingle is made:
 * Jaccard ≥ s needs the shorter set to hold at least s of the longer one.
 */
export function closestDuplicate(text: string, candidates: readonly { id: number; text: string }[]): number | null {
  const own = comparable(text);
  if (own.length < MIN_LENGTH) return null;
  let best: { id: number; similarity: number } | null = null;
  for (const candidate of candidates) {
    const other = comparable(candidate.text);
    if (Math.min(own.length, other.length) < DUPLICATE_SIMILARITY * Math.max(own.length, other.length)) continue;
    const similarity = shingleSimilarity(own, other);
    if (similarity >= DUPLICATE_SIMILARITY && (best === null || similarity > best.similarity)) best = { id: candidate.id, similarity };
  }
  return best?.id ?? null;
}

/** Flags (or unflags, when the text changed) review `reviewId` from its folded free text. */
export async function flagDuplicateReview(
  store: Store,
  review: { id: number; procedureId: string; createdAt: number },
  folded: string | null,
): Promise<void> {
  const from = new Date(review.createdAt - DUPLICATE_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
  const of =
    folded === null
      ? null
      : closestDuplicate(folded, await store.reviews.duplicateCandidates(review.procedureId, review.id, from, CANDIDATES));
  await store.reviews.flagDuplicate(review.id, of);
}
