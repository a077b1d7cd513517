import type { Lang, WidgetLang, WidgetText } from '../shared/questionnaire.ts';
import { isGivenName, isKnownName, isSurname } from './scrub/names.ts';
import { normalise } from './scrub/normalise.ts';

// Free text (`comment`, `help_other`) loses its personal data before it is stored: a feedback system
// run by the state must not become a store of names, numbers and addresses nobody asked for. Each
// item is replaced by a placeholder that says what was there, so the text still reads.
//
// Every pattern below runs in linear time: bounded quantifiers, and no repeated group whose pieces
// can match the same characters in more than one way, so a hostile 3,000-character comment costs
// no more than an ordinary one. Where a candidate must be checked (a key, a length), the regex finds
// it and plain code checks it.

export const PERSONAL_DATA_CATEGORIES = [
  'email',
  'phone',
  'nir',
  'iban',
  'card',
  'tax_number',
  'passport',
  'ip',
  'plate',
  'birth_date',
  'name',
  'address',
  'file_number',
  'handle',
] as const;
export type PersonalDataCategory = (typeof PERSONAL_DATA_CATEGORIES)[number];

export const PLACEHOLDERS: Readonly<Record<PersonalDataCategory, WidgetText>> = {
  email: {
    fr: '[adresse e-mail]',
    en: '[email address]',
    es: '[dirección de correo electrónico]',
    pt: '[endereço de e-mail]',
    de: '[E-Mail-Adresse]',
    it: '[indirizzo e-mail]',
    ar: '[عنوان بريد إلكتروني]',
  },
  phone: {
    fr: '[numéro de téléphone]',
    en: '[phone number]',
    es: '[número de teléfono]',
    pt: '[número de telefone]',
    de: '[Telefonnummer]',
    it: '[numero di telefono]',
    ar: '[رقم هاتف]',
  },
  nir: {
    fr: '[numéro de sécurité sociale]',
    en: '[social security number]',
    es: '[número de la seguridad social]',
    pt: '[número de segurança social]',
    de: '[Sozialversicherungsnummer]',
    it: '[numero di previdenza sociale]',
    ar: '[رقم الضمان الاجتماعي]',
  },
  iban: { fr: '[IBAN]', en: '[IBAN]', es: '[IBAN]', pt: '[IBAN]', de: '[IBAN]', it: '[IBAN]', ar: '[IBAN]' },
  card: {
    fr: '[numéro de carte bancaire]',
    en: '[card number]',
    es: '[número de tarjeta bancaria]',
    pt: '[número de cartão bancário]',
    de: '[Kartennummer]',
    it: '[numero di carta bancaria]',
    ar: '[رقم بطاقة مصرفية]',
  },
  tax_number: {
    fr: '[numéro fiscal]',
    en: '[tax number]',
    es: '[número fiscal]',
    pt: '[número fiscal]',
    de: '[Steuernummer]',
    it: '[codice fiscale]',
    ar: '[رقم ضريبي]',
  },
  passport: {
    fr: '[numéro de passeport]',
    en: '[passport number]',
    es: '[número de pasaporte]',
    pt: '[número de passaporte]',
    de: '[Reisepassnummer]',
    it: '[numero di passaporto]',
    ar: '[رقم جواز السفر]',
  },
  ip: {
    fr: '[adresse IP]',
    en: '[IP address]',
    es: '[dirección IP]',
    pt: '[endereço IP]',
    de: '[IP-Adresse]',
    it: '[indirizzo IP]',
    ar: '[عنوان IP]',
  },
  plate: {
    fr: "[plaque d'immatriculation]",
    en: '[licence plate]',
    es: '[matrícula]',
    pt: '[matrícula]',
    de: '[Kennzeichen]',
    it: '[targa]',
    ar: '[لوحة تسجيل]',
  },
  birth_date: {
    fr: '[date de naissance]',
    en: '[date of birth]',
    es: '[fecha de nacimiento]',
    pt: '[data de nascimento]',
    de: '[Geburtsdatum]',
    it: '[data di nascita]',
    ar: '[تاريخ الميلاد]',
  },
  name: { fr: '[nom]', en: '[name]', es: '[nombre]', pt: '[nome]', de: '[Name]', it: '[nome]', ar: '[اسم]' },
  address: {
    fr: '[adresse postale]',
    en: '[postal address]',
    es: '[dirección postal]',
    pt: '[morada]',
    de: '[Postanschrift]',
    it: '[indirizzo postale]',
    ar: '[عنوان بريدي]',
  },
  file_number: {
    fr: '[numéro de dossier]',
    en: '[file number]',
    es: '[número de expediente]',
    pt: '[número de processo]',
    de: '[Aktenzeichen]',
    it: '[numero di pratica]',
    ar: '[رقم الملف]',
  },
  handle: {
    fr: '[pseudonyme]',
    en: '[username]',
    es: '[seudónimo]',
    pt: '[pseudónimo]',
    de: '[Benutzername]',
    it: '[pseudonimo]',
    ar: '[اسم مستخدم]',
  },
};

/**
 * The placeholder of a category as stored with a held-back span. A category no later version knows
 * still gets a placeholder: confirming a span must mask it, whatever it was called.
 */
export function placeholderOf(category: string): WidgetText {
  return (PERSONAL_DATA_CATEGORIES as readonly string[]).includes(category)
    ? PLACEHOLDERS[category as PersonalDataCategory]
    : {
        fr: '[donnée personnelle]',
        en: '[personal data]',
        es: '[dato personal]',
        pt: '[dado pessoal]',
        de: '[personenbezogene Daten]',
        it: '[dato personale]',
        ar: '[بيانات شخصية]',
      };
}

/** A category in words, for people: the placeholder without its brackets (« nom », "phone number"). */
export const categoryWords = (category: string, lang: Lang): string => placeholderOf(category)[lang].slice(1, -1);

/**
 * `sure`: the shape or a key leaves no doubt, or the words around it say what it is (« je m'appelle »,
 * « né le », « numéro étranger »). `unsure`: a guess from a list or the look of a word (a given name in
 * the middle of a sentence, an old-style plate with nothing around it), right most of the time only.
 */
export type Confidence = 'sure' | 'unsure';

export interface Detection {
  category: PersonalDataCategory;
  /** Offsets into the text as the user typed it. */
  start: number;
  end: number;
  confidence: Confidence;
}

export interface Suspect {
  /** Offsets into the scrubbed text that `scrubWithSuspects` returns. */
  start: number;
  end: number;
  category: PersonalDataCategory;
}

/**
 * The text with every detected item replaced by its placeholder in the review's language, the unsure
 * ones too: for text nobody will check (the write path holds unsure items back with `scrubWithSuspects`).
 */
export function scrubFreeText(text: string, lang: WidgetLang): string {
  return replaceDetections(text, lang, findPersonalData(text), () => true).text;
}

/** The text with the sure items replaced, and where the unsure ones (left as typed) now stand in it. */
export function scrubWithSuspects(text: string, lang: WidgetLang): { text: string; suspects: Suspect[] } {
  return replaceDetections(text, lang, findPersonalData(text), (d) => d.confidence === 'sure');
}

function replaceDetections(
  text: string,
  lang: WidgetLang,
  detections: readonly Detection[],
  replace: (detection: Detection) => boolean,
): { text: string; suspects: Suspect[] } {
  const suspects: Suspect[] = [];
  if (detections.length === 0) return { text, suspects };
  let out = '';
  let at = 0;
  for (const detection of detections) {
    out += text.slice(at, detection.start);
    if (replace(detection)) {
      out += PLACEHOLDERS[detection.category][lang];
    } else {
      suspects.push({ start: out.length, end: out.length + detection.end - detection.start, category: detection.category });
      out += text.slice(detection.start, detection.end);
    }
    at = detection.end;
  }
  return { text: out + text.slice(at), suspects };
}

/** A span found by a detector; the confidence, when given, overrides the detector's own. */
type Span = readonly [start: number, end: number, confidence?: Confidence];
type Detector = (text: string) => Span[];
/**
 * The fewest digits a text must hold for a detector to find anything in it (a NIR has 13 at least,
 * a phone number 8): most comments hold few digits or none, and skip most detectors.
 */
type MinDigits = number;

interface Found {
  category: PersonalDataCategory;
  start: number;
  end: number;
  confidence: Confidence;
  /** A flat, a staircase, a postcode with a lower-case town: an address only next to a street or a place. */
  part?: boolean;
}

/**
 * Every item found, in text order, not overlapping, with offsets into the text as typed. Detectors
 * read the normalised text (server/scrub/normalise.ts) and run from the most certain (an e-mail, a
 * number with a valid key) to the least (a given name in mid-sentence); each one sees the text with
 * earlier finds blanked out, so a phone number inside a file reference is not found twice.
 */
export function findPersonalData(original: string): Detection[] {
  const { text, map } = normalise(original);
  const found: Found[] = [];
  let masked = text;
  const digits = countDigits(text);
  for (const [category, detect, minDigits, confidence, gate] of DETECTORS) {
    // A function gate reads the text before any masking: masks only take words away, so its yes
    // stays true of a superset, and it is computed once (see hasGivenName).
    if (digits < minDigits || (gate && !(typeof gate === 'function' ? gate(text) : gate.test(masked)))) continue;
    const spans = detect(masked);
    if (spans.length === 0) continue;
    let next = '';
    let at = 0;
    for (const [start, spanEnd, own] of spans) {
      // « Léa D. »: the initial's full stop goes with the name, or the label outlives it by a dot.
      const end =
        category === 'name' && masked[spanEnd] === '.' && /(?<![\p{L}])\p{Lu}$/u.test(masked.slice(spanEnd - 2, spanEnd))
          ? spanEnd + 1
          : spanEnd;
      if (end <= start) continue;
      found.push({ category, start, end, confidence: own ?? (confidence === 'part' ? 'unsure' : confidence), part: confidence === 'part' });
      next += masked.slice(at, start) + MASK.repeat(end - start);
      at = end;
    }
    masked = next + masked.slice(at);
  }
  found.sort((a, b) => a.start - b.start);
  return mergeAddresses(found, text).map(({ category, start, end, confidence }) => ({
    category,
    start: map ? map.starts[start]! : start,
    end: map ? map.ends[end - 1]! : end,
    confidence,
  }));
}

/** Blanks out what a detector found; no pattern matches it, and it is no letter or digit. */
const MASK = '\u0000';

/**
 * « 12 rue de la Paix, 75001 Paris » is one address, not two, and so is « Résidence Les Tilleuls, bât. B,
 * 31000 Toulouse ». A piece that is only an address next to another (a flat number, a lower-case town)
 * is dropped when it stands alone. The whole is sure when one of its pieces is.
 */
