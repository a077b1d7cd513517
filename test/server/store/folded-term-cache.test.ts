import { expect, test } from 'vitest';
import { FoldedTermCache } from '../../../server/store/folded-term-cache.ts';

// What a collector keeps of the folded term rows between reads (SPEC §8): read once per key,
// bounded by terms, the least recently read going first, a failed read not kept.

const terms = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`mot${i}`, i]));
/** A reader of n terms that counts its reads. */
function counting() {
  const counter = {
    reads: 0,
    read: (n: number) => async () => {
      counter.reads++;
      return terms(n);
    },
  };
  return counter;
}

test('an entry is read once, by concurrent reads too, and the least recently read goes first past the bound', async () => {
  const cache = new FoldedTermCache(10);
  const counter = counting();
  const { read } = counter;
  const [a, b] = await Promise.all([cache.get('a', '1', read(4)), cache.get('a', '1', read(4))]);
  expect(a).toBe(b);
  expect(counter.reads).toBe(1);
  await cache.get('b', '1', read(4));
  // Read again, « a » is now the most recent: « b » goes when « c » passes the bound.
  expect(await cache.get('a', '1', read(4))).toBe(a);
  expect(counter.reads).toBe(2);
  await cache.get('c', '1', read(4));
  // Each entry counts its terms and one more: 5 + 5.
  expect(cache.terms).toBe(10);
  await cache.get('a', '1', read(4));
  expect(counter.reads).toBe(3);
  await cache.get('b', '1', read(4));
  expect(counter.reads).toBe(4);
  // An entry larger than the bound is not kept at all.
  await cache.get('d', '1', read(11));
  expect(cache.terms).toBe(0);
  await cache.get('d', '1', read(11));
  expect(counter.reads).toBe(6);
});

test('empty entries count too: they cannot pile up past the bound', async () => {
  const cache = new FoldedTermCache(10);
  const counter = counting();
  for (let i = 0; i < 20; i++) await cache.get(`vide ${i}`, '1', counter.read(0));
  expect(cache.terms).toBe(10);
  await cache.get('vide 0', '1', counter.read(0));
  expect(counter.reads).toBe(21);
});

test('a failed read is not kept: the next one reads again', async () => {
  const cache = new FoldedTermCache(10);
  await expect(cache.get('a', '1', () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
  expect(await cache.get('a', '1', async () => terms(2))).toEqual(terms(2));
});

test('an entry read under another version is read again and replaces the old one', async () => {
  const cache = new FoldedTermCache(100);
  const counter = counting();
  const { read } = counter;
  await cache.get('mois', '1', read(4));
  expect(cache.terms).toBe(5);
  expect(await cache.get('mois', '2', read(6))).toEqual(terms(6));
  expect(counter.reads).toBe(2);
  // The old version's terms are no longer held: only the new entry counts.
  expect(cache.terms).toBe(7);
  await cache.get('mois', '2', read(6));
  expect(counter.reads).toBe(2);
});
