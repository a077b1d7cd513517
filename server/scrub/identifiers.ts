import {
  DEPARTEMENT,
  type DetectorEntry,
  digitsOf,
  groupSpan,
  SEP,
  SPACE,
  type Span,
  spansOf,
  whole,
  WORD_END,
  WORD_START,
} from './patterns.ts';

// Numbers that identify a person: IBAN and RIB, NIR, payment cards, tax numbers, passports, licence
// plates. Where the number carries a key, the key is checked.

// ---- IBAN, any country: two letters, two check digits, up to 30 letters or digits, often in groups
// of four. The regex takes the longest run; the country's length (when known) or the mod-97 check
// decides where it ends, so « … 189 EUR » loses its « EUR ».
const IBAN = new RegExp(`${WORD_START}[A-Za-z]{2} ?\\d[ .\\u00a0\\u202f-]?\\d(?:[ .\\u00a0\\u202f-]?[A-Za-z0-9]){11,30}`, 'gu');
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

const SIRET_BEFORE = /\b(?:siret|siren)\b[^\d\n]{0,30}$/i;

function checkCard(match: RegExpExecArray): Span | null {
  const digits = digitsOf(match[0]);
  const network = digits.length === 13 ? digits[0] === '4' : /^[2-6]/.test(digits);
  // A company's SIRET (14 digits) or SIREN passes Luhn too: introduced as such, it is no card.
  if (digits.length === 14 && SIRET_BEFORE.test(match.input.slice(Math.max(0, match.index - 40), match.index))) return null;
  return network && luhn(digits) ? whole(match) : null;
}

// ---- French tax number (numéro fiscal, SPI): 13 digits starting 0–3. Introduced as such, it is one
// before anything else; bare, it is one unless a file reference claimed it (that word explains it)
// or it is a card or a NIR, ruled out earlier by their keys.
const TAX_DIGITS = '[0-3](?:[ \\u00a0.]?\\d){12}(?![ \\u00a0.]?\\d)';
// Introduced, a mistyped first digit (« numéro fiscal 4 12 … ») still makes it one.
const TAX_DIGITS_INTRODUCED = '\\d(?:[ \\u00a0.-]?\\d){12}(?![ \\u00a0.-]?\\d)';
const TAX = new RegExp(`[0-3](?<![A-Za-z_][0-3])(?<!\\d[ \\u00a0.]?[0-3])${TAX_DIGITS.slice('[0-3]'.length)}`, 'g');
// Introduced, its groups may be split by dashes too (« numéro fiscal : 1234-5678-90123 »), and its words
// run on (« numéro fiscal de référence », « numéro de télédéclarant », "tax ID number").
const TAX_INTRODUCED = new RegExp(
  `${WORD_START}(?:(?:num[ée]ro|n°|nº|no\\.?|identifiant|id)(?: d['’]identification)? fiscale?(?: de r[ée]f[ée]rence)?|(?:num[ée]ro|n°) de t[ée]l[ée]d[ée]clarant|SPI|NIF|TIN|tax (?:ID|identification|reference)(?: number| no\\.?)?|tax (?:number|no\\.?))` +
    `(?: ?(?::|est|is)){0,2} ?(${TAX_DIGITS_INTRODUCED})`,
  'gi',
);

// ---- Passport (French model): 2 digits, 2 letters, 5 digits; spaced only with capital letters,
// so that « 12 km 34567 » stays.
const PASSPORT = new RegExp(`${WORD_START}\\d{2}(?:[A-Za-z]{2}-?|-[A-Za-z]{2}-?|${SPACE}[A-Z]{2}${SPACE}?)\\d{5}${WORD_END}`, 'gu');

// ---- RIB: bank, branch, account, key, checked (key = 97 − (89 × bank + 15 × branch + 3 × account) mod 97,
// letters of the account counted as the standard says). Bare, or with the field names typed.
const RIB_BARE = /\d(?<![\p{L}\p{N}]\d)\d{4}[ ./-]?\d{5}[ ./-]?[0-9A-Z]{11}[ ./-]?\d{2}(?![\p{L}\p{N}])/gu;
const RIB_FIELDS =
  /\b(?:[Cc]ode )?[Bb]anque ?:? ?(\d{5})[,;/]? (?:[Cc]ode )?[Gg]uichet ?:? ?(\d{5})[,;/]? (?:(?:[Nn]°|[Nn]uméro|[Nn]umero) (?:de )?)?[Cc]ompte ?:? ?([0-9A-Z]{11})[,;/]? [Cc]l[ée](?: RIB)? ?:? ?(\d{2})(?!\d)/gu;
