import { expect, test } from 'vitest';
import { hashReviewToken, newReviewToken, reviewTokenMatches } from '../../server/review-token.ts';

test('tokens are 256-bit, base64url, and never repeat across refills of the random pool', () => {
  const tokens = Array.from({ length: 1000 }, newReviewToken);
  for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(new Set(tokens).size).toBe(tokens.length);
});

test('a token matches its own hash and no other', () => {
  const [a, b] = [newReviewToken(), newReviewToken()];
  expect(reviewTokenMatches(a, hashReviewToken(a))).toBe(true);
  expect(reviewTokenMatches(b, hashReviewToken(a))).toBe(false);
});
