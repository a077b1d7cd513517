import { expect, test } from 'vitest';
import { PLACEHOLDERS } from '../../server/scrub/scrub.ts';
import { SUSPECT_MASK } from '../../server/store/review-records.ts';
import { termsOf } from '../../server/terms.ts';

// What the term rollups count of one comment (SPEC §8 "Comment insights").

const termsIn = (text: string, lang: 'fr' | 'en' = 'fr') => termsOf(text, lang).map(({ term }) => term);
const formsIn = (text: string, lang: 'fr' | 'en' = 'fr') => termsOf(text, lang).map(({ form }) => form);

test('case and accents fold into one term, which keeps the form first written', () => {
  expect(termsOf('Délai DELAI délai', 'fr')).toEqual([{ term: 'delai', form: 'délai' }]);
  expect(termsIn('Préfecture')).toEqual(termsIn('prefecture'));
  expect(termsIn('œuvre')).toEqual(['oeuvr']);
});

test('elisions are cut off, French and English stop words are no terms', () => {
  expect(formsIn("l'attente d’un rendez-vous qu’on m'a donné")).toEqual(['attente', 'rendez-vous', 'donné']);
  expect(formsIn('the waiting time was too long', 'en')).toEqual(['waiting', 'time', 'waiting time', 'long']);
});

test('the typographic apostrophe and the ASCII one give the same terms', () => {
  for (const [typographic, ascii] of [
    ['l’attente', "l'attente"],
    ['Le délai d’attente qu’on m’a donné', "Le délai d'attente qu'on m'a donné"],
    ['jusqu’au guichet', "jusqu'au guichet"],
  ]) {
    expect(termsIn(typographic!)).toEqual(termsIn(ascii!));
    expect(termsIn(typographic!).length).toBeGreaterThan(0);
  }
  expect(termsIn('l’attente')).toEqual(['attent']);
});

test('plural and feminine forms group, roots do not', () => {
  expect(termsIn('délais')).toEqual(termsIn('délai'));
  expect(termsIn('lente')).toEqual(termsIn('lent'));
  expect(termsIn('attendre')).not.toEqual(termsIn('attente'));
});

test('bigrams join two words written side by side, as written between them', () => {
  expect(formsIn("Le délai d'attente, bien long")).toEqual(['délai', 'attente', "délai d'attente", 'bien', 'long', 'bien long']);
  // A stop word, punctuation or a placeholder between two words breaks the pair.
  expect(formsIn('délai. attente')).toEqual(['délai', 'attente']);
  expect(formsIn('délai du guichet')).toEqual(['délai', 'guichet']);
});

test('numbers and single letters are no terms', () => {
  expect(termsIn('3 fois 2024 x')).toEqual(['foi']);
});

test('no scrubber placeholder nor held-back mask is ever a term, nor half of a bigram', () => {
  for (const text of [...Object.values(PLACEHOLDERS).flatMap((byLang) => Object.values(byLang)), ...Object.values(SUSPECT_MASK)]) {
    expect(termsOf(`appel ${text} guichet`, 'fr').map(({ form }) => form)).toEqual(['appel', 'guichet']);
  }
});

test('each term is there once, however often the comment repeats it', () => {
  expect(termsIn('site lent, site lent, site lent')).toEqual(['site', 'lent', 'site lent']);
});