const RIB_LETTERS = '123456789123456789234567890';

function ribChecks(bank: string, branch: string, account: string, key: string): boolean {
  const digits = account.replace(/[A-Z]/g, (c) => RIB_LETTERS[c.charCodeAt(0) - 65]!);
  return 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(digits)) % 97) === Number(key);
}
function checkRib(match: RegExpExecArray): Span | null {
  const compact = match[0].replace(/[ ./-]/g, '');
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
    const candidate = spansOf(PASSPORT_CANDIDATE, window, isPassportNumber)[0];
    if (candidate && cue[1] + candidate[0] >= (spans.at(-1)?.[1] ?? 0)) spans.push([cue[1] + candidate[0], cue[1] + candidate[1]]);
  }
  return spans;
}
function isPassportNumber(match: RegExpExecArray): Span | null {
  const compact = match[0].replace(/[ -]/g, '');
  return digitsOf(compact).length >= 5 && compact.length >= 6 && compact.length <= 9 && !/[a-z]/.test(compact.slice(2))
    ? whole(match)
    : null;
}

// ---- Licence plates. Since 2009 (SIV): « AB-123-CD », with spaces, dots, dashes, slashes, middle dots,
// underscores or nothing between the groups, spaced or not (« AB - 123 - CD »; users do not know which letters the register leaves out, so
// any letter counts).
// Found from its digits, the letters before read back (groups 1 and 2): starting at every letter cost
// three times as much. Every pattern here starts by taking a digit and only then looks behind it: a
// pattern that starts with a look-around is tried at every character, one that starts with a digit
// skips to the next digit.
const SIV_PLATE =
  /\d(?<=(?:(?<![\p{L}\p{N}-])|(?<=(?<![\p{L}\p{N}])FR?-))([A-Z]{2}(?: ?[./\u00B7\u2013\u2014-] ?|[ _])?)\d)\d{2}(?: ?[./\u00B7\u2013\u2014-] ?|[ _])?[A-Z]{2}(?!\p{L})|\d(?<![\p{L}\p{N}-]\d)-[A-Z]{3}-\d{3}(?![\p{L}\p{N}])|\d(?<=(?<![\p{L}\p{N}-])([a-z]{2}-)\d)\d{2}-[a-z]{2}(?![\p{L}\p{N}-])/gu;
/** « au format AA-123-AA », « du type AB-123-CD »: the shape of a plate, described, is no one's plate. */
const PLATE_SHAPE_BEFORE = /\b(?:format|mod[èe]le|exemple|example|type|forme|style|genre|e\.g\.|such as|like)\b[^\n\d]{0,12}$/i;
/** The EU band's « F » written before the plate (« F-AB-123-CD », « F AB 123 CD », « FR-AB-123-CD ») goes with it. */
const EU_BAND_BEFORE = /(?<![\p{L}\p{N}])FR?[ -]$/u;
function sivPlate(match: RegExpExecArray): Span | null {
  const letters = match.index - (match[1] ?? match[2] ?? '').length;
  const euBand = EU_BAND_BEFORE.exec(match.input.slice(Math.max(0, letters - 4), letters));
  const start = letters - (euBand?.[0].length ?? 0);
  // The shape checks read the plate without its band's « F ».
  const plate = match.input.slice(letters, match.index + match[0].length);
  if (/^XX/i.test(plate) || PLATE_SHAPE_BEFORE.test(match.input.slice(Math.max(0, start - 30), start))) return null;
  let end = match.index + match[0].length;
  // « AB-123-CD75 »: a département written against a dashed or dotted plate goes with it; other
  // digits there, or against « AB123CD » or « AB 123 CD » (« Réf. AB123CD45 », « vol AF 123 AB12 »),
  // make it no plate.
  if (/^\d/.test(match.input.charAt(end))) {
    const glued = /[-./_\u00B7\u2013\u2014]/.test(plate) && GLUED_DEPARTEMENT.exec(match.input.slice(end, end + 4));
    if (!glued) return null;
    end += glued[0].length;
  }
  // « AB-123-CD 75 », « AB-123-CD (33) », « AB-123-CD - 75 »: the département of the plate's band goes with it.
  const band = PLATE_BAND.exec(match.input.slice(end, end + 16));
  // « AA-123-BB », « AA-000-AA »: the way plates are shown as examples, but also a plate people make up
  // when asked for theirs; held back as unsure unless a word says it is a plate.
  const example =
    /^([A-Z])\1[\W_]*(?:123|000)[\W_]*([A-Z])\2$/i.test(plate) && !PLATE_CUE.test(match.input.slice(Math.max(0, start - 60), start));
  return [start, end + (band ? band[0].length : 0), example ? 'unsure' : 'sure'];
}
const GLUED_DEPARTEMENT = new RegExp(`^${DEPARTEMENT}(?![\\p{L}\\p{N}])`, 'u');
const PLATE_BAND = new RegExp(`^(?: - |[ -])\\(?${DEPARTEMENT}\\)?(?![\\p{L}\\p{N}]| ?(?:€|euros?|fois|ans?|km|%|h\\b|min))`, 'u');
// In lower case, run together, spaced or in another country's shape (« ab-123-cd », « ab123cd »,
// « ab - 123 - cd », "AB12 CDE", a Swiss « VD 123456 », a Polish « WA 12345 »), only after a word that
// says « plate ».
const CUED_PLATE_CANDIDATE =
  /(?<![\p{L}\p{N}])(?:[A-Za-z]{2}\d{3}[A-Za-z]{2}|(?=[A-Za-z]{0,6}\d)(?=\d{0,6}[A-Za-z])[A-Za-z0-9]{5,8}(?![\p{L}\p{N}])|(?=[A-Za-z0-9 \u2013-]{0,9}\d)(?=[A-Za-z0-9 \u2013-]{0,9}[A-Za-z])[A-Za-z0-9]{1,4}(?:(?: ?[\u2013-] ?| )[A-Za-z0-9]{1,4}){1,2}|[A-Z]{1,3}[ -](?:\d{4,6}|\d{3} \d{3}))(?![\p{L}\p{N}])/gu;