function mergeAddresses(found: Found[], text: string): Found[] {
  const merged: Found[] = [];
  for (const detection of found) {
    const last = merged[merged.length - 1];
    if (
      last &&
      last.category === 'address' &&
      detection.category === 'address' &&
      /^(?:[\s,;/–—-]{0,4}|,? (?:du|au|à) |,? (?:apt|appt|app)\.? )$/.test(text.slice(last.end, detection.start))
    ) {
      last.end = detection.end;
      if (!detection.part) last.part = false;
      if (detection.confidence === 'sure' && !detection.part) last.confidence = 'sure';
    } else {
      merged.push({ ...detection });
    }
  }
  return merged.filter((d) => !d.part);
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
const sized = ([start, end]: readonly [number, number], confidence: Confidence): Span => [start, end, confidence];
/**
 * Where a capture group lies: from the match's indices (flag d), or, for a pattern whose group ends the
 * match, from its length. Only the patterns whose group does not end the match carry the d flag: it
 * makes a pattern that matches often two to three times slower.
 */
function groupSpan(match: RegExpExecArray, group: number): readonly [number, number] {
  const indices = match.indices?.[group];
  if (indices) return indices;
  const end = match.index + match[0].length;
  return [end - match[group]!.length, end];
}

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
// Case-insensitive patterns go without the Unicode flag: its case folding makes them about four times
// slower (measured on the corpus). The words around them are French or English, so a letter is a Latin one.
const LATIN_LETTER = 'A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F';
const CAP_WORD = "\\p{Lu}[\\p{L}\\p{M}'’-]{0,40}";
const ANY_WORD = "[\\p{L}][\\p{L}\\p{M}'’-]{0,40}";
/** Particles inside names and street names: « Françoise de La Tour », « rue du Général de Gaulle ». */
const NAME_PARTICLE = '(?:de|du|des|de la|van|von|der|den|da|di|dos|del|le|la|bin|ben|ibn)';
/** Up to four capitalized words, particles allowed between them. */
const NAME = `${CAP_WORD}(?:${SPACE}(?:${NAME_PARTICLE} |d['’])?${CAP_WORD}){0,3}`;

// ---- E-mail: found from its « @ » (or « arobase », « chez », « (at) », " at "), then read outwards, so
// that a long run of address characters without an « @ » is read once, not once per starting point.
const EMAIL_AT = /@|[ \u00a0]?[([{](?:at|a|ar?robase)[)\]}][ \u00a0]?|[ \u00a0](?:ar?robase|at|chez)[ \u00a0]/gi;
/** Top-level domains after which a dot written with spaces, or a comma typed for a dot, still ends an address. */
const TLDS = '(?:com|fr|net|org|eu|be|de|it|es|ch|ca|uk|co|io|me|info|gouv|re|pt|nl|lu)(?![A-Za-z0-9])';
// Dots may be spelled out, as people do to fool robots: « jean point dupont arobase gmail point com »;
// « gmail . com » and « sfr,fr » too, but only before a known top-level domain, so that « …@gmail.com. Merci »
// does not take « Merci » for one.
const EMAIL_DOMAIN = new RegExp(
  `[ \\u00a0]?(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\\.| (?:point|dot) | ?[([{](?:point|dot)[)\\]}] ?|(?: \\. ?|\\. |,)(?=${TLDS}))){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`,
  'iy',
);
// Accented local parts (« élodie.mélançon@orange.fr ») are typed, if not delivered everywhere.
const LOCAL_CHAR = /[\p{L}\p{N}._%+-]/u;
/** The words before a local part, when its dots are spelled out (« jean point » of « jean point dupont »). */
const SPELLED_LOCAL_START = /(?:[A-Za-z0-9._%+-]{1,64} (?:point|dot) ){1,3}$/i;

function findEmails(text: string): Span[] {
  const spans: Span[] = [];
  EMAIL_AT.lastIndex = 0;
  let at: RegExpExecArray | null;
  let claimedUpTo = 0;
  while ((at = EMAIL_AT.exec(text)) !== null) {
    let start = at.index;
    const spacedAt = at[0] === '@' && start > 0 && /[ \u00a0]/.test(text[start - 1]!);
    if (spacedAt) start--; // « nathalie.roux @ sfr.fr »
    const localEnd = start;
    while (start > claimedUpTo && localEnd - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    // « helene .marchal », « jean . dupont »: spaces typed around a dot inside the local part.
    for (let pieces = 0; pieces < 3; pieces++) {
      const dotted = /(?:^|[^\p{L}\p{N}._%+-])([\p{L}\p{N}_%+-]{1,64}(?: \.|\. | \. ))$/u.exec(
        text.slice(Math.max(claimedUpTo, start - 70), start),
      );
      if (!dotted || text[start] === ' ' || !LOCAL_CHAR.test(text[start] ?? '')) break;
      start -= dotted[1]!.length;
    }
    if (text[start] === '.' && text[start - 1] === ' ' && start - 1 > claimedUpTo && LOCAL_CHAR.test(text[start - 2] ?? '')) {
      start--;
      const spaceAt = start;
      while (start > claimedUpTo && spaceAt - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    }
    while (text[start] === '.') start++;
    const local = text.slice(start, localEnd);
    if (local === '' || local.endsWith('.')) continue;
    const spelled = SPELLED_LOCAL_START.exec(text.slice(Math.max(claimedUpTo, start - 100), start));
    if (spelled) start -= spelled[0].length;
    // A bare " at " is English for « à », « chez » French for "at": only an address when the left side
    // could not be a word.
    // So is a word before a spaced « @ » (« les adresses en @gouv.fr »), unless a known provider follows.
    const afterAt = text.slice(at.index + at[0].length, at.index + at[0].length + 20);
    const provider = EMAIL_PROVIDER_ONLY.exec(afterAt);
    const plainWord = !spelled && !/[._%+\d-]/.test(local);
    const knownProvider = /^ (?:gmail|hotmail|yahoo|outlook|wanadoo|laposte|icloud|proton)/i.test(afterAt);
    if ((spacedAt || /^\s*(?:at|chez)\s*$/i.test(at[0])) && plainWord && !knownProvider) continue;
    EMAIL_DOMAIN.lastIndex = at.index + at[0].length;
    const domain = EMAIL_DOMAIN.exec(text);
    if (!domain && !(provider && !plainWord)) continue;
    const end = domain ? EMAIL_DOMAIN.lastIndex : at.index + at[0].length + provider![0].length;
    spans.push([start, end]);
    claimedUpTo = end;
    EMAIL_AT.lastIndex = end;
  }
  return spans;
}

// « jean.dupont sur gmail »: a dotted or numbered local part and a known provider stand for the address.
const PROVIDERS = 'gmail|hotmail|yahoo|outlook|orange|free|laposte|sfr|wanadoo|icloud|protonmail|proton|live|msn|aol|gmx|neuf|bbox';
/** « jean.dupont@gmail » without its « .com »: a known provider is enough. */
const EMAIL_PROVIDER_ONLY = new RegExp(`^ ?(?:${PROVIDERS})(?![A-Za-z0-9.-])`, 'i');
const EMAIL_ON_PROVIDER =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-]{1,64}(?:\.[\p{L}\p{N}_%+-]{1,64}){1,4} (?:sur|chez|on|at) (?:gmail|hotmail|yahoo|outlook|orange|free|laposte|sfr|wanadoo|icloud|protonmail|proton|live|msn|aol|gmx)(?![\p{L}\p{N}])/giu;

// ---- IBAN, any country: two letters, two check digits, up to 30 letters or digits, often in groups
// of four. The regex takes the longest run; the country's length (when known) or the mod-97 check
// decides where it ends, so « … 189 EUR » loses its « EUR ».
const IBAN = new RegExp(`${WORD_START}[A-Za-z]{2} ?\\d{2}(?:[ .\\u00a0\\u202f-]?[A-Za-z0-9]){11,30}`, 'gu');
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
  // « FR 76… » is an IBAN; « le 34 00 … » or « ai 76 ans … » is not.
  if (run[2] === ' ' && !(/^[A-Z]{2}$/.test(run.slice(0, 2)) && IBAN_LENGTHS[run.slice(0, 2)])) return null;
  if (digitsOf(run).length < 8) return null;
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
const NIR = new RegExp(`${WORD_START}[1-478](?:(?: - |${SEP})?[0-9ABab]){14}${WORD_END}`, 'gu');

function checkNir(match: RegExpExecArray): Span | null {
  // Read digit by digit, without building strings: a run of digits offers a candidate at every digit.
  const run = match[0];
  let body = 0;
  let key = 0;
  let count = 0;
  for (let i = 0; i < run.length; i++) {
    let code = run.charCodeAt(i) | 0x20; // A and B in either case
    if (code === 0x61 || code === 0x62) {
      // Corsica: 2A and 2B in the département (6th and 7th characters) count as 19 and 18.
      if (count !== 6 || body % 10 !== 2) return null;
      body = body - 2 + 1;
      code = code === 0x61 ? 0x39 : 0x38;
    } else if (code < 0x30 || code > 0x39) {
      continue;
    }
    const digit = code - 0x30;
    // 13 digits stay below 2^53: exact in a double.
    if (count < 13) body = body * 10 + digit;
    else key = key * 10 + digit;
    count++;
  }
  return count === 15 && 97 - (body % 97) === key ? whole(match) : null;
}

// ---- Payment cards: 13 to 19 digits, in groups or not, the whole run checked with Luhn and a
// major network's first digit (2–6; 13 digits only for the old Visa, 4).
const CARD = /\d(?<!\d[ \u00a0.-]?\d)(?:[ \u00a0.-]?\d){12,18}(?![ \u00a0.-]?\d)/g;

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
const TAX = new RegExp(`(?=[0-3])(?<![A-Za-z_])(?<!\\d[ \\u00a0.]?)${TAX_DIGITS}`, 'g');
const TAX_INTRODUCED = new RegExp(
  `${WORD_START}(?:(?:num[ée]ro|n°|nº|no\\.?|identifiant|id)(?: d['’]identification)? fiscal|SPI|NIF|TIN|tax (?:ID|identification number|number|no\\.?))` +
    `(?: ?(?::|est|is)){0,2} ?(${TAX_DIGITS})`,
  'gi',
);

// ---- Passport (French model): 2 digits, 2 letters, 5 digits; spaced only with capital letters,
// so that « 12 km 34567 » stays.
const PASSPORT = new RegExp(`${WORD_START}\\d{2}(?:[A-Za-z]{2}-?|-[A-Za-z]{2}-?|${SPACE}[A-Z]{2}${SPACE}?)\\d{5}${WORD_END}`, 'gu');

// ---- Phones. French numbers in their usual writings, then any international (E.164) number.
// Neither starts inside a longer group of digits (the tail of a mistyped IBAN is no phone number).
// The lookahead first: the lookbehinds are then tested only where a number may start.
const NOT_INSIDE_NUMBER = `(?=[+0])(?<![\\p{L}\\p{N}+])(?<!\\d${SEP})`;
// The four pairs share one separator (slashes too: « 06/12/34/56/78 »), so that a date followed by
// a number (« 06/12/2024 10 ») is not read as one.
const FR_PHONE = new RegExp(
  `${NOT_INSIDE_NUMBER}(?:(?:\\+|00)33${SEP}?(?:\\(0\\)${SEP}?)?[1-9]|0[1-9])([ ./\\u00a0\\u202f-]?)\\d{2}(?:\\1\\d{2}){3}(?!\\d)`,
  'gu',
);
// North American numbers as written at home: "(415) 555-2671".
const NANP_PHONE = /(?=[+(])(?<![\w+])(?:\+1[ .-]?)?\(\d{3}\) ?\d{3}[-. ]\d{4}(?!\d)/g;
// A French number in any grouping (« 061 247 8532 », « 0 7 5 2 1 4 8 9 6 3 », « 0590 82 14 67 »): ten
// digits from 01–07 or 09; slashes only when every separator is one (so a date and a time, « 06/12/2024
// 10 », stay).
// 08 numbers are the services' own (0 800 …), not a person's.
const FR_PHONE_ANY_GROUPING = new RegExp(
  `${NOT_INSIDE_NUMBER}0[ ./-]?[1-79](?:[ ./-]?\\d){8}(?![ ./-]?\\d)|(?=\\()(?<![\\p{L}\\p{N}])\\(0[1-79]\\) ?\\d(?:[ ./-]?\\d){7}(?![ ./-]?\\d)`,
  'gu',
);

function checkPhoneGrouping(match: RegExpExecArray): Span | null {
  const separators = match[0].replace(/\d/g, '');
  return !separators.includes('/') || /^\/+$/.test(separators) ? whole(match) : null;
}
// British numbers as written at home: « 07700 900123 », « 020 7946 0018 ».
const UK_PHONE = new RegExp(`${NOT_INSIDE_NUMBER}0(?:7\\d{3} ?\\d{6}|20 ?\\d{4} ?\\d{4})(?![ .-]?\\d)`, 'gu');
// After a word that says « phone » (« tél », « portable », "call me on", "WhatsApp"), any run of 9 to 15
// digits in groups is one, whatever its country or grouping.
const PHONE_CUE = anyCase(
  'tel',
  'tél',
  'téléphone',
  'telephone',
  'phone',
  'portable',
  'mobile',
  'fixe',
  'whatsapp',
  'gsm',
  'cell',
  'call',
  'text',
  'joignable',
  'rappeler',
  'appeler',
  'appelez',
  'contacter',
);
const CUED_PHONE = new RegExp(
  `\\b(?:${PHONE_CUE})(?![\\p{L}])[^\\d\\n]{0,25}?((?:\\+|00|\\(\\+?)?\\d(?:[ .()-]{0,2}\\d){8,14})(?![ .-]?\\d)`,
  'gu',
);
// « (+33) 6-12-55-80-31 »: the country code in brackets.
const BRACKETED_CODE_PHONE = /(?=\()(?<![\w+])\(\+?[1-9]\d{0,2}\)[ .-]?\d(?:[ .-]?\d){7,12}(?![ .-]?\d)/g;
// « zéro six 12 34 56 79 », « zéro six douze trente-quatre 56 78 »: the first digits in words, the pairs in
// digits or in words.
const NUMBER_WORDS =
  'un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante|z[ée]ro|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|oh';
const SPELLED_PAIR = `(?:\\d\\d?|(?:${NUMBER_WORDS})(?:[- ](?:et[- ])?(?:${NUMBER_WORDS})){0,2})`;
const SPELLED_PHONE = new RegExp(
  `\\b(?:z[ée]ro|zero|oh) (?:un|deux|trois|quatre|cinq|six|sept|neuf|one|two|three|four|five|seven|nine)(?:(?:[ ./-]?\\d){8}(?![ ./-]?\\d)|(?:[ ,./-]{1,2}${SPELLED_PAIR}){4,8}(?![${LATIN_LETTER}\\d]))`,
  'gi',
);
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
// Groups separated by a space go on while the next one holds a digit: « 5517 2039 », « 24 75 C33 112 908 44 ».
const FILE_ID = '(?=[A-Za-z0-9./_-]*\\d)[A-Za-z0-9](?:[A-Za-z0-9]|[-/._](?=[A-Za-z0-9])| (?=[A-Z]?\\d)){1,39}';
const FILE_NUMBER = new RegExp(
  `${WORD_START}(?:${FILE_INTRO})(?: ?(?::|=|est|is|:)){0,2} ?(?:n° ?|no\\. ?|# ?)?(${FILE_ID})${WORD_END}`,
  // Case-insensitive without the Unicode flag: ASCII and Latin-1 folding is all these words need, and faster.
  'gi',
);

/** Shaped like a NIR, an IBAN or a card: a number that failed its key check earlier is no file number either. */
const KEYED_SHAPE = /^(?:[1-478]\d{4}(?:\d\d|2A|2B)\d{8}|\d{16}|[A-Z]{2}\d{2}[A-Z0-9]{10,30})$/i;
const keyedShape = (id: string): boolean => KEYED_SHAPE.test(id.replace(/[ .-]/g, ''));

/** The identifier alone: the words that introduce it stay. */
function checkFileNumber(match: RegExpExecArray): Span | null {
  // An identifier holds at least two digits: « dossier n° 2 » is a count, « référence claire » a word.
  if (digitsOf(match[1]!).length < 2 || keyedShape(match[1]!)) return null;
  return groupSpan(match, 1);
}

// A file word followed at once by a long number (« mon dossier 2024-123456 »): five digits at
// least, so that « ma demande 2023 » or « commande 3 articles » stay.
const FILE_NUMBER_AFTER_NOUN = new RegExp(
  `${WORD_START}(?:${FILE_NOUN_FR}|${FILE_NOUN_EN})(?: (?:est|c['’]est|is)(?: le)?)? (${FILE_ID})${WORD_END}`,
  'gi',
);
/** « mon rendez-vous 12/03/2024 », « ma demande est le 2024-03-12 »: a date, not a number. */
const DATE_SHAPE = /^(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})$/;

function checkBareFileNumber(match: RegExpExecArray): Span | null {
  return digitsOf(match[1]!).length >= 5 && !keyedShape(match[1]!) && !DATE_SHAPE.test(match[1]!) ? groupSpan(match, 1) : null;
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
  'chaussée',
  'allées',
  'ave\\.?',
  'ch\\.',
  'venelle',
  'sente',
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
  'cour',
  'carrefour',
  'zone',
);
const STREET_ARTICLE = "(?:de la |de l['’]|du |des |de |d['’]|la |le |les |l['’])?";
// « chambre 208, résidence … » is a room in a place, not a number in a street.
const STREET_NUMBER = `(?=[Nn\\d])(?<!(?:[Cc]hambre|[Aa]pp?t|[Bb][âa]t(?:iment)?|[Ee]sc(?:alier)?|[Pp]orte|[Ll]ot|[Mm]aison|[Ll]ogement|[Ee]mplacement)\\.? )(?:[Nn]°${SPACE}?)?${WORD_START}\\d{1,4}(?:-\\d{1,4})?(?:${SPACE}?(?:bis|ter|quater|[A-Da-d])${WORD_END})?,?${SPACE}`;
const FR_STREET = new RegExp(
  `${STREET_NUMBER}(?:de la |de l['’]|du )?(?:(?:${STREET_TYPES_PLAIN})${SPACE}${STREET_ARTICLE}(?:${ANY_WORD}|\\d{1,2} ${CAP_WORD})|(?:${STREET_TYPES_WORDS})${SPACE}${STREET_ARTICLE}${CAP_WORD}|[Rr]\\.? (?:de la |de l['’]|du |des |de )${ANY_WORD}|[Rr]\\. ${CAP_WORD}|(?:Grande?|Grand['’]|GRANDE?) (?:Rue|RUE))` +
    // Words in lower case too when a postcode follows: « 12 rue victor hugo 75001 paris »; an
    // arrondissement (« Paris 15e »); up to six pieces, so that « Victor Hugo Bât A Apt 12 » holds.
    `(?:[ -](?:${NAME_PARTICLE} |d['’])?(?:${CAP_WORD}|\\d{1,4}(?:er|e|ème|eme)?(?![\\p{L}\\p{N}]))| \\p{Ll}[\\p{L}'’]{0,30}(?=(?: [\\p{L}'’-]{1,30}){0,3},? \\d{5} )){0,6}`,
  'gu',
);
// English: number, capitalized name, street type ("221B Baker Street", "1600 Pennsylvania Avenue").
const EN_STREET_TYPES =
  'Street|St\\.?|Road|Rd\\.?|Avenue|Ave\\.?|Lane|Ln\\.?|Drive|Boulevard|Blvd\\.?|Court|Ct\\.?|Place|Way|Square|Terrace|Close|Crescent|Gardens|Grove|Row|Walk|Parade|Mews';
const EN_STREET = new RegExp(`${WORD_START}\\d{1,5}[A-Za-z]? (?:${CAP_WORD} ){1,3}(?:${EN_STREET_TYPES})${WORD_END}`, 'gu');
// Postcode and city: « 75001 Paris », « 13100 Aix-en-Provence », « 85000 La Roche-sur-Yon ».
const CITY_PARTICLE = '(?:sur|sous|en|lès|les|le|la|de|du|des|aux)';
const POSTCODE_CITY = new RegExp(
  `(?=\\d)(?<![\\p{L}\\p{N}.,])(?:0[1-9]|[1-8]\\d|9[0-8]) ?\\d{3} (?!(?:Euros?|EUR|Km|Habitants?)${WORD_END})${CAP_WORD}` +
    `(?:[ -](?:${CITY_PARTICLE}[ -])?(?!(?:CEDEX|Cedex)(?![\\p{L}]))${CAP_WORD}){0,3}(?: (?:CEDEX|Cedex)(?: \\d{1,2})?| \\d{1,2}(?:er|e|ème|eme)(?![\\p{L}\\p{N}]))?(?:,? (?:France|FRANCE))?`,
  'gu',
);

// ---- Street tails and address pieces. A street followed by « à Brioude » or « , Lyon » at a clause's end.
// Flat, floor or staircase may come between: « 3 allée Jean Jaurès appartement 12 à Villeurbanne ».
const STREET_TOWN = new RegExp(
  `^(?:,? (?:[Aa]ppartement|[Aa]pp?t\\.?|[Aa]pp\\.|[Bb][âa]t(?:iment)?\\.?|[Ee]sc(?:alier)?\\.?|[ÉEée]tage|[Pp]orte) [A-Z0-9]{1,4}){0,3}(?:,? à ${CAP_WORD}(?:-${CAP_WORD}){0,3}|, ${CAP_WORD}(?: \\d{1,2}(?:er|e|ème|eme))?(?=[;.)]|$)|,? (?:0[1-9]|[1-8]\\d|9[0-8])\\d{3}(?![\\p{L}\\p{N}]| ?€| ?euros?| \\p{L}))`,
  'u',
);

function withTown(spans: Span[], text: string): Span[] {
  return spans.map(([start, end]) => {
    const town = STREET_TOWN.exec(text.slice(end, end + 60));
    return town ? [start, end + town[0].length] : [start, end];
  });
}

// "4 Privet Drive, Little Whinging, Surrey": towns and a county after an English street.
const ENGLISH_TOWNS = new RegExp(`^(?:, ${CAP_WORD}(?: ${CAP_WORD})?){1,2}(?=[,;.)]|$| [a-z])`, 'u');

function withEnglishTown(spans: Span[], text: string): Span[] {
  return spans.map(([start, end]) => {
    const towns = ENGLISH_TOWNS.exec(text.slice(end, end + 80));
    return towns ? [start, end + towns[0].length] : [start, end];
  });
}

// A named place that stands for a street: « Résidence Les Tilleuls », « Lieu-dit Les Granges », « Cité des
// Bosquets », « hameau de Vergnes ». Alone it is a guess (« la Cité des sciences »): unsure.
const PLACE_TYPES = anyCase(
  'résidence',
  'residence',
  'lieu-dit',
  'lieudit',
  'lotissement',
  'cité',
  'domaine',
  'hameau',
  'camping',
  'bâtiment',
  'batiment',
  'immeuble',
  'quartier',
  'lieu dit',
  'villa',
  'tour',
  'foyer',
  'pavillon',
  'parc',
  'mas',
  'lot\\.',
  'lotiss\\.',
  'rés\\.',
  'res\\.',
  'résid\\.',
);
const NAMED_PLACE = new RegExp(
  `\\b(?:(?:${PLACE_TYPES})(?: universitaire)?|HLM)${SPACE}${STREET_ARTICLE}${CAP_WORD}(?: (?:${NAME_PARTICLE} |d['’])?${CAP_WORD}){0,4}(?![\\p{L}\\p{N}])`,
  'gu',
);
/**
 * « 12 lot. Les Mimosas »: a number right before the place is its own. Read back from the match, as a
 * number optional at the pattern's start made it try every position (the costliest address rule then).
 */
function withPlaceNumber(match: RegExpExecArray): Span {
  const number = /(?<!\w)\d{1,4} $/.exec(match.input.slice(Math.max(0, match.index - 6), match.index));
  return [match.index - (number ? number[0].length : 0), match.index + match[0].length];
}
// The name of a building or an estate right before a street found earlier (blanked out by then):
// « Les Jardins de Provence, 12 allée des Pins ».
const PLACE_NAME_BEFORE_STREET = new RegExp(
  `(?=\\p{Lu})(?<![\\p{L}])${CAP_WORD}(?: (?:${NAME_PARTICLE} |d['’])?${CAP_WORD}){1,4},? (?=\\u0000)`,
  'gu',
);
/** « Jean Dupont, 12 rue … » is a person, then an address: the name is left to the name rules. */
function checkPlaceName(match: RegExpExecArray): Span | null {
  const first = wordsOf(match[0])[0]!.replace(/,$/, '');
  if (
    isGivenName(first) ||
    /(?:M\.|Mme|Mr|Mrs|Ms|Madame|Monsieur|Dr)\s*$/.test(match.input.slice(Math.max(0, match.index - 12), match.index))
  )
    return null;
  return whole(match);
}
// Pieces of an address that are one only next to another piece: « bât. B », « esc. 2 », « appt 14 »,
// « lot 17 », « BP 45 », « 3e étage », a postcode with a town typed in lower case.
const ADDRESS_PIECE = new RegExp(
  `(?=[AaBbCcEeFfHhLlMmPpRrSsUu\\d])(?<![\\p{L}\\p{N}])(?:(?:[Bb][âa]t(?:iment)?\\.?|BAT\\.?|[Ee]sc(?:alier)?\\.?|[Aa]pp?t\\.?|[Aa]pp\\.|[Aa]ppartement|[Aa]partment|[Ff]lat|[Uu]nit|[Ss]uite|[Bb]loc|[Cc]age|[Hh]all|[Ss]tudio|[Bb]ox|[Pp]avillon|[Aa]ppartement|[Ll]ot|[Mm]aison|[Ee]mplacement|[Cc]hambre|[Ll]ogement|[Pp]orte|[Ee]ntrée|BP|B\\.P\\.|[Bb]o[îi]te [Pp]ostale|BOITE POSTALE|CS) ?(?:n° ?)?[A-Z0-9]{1,4}|\\d{1,2}(?:e|ème|eme|è|er) (?:étage|etage)(?: (?:porte )?(?:gauche|droite|\\d{1,3}))?|RDC|[Rr]ez-de-chaussée|[Ll]e [Bb]ourg)(?![\\p{L}\\p{N}])` +
    `|(?=\\d)(?<![\\p{L}\\p{N}.,])(?:0[1-9]|[1-8]\\d|9[0-8])\\d{3} \\p{Ll}[\\p{L}-]{1,40}`,
  'gu',
);
// A British postcode, after its town or not: "London SW1A 1AA".
const UK_POSTCODE = /\b(?:[A-Z][a-z]{2,20} )?[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b/g;
// A street without its number, when a postcode or « à » and a town follow: « rue des Acacias à Nantes ».
const STREET_WITHOUT_NUMBER = new RegExp(
  `\\b(?:${anyCase('rue', 'avenue', 'boulevard', 'allée', 'impasse', 'chemin', 'quai', 'route', 'place')})${SPACE}${STREET_ARTICLE}${CAP_WORD}(?: (?:${NAME_PARTICLE} |d['’])?${CAP_WORD}){0,3}` +
    // The postcode may already be blanked out by POSTCODE_CITY, which runs first.
    `(?=,? (?:\\u0000|(?:0[1-9]|[1-8]\\d|9[0-8])\\d{3} |à \\p{Lu}))`,
  'gu',
);
// A street without its number after the words that say it is where someone lives: « j'habite rue des
// Lilas », « domiciliée chemin des Vignes », "I live on Church Road" is a home, not a street in the news.
const LIVES_ON_STREET = new RegExp(
  `\\b(?:[Hh]abit(?:e|es|ons|ez|ent|ais|ait|é|ée)|[Dd]omicili[ée]e?s?|[Dd]emeurant|[Rr][ée]sidant|[Ll]ive[sd]? (?:at|on|in)|[Ll]iving (?:at|on|in)|[Aa]dresse ?:)(?: (?:au|à|a|aux|dans la|dans le|en|sur|la|le|l['’]|the)){0,2} ` +
    `((?:${anyCase('rue', 'avenue', 'boulevard', 'allée', 'allee', 'impasse', 'chemin', 'quai', 'route', 'place', 'square', 'sentier', 'cours', 'passage')})${SPACE}${STREET_ARTICLE}${ANY_WORD}(?: (?:${NAME_PARTICLE} |d['’])?${CAP_WORD}){0,3}` +
    `|${CAP_WORD}(?: ${CAP_WORD}){0,2} (?:${EN_STREET_TYPES}))(?![\\p{L}])`,
  'dgu',
);
// Belgian and Swiss writing, the number after the street: « Rue de la Loi 16, 1000 Bruxelles ».
const NUMBER_AFTER_STREET = new RegExp(
  `\\b(?:${anyCase('rue', 'avenue', 'chaussée', 'boulevard', 'place', 'chemin', 'route')})${SPACE}${STREET_ARTICLE}${CAP_WORD}(?: (?:${NAME_PARTICLE} |d['’])?${CAP_WORD}){0,3} \\d{1,4}[A-Za-z]?,? \\d{4} ${CAP_WORD}`,
  'gu',
);
// « Paris 75015 »: the town first. Alone it may be a guess.
// Found from the postcode, then read back to the town: starting at every capital cost more than the
// rest of the address rules together.
const POSTCODE_ALONE = /(?=\d)(?<=[\p{L}] )(?:0[1-9]|[1-8]\d|9[0-8])\d{3}(?![\p{N}*/.-]| ?€| ?euros?)/gu;
const TOWN_BEFORE = /(?<![\p{L}])(\p{Lu}[\p{L}-]{2,40}) $/u;
const NOT_A_TOWN = /^(?:Cerfa|CERFA|Formulaire|Form|Article|Loi|Décret|Code|Version|Dossier|Ticket|Facture|Compte|Contrat)$/;

function findTownThenPostcode(text: string): Span[] {
  const spans: Span[] = [];
  for (const [start, end] of spansOf(POSTCODE_ALONE, text)) {
    const town = TOWN_BEFORE.exec(text.slice(Math.max(0, start - 42), start));
    if (town && !NOT_A_TOWN.test(town[1]!)) spans.push([start - town[0].length, end]);
  }
  return spans;
}
// "Springfield, IL 62704, USA": a United States town, state and ZIP code.
const US_TOWN = new RegExp(`(?=\\p{Lu})(?<![\\p{L}])${CAP_WORD}(?: ${CAP_WORD})?, [A-Z]{2} \\d{5}(?:-\\d{4})?(?:, USA)?(?!\\d)`, 'gu');

// ---- RIB: bank, branch, account, key, checked (key = 97 − (89 × bank + 15 × branch + 3 × account) mod 97,
// letters of the account counted as the standard says). Bare, or with the field names typed.
const RIB_BARE = /(?=\d)(?<![\p{L}\p{N}])\d{5} ?\d{5} ?[0-9A-Z]{11} ?\d{2}(?![\p{L}\p{N}])/gu;
const RIB_FIELDS =
  /\b(?:[Cc]ode )?[Bb]anque ?:? ?(\d{5})[,;/]? (?:[Cc]ode )?[Gg]uichet ?:? ?(\d{5})[,;/]? (?:(?:[Nn]°|[Nn]uméro|[Nn]umero) (?:de )?)?[Cc]ompte ?:? ?([0-9A-Z]{11})[,;/]? [Cc]l[ée](?: RIB)? ?:? ?(\d{2})(?!\d)/gu;
const RIB_LETTERS = '123456789123456789234567890';

function ribChecks(bank: string, branch: string, account: string, key: string): boolean {
  const digits = account.replace(/[A-Z]/g, (c) => RIB_LETTERS[c.charCodeAt(0) - 65]!);
  return 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(digits)) % 97) === Number(key);
}
function checkRib(match: RegExpExecArray): Span | null {
  const compact = match[0].replace(/ /g, '');
  return ribChecks(compact.slice(0, 5), compact.slice(5, 10), compact.slice(10, 21), compact.slice(21)) ? whole(match) : null;
}
const checkRibFields = (match: RegExpExecArray): Span | null =>
  ribChecks(match[1]!, match[2]!, match[3]!, match[4]!) ? whole(match) : null;

// ---- Passports of other countries, only when the word says so: « passeport marocain : ZT4829017 »,
// "US passport 548213790", « passport: 22LC 18457 ». Six to nine letters and digits, five digits at least.
const PASSPORT_CUE = /\b(?:[Pp]ass?e?ports?|PASS?E?PORTS?|[Pp]asaporte|[Pp]assaporto|[Rr]eisepass)(?![\p{L}])/gu;
/** Candidates after the cue, up to the sentence's end: the first shaped like a passport number is it. */
const PASSPORT_CANDIDATE = /(?<![\p{L}\p{N}])[A-Za-z0-9]{2,9}(?:[ -]\d{3,7})?(?![\p{L}\p{N}])/gu;

function findIntroducedPassports(text: string): Span[] {
  const spans: Span[] = [];
  for (const cue of spansOf(PASSPORT_CUE, text)) {
    const window = text.slice(cue[1], cue[1] + 60).split(/[.!?\n](?:\s|$)|\n/)[0]!;
    for (const candidate of spansOf(PASSPORT_CANDIDATE, window)) {
      const id = window.slice(candidate[0], candidate[1]);
      const compact = id.replace(/[ -]/g, '');
      if (digitsOf(compact).length >= 5 && compact.length >= 6 && compact.length <= 9 && !/[a-z]/.test(compact.slice(2))) {
        spans.push([cue[1] + candidate[0], cue[1] + candidate[1]]);
        break;
      }
    }
  }
  return spans;
}

// ---- IPv4 addresses: four numbers up to 255; a version number (« 126.0.6478.127 ») has a part above it.
const OCTET = '(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)';
const IPV4 = new RegExp(`(?=\\d)(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?!\\d|\\.\\d)`, 'g');
// « IP 86 . 245 . 17 . 203 »: spaces around the dots, only right after the word IP.
const SPACED_IPV4 = new RegExp(
  `\\b(?:IP|ip|Ip)(?: ?(?:address|adresse|est|is|:)){0,2} ?(${OCTET}(?: ?[.,] ?${OCTET}){3})(?![\\d.,]\\d)`,
  'dg',
);
// IPv6: hexadecimal groups and colons, with a group of three or four characters (« 14:30:00 » is a time).
const IPV6 = /(?<![\w:])(?=[0-9A-Fa-f:]*[0-9A-Fa-f]{3})(?:[0-9A-Fa-f]{1,4}:){2,7}(?::?[0-9A-Fa-f]{1,4}|:)(?![\w:])/g;

function checkIpv6(match: RegExpExecArray): Span | null {
  return (match[0].match(/:/g)?.length ?? 0) >= 4 || match[0].includes('::') ? whole(match) : null;
}

// ---- Licence plates. Since 2009 (SIV): « AB-123-CD », with spaces, dots, dashes or nothing between the
// groups (users do not know which letters the register leaves out, so any letter counts).
// Found from its digits, the letters before read back (groups 1 and 2): starting at every letter cost
// three times as much.
const SIV_PLATE =
  /(?<=(?<![\p{L}\p{N}-])([A-Z]{2}[ .-]?))\d{3}[ .-]?[A-Z]{2}(?![\p{L}\p{N}])|(?=\d)(?<![\p{L}\p{N}-])\d-[A-Z]{3}-\d{3}(?![\p{L}\p{N}])|(?<=(?<![\p{L}\p{N}-])([a-z]{2}-))\d{3}-[a-z]{2}(?![\p{L}\p{N}-])/gu;
const sivPlate = (match: RegExpExecArray): Span => [match.index - (match[1] ?? match[2] ?? '').length, match.index + match[0].length];
// In lower case or in another country's shape (« ab-123-cd », "AB12 CDE"), only after a word that says « plate ».
const CUED_PLATE_CANDIDATE =
  /(?<![\p{L}\p{N}])(?=[A-Za-z0-9 -]{0,9}\d)(?=[A-Za-z0-9 -]{0,9}[A-Za-z])[A-Za-z0-9]{1,4}(?:[ -][A-Za-z0-9]{1,4}){1,2}(?![\p{L}\p{N}])/gu;
const PLATE_CUE_WORD =
  /\b(?:plaque|immat|immatriculation|immatricul[ée]e?|plate|registration|reg\.|licence|license|v[ée]hicule|voiture|moto|scooter|camion|vehicle|car)(?![A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F])/gi;

const PLATE_STOPWORDS = new Set(
  'en de du le la les un une des et ou mon ma mes sa son ses car the and of in on my is it at to a au aux par sur'.split(' '),
);

function findCuedPlates(text: string): Span[] {
  const spans: Span[] = [];
  for (const cue of spansOf(PLATE_CUE_WORD, text)) {
    const window = text.slice(cue[1], cue[1] + 40).split(/[.!?\n](?:\s|$)|\n/)[0]!;
    for (const candidate of spansOf(CUED_PLATE_CANDIDATE, window)) {
      const compact = window.slice(candidate[0], candidate[1]).replace(/[ -]/g, '');
      // Letters and digits, two of each at least (« AB12 CDE », "B-AB 1234", « ab 123 cd »), and no
      // little word among them: « en 2008 », « 205 de mon » are no plates.
      const groups = window.slice(candidate[0], candidate[1]).split(/[ -]/);
      const plain = groups.some((g) => PLATE_STOPWORDS.has(g.toLowerCase()));
      if (!plain && compact.length >= 5 && compact.length <= 8 && /\d.*\d/.test(compact) && /[A-Za-z].*[A-Za-z]/.test(compact)) {
        spans.push([cue[1] + candidate[0], cue[1] + candidate[1]]);
        break;
      }
    }
  }
  return spans;
}
// Before 2009 (FNI): « 312 ABC 75 », « 7812 RS 69 », ending with a département. A guess unless a word
// around it says « plaque », « véhicule », "car"…
const FNI_PLATE = /(?=\d)(?<![\p{L}\p{N}])\d{1,4} ?[A-HJ-NP-Z]{1,3} ?(?:0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])(?![\p{L}\p{N}])/gu;
const PLATE_CUE =
  /(?:plaque|immat|immatricul|véhicule|vehicule|voiture|moto|scooter|camion|carte grise|plate|registration|registered|car|vehicle)[^\n]{0,40}$/i;

function checkFniPlate(match: RegExpExecArray): Span | null {
  const before = match.input.slice(Math.max(0, match.index - 60), match.index);
  return [match.index, match.index + match[0].length, PLATE_CUE.test(before) ? 'sure' : 'unsure'];
}

// ---- Dates of birth: a date after « né le », « date de naissance », "born", "DOB". « né après le
// 01/01/1960 » is a condition, not someone's birth date.
const MONTHS =
  'janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|janv\\.?|févr\\.?|fevr\\.?|avr\\.?|juil\\.?|sept\\.?|oct\\.?|nov\\.?|déc\\.?|dec\\.?|' +
  'january|february|march|april|may|june|july|august|september|october|november|december|jan\\.?|feb\\.?|mar\\.?|apr\\.?|jun\\.?|jul\\.?|aug\\.?|sep\\.?';
const DATE = `(?:1er|\\d{1,2})(?: ?[/.-] ?| )\\d{1,2}(?: ?[/.-] ?| )(?:\\d{4}|\\d{2})|\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|(?:1er|\\d{1,2})(?:st|nd|rd|th)?(?: of)? (?:${MONTHS}),? (?:\\d{4}|\\d{2})|(?:${MONTHS}) \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}|\\d{1,2}[-/](?:${MONTHS})[-/](?:\\d{4}|\\d{2})|(?:${MONTHS}) \\d{4}`;
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

// ---- File numbers introduced by a number word and a few words that say whose (« numéro étranger »,
// « référence de l'avis », « n° de demande ANEF : », « code demande ANTS », "beneficiary number"). Four
// digits at least, so that « guichet n° 4 », « code B78 » stay; not after a form, a law or an article.
const FILE_CUE = `(?:\\b(?:n°|nº|no\\.?|nr\\.?|num[ée]ro|num\\.|number|r[ée]f[ée]rence|r[ée]f\\.?|reference|code|identifiant|id)|#)`;
const QUALIFIER_WORD = `[${LATIN_LETTER}][${LATIN_LETTER}'’-]{0,24}(?![${LATIN_LETTER}'’-])`;
const SPACED_ID = FILE_ID;
const FILE_INTRODUCED = new RegExp(
  `${FILE_CUE}(?![${LATIN_LETTER}])((?: ?${QUALIFIER_WORD}){0,6}?)(?: ?[:=]| c['’]est(?: le)?| est| is)?(?: ?n°| ?no\\.?| ?#)? ?(${SPACED_ID})(?![${LATIN_LETTER}\\d*])`,
  'gi',
);
/** Words that make the number something else: a phone, a page, an article, a code that is no file. */
const NOT_A_FILE =
  /(?:^|\s|['’])(?:t[ée]l[ée]?phone|tel|t[ée]l\.|portable|mobile|phone|fixe|d[ée]partement|page|version|article|[ée]tape|v[ée]rification|verification|erreur|error|postal|income|revenus?|montant|amount|s[ée]cu|s[ée]curit[ée]|fiscal|fiscaux|passeport|passport|carte|card|cb|iban|rib|unique|vert|gratuit|appel|bus|guichet|case|box|ligne de)(?=$|\s)/i;
const NOT_A_FILE_BEFORE =
  /(?:cerfa|formulaire|imprimé|form|loi|décret|decree|article|directive|règlement|case|box|guichet|v[ée]rification|verification|sms|otp|pin|secret|postal)\s*$/i;
/** An amount: « 24 350 € ». */
const AMOUNT_AFTER = /^ ?(?:€|euros?\b|EUR\b|\$|£)/i;

function checkIntroducedFile(match: RegExpExecArray): Span | null {
  if (digitsOf(match[2]!).length < 4 || NOT_A_FILE.test(match[1]!)) return null;
  if (keyedShape(match[2]!)) return null;
  if (NOT_A_FILE_BEFORE.test(match.input.slice(Math.max(0, match.index - 20), match.index))) return null;
  const [, end] = groupSpan(match, 2);
  if (AMOUNT_AFTER.test(match.input.slice(end, end + 7))) return null;
  return groupSpan(match, 2);
}
// Acronyms and nouns that alone say « file number » before one: « NEPH 231006200417 », « ANEF 690-2024-… ».
const FILE_ACRONYM = new RegExp(
  `(?<![\\p{L}])(?:NEPH|AGDREF|ANEF|OFPRA|CNAV|MDPH|RSA|PV|r[ée]c[ée]piss[ée]|allocataire|[ée]tranger|naturalisation|avis|${FILE_BODIES}|CNI|carte d['’]identit[ée]|carte vitale|ID card|identity card)(?: (?:n°|no\\.?|#))?(?: (?:est|c['’]est|is)(?: le)?)? ?:? (${SPACED_ID})(?![\\p{L}\\p{N}*])`,
  'gu',
);
const checkFileAcronym = (match: RegExpExecArray): Span | null => (digitsOf(match[1]!).length >= 5 ? groupSpan(match, 1) : null);

// The reference of a tax notice by its shape alone: year, département, a letter and eight to ten digits
// (« 24 75 A12 345 678 90 », « 2375A05391266 »); nothing else is written so.
const TAX_NOTICE_REFERENCE = /(?=\d)(?<![\p{L}\p{N}])\d{2} ?\d{2} ?[A-Z]\d{2}(?: ?\d){6,8}(?![\p{L}\p{N}])/gu;

// ---- Social handles. Mastodon first (it holds an « @ » like an e-mail), profile addresses, then « @name ».
const MASTODON_HANDLE = /@(?<![\p{L}\p{N}._%+-]@)[A-Za-z0-9_]{1,30}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,4}(?![A-Za-z0-9-])/gu;
const PROFILE_HANDLE =
  /(?<![\p{L}\p{N}./])(?:(?:www\.)?(?:facebook|fb|instagram|linkedin|twitter|x|tiktok|youtube|threads)\.com\/(?:in\/|@)?[A-Za-z0-9_.-]{1,60}[A-Za-z0-9_]|u\/[A-Za-z0-9_-]{3,30}|[A-Za-z0-9-]{2,40}\.bsky\.social|live:[A-Za-z0-9_.-]{2,40}[A-Za-z0-9_])(?![A-Za-z0-9_])/gu;
const AT_HANDLE = /@(?<![\p{L}\p{N}._%+-]@)[A-Za-z0-9_](?:[A-Za-z0-9_]|\.(?=[A-Za-z0-9_])){1,29}/gu;

/** « @gouv.fr », « @outlook.com » name a domain, not a person. */
function checkAtHandle(match: RegExpExecArray): Span | null {
  const next = match.input[match.index + match[0].length];
  if (next === '-' || next === '@') return null;
  const lastLabel = match[0].includes('.') ? match[0].slice(match[0].lastIndexOf('.') + 1) : '';
  return new RegExp(`^${TLDS}$`, 'i').test(lastLabel) ? null : whole(match);
}
// « snap : kev.du.62 », « mon pseudo sur le forum c'est Patou1956 », "discord: zorglub_84": after the name
// of a network or « pseudo », a word shaped like a user name (a digit, an underscore, a dot, or capitals
// inside: « LaVieDeMaxou »).
const HANDLE_CUES = anyCase(
  'pseudo',
  'pseudonyme',
  'snap',
  'snapchat',
  'insta',
  'instagram',
  'discord',
  'skype',
  'tiktok',
  'telegram',
  'twitch',
  'youtube',
  'twitter',
  'facebook',
  'bluesky',
  'mastodon',
  'handle',
  'username',
  'gamertag',
);
const CUED_HANDLE = new RegExp(
  `\\b(?:${HANDLE_CUES})(?![\\p{L}])[^\\n.!?@]{0,30}?(?: ?: ?| c['’]est | est | is | )` +
    `(?=[A-Za-z0-9_.]*(?:[\\d_]|[a-z][A-Z]|\\.[A-Za-z]))([A-Za-z][A-Za-z0-9_.]{1,28}[A-Za-z0-9_])(?![\\p{L}\\p{N}@])`,
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
  // Services that follow a role: « ma conseillère France Travail ».
  'France',
  'Travail',
  'Services',
  'Connect',
  'Emploi',
]);
/** Articles that begin surnames (« Le Goff ») but also titles (« Monsieur Le Maire »): the next word decides. */
const ARTICLES = new Set(['Le', 'La', 'Les', "L'", 'L’']);
// Word processors put a no-break space after « M. »: any space may follow the civility.
const CIVILITY_NAME = new RegExp(`${WORD_START}(?:${CIVILITY})${SPACE}?(${NAME})`, 'gu');
const INTRODUCED_NAME = new RegExp(
  `${WORD_START}(?:[Jj]e m['’] ?app?elle|[Mm]on (?:nom|prénom|nom de famille|nom d['’]usage) (?:est|c['’]est)|` +
    `[Mm]y (?:full |first |last |family |sur)?name is|I am called|(?:[Nn]om|NOM|[Pp]rénom|[Pp]renom|[Nn]om de famille|[Nn]ame|[Ss]urname|[Ff]irst name|[Ll]ast name) ?:) ?(${NAME})`,
  'gu',
);
// "I'm John Smith", « je suis Jean Dupont » only with two capitalized words: "I'm French" is not a name.
// « je suis Karim », "I'm Sophie": one word is enough when it is a given name of the list.
const I_AM_GIVEN = new RegExp(`${WORD_START}(?:I(?:['’]m| am)|[Jj]e suis|[Cc]['’]est|[Tt]his is) (${CAP_WORD})(?![\\p{L}])`, 'gu');
const I_AM_NAME = new RegExp(
  `${WORD_START}(?:I(?:['’]m| am)|[Jj]e suis) (${CAP_WORD}(?:[ \\u00a0](?:${NAME_PARTICLE} )?${CAP_WORD}){1,2})`,
  'gu',
);
// A signature closes the text or its line (a phone number may follow): « Cordialement, Jeanne Moreau ».
const SIGNED_NAME = new RegExp(
  `${WORD_START}(?:[Cc]ordialement|[Bb]ien [àa] vous|[Ss]alutations(?: distinguées)?|[Bb]est regards|[Kk]ind regards|[Rr]egards|[Ss]incerely|[Yy]ours sincerely|` +
    // A short thank-you and a first name, as the last words: "Thanks, Dave", « Merci, Julie ».
    `[Tt]hanks,|[Tt]hank you,|[Cc]heers,|[Mm]erci,)[,.]?\\s{1,3}(${NAME})[.!]?[ \\t]*(?:\\n|$)`,
  'dgu',
);

/** The name alone: « M. », « je m’appelle » stay, so the text still reads. */
function checkName(match: RegExpExecArray): Span | null {
  const words = match[1]!.split(/[ \u00a0]/);
  const first = ARTICLES.has(words[0]!) ? words[1] : words[0];
  if (first === undefined || NOT_A_NAME.has(first)) return null;
  const [start, end] = groupSpan(match, 1);
  // « Nom : Traoré Prénom : Awa »: the next field's label ends the name, and is read as a cue in turn.
  const field = words.findIndex((word, i) => i > 0 && FIELD_LABELS.has(word));
  return field < 0 ? [start, end] : [start, start + words.slice(0, field).join(' ').length];
}
const FIELD_LABELS = new Set([
  'Prénom',
  'Prenom',
  'Nom',
  'NOM',
  'PRÉNOM',
  'PRENOM',
  'Name',
  'Surname',
  'First',
  'Last',
  'Date',
  'Adresse',
  'Address',
  'Tel',
  'Tél',
  'Téléphone',
  'Phone',
  'Email',
  'Mail',
]);

// ---- Names without a civility, found from the lists of given names and surnames (server/scrub/names.ts)
// and the words around them.
const NAME_WORD = `(?:[A-LN-Z]\\.(?:-?\\p{Lu}\\.)?|${CAP_WORD})`;
/** One to four name words: initials (« J. », « P.-A. ») and particles allowed. */
const LOOSE_NAME = `${NAME_WORD}(?:${SPACE}(?:${NAME_PARTICLE} |d['’])?${CAP_WORD}){0,3}`;
const wordsOf = (name: string): string[] => name.split(/[ \u00a0]+/).filter((w) => w !== '');
const isInitial = (word: string): boolean => /^\p{Lu}\.(?:-?\p{Lu}\.)?$/u.test(word);

/** Confidence of a run of capitalized words being a person: a known name first, a known surname next. */
function nameConfidence(words: string[]): Confidence | null {
  const [first, second] = [words[0]!, words[1]];
  if (NOT_A_NAME.has(first) || ARTICLES.has(first)) return null;
  if (isGivenName(first) || isInitial(first)) return 'sure';
  if (isSurname(first)) return 'sure';
  if (second !== undefined && (isGivenName(second) || isSurname(second))) return 'sure';
  return null;
}

// A role, then a name: « le conseiller J. Morel », « l'assistante sociale Mme … », "the agent Moreau".
const ROLE_GATE =
  /onseill|agent|gestionnaire|social|decin|avocat|notaire|cr[ée]taire|tut|docteur|instruct|officer|advis|caseworker|clerk|lawyer|doctor/i;
const ROLE_NAME = new RegExp(
  `\\b(?:conseill[eè]re?|agente?(?: d['’]accueil)?|gestionnaire|assistante? social[e]?|m[ée]decin(?: conseil| traitant)?|avocate?|notaire|secr[ée]taire|tut(?:eur|rice)|docteur|instruct(?:eur|rice)|officer|agent|advis[eo]r|caseworker|clerk|lawyer|doctor)(?:,)? (${LOOSE_NAME})`,
  'gu',
);
// A given name after the words that bring one: « merci à Sandrine », « grâce à … », « de la part de
// Thierry », « avec Nathalie », « reçue par Émilie », "thanks to Sophie", « c'est moi Dylan ».
const CUED_NAME = new RegExp(
  `\\b(?:[Mm]erci [àa]|[Mm]erci|[Bb]ravo|[Gg]râce [àa]|[Bb]onjour|[Bb]onsoir|[Hh]ello|[Hh]i|[Dd]ear|[Cc]her|[Cc]hère|[Tt]hanks to|[Tt]hanks|[Tt]hank you|grace [àa]|de la part de|avec|bonjour|bonsoir|hello|hi|dear|cher|chère|salut|par|pour|remercie|remercier|remerciements [àa]|bravo [àa]|re[çc]ue? par|accueillie? par|moi|thanks to|thank you to|thanks|thank you|with|from|by)(?:,)? (${LOOSE_NAME})`,
  'gu',
);
function checkCuedName(match: RegExpExecArray): Span | null {
  const words = wordsOf(match[1]!);
  if (!isGivenName(words[0]!)) return null;
  return sized(groupSpan(match, 1), 'sure');
}
// A family member, then a name: « ma grand-mère Odette Lemaire », « mon père, Henri de La Tour », "my mother, Ewa …".
const KIN_NAME = new RegExp(
  `\\b(?:mon|ma|mes|notre|my|our) (?:(?:ex|belle|beau|grand|petite?|arri[èe]re)-)*(?:p[èe]re|m[èe]re|fils|fille|fr[èe]re|s[œo]e?ur|mari|femme|[ée]pouse|[ée]poux|conjointe?|compagne|compagnon|oncle|tante|neveu|ni[èe]ce|cousine?|voisine?|enfant|amie?|husband|wife|son|daughter|mother|father|brother|sister|partner|neighbou?r|friend|grandmother|grandfather|aunt|uncle|m[eè]re)(?: [\\p{Ll}]{2,12})?,? (${LOOSE_NAME})`,
  'gu',
);
function checkKnownName(match: RegExpExecArray): Span | null {
  const words = wordsOf(match[1]!);
  const first = ARTICLES.has(words[0]!) ? words[1] : words[0];
  if (first === undefined || NOT_A_NAME.has(first)) return null;
  if (isKnownName(first) || isInitial(first) || words.slice(1).some((w) => isKnownName(w))) return groupSpan(match, 1);
  // After a role, a capitalized word that no list knows is still most often a surname: unsure.
  return /\p{Ll}/u.test(first) && !CIVILITY_WORD.test(first) ? sized(groupSpan(match, 1), 'unsure') : null;
}
/** « Mme », « Maître » after a role: the civility rule takes the name that follows. */
const CIVILITY_WORD = new RegExp(`^(?:${CIVILITY})$`);
// In lower case after a civility or « je m'appelle », when the lists know the word: « monsieur martin »,
// « je m'appelle julie durand ».
const LOWER_CASE_NAME = new RegExp(
  `\\b(?:[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|[Mm]me|[Mm]lle|[Mm]r|[Mm]rs|[Dd]octeur|[Mm]a[îi]tre|[Jj]e m['’] ?app?elle|[Mm]on nom est|[Mm]y name is)\\.? ` +
    `(\\p{Ll}[\\p{L}'’-]{1,30}(?: \\p{Ll}[\\p{L}'’-]{1,30})?)(?![\\p{L}])`,
  'gu',
);
/** Little words that follow a name in lower case and are names in some list: « monsieur martin ne … ». */
const LOWER_CASE_STOPWORDS = new Set('ne pas est qui que les des une pour par avec dans sur mais était has was and the'.split(' '));
function checkLowerCaseName(match: RegExpExecArray): Span | null {
  const words = wordsOf(match[1]!).map((w) => w[0]!.toUpperCase() + w.slice(1));
  if (!isKnownName(words[0]!) || ARTICLES.has(words[0]!) || NOT_A_NAME.has(words[0]!)) return null;
  // The second word only when it is a name too: « monsieur martin ne m'a pas rappelé » keeps « ne ».
  const [start, end] = groupSpan(match, 1);
  const second = words[1];
  const alone = second === undefined || second.length < 3 || LOWER_CASE_STOPWORDS.has(second.toLowerCase()) || !isKnownName(second);
  return second !== undefined && alone ? [start, start + match[1]!.indexOf(' ')] : [start, end];
}
// A given name in lower case after thanks: « merci a sandrine », "thanks to priya" (a guess: unsure).
const THANKED_LOWER_CASE =
  /\b(?:[Mm]erci|[Gg]r[âa]ce|[Rr]emercie|[Rr]emercier|[Tt]hanks|[Tt]hank you)(?: (?:à|a|beaucoup|encore|bien|to|so much)){0,3} (\p{Ll}[\p{L}'’-]{2,30})(?![\p{L}])/dgu;
function checkThankedLowerCase(match: RegExpExecArray): Span | null {
  const word = match[1]!;
  const capitalized = word[0]!.toUpperCase() + word.slice(1);
  return !LOWER_CASE_STOPWORDS.has(word) && isGivenName(capitalized) ? sized(groupSpan(match, 1), 'unsure') : null;
}
// « M Dupont »: the civility without its full stop, before a surname of the list.
const BARE_M_SURNAME = /\bM (\p{Lu}[\p{L}\p{M}'’-]{1,40})(?![\p{L}])/dgu;
const checkBareMSurname = (match: RegExpExecArray): Span | null =>
  isSurname(match[1]!) && !NOT_A_NAME.has(match[1]!) ? groupSpan(match, 1) : null;
// A maiden or married name: « née Vasseur », « épouse Lefranc ».
const MAIDEN_NAME = new RegExp(`(?<![\\p{L}])(?:née|épouse|veuve|ép\\.|maiden name) (${CAP_WORD}(?: ${CAP_WORD})?)`, 'gu');
// « BERTRAND Sylvie », "SMITH John": a surname in capitals, then a given name.
const CAPITALS_THEN_GIVEN = new RegExp(`(\\p{Lu}(?<![\\p{L}].)\\p{Lu}{1,}(?:[- ]\\p{Lu}{2,})?) (${CAP_WORD})(?![\\p{L}])`, 'gu');
function checkCapitalsThenGiven(match: RegExpExecArray): Span | null {
  if (!/\p{Ll}/u.test(match[2]!) || !isGivenName(match[2]!) || ACRONYMS.has(match[1]!)) return null;
  return [match.index, match.index + match[0].length, isSurname(match[1]!) ? 'sure' : 'unsure'];
}
/** Capitals that are a service or a format, not a surname: « CAF Sandrine » is no one's name. */
const ACRONYMS = new Set(
  'CAF CPAM MSA ANTS ANEF RSA APL AAH URSSAF MDPH CNAV SNCF EDF GDF PAC FAQ SMS PDF JPG RIB IBAN NIR SPI CB PV OK RAS NB PS TEL MAIL CERFA CCAS CHRS EHPAD ARIPA OFPRA AGDREF NEPH SIV DGFIP'.split(
    ' ',
  ),
);
// « Prénom Nom »: a given name and a capitalized word (« Odette Lemaire », « Stéphane Giraud »), not after
// the words that make it a place (« rue Jean Moulin », « collège Jean-Moulin », « Saint-Pierre »).
const GIVEN_THEN_SURNAME = new RegExp(
  `(\\p{Lu}(?<![\\p{L}\\p{N}'’.-].)[\\p{L}\\p{M}'’-]{0,40})(?: (?:${NAME_PARTICLE}|d['’]) ?| )(${CAP_WORD}(?: ${CAP_WORD})?)(?![\\p{L}])`,
  'gu',
);
const PLACE_BEFORE =
  /(?:rue|avenue|av\.|boulevard|bd|place|allée|impasse|quai|chemin|route|collège|college|lycée|école|ecole|université|universite|hôpital|hopital|centre|résidence|residence|stade|salle|gare|square|parc|musée|pont|cours|institut|fondation|campus|station|métro|metro|prix|le|la|les|du|des|de|Saint|Sainte|St|Ste)[ -]?$/i;
function checkGivenThenSurname(match: RegExpExecArray): Span | null {
  const [given, rest] = [match[1]!, match[2]!];
  if (!/\p{Ll}/u.test(given)) return null;
  const surname = wordsOf(rest)[0]!;
  if (NOT_A_NAME.has(surname) || ARTICLES.has(surname) || (/^\p{Lu}+$/u.test(surname) && ACRONYMS.has(surname))) return null;
  if (PLACE_BEFORE.test(match.input.slice(Math.max(0, match.index - 20), match.index))) return null;
  // « Olivier Renaud », « Claire Martin »: a given name that is also a common word, before a listed
  // surname, is most likely a person; a guess all the same.
  if (!isGivenName(given))
    return isKnownName(given) && isSurname(surname) && !NOT_A_NAME.has(given)
      ? [match.index, match.index + match[0].length, 'unsure']
      : null;
  return [match.index, match.index + match[0].length, isSurname(surname) || isSurname(wordsOf(rest).at(-1)!) ? 'sure' : 'unsure'];
}
// An initial and a surname: « J. Morel », « P.-A. Rousseau », "T. Nakamura" (« M. » is a civility).
const INITIAL_SURNAME = /[A-LN-Z](?<![\p{L}\p{N}.].)\.(?:-?\p{Lu}\.)? ?\p{Lu}\p{Ll}[\p{L}'’-]{1,30}(?![\p{L}])/gu;
function checkInitialSurname(match: RegExpExecArray): Span | null {
  const surname = match[0].slice(match[0].lastIndexOf('.') + 1).trim();
  if (NOT_A_NAME.has(surname) || ARTICLES.has(surname)) return null;
  return [match.index, match.index + match[0].length, isSurname(surname) ? 'sure' : 'unsure'];
}
// A household named by its surname: « les époux Martin », « famille Benhamou », "the Smith family" is left.
const FAMILY_NAME = new RegExp(`\\b(?:[Ll]es [ée]poux|[Ff]amille|[Ff]amily|[Cc]hez les) (${CAP_WORD})(?![\\p{L}])`, 'gu');
// A given name and the initial of a surname: « Lucie B. », "Tom K." (« Rose P. » too: the initial makes it a person).
const GIVEN_INITIAL = /\p{Lu}(?<![\p{L}\p{N}].)[\p{L}\p{M}'’-]{1,40} \p{Lu}\.(?![\p{L}\p{N}])/gu;
function checkGivenInitial(match: RegExpExecArray): Span | null {
  const given = match[0].slice(0, match[0].indexOf(' '));
  return /\p{Ll}/u.test(given) && isKnownName(given) && !NOT_A_NAME.has(given) && !ARTICLES.has(given) ? whole(match) : null;
}
// A signature on its own line: « Philippe Carrère », « Bien à vous,\nKarim ».
// A dash may lead it (« — Sébastien »), and a comment may be nothing but a name.
// Multiline: a line's start is then found without a lookbehind at every character.
const SIGNATURE_LINE = new RegExp(`^[ \\t]*(?:[—–-]{1,2}[ \\t]*)?(${LOOSE_NAME})[ \\t.]*$`, 'dgmu');
function checkSignatureLine(match: RegExpExecArray): Span | null {
  const words = wordsOf(match[1]!);
  if (words.length > 4) return null;
  // The first line is no signature: it is a name only when it starts with one (« Kevin », not « Chez Dupont »).
  if (!match.input.slice(0, match.index).includes('\n') && !nameConfidence(words.slice(0, 1))) return null;
  const confidence = nameConfidence(words);
  return confidence ? sized(groupSpan(match, 1), confidence) : null;
}
// A name closing the text after a sentence, without a formula: « … rappelez-moi. Karim Benali ».
const CLOSING_NAME = new RegExp(`[.!?,] +(${LOOSE_NAME})[ .!]*$`, 'dgu');
function checkClosingName(match: RegExpExecArray): Span | null {
  const words = wordsOf(match[1]!);
  return words.length <= 3 && isGivenName(words[0]!) ? groupSpan(match, 1) : null;
}
// A given name as the subject, at the start of a sentence: « Sandrine m'a rappelée », « Marie-Claude au
// standard », and a given name inside a sentence, in brackets or after a comma: « (Stéphane) »,
// « Aurélie je crois ». Guesses from the list: unsure.
const GIVEN_AS_SUBJECT = new RegExp(
  `(?:^|[.!?\\n(,] ?)(${CAP_WORD})(?= (?:m['’]|l['’]|n['’]|ne |a |est |[ée]tait |au |à l|qui |nous |vous |je |has |was |is |helped |called |told |said )|\\)|, )`,
  'gu',
);
function checkGivenAsSubject(match: RegExpExecArray): Span | null {
  return /\p{Ll}/u.test(match[1]!) && isGivenName(match[1]!) ? sized(groupSpan(match, 1), 'unsure') : null;
}
// A given name after a lower-case word, inside a sentence (« l'agent Paul m'a … »): unsure.
const GIVEN_INSIDE = new RegExp(`\\p{Ll} (${CAP_WORD})(?![\\p{L}\\p{N}]| \\p{Lu})`, 'gu');
function checkGivenInside(match: RegExpExecArray): Span | null {
  const word = match[1]!;
  return /\p{Ll}/u.test(word) && isGivenName(word) && !word.includes('-') ? sized(groupSpan(match, 1), 'unsure') : null;
}

/** `part`: an address piece, kept only when it joins a street, a place or a town (mergeAddresses). */
type DetectorConfidence = Confidence | 'part';

/**
 * A cheap test a text must pass for a detector to run at all: a word the detector needs (« gmail »,
 * ".com/", « plaque »). Most comments fail most gates, which keeps the scrubber above 3 MB/s.
 */
type Gate = RegExp | ((text: string) => boolean);

const CAPITALIZED = /\p{Lu}[\p{L}\p{M}'’-]{1,40}/gu;
let lastGivenNameText: string | null = null;
let lastGivenNameAnswer = false;
/**
 * Whether the text holds a word of the given-name list: the rules built on that list need one, and one
 * pass over the capitalized words costs less than each of them scanning the text. The answer for the
 * last text is kept, as the same text is asked about by several rules in a row.
 */
function hasGivenName(text: string): boolean {
  if (text === lastGivenNameText) return lastGivenNameAnswer;
  lastGivenNameText = text;
  lastGivenNameAnswer = false;
  for (const word of text.match(CAPITALIZED) ?? []) {
    if (isGivenName(word)) {
      lastGivenNameAnswer = true;
      break;
    }
  }
  return lastGivenNameAnswer;
}

const DETECTORS: readonly (readonly [PersonalDataCategory, Detector, MinDigits, DetectorConfidence, Gate?])[] = [
  ['handle', (text) => spansOf(MASTODON_HANDLE, text), 0, 'sure', /@[^@\s]{1,30}@/],
  ['email', findEmails, 0, 'sure'],
  ['email', (text) => spansOf(EMAIL_ON_PROVIDER, text), 0, 'sure', new RegExp(`\\.[^ ]{0,64} (?:sur|chez|on|at) (?:${PROVIDERS})`, 'i')],
  ['handle', (text) => spansOf(PROFILE_HANDLE, text), 0, 'sure', /\.com\/|u\/|bsky|live:/],
  // Some countries' account numbers hold letters: 6 digits is below any IBAN of the registry.
  ['iban', (text) => spansOf(IBAN, text, checkIban), 6, 'sure', /\d(?:[ .-]?[\dA-Za-z]){9}/],
  ['iban', (text) => spansOf(RIB_FIELDS, text, checkRibFields), 23, 'sure', /[Gg]uichet/],
  ['iban', (text) => spansOf(RIB_BARE, text, checkRib), 12, 'sure'],
  ['nir', (text) => spansOf(NIR, text, checkNir), 13, 'sure', /\d(?:[ .-]{0,3}[\dAB]){9}/],
  ['card', (text) => spansOf(CARD, text, checkCard), 13, 'sure', /\d(?:[ .-]?\d){12}/],
  ['ip', (text) => spansOf(IPV4, text), 4, 'sure', /\d\.\d{1,3}\.\d/],
  ['ip', (text) => spansOf(IPV6, text, checkIpv6), 0, 'sure', /[0-9A-Fa-f]:[0-9A-Fa-f]{0,4}:/],
  ['ip', (text) => spansOf(SPACED_IPV4, text, (match) => groupSpan(match, 1)), 4, 'sure', /\b[Ii][Pp]\b/],
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
  ['phone', (text) => spansOf(INTL_PHONE, text), 8, 'sure', /(?:\+|00)[1-9]/],
  ['phone', (text) => spansOf(BRACKETED_CODE_PHONE, text), 8, 'sure'],
  ['phone', (text) => spansOf(FR_PHONE, text), 10, 'sure'],
  ['phone', (text) => spansOf(FR_PHONE_ANY_GROUPING, text, checkPhoneGrouping), 10, 'sure'],
  ['phone', (text) => spansOf(NANP_PHONE, text), 10, 'sure'],
  ['phone', (text) => spansOf(SPELLED_PHONE, text), 0, 'sure', /z[ée]ro|\boh /i],
  ['phone', (text) => spansOf(UK_PHONE, text), 10, 'sure'],
  [
    'phone',
    (text) => spansOf(CUED_PHONE, text, (match) => groupSpan(match, 1)),
    9,
    'sure',
    /t[ée]l|phone|portable|mobile|fixe|whatsapp|gsm|cell|call|text|joignable|appel|contacter/i,
  ],
  ['passport', (text) => spansOf(PASSPORT, text), 7, 'sure'],
  ['passport', findIntroducedPassports, 5, 'sure', /pass|PASS|Reisepass/],
  ['tax_number', (text) => spansOf(TAX_INTRODUCED, text, (match) => groupSpan(match, 1)), 13, 'sure'],
  ['file_number', (text) => spansOf(FILE_NUMBER, text, checkFileNumber), 2, 'sure'],
  [
    'file_number',
    (text) => spansOf(FILE_INTRODUCED, text, checkIntroducedFile),
    4,
    'sure',
    /n°|nº|no|nr|num|#|r[ée]f|code|identifiant|id/i,
  ],
  [
    'file_number',
    (text) => spansOf(FILE_ACRONYM, text, checkFileAcronym),
    5,
    'sure',
    /NEPH|AGDREF|ANEF|OFPRA|CNAV|MDPH|RSA|PV|c[ée]piss|allocataire|tranger|naturalisation|avis|CAF|MSA|CPAM|URSSAF|Travail|[Ee]mploi|ANTS|Ameli|CNI|identit|vitale|ID card/,
  ],
  ['file_number', (text) => spansOf(FILE_NUMBER_AFTER_NOUN, text, checkBareFileNumber), 5, 'sure'],
  ['file_number', (text) => spansOf(TAX_NOTICE_REFERENCE, text), 12, 'sure', /\d ?[A-Z]\d/],
  ['tax_number', (text) => spansOf(TAX, text), 13, 'sure', /\d(?:[ .]?\d){12}/],
  ['plate', (text) => spansOf(SIV_PLATE, text, sivPlate), 3, 'sure'],
  ['plate', (text) => spansOf(FNI_PLATE, text, checkFniPlate), 3, 'sure'],
  [
    'plate',
    findCuedPlates,
    1,
    'sure',
    /\b(?:plaque|immat|plate|registration|reg\.|licen[cs]e|v[ée]hicule|voiture|moto|scooter|camion|vehicle|car)/i,
  ],
  ['address', (text) => withTown(spansOf(FR_STREET, text), text), 1, 'sure'],
  ['address', (text) => spansOf(NUMBER_AFTER_STREET, text), 5, 'sure', /\d,? \d{4} /],
  ['address', (text) => spansOf(US_TOWN, text), 5, 'sure', /, [A-Z]{2} \d{5}/],
  ['address', (text) => withEnglishTown(spansOf(EN_STREET, text), text), 1, 'sure'],
  ['address', (text) => spansOf(POSTCODE_CITY, text), 5, 'sure', /\d{2} ?\d{3} /],
  ['address', findTownThenPostcode, 5, 'unsure', /[\p{L}] \d{5}/u],
  ['address', (text) => spansOf(UK_POSTCODE, text), 2, 'sure', /[A-Z]\d[A-Z\d]? \d[A-Z]{2}/],
  [
    'address',
    (text) => withTown(spansOf(STREET_WITHOUT_NUMBER, text), text),
    0,
    'unsure',
    /[Rr]ue|[Aa]venue|[Bb]oulevard|[Aa]llée|[Ii]mpasse|[Cc]hemin|[Qq]uai|[Rr]oute|[Pp]lace/,
  ],
  ['address', (text) => spansOf(NAMED_PLACE, text, withPlaceNumber), 0, 'unsure'],
  [
    'address',
    (text) =>
      withTown(
        spansOf(LIVES_ON_STREET, text, (match) => groupSpan(match, 1)),
        text,
      ),
    0,
    'sure',
    /abit|omicil|emeurant|sidant|live|dresse/i,
  ],
  ['handle', (text) => spansOf(AT_HANDLE, text, checkAtHandle), 0, 'sure', /@/],
  [
    'handle',
    (text) => spansOf(CUED_HANDLE, text, (match) => groupSpan(match, 1)),
    0,
    'sure',
    /pseudo|snap|insta|discord|skype|tiktok|telegram|twitch|youtube|twitter|facebook|bluesky|mastodon|handle|username|gamertag/i,
  ],
  ['name', (text) => spansOf(CIVILITY_NAME, text, checkName), 0, 'sure'],
  ['name', (text) => spansOf(INTRODUCED_NAME, text, checkName), 0, 'sure'],
  ['name', (text) => spansOf(I_AM_NAME, text, checkName), 0, 'sure'],
  ['name', (text) => spansOf(I_AM_GIVEN, text, (match) => (isGivenName(match[1]!) ? groupSpan(match, 1) : null)), 0, 'sure', hasGivenName],
  ['name', (text) => spansOf(SIGNED_NAME, text, checkName), 0, 'sure'],
  ['name', (text) => spansOf(ROLE_NAME, text, checkKnownName), 0, 'sure', ROLE_GATE],
  ['name', (text) => spansOf(KIN_NAME, text, checkKnownName), 0, 'sure', /(?:mon|ma|mes|notre|my|our) /],
  ['name', (text) => spansOf(MAIDEN_NAME, text), 0, 'sure', /née|épouse|veuve|ép\.|maiden/],
  ['name', (text) => spansOf(THANKED_LOWER_CASE, text, checkThankedLowerCase), 0, 'unsure', /erci|r[âa]ce|emercie|hank/],
  ['name', (text) => spansOf(BARE_M_SURNAME, text, checkBareMSurname), 0, 'sure', /\bM \p{Lu}/u],
  [
    'name',
    (text) => spansOf(LOWER_CASE_NAME, text, checkLowerCaseName),
    0,
    'sure',
    /onsieur|adame|ademoiselle|me |lle |r |rs |octeur|a[îi]tre|app?elle|nom est|name is/i,
  ],
  ['name', (text) => spansOf(CUED_NAME, text, checkCuedName), 0, 'sure', hasGivenName],
  ['name', (text) => spansOf(CAPITALS_THEN_GIVEN, text, checkCapitalsThenGiven), 0, 'sure', hasGivenName],
  ['name', (text) => spansOf(GIVEN_THEN_SURNAME, text, checkGivenThenSurname), 0, 'sure', hasGivenName],
  ['name', (text) => spansOf(INITIAL_SURNAME, text, checkInitialSurname), 0, 'sure'],
  ['name', (text) => spansOf(SIGNATURE_LINE, text, checkSignatureLine), 0, 'sure', /\n|^[ \t—–-]*\p{Lu}[^\n]{0,60}$/u],
  ['name', (text) => spansOf(GIVEN_INITIAL, text, checkGivenInitial), 0, 'sure', /\p{Ll} \p{Lu}\./u],
  ['name', (text) => spansOf(FAMILY_NAME, text, checkKnownName), 0, 'sure', /poux|amill|amily/],
  ['name', (text) => spansOf(CLOSING_NAME, text, checkClosingName), 0, 'sure', hasGivenName],
  ['name', (text) => spansOf(GIVEN_AS_SUBJECT, text, checkGivenAsSubject), 0, 'unsure', hasGivenName],
  ['name', (text) => spansOf(GIVEN_INSIDE, text, checkGivenInside), 0, 'unsure', hasGivenName],
  // Last, so that a piece that ends up alone (and is dropped) has hidden nothing from the rules above.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what earlier rules blank found spans with.
  ['address', (text) => spansOf(PLACE_NAME_BEFORE_STREET, text, checkPlaceName), 1, 'part', /\u0000/],
  [
    'address',
    (text) => spansOf(ADDRESS_PIECE, text),
    1,
    'part',
    // A piece only counts next to an address found earlier, and those are blanked out by now.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what earlier rules blank found spans with.
    /\u0000/,
  ],
];
