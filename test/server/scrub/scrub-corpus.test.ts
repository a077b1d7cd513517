import { describe, expect, test } from 'vitest';
import { SCRUB_CORPUS } from '../../fixtures/scrub-corpus.ts';
import { CLEAN_TARGET, RECALL_TARGETS, scoreCorpus } from '../../fixtures/scrub-recall.ts';

// The scrubber measured over the labelled corpus (test/fixtures/scrub-corpus.ts): per-category
// recall and the share of sentences without personal data left unchanged. `npm run bench:scrub`
// prints the same figures.

const score = scoreCorpus(SCRUB_CORPUS);

describe('the labelled corpus', () => {
  test('holds at least 300 sentences, in French and in English, with and without personal data', () => {
    expect(SCRUB_CORPUS.length).toBeGreaterThanOrEqual(300);
    for (const lang of ['fr', 'en']) expect(SCRUB_CORPUS.filter((s) => s.lang === lang).length).toBeGreaterThanOrEqual(100);
    expect(score.clean.sentences).toBeGreaterThanOrEqual(100);
    for (const category of score.categories) expect(category.items, category.category).toBeGreaterThanOrEqual(10);
  });

  // Checked here with arithmetic of its own (BigInt), not the scrubber's: the corpus must not
  // share a mistake with the code it measures.
  const nirKeyOk = (nir: string) => {
    const compact = nir.replace(/[\s.-]/g, '').toUpperCase();
    const body = BigInt(compact.slice(0, 13).replace('2A', '19').replace('2B', '18'));
    return 97n - (body % 97n) === BigInt(compact.slice(13));
  };
  const ibanOk = (iban: string) => {
    const compact = iban.replace(/[\s.-]/g, '').toUpperCase();
    const numeric = (compact.slice(4) + compact.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
    return BigInt(numeric) % 97n === 1n;
  };
  const luhnOk = (card: string) => {
    const digits = card.replace(/\D/g, '').split('').reverse().map(Number);
    return digits.reduce((sum, d, i) => sum + (i % 2 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0) % 10 === 0;
  };
  const items = (category: string) => SCRUB_CORPUS.flatMap((s) => s.items.filter(([c]) => c === category).map(([, item]) => item));

  test.each([
    ['nir', nirKeyOk],
    ['iban', ibanOk],
    ['card', luhnOk],
  ] as const)('every %s in the corpus carries a valid key', (category, valid) => {
    const values = items(category);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) expect(valid(value), value).toBe(true);
  });

  test.each([
    ['nir', nirKeyOk],
    ['iban', ibanOk],
    ['card', luhnOk],
  ] as const)('every %s look-alike in the corpus carries a wrong key', (imitates, valid) => {
    const lookalikes = SCRUB_CORPUS.filter((s) => s.lookalike === imitates);
    expect(lookalikes.length).toBeGreaterThanOrEqual(4);
    for (const { text } of lookalikes) {
      const number = /[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}|\d(?: ?[\dAB]){12,18}/.exec(text)?.[0];
      expect(number, text).toBeDefined();
      expect(valid(number!), text).toBe(false);
    }
  });
});

describe('recall and clean text over the corpus', () => {
  const targeted = score.categories.map((c) => ({ ...c, target: RECALL_TARGETS[c.category]! }));

  test('every category it holds has a target', () => {
    expect(targeted.map((c) => [c.category, typeof c.target])).toEqual(targeted.map((c) => [c.category, 'number']));
    expect(targeted).toHaveLength(Object.keys(RECALL_TARGETS).length);
  });

  test.each(targeted)('$category: recall $found/$items reaches its target ($target)', ({ recall, target, missed }) => {
    expect({ recall: recall >= target, missed }).toEqual({ recall: true, missed: expect.any(Array) });
  });

  test(`at least ${CLEAN_TARGET * 100} % of sentences without personal data come out unchanged`, () => {
    expect({ share: score.clean.share >= CLEAN_TARGET, changed: score.clean.changed }).toEqual({ share: true, changed: expect.any(Array) });
  });

  test('no look-alike (wrong key) is changed', () => {
    expect(score.lookalikes.unchanged).toBe(score.lookalikes.sentences);
  });
});