const PLATE_CUE_WORD =
  /\b(?:plaque|immat|immatriculation|immatricul[ée]e?|plate|registration|reg\.?|vrn|licence|license|v[ée]hicule|voiture|moto|scooter|cyclo|cyclomoteur|mobylette|quad|remorque|caravane|fourgon|camion|vehicle|car|tag|min[ée]ralogique|numberplate|matr[ií]cula|targa|kennzeichen|nummernschild)(?![A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F])/gi;

const PLATE_STOPWORDS = new Set(
  'en de du le la les un une des et ou mon ma mes sa son ses car the and of in on my is it at to a au aux par sur'.split(' '),
);

function findCuedPlates(text: string): Span[] {
  const spans: Span[] = [];
  for (const cue of spansOf(PLATE_CUE_WORD, text)) {
    // Sixty characters on, to the end of the word there: a plate cut short is no plate (« VD 202|4 »).
    let end = cue[1] + 60;
    for (const stop = end + 12; end < Math.min(stop, text.length) && /[A-Za-z0-9]/.test(text[end]!); ) end++;
    const window = text.slice(cue[1], end).split(/[.!?\n](?:\s|$)|\n/)[0]!;
    // A rejected candidate is retried one character on: « is AB12 CDE » hides « AB12 CDE ».
    const candidate = spansOf(CUED_PLATE_CANDIDATE, window, isCuedPlate)[0];
    // Two cues before one plate (« car registration ») find it once.
    if (candidate && cue[1] + candidate[0] >= (spans.at(-1)?.[1] ?? 0)) spans.push([cue[1] + candidate[0], cue[1] + candidate[1]]);
  }
  return spans;
}
/** « ma voiture, une BMW 320d », « mon scooter MBK 125 »: a maker and a model, no plate. */
const VEHICLE_MAKERS = new Set(
  'bmw mbk ktm vw ds byd mg kia seat audi fiat opel ford mini jeep tesla smart dacia skoda honda yamaha suzuki piaggio vespa'.split(' '),
);

const UNIT = /^(?:kg|g|t|ch|cv|hp|kw|kwh|km|kms|m|cm|cm3|mm|cc|l|h|mn|min|ans?|mois|j|jours?|eur|euros?|mph|kmh)$/i;
const MONTH_NAME =
  /^(?:janv?|janvier|f[ée]vr?|f[ée]vrier|mars|avr|avril|mai|juin|juil|juillet|ao[uû]t|sept?|septembre|oct|octobre|nov|novembre|d[ée]c|d[ée]cembre|jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|september|october|november|dec|december)$/i;

