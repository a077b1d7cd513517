// Duplicate comments (SPEC §8): a follow-up whose free text repeats, near word for word, another
// review of the same procedure from the days before is flagged as that review's duplicate, for a
// member to confirm or clear. Flagged when the follow-up arrives (the hot rating has no text), on
// the folded text the search reads, so placeholders and held-back spans compare as they are shown.
// Each comment's MinHash is stored with it, so that the earlier comments are ruled out by their
// signatures, not shingled again at every follow-up.
import type { DuplicateCandidate, Store } from './store/store.ts';

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

/** The text's character 3-shingles, each as one number (three UTF-16 units, 48 bits: exact in a double). */
function shingleCodes(text: string): number[] {
  const codes: number[] = [];
  for (let i = 0; i + SHINGLE <= text.length; i++) {
    codes.push((text.charCodeAt(i) * 65_536 + text.charCodeAt(i + 1)) * 65_536 + text.charCodeAt(i + 2));
  }
  return codes;
}

/** Hash functions of a MinHash signature: 64 × 4 bytes per comment. */
const SIGNATURE_HASHES = 64;
/**
 * A candidate whose signature agrees on fewer hashes than this is not compared further: the
 * estimate's standard error is about 0.05 near 0.8 with 64 hashes, so a true 0.8 falls below 0.6
 * about once in 10,000.
 */
const SIGNATURE_FLOOR = 0.6;
const SEEDS = Uint32Array.from({ length: SIGNATURE_HASHES }, (_, i) => Math.imul(i + 1, 0x9e3779b1) >>> 0);

/** A 32-bit mix (murmur3's finaliser): one independent-looking hash per seed. */
function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The MinHash of a set of shingle codes: per seed, the least hash of any shingle. */
function minHash(codes: ReadonlySet<number>): Buffer {
  const mins = new Uint32Array(SIGNATURE_HASHES).fill(0xffffffff);
  for (const code of codes) {
    const base = mix((code % 4_294_967_296) ^ mix(Math.floor(code / 4_294_967_296)));
    for (let i = 0; i < SIGNATURE_HASHES; i++) {
      const h = mix(base ^ SEEDS[i]!);
      if (h < mins[i]!) mins[i] = h;
    }
  }
  return Buffer.from(mins.buffer);
}

/** The share of hashes two signatures agree on: an estimate of their texts' Jaccard similarity. */
function agreement(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i += 4) if (a.readUInt32LE(i) === b.readUInt32LE(i)) same++;
  return same / (a.length / 4);
}

/** What a folded comment is compared by: its shingles, and their MinHash (null for a text too short to flag). */
export function textSignature(folded: string | null): { codes: Set<number>; signature: Buffer } | null {
  if (folded === null) return null;
  const text = comparable(folded);
  if (text.length < MIN_LENGTH) return null;
  const codes = new Set(shingleCodes(text));
  return { codes, signature: minHash(codes) };
}

/**
 * The most similar earlier review whose text is near-identical (exact Jaccard ≥ DUPLICATE_SIMILARITY),
 * or null. A candidate's stored signature rules it out in 64 comparisons; only the few left (and
 * reviews from before signatures were stored) have their shingles compared.
 */
export function closestDuplicate(
  own: { codes: ReadonlySet<number>; signature: Buffer },
  candidates: readonly DuplicateCandidate[],
): number | null {
  let best: { id: number; similarity: number } | null = null;
  for (const candidate of candidates) {
    if (candidate.signature !== null && agreement(own.signature, candidate.signature) < SIGNATURE_FLOOR) continue;
    const other = new Set(shingleCodes(comparable(candidate.text)));
    let shared = 0;
    for (const code of other) if (own.codes.has(code)) shared++;
    const similarity = shared / (own.codes.size + other.size - shared);
    if (similarity >= DUPLICATE_SIMILARITY && (best === null || similarity > best.similarity)) best = { id: candidate.id, similarity };
  }
  return best?.id ?? null;
}

/** Flags (or unflags, when the text changed) review `reviewId` from its folded free text, and stores the text's signature. */
export async function flagDuplicateReview(
  store: Store,
  review: { id: number; procedureId: string; createdAt: number },
  folded: string | null,
): Promise<void> {
  const own = textSignature(folded);
  const from = new Date(review.createdAt - DUPLICATE_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
  const of = own && closestDuplicate(own, await store.reviews.duplicateCandidates(review.procedureId, review.id, from, CANDIDATES));
  await store.reviews.flagDuplicate(review.id, of, own?.signature ?? null);
}
