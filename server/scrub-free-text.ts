import type { Lang, Text } from '../shared/questionnaire.ts';

// Free text (`comment`, `help_other`) loses its personal data before it is stored: a feedback system
// run by the state must not become a store of names, numbers and addresses nobody asked for. Each
// item is replaced by a placeholder that says what was there, so the text still reads.
//
// Every pattern below runs in linear time: bounded quantifiers, and no repeated group whose pieces
// can match the same characters in more than one way, so a hostile 3,000-character comment costs
// no more than an ordinary one. Where a candidate must be checked (a key, a length), the regex finds
// it and plain code checks it.

export const PERSONAL_DATA_CATEGORIES = ['email', 'phone', 'nir', 'iban', 'card', 'tax', 'passport', 'address', 'name', 'file'] as const;
export type PersonalDataCategory = (typeof PERSONAL_DATA_CATEGORIES)[number];

export const PLACEHOLDERS: Readonly<Record<PersonalDataCategory, Text>> = {
  email: { fr: '[adresse e-mail]', en: '[email address]' },
  phone: { fr: '[numéro de téléphone]', en: '[phone number]' },
  nir: { fr: '[numéro de sécurité sociale]', en: '[social security number]' },
  iban: { fr: '[IBAN]', en: '[IBAN]' },
  card: { fr: '[numéro de carte bancaire]', en: '[card number]' },
  tax: { fr: '[numéro fiscal]', en: '[tax number]' },
  passport: { fr: '[numéro de passeport]', en: '[passport number]' },
  address: { fr: '[adresse postale]', en: '[postal address]' },
  name: { fr: '[nom]', en: '[name]' },
  file: { fr: '[numéro de dossier]', en: '[file number]' },
};

export interface Detection {
  category: PersonalDataCategory;
  start: number;
  end: number;
}

/** The text with each detected item replaced by its placeholder in the review's language. */
export function scrubFreeText(text: string, lang: Lang): string {
  const detections = findPersonalData(text);
  if (detections.length === 0) return text;
  let out = '';
  let at = 0;
  for (const { category, start, end } of detections) {
    out += text.slice(at, start) + PLACEHOLDERS[category][lang];
    at = end;
  }
  return out + text.slice(at);
}

type Span = readonly [start: number, end: number];
type Detector = (text: string) => Span[];
/**
 * The fewest digits a text must hold for a detector to find anything in it (a NIR has 13 at least,
 * a phone number 8): most comments hold few digits or none, and skip most detectors.
 */
type MinDigits = number;

/**
 * Every item found, in text order, not overlapping. Detectors run from the most certain (an e-mail,
 * a number with a valid key) to the least (a capitalized word after « M. »); each one sees the text
 * with earlier finds blanked out, so a phone number inside a file reference is not found twice.
 */
export function findPersonalData(text: string): Detection[] {
  const found: Detection[] = [];
  let masked = text;
  const digits = countDigits(text);
  for (const [category, detect, minDigits] of DETECTORS) {
    if (digits < minDigits) continue;
    const spans = detect(masked);
    if (spans.length === 0) continue;
    let next = '';
    let at = 0;
    for (const [start, end] of spans) {
      found.push({ category, start, end });
      next += masked.slice(at, start) + MASK.repeat(end - start);
      at = end;
    }
    masked = next + masked.slice(at);
  }
  found.sort((a, b) => a.start - b.start);
  return mergeAddresses(found, text);
}

/** Blanks out what a detector found; no pattern matches it, and it is no letter or digit. */
const MASK = '\u0000';

/** « 12 rue de la Paix, 75001 Paris » is one address, not two. */
function mergeAddresses(found: Detection[], text: string): Detection[] {
  const merged: Detection[] = [];
  for (const detection of found) {
    const last = merged[merged.length - 1];
    if (
      last &&
      last.category === 'address' &&
      detection.category === 'address' &&
      /^[\s,]{0,3}$/.test(text.slice(last.end, detection.start))
    ) {
      last.end = detection.end;
    } else {
      merged.push({ ...detection });
    }
  }
  return merged;
}