function isCuedPlate(match: RegExpExecArray): Span | null {
  // The word after a plate of two groups is no part of it (« ma voiture AB 1234 est au garage »):
  // the candidate took it, and was too long to be a plate.
  // Two groups and a word are no plate (« 3456 est »).
  let candidate = match[0];
  for (let last = TRAILING_WORD.exec(candidate); last && isWord(last[1]!); last = TRAILING_WORD.exec(candidate)) {
    if (candidate.split(/[ \u2013-]/).length <= 2) return null;
    candidate = candidate.slice(0, last.index);
  }
  const compact = candidate.replace(/[ \u2013-]/g, '');
  // Letters and digits, two of each at least (« AB12 CDE », "B-AB 1234", « ab 123 cd »), and no
  // little word among them: « en 2008 », « 205 de mon » are no plates.
  const groups = candidate.split(/[ \u2013-]/);
  // Two capitals before the digits are a plate's letters (« MA 12 ABC »), not the word « ma », unless
  // the whole text is in capitals (« MA VOITURE … DANS LE 75 »).
  const shouted = !/\p{Ll}/u.test(match.input);
  const plateLetters = (group: string, at: number) => !shouted && at === 0 && /^[A-Z]{2}$/.test(group) && /^\d/.test(groups[1] ?? '');
  const plain = groups.some((g, at) => PLATE_STOPWORDS.has(g.toLowerCase()) && !plateLetters(g, at));
  // « achetée en 2019 pour … »: a year, then a word.
  if (VEHICLE_MAKERS.has(groups[0]!.toLowerCase()) || (groups.length > 1 && /^(?:19|20)\d\d$/.test(groups[0]!))) return null;
  // « LE 15 MAI », "12 MAR": a day and its month are a date.
  if (groups.some((g) => MONTH_NAME.test(g))) return null;
  // « une voiture de 110 ch », « le camion de 19 t », « moto de 125 cm3 »: a number and its unit.
  if (/^\d+$/.test(groups[0]!) && UNIT.test(groups[1] ?? '')) return null;
  // « CT 2023 »: a year after a word in capitals is no plate.
  if (/^[A-Z]{1,3}(?:19|20)\d\d$/.test(compact)) return null;
  return !plain && compact.length >= 5 && compact.length <= 8 && /\d.*\d/.test(compact) && /[A-Za-z].*[A-Za-z]/.test(compact)
    ? [match.index, match.index + candidate.length]
    : null;
}
const TRAILING_WORD = /(?: ?[\u2013-] ?| )([A-Za-z\u00C0-\u00FF]+)$/;
const isWord = (group: string) => group.length >= 4 || PLATE_STOPWORDS.has(group.toLowerCase()) || SHORT_WORDS.has(group.toLowerCase());
/** Short words that follow a plate in a sentence (« AB 1234 est », "ABC 123 was"). */
const SHORT_WORDS = new Set('est été qui que pas ont fut vue was has but not are'.split(' '));
// Before 2009 (FNI): « 312 ABC 75 », « 7812 RS 69 », ending with a département, any letter (people
// recall or make up « 4512 OI 33 », letters the register left out). A guess unless a word around it
// says « plaque », « véhicule », "car"…
const FNI_PLATE = /\d(?<![\p{L}\p{N}]\d)\d{0,3}[ -]?[A-Z]{1,3}[ -]?(?:0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])(?![\p{L}\p{N}])/gu;
const PLATE_CUE =
  /(?:plaque|immat|immatricul|véhicule|vehicule|voiture|moto|scooter|cyclo|mobylette|quad|remorque|caravane|fourgon|camion|carte grise|plate|registration|registered|car|vehicle|min[ée]ralogique|tag)[^\n]{0,40}$/i;

function checkFniPlate(match: RegExpExecArray): Span | null {
  const before = match.input.slice(Math.max(0, match.index - 60), match.index);
  return [match.index, match.index + match[0].length, PLATE_CUE.test(before) ? 'sure' : 'unsure'];
}

