// The terms of a comment (SPEC §8 "Comment insights"): what the term rollups count, once per review.
// Pure: no store, no HTTP. The text given is already scrubbed, and its held-back spans masked.
import { ara, deu, eng, fra, ita, por, spa } from 'stopword';
import type { WidgetLang } from '../shared/questionnaire.ts';

/** One term of one review: `term` groups forms (the key counts are kept under), `form` is how it was written. */
export interface TermOccurrence {
  term: string;
  form: string;
}

/** Case, accents and the ligatures folded, as the comment search folds them (review-records.ts foldForSearch). */
const fold = (word: string): string =>
  word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');

// The review's own language's list beside French and English: a comment in Spanish on a French
// service still mixes in French words, and a French comment's « son » is no term either.
const OWN_STOP_WORDS: Record<WidgetLang, readonly string[]> = { fr: [], en: [], es: spa, pt: por, de: deu, it: ita, ar: ara };
const COMMON_STOP_WORDS = new Set([...fra, ...eng].map(fold));
const stopWordsOf = new Map(
  Object.entries(OWN_STOP_WORDS).map(([lang, words]) => [lang, new Set([...COMMON_STOP_WORDS, ...words.map(fold)])]),
);

// « l'attente », « qu’on », « jusqu'au »: the elided article or pronoun is no part of the word.
const ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]/i;
// Every scrubber placeholder and held-back mask is a bracketed phrase (« [adresse e-mail] »,
// « [à vérifier] »): the brackets and what they hold are cut out before words are read, so that a
// placeholder is never a term, nor half of a bigram.
const BRACKETED = /\[[^\]\n]*\]/g;
// Intl.Segmenter cuts « rendez-vous » at its hyphen; a middle dot (a letter joiner to it) keeps the
// compound one word, and is turned back into its hyphen.
const HYPHEN_IN_WORD = /(?<=\p{L})[-‐](?=\p{L})/gu;
const JOINER = '·';

/**
 * The grouping key of a folded word: a light stemming that only merges what a reader would call one
 * word (plural « délais » / « délai », feminine « longue » / « long »), never a root (« attendre »
 * and « attente » stay two terms, so that the form shown is always what people wrote).
 */
function stem(folded: string): string {
  let word = folded;
  if (word.length > 3 && /[sx]$/.test(word)) word = word.slice(0, -1);
  if (word.length > 4 && word.endsWith('e')) word = word.slice(0, -1);
  return word;
}

const segmenters = new Map<string, Intl.Segmenter>();
const segmenterOf = (lang: WidgetLang): Intl.Segmenter => {
  let segmenter = segmenters.get(lang);
  if (!segmenter) segmenters.set(lang, (segmenter = new Intl.Segmenter(lang, { granularity: 'word' })));
  return segmenter;
};

/**
 * A comment's terms, each once: its words (no stop word, no number, no single letter) and the bigrams
 * of two such words written side by side (only spaces between them: punctuation, a stop word or a
 * placeholder breaks the pair). Folded for grouping; each term keeps the first form it was written in.
 */
export function termsOf(text: string, lang: WidgetLang): TermOccurrence[] {
  const stopWords = stopWordsOf.get(lang)!;
  const found = new Map<string, string>();
  const add = (term: string, form: string): void => {
    if (!found.has(term)) found.set(term, form);
  };
  // The text as segmented: placeholders cut out, compounds joined (one character for one).
  const read = text.replace(BRACKETED, ' | ').replace(HYPHEN_IN_WORD, JOINER);
  let previous: (TermOccurrence & { start: number }) | null = null;
  for (const segment of segmenterOf(lang).segment(read)) {
    if (!segment.isWordLike) {
      if (segment.segment.trim() !== '') previous = null;
      continue;
    }
    const elided = ELISION.exec(segment.segment)?.[0].length ?? 0;
    const written = segment.segment.slice(elided).replaceAll(JOINER, '-');
    const folded = fold(written);
    if (folded.length < 2 || /\d/.test(folded) || stopWords.has(folded)) {
      previous = null;
      continue;
    }
    const word = { term: stem(folded), form: written.toLowerCase(), start: segment.index + elided };
    add(word.term, word.form);
    // A bigram's form is the text as written from one word to the other (« délai d’attente »): the
    // comment search then finds it as it stands.
    if (previous && previous.term !== word.term) {
      const pair = read.slice(previous.start, segment.index + segment.segment.length);
      add(`${previous.term} ${word.term}`, pair.replaceAll(JOINER, '-').replace(/\s+/g, ' ').toLowerCase());
    }
    previous = word;
  }
  return [...found].map(([term, form]) => ({ term, form }));
}
