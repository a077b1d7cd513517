import { expect, test } from 'vitest';
import { type ConfirmedReview, SUGGEST_MIN_REVIEWS, suggestTag, type TagModel, trainTagModel } from '../../server/tag-model.ts';

// The suggested tags' maths (SPEC §8 "Triage") on a corpus where the right tag is known by
// construction: « Délais » reviews write of waiting, « Accueil » ones of the counter, and reviews
// triaged without a tag thank; every review also writes a word or two all of them share.

const DELAYS = 1;
const WELCOME = 2;
const WORDS = {
  [DELAYS]: ['delai', 'attente', 'moi', 'lent', 'relance', 'interminabl'],
  [WELCOME]: ['guichet', 'agent', 'aimabl', 'accueil', 'souriant', 'mairi'],
  none: ['merci', 'simpl', 'rapid', 'parfait', 'clair', 'efficac'],
};
const SHARED = ['dossier', 'demand', 'passeport'];

/** The i-th review of a class: three of its words and one shared word, chosen by i (no randomness). */
const termsOf = (words: readonly string[], i: number) => [words[i % 6]!, words[(i + 2) % 6]!, words[(i + 3) % 6]!, SHARED[i % 3]!];

/** n reviews of each class in turn, oldest first. */
function corpus(n: number): ConfirmedReview[] {
  const reviews: ConfirmedReview[] = [];
  for (let i = 0; i < n; i++) {
    reviews.push({ terms: termsOf(WORDS[DELAYS], i), tagIds: [DELAYS] });
    reviews.push({ terms: termsOf(WORDS[WELCOME], i), tagIds: [WELCOME] });
    reviews.push({ terms: termsOf(WORDS.none, i), tagIds: [] });
  }
  return reviews;
}

test('a review gets the tag whose words it writes, and none when it writes like the untagged ones', () => {
  const model = trainTagModel(corpus(30))!;
  expect(suggestTag(model, ['attente', 'interminabl', 'dossier'])).toBe(DELAYS);
  expect(suggestTag(model, ['agent', 'souriant'])).toBe(WELCOME);
  expect(suggestTag(model, ['merci', 'efficac', 'passeport'])).toBeNull();
  // Nothing to go on: no term the model has seen.
  expect(suggestTag(model, ['inconnu'])).toBeNull();
  expect(suggestTag(model, [])).toBeNull();
});

test('Laplace smoothing: a word never seen with a tag does not rule the tag out', () => {
  const model = trainTagModel(corpus(30))!;
  // « guichet » never appeared in a « Délais » review; three waiting words still win.
  expect(suggestTag(model, ['attente', 'lent', 'relance', 'guichet'])).toBe(DELAYS);
  for (const cls of model.classes) expect(Number.isFinite(cls.logUnseen)).toBe(true);
  for (const row of Object.values(model.terms)) for (const value of row) expect(Number.isFinite(value)).toBe(true);
});

test('log space: a comment of hundreds of known terms is scored without underflow', () => {
  // Each term has probability e^-5 in each class: their product over 400 terms is e^-2000, zero as a double.
  const terms = Array.from({ length: 400 }, (_, i) => `mot${i}`);
  const model: Pick<TagModel, 'classes' | 'terms'> = {
    classes: [
      { tagId: 0, logPrior: Math.log(0.5), logUnseen: -10 },
      { tagId: 7, logPrior: Math.log(0.5), logUnseen: -10 },
    ],
    terms: Object.fromEntries(terms.map((term, i) => [term, i === 0 ? [-6, -4] : [-5, -5]])),
  };
  expect(Math.exp(-2000)).toBe(0);
  expect(suggestTag(model, terms)).toBe(7);
});

test(`no model until a tag is set on ${SUGGEST_MIN_REVIEWS} reviews; rarer tags are no class`, () => {
  const reviews = corpus(SUGGEST_MIN_REVIEWS - 1);
  expect(trainTagModel(reviews)).toBeUndefined();
  const model = trainTagModel([...reviews, { terms: termsOf(WORDS[DELAYS], 99), tagIds: [DELAYS] }])!;
  expect(model.classes.map((cls) => cls.tagId)).toEqual([0, DELAYS]);
  expect(suggestTag(model, ['guichet', 'agent', 'aimabl'])).not.toBe(WELCOME);
});

test('the precision is measured on the newest 20 %, by a model of the older 80 %', () => {
  // 80 reviews to learn from, then 20 held out: 8 of waiting tagged « Délais », 8 of the counter of
  // which members tagged 6 « Accueil » and 2 « Délais », 4 thanking. The model suggests « Délais »
  // for the 8, « Accueil » for the 8 and nothing for the 4: 14 right of 16.
  const older = corpus(27).slice(0, 80);
  const held: ConfirmedReview[] = [
    ...Array.from({ length: 8 }, (_, i) => ({ terms: termsOf(WORDS[DELAYS], i), tagIds: [DELAYS] })),
    ...Array.from({ length: 8 }, (_, i) => ({ terms: termsOf(WORDS[WELCOME], i), tagIds: i < 2 ? [DELAYS] : [WELCOME] })),
    ...Array.from({ length: 4 }, (_, i) => ({ terms: termsOf(WORDS.none, i), tagIds: [] })),
  ];
  const model = trainTagModel([...older, ...held])!;
  expect(model.heldOut).toBe(16);
  expect(model.precision).toBe(14 / 16);
  // The model shown is trained on every review, the held-out ones included.
  const trainedOn = trainTagModel(older)!;
  expect(Object.keys(model.terms).sort()).toEqual(Object.keys(trainedOn.terms).sort());
  expect(model.classes[1]!.logPrior).not.toBe(trainedOn.classes[1]!.logPrior);
});

test('a review tagged twice teaches both tags', () => {
  const reviews = corpus(25).map((review) =>
    review.tagIds[0] === DELAYS ? { ...review, terms: [...review.terms, 'accueil'], tagIds: [DELAYS, WELCOME] } : review,
  );
  const model = trainTagModel(reviews)!;
  const welcome = model.classes.findIndex((cls) => cls.tagId === WELCOME);
  const delays = model.classes.findIndex((cls) => cls.tagId === DELAYS);
  const none = model.classes.findIndex((cls) => cls.tagId === 0);
  // « Accueil » now holds 50 reviews, « Délais » 25, the untagged 25; waiting words are counted under both tags.
  expect(model.classes.map((cls) => Math.round(Math.exp(cls.logPrior) * 100))).toEqual([25, 25, 50]);
  expect(model.terms.attente![welcome]).toBeGreaterThan(model.terms.attente![none]!);
  expect(model.terms.attente![delays]).toBeGreaterThan(model.terms.attente![welcome]!);
});

test('a term fewer than TERM_MIN_REVIEWS of the reviews wrote is never kept in the model', () => {
  const reviews = corpus(25);
  // A name four « Délais » reviews wrote, and one wrote alone.
  for (const i of [0, 3, 6, 9]) reviews[i] = { ...reviews[i]!, terms: [...reviews[i]!.terms, 'zorglub'] };
  reviews[12] = { ...reviews[12]!, terms: [...reviews[12]!.terms, 'dupont'] };
  expect(Object.keys(trainTagModel(reviews)!.terms)).toEqual(expect.arrayContaining(['zorglub', 'dupont']));
  const model = trainTagModel(reviews, 5)!;
  expect(Object.keys(model.terms)).not.toContain('zorglub');
  expect(Object.keys(model.terms)).not.toContain('dupont');
  expect(Object.keys(model.terms)).toContain('attente');
});