// Other writings with no word around them, guesses held back as unsure: a plate in lower case or mixed
// (« ab 123 cd », « ab123cd », « Ab/123/Cd »), a British one (« AB12 CDE »), a German one (« B-AB 1234 »),
// a Spanish one (« 1234 BCD »: consonants only), a Swiss one (« VD 123456 »: a canton, then digits), a
// garage's « W-123-AB », a Belgian one without its dashes (« 1ABC123 », « 1 ABC 123 »), a plate with a
// digit too many or too few (« AB-12-CD »), and a plate the word follows (« AB-123-CD, c'est ma plaque »).
// Each is found from its first digit, its letters before read back (groups 1 to 6), as for SIV_PLATE.
const SWISS_CANTONS = 'AG|AI|AR|BE|BL|BS|FR|GE|GL|GR|JU|LU|NE|NW|OW|SG|SH|SO|SZ|TG|TI|UR|VD|VS|ZG|ZH';
const OTHER_PLATE = new RegExp(
  `\\d(?:(?<=(?<![\\p{L}\\p{N}-])([A-Za-z]{2}[ ./-]?)\\d)\\d{2}[ ./-]?[A-Za-z]{2}|(?<=(?<![\\p{L}\\p{N}-])([A-Z]{2}[-\u2013\u2014])\\d)(?:\\d|\\d{3})[-\u2013\u2014][A-Z]{2}|(?<=(?<![\\p{L}\\p{N}-])([A-Z]{2})\\d)\\d ?[A-Z]{3}|(?<=(?<![\\p{L}\\p{N}-])([A-Z]{1,3}-[A-Z]{1,2} )\\d)\\d{0,3}|(?<![\\p{L}\\p{N}-]\\d)\\d{3}[ -]?[B-DF-HJ-NP-TV-Z]{3}|(?<=(?<![\\p{L}\\p{N}-])((?:${SWISS_CANTONS})[ -])\\d)(?:\\d{2} \\d{3}|\\d{3,5})|(?<=(?<![\\p{L}\\p{N}-])(W[ -])\\d)\\d{2}[ -][A-Z]{2}|(?<![\\p{L}\\p{N}-]\\d) ?[A-Z]{3} ?\\d{3})(?![\\p{L}\\p{N}])`,
  'gu',
);
const TWO_LETTER_WORDS = new Set(
  'au du de en et ou le la un il je tu on me te se ce ne ni si sa ma ta mo no an as at be by do go he if in is it my of or so to up us we vs'.split(
    ' ',
  ),
);
// A word that says « plate » in the same sentence, after the plate or before it ("reg: YK68 XWD"),
// makes it sure; « car » is left out before it, as in French it means « because ».
// « plateforme » is no plate word; a full stop ends the sentence except in "reg no.".
const PLATE_WORD_AFTER = /^[^\n.!?]{0,30}(?:plaque|immat|\bplates?\b|registration|v[ée]hicule|voiture)/i;
const PLATE_WORD_BEFORE =
  /(?:plaque|immat|\bplates?\b|registration|\breg\b|\bvrn\b|v[ée]hicule|voiture|vehicle)(?:[^\n.!?]|(?<=\bno)\.){0,30}$/i;
function checkOtherPlate(match: RegExpExecArray): Span | null {
  const start = match.index - (match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5] ?? match[6] ?? '').length;
  const plate = match.input.slice(start, match.index + match[0].length);
  if (/^\d{4}/.test(plate) && /^(?:19|20)\d\d/.test(plate)) return null;
  // « FR 2030 », « GE 2024 »: a year.
  if (match[5] !== undefined && /^(?:19|20)\d\d$/.test(match[0])) return null;
  if (/^([A-Z])\1\W*(?:123|000)\W*([A-Z])\2$/i.test(plate) || PLATE_SHAPE_BEFORE.test(match.input.slice(Math.max(0, start - 30), start)))
    return null;
  // « du 971 et du 972 »: little words around a number.
  if (/^[A-Za-z]{2}[ ./-]?\d/.test(plate) && plate.match(/[A-Za-z]{2}/g)!.some((word) => TWO_LETTER_WORDS.has(word.toLowerCase())))
    return null;
  const end = match.index + match[0].length;
  const after = match.input.slice(end, end + 40);
  const before = match.input.slice(Math.max(0, start - 40), start);
  const said = PLATE_WORD_AFTER.test(after) || PLATE_WORD_BEFORE.test(before);
  return [start, end, said ? 'sure' : 'unsure'];
}

