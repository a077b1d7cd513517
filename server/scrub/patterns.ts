import type { Confidence, PersonalDataCategory } from './categories.ts';

// What every detector shares: the shape of a find, the way a regex's matches become spans, and the
// pieces of patterns (separators, a capitalized word, a name) the categories build theirs from.

/** A span found by a detector; the confidence, when given, overrides the detector's own. */
export type Span = readonly [start: number, end: number, confidence?: Confidence];
type Detector = (text: string) => Span[];
/**
 * The fewest digits a text must hold for a detector to find anything in it (a NIR has 13 at least,
 * a phone number 8): most comments hold few digits or none, and skip most detectors.
 */
type MinDigits = number;

export interface Found {
  category: PersonalDataCategory;
  start: number;
  end: number;
  confidence: Confidence;
  /** A flat, a staircase, a postcode with a lower-case town: an address only next to a street or a place. */
  part?: boolean;
}

/** Blanks out what a detector found; no pattern matches it, and it is no letter or digit. */
export const MASK = '\u0000';

/**
 * The spans of a global regex's matches that `check` accepts (it may narrow a match to a span).
 * A rejected match is retried one character further on, so a failed candidate hides no other.
 */
export function spansOf(pattern: RegExp, text: string, check: (match: RegExpExecArray) => Span | null = whole): Span[] {
  const spans: Span[] = [];
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const span = check(match);
    if (span) {
      spans.push(span);
      pattern.lastIndex = span[1];
    } else {
      pattern.lastIndex = match.index + 1;
    }
  }
  return spans;
}
export const whole = (match: RegExpExecArray): Span => [match.index, match.index + match[0].length];
/**
 * The match when it starts a word (no letter or digit before it). A check in code rather than a lookbehind
 * opening the pattern: a pattern that starts with a look-around is tried at every character of the text.
 */
export const atWordStart = (match: RegExpExecArray): Span | null =>
  /[\p{L}\p{N}]$/u.test(match.input.slice(Math.max(0, match.index - 2), match.index)) ? null : whole(match);
export const sized = ([start, end]: readonly [number, number], confidence: Confidence): Span => [start, end, confidence];
/**
 * Where a capture group lies: from the match's indices (flag d), or, for a pattern whose group ends the
 * match, from its length. Only the patterns whose group does not end the match carry the d flag: it
 * makes a pattern that matches often two to three times slower.
 */
export function groupSpan(match: RegExpExecArray, group: number): readonly [number, number] {
  const indices = match.indices?.[group];
  if (indices) return indices;
  const end = match.index + match[0].length;
  return [end - match[group]!.length, end];
}

export const digitsOf = (text: string): string => text.replace(/\D/g, '');

