import {
  cutsAPlate,
  type DetectorEntry,
  digitsOf,
  groupSpan,
  LATIN_LETTER,
  type Span,
  spansOf,
  whole,
  WORD_END,
  WORD_START,
} from './patterns.ts';

// File, application and customer numbers: introduced by a word, an acronym or a known format.

// ---- File, application and customer numbers, only when introduced as such: the word says what
// the number is (« dossier n° », « numéro de demande », "case no.", « Référence : »).
const FILE_NOUN_FR =
  'dossier|demande|client|allocataire|adh[ée]rent|usager|r[ée]clamation|ticket|suivi|commande|contrat|sinistre|facture|affaire|requ[êe]te|inscription|convocation|candidature|r[ée]servation|rendez-vous|saisine|recours|b[ée]n[ée]ficiaire|s[ée]jour|proc[ée]dure|d[ée]marche|plainte|signalement|incident|amende|contravention|attestation|certificat|pension|prestation|mandat|bordereau|pr[ée]-plainte|visa|assur[ée]e?|contribuable|abonn[ée]e?|[ée]l[èe]ve|[ée]tudiante?|candidat|adh[ée]sion';
// The bodies whose member numbers people quote: « mon numéro CAF », « identifiant France Travail ».
const FILE_BODIES = 'CAF|MSA|CPAM|URSSAF|France Travail|P[ôo]le emploi|ANTS|Ameli';
const FILE_NOUN_EN =
  'application|case|file|customer|client|claim|ticket|tracking|order|request|booking|account|reference|appointment|complaint|member|membership|policy|invoice|incident|permit|receipt|confirmation|visa|student|patient|tenant|reservation';
const NUMBER_WORD = 'n ?°|nº|n\\.|no\\.?|nr\\.?|num[ée]ro|number|num\\.?|#';
const FILE_INTRO = [
  // « numéro de dossier », « n° client », « référence de dossier », « numéro de suivi du recommandé »
  `(?:${NUMBER_WORD}|r[ée]f[ée]rence|r[ée]f\\.|identifiant)\\s?(?:de |du |d['’] ?)?(?:mon |ma |votre |la |le )?(?:${FILE_NOUN_FR}|${FILE_BODIES})(?: (?:du|de la|de l['’]|d['’]|de) ?[A-Za-zÀ-ÿ-]{2,20})?`,
  // « dossier n° », « demande numéro », "case no.", "application number", "Ticket #"
  `(?:${FILE_NOUN_FR}|${FILE_NOUN_EN})(?: ID)? ?(?:${NUMBER_WORD}|id\\b)`,
  // « Référence : », « réf. », "Reference:", « Identifiant : »
  `r[ée]f[ée]rence|r[ée]f\\.?|reference|ref\\.?|identifiant|ID`,
].join('|');
// Groups separated by a space (or a spaced dash or slash) go on while the next one holds a digit: « 5517 2039 »,
// « 24 75 C33 112 908 44 », « 2024 - 458712 ».
const FILE_ID = '(?=[A-Za-z0-9./_-]*\\d)[A-Za-z0-9](?:[A-Za-z0-9]|[-/._](?=[A-Za-z0-9])| (?=[A-Z]?\\d)| [-/] (?=[A-Z]?\\d)){1,39}';
const FILE_NUMBER = new RegExp(
  `${WORD_START}(?:${FILE_INTRO})(?: ?(?::|=|est|is|:)){0,2} ?(?:n° ?|no\\. ?|# ?)?(${FILE_ID})${WORD_END}`,
  // Case-insensitive without the Unicode flag: ASCII and Latin-1 folding is all these words need, and faster.
  'gi',
);

/** Shaped like a NIR, an IBAN or a card: a number that failed its key check earlier is no file number either. */
const KEYED_SHAPE = /^(?:[1-478]\d{4}(?:\d\d|2A|2B)\d{8}|\d{16}|[A-Z]{2}\d{2}[A-Z0-9]{10,30})$/i;
/** An article of a code (« L.123-1 », « R. 311-3-1 », « D 5 »), never anyone's file. */
const ARTICLE_SHAPE = /^[LRD]\.? ?\d{1,4}(?:-\d{1,3}){0,3}$/;
const keyedShape = (id: string): boolean => KEYED_SHAPE.test(id.replace(/[ .-]/g, '')) || ARTICLE_SHAPE.test(id);

