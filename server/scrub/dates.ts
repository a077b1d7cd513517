import { type DetectorEntry, groupSpan, LATIN_LETTER, type Span, spansOf } from './patterns.ts';

// Dates of birth. Other dates (a deadline, an appointment) are no personal data and are kept.

// ---- Dates of birth: a date after « né le », « date de naissance », "born", "DOB". « né après le
// 01/01/1960 » is a condition, not someone's birth date.
const MONTHS =
  'janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|janv\\.?|févr\\.?|fevr\\.?|avr\\.?|juil\\.?|sept\\.?|oct\\.?|nov\\.?|déc\\.?|dec\\.?|' +
  'january|february|march|april|may|june|july|august|september|october|november|december|jan\\.?|feb\\.?|mar\\.?|apr\\.?|jun\\.?|jul\\.?|aug\\.?|sep\\.?';
const DATE = `(?:1er|\\d{1,2})(?: ?[/.-] ?| )\\d{1,2}(?: ?[/.-] ?| )(?:\\d{4}|\\d{2})|\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|(?:1er|premier|\\d{1,2})(?:st|nd|rd|th)?(?: of)? (?:${MONTHS}),? (?:\\d{4}|\\d{2})|(?:${MONTHS}) \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}|\\d{1,2}[-/](?:${MONTHS})[-/](?:\\d{4}|\\d{2})|(?:${MONTHS}) \\d{4}`;
const BIRTH_DATE = new RegExp(
  `\\b(?:n(?:é|ée|és|ées|ee)|n[ée]\\(e\\)|ne(?= le )|nai?ss?[ae]n[cs]e|naiss\\.?|born|DOB|d\\.o\\.b\\.?|DDN|date of birth|birth ?date|birthday|birth|anniversaire)(?![${LATIN_LETTER}])([^\\d\\n.!?]{0,45}?)(${DATE})(?!\\d)`,
  'gi',
);

// « le 12/03/1985 (ma date de naissance) »: the words after the date.
const DATE_THEN_BIRTH = new RegExp(
  `(?<!\\d)(${DATE})(?!\\d)[^\\d\\n.!?]{0,25}?\\b(?:date de naissance|naissance|birth ?date|date of birth|DOB|birthday|anniversaire)`,
  'dgi',
);
// « né le 12 mars », "birthday: 3rd May": day and month, no year, right after the words.
const BIRTH_DAY = new RegExp(
  `\\b(?:n(?:é|ée|és|ées|ee)|n[ée]\\(e\\)|born|birthday|anniversaire)(?: (?:le|on|the|is|est le|:))?:? ((?:1er|\\d{1,2})(?:st|nd|rd|th)?(?: of)? (?:${MONTHS}))(?![${LATIN_LETTER}\\d]| \\d)`,
  'gi',
);
// « Je suis du 15/06/1972 », "I was born 3/4/1980": the person's own date, with a year no later than 2015
// (« je suis du 12/04/2024 au 20/04 en congé » is a period).
const BORN_ON = new RegExp(
  `\\b(?:[Jj]e suis (?:du|de)|I was born(?: on)?) ((?:1er|\\d{1,2})(?: ?[/.-] ?| )(?:\\d{1,2}|${MONTHS})(?: ?[/.-] ?| )(?:19\\d{2}|20[01]\\d))(?!\\d)`,
  'g',
);
/** The words that bring a date of birth: most comments hold none, and skip the date-of-birth rules. */
const BIRTH_GATE = /\bn(?:[ée]|e le )|naiss|naisance|born|dob|d\.o\.b|ddn|birth|anniv/i;
// « né en 1962 », "born in 1985": the year alone, right after the words.
const BIRTH_YEAR = /\b(?:n(?:é|ée|és|ées|ee)|n[ée]\(e\)|born) (?:en|in) ((?:19|20)\d{2})(?!\d)/gi;

// « né le 30/02/1980 au lieu du 03/02/1980 », « et mon mari le 12/05/1988 »: a date with its year that follows a
// date of birth closely, in the same sentence and after a word that corrects or adds (« au lieu de », « et »,
// "instead of", "but"), is one too; « né le …, dossier déposé le 12/03/2024 » keeps the second date.
const NEXT_BIRTH_DATE = new RegExp(
  `[^\\d\\n.!?]{1,40}?(?<!\\d)(\\d{1,2}(?: ?[/.-] ?| )\\d{1,2}(?: ?[/.-] ?| )(?:19|20)\\d{2}|\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|(?:1er|\\d{1,2}) (?:${MONTHS}) (?:19|20)\\d{2})(?!\\d)`,
  'dyi',
);

const NEXT_DATE_LINK = new RegExp(
  `(?<![${LATIN_LETTER}])(?:au lieu|plut[ôo]t|pas|non|devient|et|ou|mais|alors|puis|vs|versus|en fait|c['’]est|instead|not|but|and|or|should|rather|actually|then|is|corrig|rectifi|invers)(?![${LATIN_LETTER}])|→|->|=>`,
  'i',
);
/** The dates of birth found, with the full dates that follow each closely (NEXT_BIRTH_DATE). */
function withNextDates(spans: Span[], text: string): Span[] {
  const all: Span[] = [];
  for (const span of spans) {
    all.push(span);
    let at = span[1];
    for (let more = 0; more < 3; more++) {
      NEXT_BIRTH_DATE.lastIndex = at;
      const next = NEXT_BIRTH_DATE.exec(text);
      if (
        !next ||
        !NEXT_DATE_LINK.test(next[0]) ||
        /(?:après|apres|avant|after|before|depuis|since|jusqu|until|expir|valable|valid)/i.test(next[0])
      )
        break;
      const [start, end] = groupSpan(next, 1);
      if (all.some(([s]) => s >= start) || spans.some(([s]) => s < end && s >= at)) break;
      all.push([start, end]);
      at = end;
    }
  }
  return all.sort((a, b) => a[0] - b[0]);
}

function checkBirthDate(match: RegExpExecArray): Span | null {
  return /(?:après|apres|avant|after|before|entre|between|depuis|since)/i.test(match[1]!) ? null : groupSpan(match, 2);
}

/** Dates of birth, before phones and file numbers read their digits. */
export const BIRTH_DATE_DETECTORS: readonly DetectorEntry[] = [
  ['birth_date', (text) => spansOf(BORN_ON, text, (match) => groupSpan(match, 1)), 5, 'sure', /suis d|was born/],
  ['birth_date', (text) => withNextDates(spansOf(BIRTH_DATE, text, checkBirthDate), text), 3, 'sure', BIRTH_GATE],
  ['birth_date', (text) => spansOf(BIRTH_YEAR, text, (match) => groupSpan(match, 1)), 4, 'sure', BIRTH_GATE],
  [
    'birth_date',
    (text) =>
      withNextDates(
        spansOf(DATE_THEN_BIRTH, text, (match) => groupSpan(match, 1)),
        text,
      ),
    4,
    'sure',
    /naiss|birth|DOB|anniversaire/i,
  ],
  ['birth_date', (text) => spansOf(BIRTH_DAY, text, (match) => groupSpan(match, 1)), 1, 'sure', BIRTH_GATE],
];