/** A French département as a licence plate's band writes it: « 75 », « 2A », « 971 ». */
export const DEPARTEMENT = '(?:0[1-9]|[1-8]\\d|9[0-5]|2A|2B|97[1-6])';
/** Licence plates as written in France and Britain: « AB-123-CD », « 1234 AB 75 », "AB12 CDE". */
const PLATE_SHAPES = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:[A-Za-z]{2}[ .-]?\\d{3}[ .-]?[A-Za-z]{2}|[A-Z]{2}\\d{2} ?[A-Z]{3}|\\d{1,4}[ -]?[A-HJ-NP-Z]{1,3}[ -]?${DEPARTEMENT})(?![\\p{L}\\p{N}])`,
  'gu',
);
/**
 * Whether a span ending at `end` would cut a licence plate in two (« numéro 1234| AB 75 », « reference
 * AB12| CDE », « 2024 AB 123| CD »): a number rule leaves the whole plate to the plate rules.
 */
export function cutsAPlate(text: string, end: number): boolean {
  const from = Math.max(0, end - 12);
  const around = text.slice(from, end + 12);
  PLATE_SHAPES.lastIndex = 0;
  for (let match = PLATE_SHAPES.exec(around); match !== null; match = PLATE_SHAPES.exec(around)) {
    if (match.index < end - from && match.index + match[0].length > end - from) return true;
    PLATE_SHAPES.lastIndex = match.index + 1;
  }
  return false;
}

// What is left once the runs of digits are taken out: one pass of the regex engine, several times
// cheaper than reading a long comment character by character here.
export const countDigits = (text: string): number => text.length - text.replace(/\d+/g, '').length;

/** `[Rr]ue|RUE`: a word as written at the start of a sentence, inside one, or in capitals. */
export const anyCase = (...words: string[]): string =>
  words.map((w) => `[${w[0]!.toUpperCase()}${w[0]!.toLowerCase()}]${w.slice(1)}|${w.toUpperCase()}`).join('|');

// Separators people put inside numbers: space, no-break spaces, dot, dash.
export const SEP = '[ .\\u00a0\\u202f-]';
export const SPACE = '[ \\u00a0\\u202f]';
// Every pattern starts with an ASCII letter or digit, so the cheap ASCII \b marks a word's start (a
// Unicode lookbehind there would be tested at every position of the text).
export const WORD_START = '\\b';
export const WORD_END = '\\b';
// Case-insensitive patterns go without the Unicode flag: its case folding makes them about four times
// slower (measured on the corpus). The words around them are French or English, so a letter is a Latin one.
export const LATIN_LETTER = 'A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F';
/**
 * A capital letter (\p{Lu}), for patterns with the Unicode flag: a cheap class that holds every capital
 * (and a few other characters), then a look back at the one character taken. Testing \p{Lu} itself at
 * every character of a text costs two to three times as much. Never inside a lookbehind (read backwards,
 * the check would look at the character before).
 */
export const UPPER = '[A-Z\\u00C0-\\u00DE\\u0100-\\u{10FFFF}](?<=\\p{Lu})';
/**
 * A letter, a combining mark, an apostrophe or a hyphen, as inside a name ([\p{L}\p{M}'’-]): the ASCII
 * letters and the three letters below U+00C0 listed, the others checked as \p{L} or \p{M} on the one
 * character taken. Read this way a name costs about half as much. Never inside a lookbehind.
 */
export const NAME_LETTER = "(?:[A-Za-z'’\\-\\u00AA\\u00B5\\u00BA]|[\\u00C0-\\u{10FFFF}](?<=[\\p{L}\\p{M}]))";
const CAP_WORD_REST = `${NAME_LETTER}{0,40}`;
/** A capitalized word: a name, a city, the name of a street (« Saint-Michel », « O’Brien », « DUPUIS »). */
export const CAP_WORD = `${UPPER}${CAP_WORD_REST}`;
/**
 * A capitalized word that starts a word (no letter before it): its capital is taken before what precedes
 * it is read, which costs less than a look-around opening the pattern.
 */
export const WORD_CAP_WORD = `${UPPER}(?<![\\p{L}]\\p{Lu})${CAP_WORD_REST}`;
export const ANY_WORD = `[\\p{L}]${CAP_WORD_REST}`;
/** Particles inside names and street names: « Françoise de La Tour », « rue du Général de Gaulle ». */
export const NAME_PARTICLE = '(?:de|du|des|de la|van|von|der|den|da|di|dos|del|le|la|bin|ben|ibn)';
/** Up to four capitalized words, particles allowed between them. */
export const NAME = `${CAP_WORD}(?:${SPACE}(?:${NAME_PARTICLE} |d['’])?${CAP_WORD}){0,3}`;

/** `part`: an address piece, kept only when it joins a street, a place or a town (mergeAddresses). */
type DetectorConfidence = Confidence | 'part';

/**
 * A cheap test a text must pass for a detector to run at all: a word the detector needs (« gmail »,
 * ".com/", « plaque »). Most comments fail most gates, which keeps the scrubber above 3 MB/s.
 */
type Gate = RegExp | ((text: string) => boolean);

/** One rule: what it finds, how, the digits a text needs for it, how sure a find is, and its gate. */
export type DetectorEntry = readonly [PersonalDataCategory, Detector, MinDigits, DetectorConfidence, Gate?];