/**
 * The spans of a global regex's matches that `check` accepts (it may narrow a match to a span).
 * A rejected match is retried one character further on, so a failed candidate hides no other.
 */
function spansOf(pattern: RegExp, text: string, check: (match: RegExpExecArray) => Span | null = whole): Span[] {
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
const whole = (match: RegExpExecArray): Span => [match.index, match.index + match[0].length];

const digitsOf = (text: string): string => text.replace(/\D/g, '');

function countDigits(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

/** `[Rr]ue|RUE`: a word as written at the start of a sentence, inside one, or in capitals. */
const anyCase = (...words: string[]): string =>
  words.map((w) => `[${w[0]!.toUpperCase()}${w[0]!.toLowerCase()}]${w.slice(1)}|${w.toUpperCase()}`).join('|');

// Separators people put inside numbers: space, no-break spaces, dot, dash.
const SEP = '[ .\\u00a0\\u202f-]';
const SPACE = '[ \\u00a0\\u202f]';
// Every pattern starts with an ASCII letter or digit, so the cheap ASCII \b marks a word's start (a
// Unicode lookbehind there would be tested at every position of the text).
const WORD_START = '\\b';
const WORD_END = '\\b';
/** A capitalized word: a name, a city, the name of a street (« Saint-Michel », « O’Brien », « DUPUIS »). */
const CAP_WORD = "\\p{Lu}[\\p{L}\\p{M}'’-]{0,40}";
const ANY_WORD = "[\\p{L}][\\p{L}\\p{M}'’-]{0,40}";
/** Particles inside names and street names: « Françoise de La Tour », « rue du Général de Gaulle ». */
const NAME_PARTICLE = '(?:de|du|des|de la|van|von|der|den|da|di|dos|del|le|la|bin|ben|ibn)';
/** Up to four capitalized words, particles allowed between them. */
const NAME = `${CAP_WORD}(?:${SPACE}(?:${NAME_PARTICLE} |d['’])?${CAP_WORD}){0,3}`;

// ---- E-mail: found from its « @ » (or « arobase », « (at) », " at "), then read outwards, so that
// a long run of address characters without an « @ » is read once, not once per starting point.
const EMAIL_AT = /@|[ \u00a0]?[([{](?:at|arobase)[)\]}][ \u00a0]?|[ \u00a0](?:arobase|at)[ \u00a0]/gi;
// Dots may be spelled out, as people do to fool robots: « jean point dupont arobase gmail point com ».
const EMAIL_DOMAIN = /[ \u00a0]?(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.| (?:point|dot) )){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/y;
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
/** The words before a local part, when its dots are spelled out (« jean point » of « jean point dupont »). */
const SPELLED_LOCAL_START = /(?:[A-Za-z0-9._%+-]{1,64} (?:point|dot) ){1,3}$/;

function findEmails(text: string): Span[] {
  const spans: Span[] = [];
  EMAIL_AT.lastIndex = 0;
  let at: RegExpExecArray | null;
  let claimedUpTo = 0;
  while ((at = EMAIL_AT.exec(text)) !== null) {
    let start = at.index;
    if (at[0] === '@' && start > 0 && /[ \u00a0]/.test(text[start - 1]!)) start--; // « nathalie.roux @ sfr.fr »
    const localEnd = start;
    while (start > claimedUpTo && localEnd - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    while (text[start] === '.') start++;
    const local = text.slice(start, localEnd);
    if (local === '' || local.endsWith('.')) continue;
    const spelled = SPELLED_LOCAL_START.exec(text.slice(Math.max(claimedUpTo, start - 100), start));
    if (spelled) start -= spelled[0].length;
    // A bare " at " is English for « à »: only an address when the left side could not be a word.
    if (/^\s*at\s*$/i.test(at[0]) && !spelled && !/[._%+\d-]/.test(local)) continue;
    EMAIL_DOMAIN.lastIndex = at.index + at[0].length;
    const domain = EMAIL_DOMAIN.exec(text);
    if (!domain) continue;
    const end = EMAIL_DOMAIN.lastIndex;
    spans.push([start, end]);
    claimedUpTo = end;
    EMAIL_AT.lastIndex = end;
  }
  return spans;
}

// ---- IBAN, any country: two letters, two check digits, up to 30 letters or digits, often in groups
// of four. The regex takes the longest run; the country's length (when known) or the mod-97 check
// decides where it ends, so « … 189 EUR » loses its « EUR ».
const IBAN = new RegExp(`${WORD_START}[A-Za-z]{2}\\d{2}(?:${SPACE}?[A-Za-z0-9]){11,30}`, 'gu');
/** Lengths from the IBAN registry (ISO 13616); a country not listed is tried at every length. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

/** ISO 7064 mod 97-10 over an IBAN's characters (letters count as 10..35), moved as the standard says. */
function ibanChecks(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    remainder = code <= 57 ? (remainder * 10 + code - 48) % 97 : (remainder * 100 + code - 55) % 97;
  }
  return remainder === 1;
}

function checkIban(match: RegExpExecArray): Span | null {
  const run = match[0];
  // Where each character of the compact form sits in the text.
  const offsets: number[] = [];
  for (let i = 0; i < run.length; i++) if (/[A-Za-z0-9]/.test(run[i]!)) offsets.push(i);
  const compact = run.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  const known = IBAN_LENGTHS[compact.slice(0, 2)];
  const lengths = known ? [known] : Array.from({ length: compact.length - 14 }, (_, i) => compact.length - i);
  for (const length of lengths) {
    if (length > compact.length) continue;
    const last = offsets[length - 1]!;
    // An IBAN ends at the end of a group: never inside a word that goes on.
    if (last + 1 < run.length && /[A-Za-z0-9]/.test(run[last + 1]!)) continue;
    if (/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact.slice(0, length)) && ibanChecks(compact.slice(0, length))) {
      return [match.index, match.index + last + 1];
    }
  }
  return null;
}

// ---- NIR (French social security number): sex, year, month, département (2A/2B for Corsica),
// commune, order, then a two-digit key = 97 − (the 13 digits mod 97), Corsica counted as 19 and 18.
const NIR = new RegExp(`${WORD_START}[1-478](?:${SEP}?[0-9ABab]){14}${WORD_END}`, 'gu');

function checkNir(match: RegExpExecArray): Span | null {
  const compact = match[0].replace(/[^0-9ABab]/g, '').toUpperCase();
  if (!/^\d{5}(?:\d\d|2A|2B)\d{8}$/.test(compact)) return null;
  const body = compact.slice(0, 13).replace('2A', '19').replace('2B', '18');
  // 13 digits stay below 2^53: exact in a double.
  return 97 - (Number(body) % 97) === Number(compact.slice(13)) ? whole(match) : null;
}

// ---- Payment cards: 13 to 19 digits, in groups or not, the whole run checked with Luhn and a
// major network's first digit (2–6; 13 digits only for the old Visa, 4).
const CARD = /(?<!\d[ \u00a0.-]?)\d(?:[ \u00a0.-]?\d){12,18}(?![ \u00a0.-]?\d)/g;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

function checkCard(match: RegExpExecArray): Span | null {
  const digits = digitsOf(match[0]);
  const network = digits.length === 13 ? digits[0] === '4' : /^[2-6]/.test(digits);
  return network && luhn(digits) ? whole(match) : null;
}

// ---- French tax number (numéro fiscal, SPI): 13 digits starting 0–3. Introduced as such, it is one
// before anything else; bare, it is one unless a file reference claimed it (that word explains it)
// or it is a card or a NIR, ruled out earlier by their keys.
const TAX_DIGITS = '[0-3](?:[ \\u00a0.]?\\d){12}(?![ \\u00a0.]?\\d)';
const TAX = new RegExp(`(?<![A-Za-z_])(?<!\\d[ \\u00a0.]?)${TAX_DIGITS}`, 'g');
const TAX_INTRODUCED = new RegExp(
  `${WORD_START}(?:(?:num[ée]ro|n°|nº|no\\.?|identifiant|id)(?: d['’]identification)? fiscal|SPI|NIF|TIN|tax (?:ID|identification number|number|no\\.?))` +
    `(?: ?(?::|est|is)){0,2} ?(${TAX_DIGITS})`,
  'dgi',
);

// ---- Passport (French model): 2 digits, 2 letters, 5 digits; spaced only with capital letters,
// so that « 12 km 34567 » stays.
const PASSPORT = new RegExp(`${WORD_START}\\d{2}(?:[A-Za-z]{2}|${SPACE}[A-Z]{2}${SPACE})\\d{5}${WORD_END}`, 'gu');

// ---- Phones. French numbers in their usual writings, then any international (E.164) number.
// Neither starts inside a longer group of digits (the tail of a mistyped IBAN is no phone number).
const NOT_INSIDE_NUMBER = `(?<![\\p{L}\\p{N}+])(?<!\\d${SEP})`;
// The four pairs share one separator (slashes too: « 06/12/34/56/78 »), so that a date followed by
// a number (« 06/12/2024 10 ») is not read as one.
const FR_PHONE = new RegExp(
  `${NOT_INSIDE_NUMBER}(?:(?:\\+|00)33${SEP}?(?:\\(0\\)${SEP}?)?[1-9]|0[1-9])([ ./\\u00a0\\u202f-]?)\\d{2}(?:\\1\\d{2}){3}(?!\\d)`,
  'gu',
);
// North American numbers as written at home: "(415) 555-2671".
const NANP_PHONE = /(?<![\w+])\(\d{3}\) ?\d{3}[-. ]\d{4}(?!\d)/g;
const INTL_PHONE = new RegExp(`${NOT_INSIDE_NUMBER}(?:\\+|00)[1-9](?:${SEP}?(?:\\(0\\))?\\d){7,14}(?!\\d)`, 'gu');

// ---- File, application and customer numbers, only when introduced as such: the word says what
// the number is (« dossier n° », « numéro de demande », "case no.", « Référence : »).
const FILE_NOUN_FR =
  'dossier|demande|client|allocataire|adh[ée]rent|usager|r[ée]clamation|ticket|suivi|commande|contrat|sinistre|facture|affaire|requ[êe]te|inscription|convocation|candidature|r[ée]servation|rendez-vous|saisine|recours|b[ée]n[ée]ficiaire|s[ée]jour';
// The bodies whose member numbers people quote: « mon numéro CAF », « identifiant France Travail ».
const FILE_BODIES = 'CAF|MSA|CPAM|URSSAF|France Travail|P[ôo]le emploi|ANTS|Ameli';
const FILE_NOUN_EN =
  'application|case|file|customer|client|claim|ticket|tracking|order|request|booking|account|reference|appointment|complaint|member|membership';
const NUMBER_WORD = 'n°|nº|no\\.?|nr\\.?|num[ée]ro|num\\.|number|#';
const FILE_INTRO = [
  // « numéro de dossier », « n° client », « référence de dossier », « numéro de suivi du recommandé »
  `(?:${NUMBER_WORD}|r[ée]f[ée]rence|r[ée]f\\.|identifiant)\\s?(?:de |du |d['’] ?)?(?:mon |ma |votre |la |le )?(?:${FILE_NOUN_FR}|${FILE_BODIES})(?: (?:du|de la|de l['’]|d['’]|de) ?[A-Za-zÀ-ÿ-]{2,20})?`,
  // « dossier n° », « demande numéro », "case no.", "application number", "Ticket #"
  `(?:${FILE_NOUN_FR}|${FILE_NOUN_EN})(?: ID)? ?(?:${NUMBER_WORD}|id\\b)`,
  // « Référence : », « réf. », "Reference:", « Identifiant : »
  `r[ée]f[ée]rence|r[ée]f\\.?|reference|ref\\.?|identifiant|ID`,
].join('|');
const FILE_ID = '[A-Za-z0-9](?:[A-Za-z0-9]|[-/._](?=[A-Za-z0-9])){1,39}';
const FILE_NUMBER = new RegExp(
  `${WORD_START}(?:${FILE_INTRO})(?: ?(?::|=|est|is|:)){0,2} ?(?:n° ?|no\\. ?|# ?)?(${FILE_ID})${WORD_END}`,
  // Case-insensitive without the Unicode flag: ASCII and Latin-1 folding is all these words need, and faster.
  'dgi',
);

/** The identifier alone: the words that introduce it stay. */
function checkFileNumber(match: RegExpExecArray): Span | null {
  // An identifier holds at least two digits: « dossier n° 2 » is a count, « référence claire » a word.
  if (digitsOf(match[1]!).length < 2) return null;
  return match.indices![1]!;
}

// A file word followed at once by a long number (« mon dossier 2024-123456 »): five digits at
// least, so that « ma demande 2023 » or « commande 3 articles » stay.
const FILE_NUMBER_AFTER_NOUN = new RegExp(`${WORD_START}(?:${FILE_NOUN_FR}|${FILE_NOUN_EN}) (${FILE_ID})${WORD_END}`, 'dgi');

function checkBareFileNumber(match: RegExpExecArray): Span | null {
  return digitsOf(match[1]!).length >= 5 ? match.indices![1]! : null;
}

// ---- Postal addresses. French: number (+ bis/ter), street type, name. Street types that are also
// ordinary words (« 2 cours de français », « 1 place de parking », « 1 mail de relance ») need a
// capitalized name after them.
const STREET_TYPES_PLAIN = anyCase(
  'rue',
  'avenue',
  'av\\.?',
  'boulevard',
  'bd\\.?',
  'bld\\.?',
  'bvd\\.?',
  'chemin',
  'allée',
  'allee',
  'impasse',
  'quai',
  'lotissement',
  'lieu-dit',
  'résidence',
  'residence',
  'faubourg',
  'fbg\\.?',
  'imp\\.',
  'ruelle',
  'sentier',
  'esplanade',
  'promenade',
  'rond-point',
  'hameau',
  'square',
  'parvis',
  'montée',
  'traverse',
  'villa',
);
const STREET_TYPES_WORDS = anyCase(
  'place',
  'pl\\.',
  'cours',
  'route',
  'rte\\.?',
  'passage',
  'voie',
  'cité',
  'cite',
  'mail',
  'port',
  'clos',
);
const STREET_ARTICLE = "(?:de la |de l['’]|du |des |de |d['’]|la |le |les |l['’])?";
const STREET_NUMBER = `${WORD_START}\\d{1,4}(?:${SPACE}?(?:bis|ter|quater|[A-Da-d])${WORD_END})?,?${SPACE}`;
const FR_STREET = new RegExp(
  `${STREET_NUMBER}(?:(?:${STREET_TYPES_PLAIN})${SPACE}${STREET_ARTICLE}${ANY_WORD}|(?:${STREET_TYPES_WORDS})${SPACE}${STREET_ARTICLE}${CAP_WORD})` +
    `(?:[ -](?:${NAME_PARTICLE} |d['’])?(?:${CAP_WORD}|\\d{1,4}(?= ))){0,4}`,
  'gu',
);
// English: number, capitalized name, street type ("221B Baker Street", "1600 Pennsylvania Avenue").
const EN_STREET_TYPES =
  'Street|St\\.?|Road|Rd\\.?|Avenue|Ave\\.?|Lane|Ln\\.?|Drive|Boulevard|Blvd\\.?|Court|Ct\\.?|Place|Way|Square|Terrace|Close|Crescent|Gardens|Grove|Row|Walk|Parade|Mews';
const EN_STREET = new RegExp(`${WORD_START}\\d{1,5}[A-Za-z]? (?:${CAP_WORD} ){1,3}(?:${EN_STREET_TYPES})${WORD_END}`, 'gu');
// Postcode and city: « 75001 Paris », « 13100 Aix-en-Provence », « 85000 La Roche-sur-Yon ».
const CITY_PARTICLE = '(?:sur|sous|en|lès|les|le|la|de|du|des|aux)';
const POSTCODE_CITY = new RegExp(
  `(?<![\\p{L}\\p{N}.,])(?:0[1-9]|[1-8]\\d|9[0-8])\\d{3} (?!(?:Euros?|EUR|Km|Habitants?)${WORD_END})${CAP_WORD}` +
    `(?:[ -](?:${CITY_PARTICLE}[ -])?${CAP_WORD}){0,3}(?: (?:CEDEX|Cedex)(?: \\d{1,2})?)?`,
  'gu',
);

// ---- Names, only when introduced: by a civility, a self-introduction, a form label or a signature.
const CIVILITY =
  'M\\.|MM\\.|Mr\\.?|Mrs\\.?|Ms\\.?|Mx\\.?|Mme\\.?|Mmes|Mlle\\.?|Mlles|Miss|Dr\\.?|Docteur|Doctor|Pr\\.?|Professeur|Professor|Me|Maître|Maitre|' +
  '[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|MONSIEUR|MADAME|MADEMOISELLE|MME\\.?|MLLE\\.?|MRS\\.?|MR\\.?|Sir|Dame';
/** Capitalized words that, first after an introduction, make it a title, a function or a word: not a name. */
const NOT_A_NAME = new Set([
  'Maire',
  'Mayor',
  'Préfet',
  'Préfète',
  'Prefet',
  'Président',
  'Présidente',
  'President',
  'Directeur',
  'Directrice',
  'Director',
  'Ministre',
  'Minister',
  'Juge',
  'Judge',
  'Député',
  'Sénateur',
  'Conseiller',
  'Conseillère',
  'Agent',
  'Officer',
  'Secretary',
  'Secrétaire',
  'Chairman',
  'Madam',
  'Monsieur',
  'Madame',
  'The',
  'Or',
  'Et',
  // Nationalities and languages, after "I'm" or « je suis »: "I'm French Canadian".
  'French',
  'British',
  'English',
  'American',
  'Canadian',
  'German',
  'Spanish',
  'Italian',
  'Portuguese',
  'Belgian',
  'Swiss',
  'Irish',
  'Dutch',
  'Polish',
  'Chinese',
  'Indian',
  'African',
  'European',
  'Français',
  'Française',
  'Belge',
  'Suisse',
  'Européen',
  'Européenne',
  'Canadien',
  'Canadienne',
  'Marocain',
  'Marocaine',
  'Algérien',
  'Algérienne',
  'Tunisien',
  'Tunisienne',
  // Words that end a thank-you: « Merci Beaucoup », "Thanks Again".
  'Beaucoup',
  'Encore',
  'Infiniment',
  'Bravo',
  'Again',
  'All',
  'Everyone',
  'Team',
  'Tous',
  'Toutes',
  'Bonne',
  'Good',
]);
/** Articles that begin surnames (« Le Goff ») but also titles (« Monsieur Le Maire »): the next word decides. */
const ARTICLES = new Set(['Le', 'La', 'Les', "L'", 'L’']);
// Word processors put a no-break space after « M. »: any space may follow the civility.
const CIVILITY_NAME = new RegExp(`${WORD_START}(?:${CIVILITY})${SPACE}?(${NAME})`, 'dgu');
const INTRODUCED_NAME = new RegExp(
  `${WORD_START}(?:[Jj]e m['’] ?app?elle|[Mm]on (?:nom|prénom|nom de famille|nom d['’]usage) (?:est|c['’]est)|` +
    `[Mm]y (?:full |first |last |family |sur)?name is|I am called|(?:[Nn]om|NOM|[Pp]rénom|[Pp]renom|[Nn]om de famille|[Nn]ame|[Ss]urname|[Ff]irst name|[Ll]ast name) ?:) ?(${NAME})`,
  'dgu',
);
// "I'm John Smith", « je suis Jean Dupont » only with two capitalized words: "I'm French" is not a name.
const I_AM_NAME = new RegExp(
  `${WORD_START}(?:I(?:['’]m| am)|[Jj]e suis) (${CAP_WORD}(?:[ \\u00a0](?:${NAME_PARTICLE} )?${CAP_WORD}){1,2})`,
  'dgu',
);
// A signature closes the text: « Cordialement, Jeanne Moreau ».
const SIGNED_NAME = new RegExp(
  `${WORD_START}(?:[Cc]ordialement|[Bb]ien [àa] vous|[Ss]alutations(?: distinguées)?|[Bb]est regards|[Kk]ind regards|[Rr]egards|[Ss]incerely|[Yy]ours sincerely|` +
    // A short thank-you and a first name, as the last words: "Thanks, Dave", « Merci, Julie ».
    `[Tt]hanks,|[Tt]hank you,|[Cc]heers,|[Mm]erci,)[,.]?\\s{1,3}(${NAME})[.!]?\\s*$`,
  'dgu',
);

/** The name alone: « M. », « je m’appelle » stay, so the text still reads. */
function checkName(match: RegExpExecArray): Span | null {
  const words = match[1]!.split(/[ \u00a0]/);
  const first = ARTICLES.has(words[0]!) ? words[1] : words[0];
  if (first === undefined || NOT_A_NAME.has(first)) return null;
  return match.indices![1]!;
}

const DETECTORS: readonly (readonly [PersonalDataCategory, Detector, MinDigits])[] = [
  ['email', findEmails, 0],
  // Some countries' account numbers hold letters: 6 digits is below any IBAN of the registry.
  ['iban', (text) => spansOf(IBAN, text, checkIban), 6],
  ['nir', (text) => spansOf(NIR, text, checkNir), 13],
  ['card', (text) => spansOf(CARD, text, checkCard), 13],
  ['phone', (text) => spansOf(INTL_PHONE, text), 8],
  ['phone', (text) => spansOf(FR_PHONE, text), 10],
  ['phone', (text) => spansOf(NANP_PHONE, text), 10],
  ['passport', (text) => spansOf(PASSPORT, text), 7],
  ['tax', (text) => spansOf(TAX_INTRODUCED, text, (match) => match.indices![1]!), 13],
  ['file', (text) => spansOf(FILE_NUMBER, text, checkFileNumber), 2],
  ['file', (text) => spansOf(FILE_NUMBER_AFTER_NOUN, text, checkBareFileNumber), 5],
  ['tax', (text) => spansOf(TAX, text), 13],
  ['address', (text) => spansOf(FR_STREET, text), 1],
  ['address', (text) => spansOf(EN_STREET, text), 1],
  ['address', (text) => spansOf(POSTCODE_CITY, text), 5],
  ['name', (text) => spansOf(CIVILITY_NAME, text, checkName), 0],
  ['name', (text) => spansOf(INTRODUCED_NAME, text, checkName), 0],
  ['name', (text) => spansOf(I_AM_NAME, text, checkName), 0],
  ['name', (text) => spansOf(SIGNED_NAME, text, checkName), 0],
];