/** « N° d'allocataire : 1234567 B »: a single capital after the digits is the identifier's last letter. */
// « ticket #458712 »: a « # » glued to the number goes with it.
function withTrailingLetter(input: string, [start, end]: readonly [number, number]): Span {
  const from = input[start - 1] === '#' ? start - 1 : start;
  return /^ [A-Z](?![\p{L}\p{N}])/u.test(input.slice(end, end + 3)) ? [from, end + 2] : [from, end];
}

/** « numéro 1234 AB 75 », « reference AB12 CDE »: the number is a piece of a licence plate, which the plate rules take whole. */
const partOfAPlate = (match: RegExpExecArray, group: number): boolean => cutsAPlate(match.input, groupSpan(match, group)[1]);

/** The identifier alone: the words that introduce it stay. */
function checkFileNumber(match: RegExpExecArray): Span | null {
  // An identifier holds at least two digits: « dossier n° 2 » is a count, « référence claire » a word.
  if (digitsOf(match[1]!).length < 2 || keyedShape(match[1]!) || yearOrIncome(match, 1) || partOfAPlate(match, 1)) return null;
  return withTrailingLetter(match.input, groupSpan(match, 1));
}

/** « revenu fiscal de référence 2023 : 24 350 € », « référence 2023 »: a year, an amount, no file. */
function yearOrIncome(match: RegExpExecArray, group: number): boolean {
  const [start, end] = groupSpan(match, group);
  return (
    /^(?:19|20)\d\d$/.test(match[group]!) ||
    AMOUNT_AFTER.test(match.input.slice(end, end + 7)) ||
    /fiscal de\s*$/i.test(match.input.slice(Math.max(0, match.index - 12), match.index)) ||
    /fiscal de r[ée]f[ée]rence\b/i.test(match.input.slice(Math.max(0, start - 40), start))
  );
}

// A file word followed at once by a long number (« mon dossier 2024-123456 »): five digits at
// least, so that « ma demande 2023 » or « commande 3 articles » stay.
// The word may be followed by a colon or an opening bracket (« Dossier : 2024-123456 », « mon dossier
// (123456789) »). Parcels and registered letters are tracked by such numbers too.
const PARCEL_NOUN = 'colis|(?:lettre |courrier )?recommand[ée]e?|avis de passage|parcel|package|shipment|registered letter';
const FILE_NUMBER_AFTER_NOUN = new RegExp(
  `${WORD_START}(?:${FILE_NOUN_FR}|${FILE_NOUN_EN}|${PARCEL_NOUN})(?: (?:est|c['’]est|is)(?: le)?)?(?: ?[:(] ?| )(${FILE_ID})${WORD_END}`,
  'gi',
);
/** « mon rendez-vous 12/03/2024 », « ma demande est le 2024-03-12 »: a date, not a number. */
const DATE_SHAPE = /^(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})$/;

/** « HT-4587-KL », « BX45871 »: letters and three digits at least, in one piece of six characters or more. */
const LETTERED_ID = /^(?=(?:[^\d]*\d){3})(?=[^A-Za-z]*[A-Za-z][^A-Za-z]*[A-Za-z])[A-Za-z0-9-]{6,20}$/;

/** Four digits alone that are no year (« ma demande 4587 »; « ma demande 2023 » stays). */
const FOUR_DIGITS_NOT_A_YEAR = /^(?!19|20)\d{4}$/;
/** « l'attestation 2024 2025 »: years, one after another. */
const YEARS = /^(?:19|20)\d\d(?:[ /-](?:19|20)\d\d)+$/;
const COUNTED_AFTER =
  /^ (?:fois|jours?|mois|ans?|ann[ée]es?|heures?|h|minutes?|min|km|m|personnes|pages?|dossiers|demandes|times|days|months|years|hours|people|pages)\b/i;