// A plate since 2009 typed with the letter O for a zero (« AB-O12-CD », « AB-1O5-CD »): a guess.
const O_FOR_ZERO_PLATE = /(?<![\p{L}\p{N}-])[A-Z]{2}([-. ]?)(?=[\dO]{0,2}O)(?=[\dO]{0,2}\d)[\dO]{3}\1[A-Z]{2}(?![\p{L}\p{N}])/gu;
// A plate since 2009, dashed, with a letter too many in one of its groups (« BNN-442-KR »,
// « DF-215-ALL »): a guess. Found from its digits, the letters before read back, as for SIV_PLATE.
const LETTER_TOO_MANY_PLATE =
  /\d(?:(?<=(?<![\p{L}\p{N}-])([A-Z]{3}-)\d)\d{2}-[A-Z]{2,3}|(?<=(?<![\p{L}\p{N}-])([A-Z]{2}-)\d)\d{2}-[A-Z]{3})(?![\p{L}\p{N}-])/gu;

/** Numbers with a key (IBAN, RIB, NIR, card): certain when the key holds. */
export const KEYED_NUMBER_DETECTORS: readonly DetectorEntry[] = [
  // Some countries' account numbers hold letters: 6 digits is below any IBAN of the registry.
  ['iban', (text) => spansOf(IBAN, text, checkIban), 6, 'sure', /\d(?:[ .-]?[\dA-Za-z]){9}/],
  ['iban', (text) => spansOf(RIB_FIELDS, text, checkRibFields), 23, 'sure', /[Gg]uichet/],
  ['iban', (text) => spansOf(RIB_BARE, text, checkRib), 12, 'sure'],
  ['nir', (text) => spansOf(NIR, text, checkNir), 13, 'sure', /\d(?:[ .-]{0,3}[\dAB]){9}/],
  ['card', (text) => spansOf(CARD, text, checkCard), 13, 'sure', /\d(?:[ .-]?\d){12}/],
];

/** A tax number introduced as such, before phones read its first ten digits (« 01 23 45 67 89 012 »). */
export const INTRODUCED_TAX_DETECTORS: readonly DetectorEntry[] = [
  [
    'tax_number',
    (text) => spansOf(TAX_INTRODUCED, text, (match) => groupSpan(match, 1)),
    13,
    'sure',
    /fisc|FISC|t[ée]l[ée]d[ée]cl|T[ÉE]L[ÉE]D[ÉE]CL|SPI|NIF|TIN|[Tt]ax|TAX/,
  ],
];

/** Passports, before file numbers. */
export const PASSPORT_DETECTORS: readonly DetectorEntry[] = [
  ['passport', (text) => spansOf(PASSPORT, text), 7, 'sure'],
  ['passport', findIntroducedPassports, 5, 'sure', /pass|PASS|Reisepass/],
];

/** A bare tax number and licence plates, after file numbers. */
export const TAX_AND_PLATE_DETECTORS: readonly DetectorEntry[] = [
  ['tax_number', (text) => spansOf(TAX, text), 13, 'sure', /\d(?:[ .]?\d){12}/],
  ['plate', (text) => spansOf(SIV_PLATE, text, sivPlate), 3, 'sure'],
  ['plate', (text) => spansOf(FNI_PLATE, text, checkFniPlate), 3, 'sure'],
  [
    'plate',
    (text) => spansOf(OTHER_PLATE, text, checkOtherPlate),
    2,
    'unsure',
    /[A-Za-z]{2}[ ./-]?\d{3}[ ./-]?[A-Za-z]{2}|[A-Z][-\u2013\u2014]\d\d|[A-Z]\d{2} ?[A-Z]{3}|[A-Z]-[A-Z]{1,2} \d|\d{4}[ -]?[B-DF-HJ-NP-TV-Z]{3}|[A-Z]{1,2}[ -]\d{3}|\d ?[A-Z]{3} ?\d{3}/,
  ],
  ['plate', (text) => spansOf(O_FOR_ZERO_PLATE, text), 1, 'unsure', /\dO|O\d/],
  [
    'plate',
    (text) =>
      spansOf(LETTER_TOO_MANY_PLATE, text, (match) => [match.index - (match[1] ?? match[2] ?? '').length, match.index + match[0].length]),
    3,
    'unsure',
    /\d{3}-[A-Z]/,
  ],
  [
    'plate',
    findCuedPlates,
    1,
    'sure',
    /\b(?:plaque|immat|plate|registration|reg|vrn|licen[cs]e|v[ée]hicule|voiture|moto|scooter|cyclo|mobylette|quad|remorque|caravane|fourgon|camion|vehicle|car|tag|min[ée]ralogique|numberplate|matr[ií]cula|targa|kennzeichen|nummernschild)/i,
  ],
];