function checkBareFileNumber(match: RegExpExecArray): Span | null {
  const id = match[1]!;
  if (!(digitsOf(id).length >= 5 || LETTERED_ID.test(id) || FOUR_DIGITS_NOT_A_YEAR.test(id))) return null;
  if (keyedShape(id) || DATE_SHAPE.test(id) || YEARS.test(id) || partOfAPlate(match, 1)) return null;
  // « ma pension 12 500 euros », « ma demande 1500 fois »: an amount, a count.
  const [start, end] = groupSpan(match, 1);
  const after = match.input.slice(end, end + 12);
  return AMOUNT_AFTER.test(after) || (FOUR_DIGITS_NOT_A_YEAR.test(id) && COUNTED_AFTER.test(after)) ? null : [start, end];
}

// ---- File numbers introduced by a number word and a few words that say whose (« numéro étranger »,
// « référence de l'avis », « n° de demande ANEF : », « code demande ANTS », "beneficiary number"). Four
// digits at least, so that « guichet n° 4 », « code B78 » stay; not after a form, a law or an article.
const FILE_CUE = `(?:\\b(?:n ?°|nº|n\\.|no\\.?|nr\\.?|num[ée]ro|num\\.|number|r[ée]f[ée]rence|r[ée]f\\.?|reference|code|identifiant|id)|#)`;
const QUALIFIER_WORD = `[${LATIN_LETTER}][${LATIN_LETTER}'’-]{0,24}(?![${LATIN_LETTER}'’-])`;
const SPACED_ID = FILE_ID;
const FILE_INTRODUCED = new RegExp(
  `${FILE_CUE}(?![${LATIN_LETTER}])((?: ?${QUALIFIER_WORD}){0,6}?)(?: ?[:=]| c['’]est(?: le)?| est| is)?(?: ?n°| ?no\\.?(?![A-Za-z])| ?#)? ?(${SPACED_ID})(?![${LATIN_LETTER}\\d*])`,
  'gi',
);
/** Words that make the number something else: a phone, a page, an article, a code that is no file. */
const NOT_A_FILE =
  /(?:^|\s|['’])(?:t[ée]l[ée]?phone|tel|t[ée]l\.|portable|mobile|phone|fixe|d[ée]partement|page|version|article|[ée]tape|v[ée]rification|verification|erreur|error|postal|income|revenus?|montant|amount|s[ée]cu|s[ée]curit[ée]|fiscal|fiscaux|passeport|passport|carte(?= bancaire| bleue| de cr[ée]dit| de paiement|$)|card|cb|iban|rib|vert|gratuit|appel|bus|guichet|case|box|ligne de|siret|siren|promo|promotionnel|r[ée]duction|discount|coupon|voucher|wifi|wi-fi|min[ée]ralogique|immatriculation|immat)(?=$|\s)/i;
const NOT_A_FILE_BEFORE =
  /(?:cerfa|formulaire|imprimé|form|officiel|ticket de caisse|loi|décret|decree|ordonnance|arr[êe]t[ée]|circulaire|d[ée]lib[ée]ration|article|bus|tram|train|flight|salle|room|directive|règlement|case|box|guichet|v[ée]rification|verification|sms|otp|pin|secret|postal)\s*$/i;
/** An amount: « 24 350 € ». */
const AMOUNT_AFTER = /^ ?(?:€|euros?\b|EUR\b|\$|£)/i;

/**
 * A code of letters and digits mixed, five characters at least (« 7A8B9C », « XZ45K »): an application
 * or access code even with fewer than four digits.
 */
const MIXED_CODE = /^(?=(?:[A-Za-z]*\d){2})(?=(?:\d*[A-Za-z]){2})[A-Za-z0-9]{5,12}$/;

function checkIntroducedFile(match: RegExpExecArray): Span | null {
  if ((digitsOf(match[2]!).length < 4 && !MIXED_CODE.test(match[2]!)) || NOT_A_FILE.test(match[1]!)) return null;
  // « le numéro 3646 », « le 39 49 »: the short numbers of public services.
  if (keyedShape(match[2]!) || /^3\d ?\d\d$/.test(match[2]!) || yearOrIncome(match, 2) || partOfAPlate(match, 2)) return null;
  if (NOT_A_FILE_BEFORE.test(match.input.slice(Math.max(0, match.index - 20), match.index))) return null;
  const [, end] = groupSpan(match, 2);
  if (AMOUNT_AFTER.test(match.input.slice(end, end + 7))) return null;
  return withTrailingLetter(match.input, groupSpan(match, 2));
}
// Acronyms and nouns that alone say « file number » before one: « NEPH 231006200417 », « ANEF 690-2024-… ».
const FILE_ACRONYM = new RegExp(
  `(?:NEPH|AGDREF|ANEF|OFPRA|UCI|CNAV|MDPH|RSA|PV|[Rr][ée]c[ée]piss[ée]|R[ÉE]C[ÉE]PISS[ÉE]|[Aa]llocataire|ALLOCATAIRE|[ÉéEe]tranger|[Nn]aturalisation|[Aa]vis|AVIS|${FILE_BODIES}|CNI|[Cc]arte d['’]identit[ée]|[Cc]arte [Vv]itale|ID card|identity card|[Mm]atricule|r[ée]f[ée]renc[ée]e?(?: sous)?|enregistr[ée]e? sous(?: le)?)(?: (?:n°|no\\.?|#))?(?: (?:est|c['’]est|is)(?: le)?)? ?:? (${SPACED_ID})(?![\\p{L}\\p{N}*])`,
  'gu',
);
// The word's start is checked here, not by a lookbehind in the pattern: tested at every character, it cost
// more than the rest of the rule.
const checkFileAcronym = (match: RegExpExecArray): Span | null =>
  !/\p{L}/u.test(match.input[match.index - 1] ?? '') && digitsOf(match[1]!).length >= 5 && !yearOrIncome(match, 1)
    ? withTrailingLetter(match.input, groupSpan(match, 1))
    : null;

// A prefecture's or a service's file format: digits, a code in capitals, digits (« 2023-PREF-004512 »,
// « 2024/PREF/13/00458 »): its shape alone says what it is (a law's « 2019-1234 » has no letters).
const LETTERED_FILE_FORMAT = /\b\d{2,4}([-/ ])[A-Z]{2,6}\1(?:\d{2,3}\1)?\d{3,8}\b/g;
// The reference of a tax notice by its shape alone: year, département, a letter and eight to ten digits
// (« 24 75 A12 345 678 90 », « 2375A05391266 », « 24 75 A 123 456 78 »); nothing else is written so. It
// runs first: « référence de l'avis : 24 75 A … » would otherwise end at the letter.
const TAX_NOTICE_REFERENCE = /\d(?<![\p{L}\p{N}]\d)\d ?(?:\d{2}|2[AB]) ?[A-Z] ?\d(?: ?\d){7,9}(?![\p{L}\p{N}])/gu;

// The number first, the words after: « 2024-458712, c'est mon numéro de dossier », « 458 712 369 (mon
// numéro allocataire) ».
const FILE_THEN_CUE = new RegExp(
  `(?<![A-Za-z0-9./_-])(${FILE_ID})(?: ?[,(:–-] ?| )(?:c['’]est |qui est |est |soit |is )?(?:mon |ma |le |la |votre |notre |my |the |your )?(?:num[ée]ro|n°|r[ée]f[ée]rence|r[ée]f\\.|identifiant|dossier|code|number|reference|file|case)(?! de t[ée]l| fiscal| de s[ée]cu| de passeport| de carte| de t[ée]l[ée]phone| vert)`,
  'dgi',
);
function checkFileThenCue(match: RegExpExecArray): Span | null {
  const id = match[1]!;
  if (digitsOf(id).length < 5 || keyedShape(id) || DATE_SHAPE.test(id) || YEARS.test(id)) return null;
  if (NOT_A_FILE_BEFORE.test(match.input.slice(Math.max(0, match.index - 20), match.index))) return null;
  return groupSpan(match, 1);
}
// Far from its words (« mon numéro de dossier, je l'ai retrouvé : 458712 »): five digits at least within
// the sentence; a guess, held back.
const FAR_FILE = new RegExp(
  `\\b(?:num[ée]ro|n°|r[ée]f[ée]rence|identifiant) (?:de |d['’]|du )?(?:mon |ma |la |le )?(?:${FILE_NOUN_FR}|${FILE_BODIES})[^\\d\\n.!?]{1,40}?(?<![${LATIN_LETTER}\\d])((?=[A-Za-z0-9./_-]*\\d)[A-Za-z0-9][A-Za-z0-9./_-]{3,30}[A-Za-z0-9])(?![${LATIN_LETTER}\\d])`,
  'gi',
);
function checkFarFile(match: RegExpExecArray): Span | null {
  const id = match[1]!;
  if (digitsOf(id).length < 5 || keyedShape(id) || DATE_SHAPE.test(id) || YEARS.test(id) || yearOrIncome(match, 1)) return null;
  const [start, end] = groupSpan(match, 1);
  return [start, end, 'unsure'];
}

/** File numbers, each introduced by what it is. */
export const FILE_NUMBER_DETECTORS: readonly DetectorEntry[] = [
  ['file_number', (text) => spansOf(TAX_NOTICE_REFERENCE, text), 10, 'sure', /\d ?[A-Z] ?\d/],
  ['file_number', (text) => spansOf(FILE_NUMBER, text, checkFileNumber), 2, 'sure'],
  [
    'file_number',
    (text) => spansOf(FILE_INTRODUCED, text, checkIntroducedFile),
    2,
    'sure',
    /n ?°|nº|n\.|no|nr|num|#|r[ée]f|code|identifiant|id/i,
  ],
  [
    'file_number',
    (text) => spansOf(FILE_ACRONYM, text, checkFileAcronym),
    5,
    'sure',
    /NEPH|AGDREF|ANEF|OFPRA|UCI|CNAV|MDPH|RSA|PV|c[ée]piss|C[ÉE]PISS|llocataire|LLOCATAIRE|tranger|aturalisation|[Aa]vis|AVIS|[Vv]itale|CAF|MSA|CPAM|URSSAF|Travail|[Ee]mploi|ANTS|Ameli|CNI|identit|vitale|ID card|atricule|f[ée]renc[ée]|sous/,
  ],
  ['file_number', (text) => spansOf(FILE_NUMBER_AFTER_NOUN, text, checkBareFileNumber), 3, 'sure'],
  [
    'file_number',
    (text) =>
      spansOf(LETTERED_FILE_FORMAT, text, (match) => (cutsAPlate(match.input, match.index + match[0].length) ? null : whole(match))),
    5,
    'sure',
    /\d[-/ ][A-Z]{2}/,
  ],
  [
    'file_number',
    (text) => spansOf(FILE_THEN_CUE, text, checkFileThenCue),
    5,
    'sure',
    /\d[ ,(:–-]{1,3}(?:c['’]est |qui est |est |soit |is )?(?:mon |ma |le |la |votre |notre |my |the |your )?(?:num|n°|r[ée]f|identifiant|dossier|code|number|reference|file|case)/i,
  ],
  ['file_number', (text) => spansOf(FAR_FILE, text, checkFarFile), 5, 'unsure', /num|n°|r[ée]f|identifiant/i],
];

// ---- A long number or code with nothing around it to say what it is (« j'ai reçu le 2024-4587123 »,
// « toujours bloqué : XK45T9820 »): most often a file, an access code, a tracking number, but a guess. It
// is held back as unsure, not replaced. One piece of letters and digits (dots, dashes, slashes and
// underscores inside), six digits at least, or four digits among letters; amounts, dates, years, versions,
// the services' own numbers (08…), laws and forms, and the shapes of numbers with a key are left.
// Found from its first digit, the letters before read back (group 1): starting at every letter cost more.
// Without the Unicode flag (a third cheaper): the letters around are Latin ones.
const BARE_CODE = new RegExp(
  `\\d(?<=(?<![${LATIN_LETTER}\\d@:/.,-])((?:[A-Za-z]{1,10}[-./_])?[A-Za-z]{0,20})\\d)[A-Za-z0-9]*(?:[-./_][A-Za-z0-9]+){0,6}(?![${LATIN_LETTER}\\d@]|[-/.,]\\d)`,
  'g',
);
const NOT_A_BARE_CODE = [
  // Thousands and decimals: « 1.500.000 », « 12,50 », « 3.5 ».
  /^\d{1,3}(?:\.\d{3})+$|^\d+\.\d+$/,
  // Dates and periods: « 12/03/2024 », « 2023-2024 », « 2024-03-12 », « 12.03.24 »; a European text's
  // number, « 2016/679 ».
  /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$|^(?:19|20)\d\d(?:[-/](?:19|20)?\d\d)+$|^(?:19|20)\d\d\/\d{1,4}$/,
  // Versions and addresses of machines: « 126.0.6478.127 », « 10.0.19045 ».
  /^v?\d{1,3}(?:\.\d{1,5}){2,3}$/i,
  // A service's number, a postcode range: « 0800123456 », « 75001-75020 ».
  /^08\d{8}$|^\d{5}-\d{5}$/,
  // Hours: « 8h30-12h00 », « 13h30/17h ».
  /^\d{1,2}[hH]\d{0,2}(?:[-/]\d{1,2}[hH]\d{0,2})*$/,
];
const NOT_A_BARE_CODE_BEFORE =
  /(?:cerfa|formulaire|imprim[ée]|form|d[ée]claration|loi|d[ée]cret|decree|ordonnance|arr[êe]t[ée]|circulaire|article|art\.|directive|r[èe]glement|siret|siren|tva|vat|version|v|build|iOS|android|windows|chrome|firefox|isbn|issn|promo|coupon|voucher|r[ée]duction|discount|bus|tram|train|vol|flight|t[ée]l[ée]phone|t[ée]l\.?|tel|phone|fax)\s*(?:n°|no\.?|num[ée]ro|number|:)?\s*$/i;
const COUNT_AFTER =
  /^ ?(?:€|euros?\b|EUR\b|\$|£|%|habitants|personnes|people|users|utilisateurs|visiteurs|km|m²|m2|ans|years|fois|times|pages|exemplaires|dossiers|demandes|files|cases)/i;

function checkBareCode(match: RegExpExecArray): Span | null {
  const start = match.index - match[1]!.length;
  // Six characters at least whatever the mix: most numbers in a comment are shorter, and leave here.
  if (match[1]!.length + match[0].length < 6) return null;
  const code = match[1]! + match[0];
  let digits = 0;
  let letters = 0;
  for (let i = 0; i < code.length; i++) {
    const unit = code.charCodeAt(i);
    if (unit >= 48 && unit <= 57) digits++;
    else if (unit >= 65) letters++;
  }
  if (letters === 0 ? digits < 6 : digits < 4) return null;
  // Letters and digits: a code when the letters are no word (« ISO-9001 », « COVID-2019 » stay).
  // « NOEL2024 », « JO-2024 »: a word and a year.
  if (letters > 0 && /^[A-Za-z]{3,}[-_]\d+$|^[A-Za-z]{2,}[-_]?(?:19|20)\d\d$/.test(code)) return null;
  if (keyedShape(code) || /^\d{13,19}$/.test(code) || NOT_A_BARE_CODE.some((shape) => shape.test(code))) return null;
  const before = match.input.slice(Math.max(0, start - 30), start);
  if (NOT_A_BARE_CODE_BEFORE.test(before) || /(?:www|https?)\S*$/i.test(before)) return null;
  const end = match.index + match[0].length;
  if (COUNT_AFTER.test(match.input.slice(end, end + 14))) return null;
  return [start, end, 'unsure'];
}

/** After every other rule: a code nobody introduced. */
export const BARE_CODE_DETECTORS: readonly DetectorEntry[] = [
  ['file_number', (text) => spansOf(BARE_CODE, text, checkBareCode), 4, 'unsure'],
];
