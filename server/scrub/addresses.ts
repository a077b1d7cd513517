import { isGivenName } from './names.ts';
import { wordsOf } from './name-rules.ts';
import {
  ANY_WORD,
  anyCase,
  atWordStart,
  CAP_WORD,
  type DetectorEntry,
  type Found,
  groupSpan,
  NAME_PARTICLE,
  SPACE,
  type Span,
  spansOf,
  whole,
  UPPER,
  WORD_CAP_WORD,
  WORD_END,
  WORD_START,
} from './patterns.ts';

// Postal addresses: streets, places (résidence, lieu-dit…), postcodes and towns, their pieces merged.

/**
 * « 12 rue de la Paix, 75001 Paris » is one address, not two, and so is « Résidence Les Tilleuls, bât. B,
 * 31000 Toulouse ». A piece that is only an address next to another (a flat number, a lower-case town)
 * is dropped when it stands alone. The whole is sure when one of its pieces is.
 */
export function mergeAddresses(found: Found[], text: string): Found[] {
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
// The « N » or the first digit is taken first and only then is what precedes it read (a pattern that opens
// with a look-around is tried at every character); « (?<!\\w\\d) » is the word start before a digit.
const NOT_A_ROOM = `(?<!(?:[Cc]hambre|[Aa]pp?t|[Bb][âa]t(?:iment)?|[Ee]sc(?:alier)?|[Pp]orte|[Ll]ot|[Mm]aison|[Ll]ogement|[Ee]mplacement)\\.? `;
const STREET_NUMBER = `(?:[Nn]${NOT_A_ROOM}[Nn])°${SPACE}?\\d|\\d(?<!\\w\\d)${NOT_A_ROOM}\\d))\\d{0,3}(?:-\\d{1,4})?(?:${SPACE}?(?:bis|ter|quater|[A-Da-d])${WORD_END})?,?${SPACE}`;
const FR_STREET = new RegExp(
  `${STREET_NUMBER}(?:de la |de l['’]|du )?(?:(?:${STREET_TYPES_PLAIN})${SPACE}${STREET_ARTICLE}(?:${ANY_WORD}|\\d{1,2} ${CAP_WORD})|(?:${STREET_TYPES_WORDS})${SPACE}${STREET_ARTICLE}\\p{Lu}[\\p{L}\\p{M}'’-]{1,40}|[Rr]\\.? (?:de la |de l['’]|du |des |de )${ANY_WORD}|[Rr]\\. ${CAP_WORD}|(?:Grande?|Grand['’]|GRANDE?) (?:Rue|RUE))` +
    // Words in lower case too when a postcode follows: « 12 rue victor hugo 75001 paris »; an
    // arrondissement (« Paris 15e »); up to six pieces, so that « Victor Hugo Bât A Apt 12 » holds.
    `(?:[ -](?:${NAME_PARTICLE} |d['’])?(?:${CAP_WORD}|\\d{1,4}(?:er|e|ème|eme)?(?![\\p{L}\\p{N}]))| \\p{Ll}[\\p{L}'’]{0,30}(?=(?: [\\p{L}'’-]{1,30}){0,3},? \\d{5} )){0,6}`,
  'gu',
);
// English: number, capitalized name, street type ("221B Baker Street", "1600 Pennsylvania Avenue").
const EN_STREET_TYPES =
  'Street|St\\.?|Road|Rd\\.?|Avenue|Ave\\.?|Lane|Ln\\.?|Drive|Boulevard|Blvd\\.?|Court|Ct\\.?|Place|Way|Square|Terrace|Close|Crescent|Gardens|Grove|Row|Walk|Parade|Mews';
const EN_STREET = new RegExp(
  `${WORD_START}\\d{1,5}[A-Za-z]? (?:(?:${CAP_WORD}|\\d{1,3}(?:st|nd|rd|th)) ){1,3}(?:${EN_STREET_TYPES})${WORD_END}`,
  'gu',
);
// Postcode and city: « 75001 Paris », « 13100 Aix-en-Provence », « 85000 La Roche-sur-Yon ».
/**
 * A French postcode's first two digits, not inside a number or a word (« 75 », never « 99 »). The digit is
 * taken first and only then is what comes before it read: a pattern that starts with a look-around is
 * tried at every character, one that starts with a digit skips to the next digit.
 */
const POSTCODE_START = '\\d(?<![\\p{L}\\p{N}.,]\\d)(?:(?<=0)[1-9]|(?<=[1-8])\\d|(?<=9)[0-8])';
const CITY_PARTICLE = '(?:sur|sous|en|lès|les|le|la|de|du|des|aux)';
const POSTCODE_CITY = new RegExp(
  `${POSTCODE_START} ?\\d{3} (?!(?:Euros?|EUR|Km|Habitants?)${WORD_END})${CAP_WORD}` +
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
    return [start, town ? end + town[0].length : end, ofAService(text, start) ? 'unsure' : 'sure'];
  });
}

// « La préfecture du 5 boulevard de l'Hôpital », « le bureau est au 12 rue … »: most often the address of
// a service, no one's home; held back as unsure unless the sentence says it is the writer's own.
const SERVICE_BEFORE =
  /(?<![\p{L}])(?:pr[ée]fecture|mairie|CAF|CPAM|caisse|bureau|service|agence|centre|tribunal|h[ôo]pital|poste|guichet|si[èe]ge|locaux|antenne|permanence|accueil|commissariat|gendarmerie|ambassade|consulat|tr[ée]sorerie|imp[ôo]ts|SIP|ministère|direction|URSSAF|MSA|France Travail|P[ôo]le emploi|office|agency|office|embassy|consulate|council)(?![\p{L}])[^\n.!?]{0,40}$/iu;
const OWN_ADDRESS =
  /(?<![\p{L}])(?:j['’]habite|habitons|habite|domicil|adresse|chez (?:moi|nous|ma|mon)|r[ée]side|d[ée]m[ée]nag|vis |vit |vivons|I live|we live|my address|home|moved|logement|appartement)(?![\p{L}])/iu;
function ofAService(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 60), start);
  return SERVICE_BEFORE.test(before) && !OWN_ADDRESS.test(before.slice(before.search(/[^.!?\n]*$/)));
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
const PLACE_NAME_BEFORE_STREET = new RegExp(`${WORD_CAP_WORD}(?: (?:${NAME_PARTICLE} |d['’])?${CAP_WORD}){1,4},? (?=\\u0000)`, 'uy');
/** Where a capitalized word starts. */
const WORD_CAPITAL = new RegExp(`${UPPER}(?<![\\p{L}]\\p{Lu})`, 'gu');
/**
 * The longest place name the pattern reads, in UTF-16 units: five words of 41 characters (two units each at
 * most), four spaces with their particles (« de la »), a comma and a space.
 */
const PLACE_NAME_REACH = 2 * 41 * 5 + 4 * 8 + 2;

/**
 * The matches of PLACE_NAME_BEFORE_STREET, as a scan of the whole text would find them, tried only at the
 * capitals that start a word within reach of a blanked-out find: the name ends right before one, so a
 * capital farther than PLACE_NAME_REACH before the next one starts none.
 */
function findPlaceNamesBeforeStreets(text: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (;;) {
    const blank = text.indexOf('\u0000', from);
    if (blank < 0) break;
    WORD_CAPITAL.lastIndex = Math.max(from, blank - PLACE_NAME_REACH);
    const capital = WORD_CAPITAL.exec(text);
    if (capital === null) break;
    if (capital.index > blank) {
      from = capital.index;
      continue;
    }
    PLACE_NAME_BEFORE_STREET.lastIndex = capital.index;
    const match = PLACE_NAME_BEFORE_STREET.exec(text);
    const span = match && checkPlaceName(match);
    if (span) {
      spans.push(span);
      from = span[1];
    } else {
      from = capital.index + 1;
    }
  }
  return spans;
}
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
  `(?:(?:[Bb][âa]t(?:iment)?\\.?|BAT\\.?|[Ee]sc(?:alier)?\\.?|[Aa]pp?t\\.?|[Aa]pp\\.|[Aa]ppartement|[Aa]partment|[Ff]lat|[Uu]nit|[Ss]uite|[Bb]loc|[Cc]age|[Hh]all|[Ss]tudio|[Bb]ox|[Pp]avillon|[Aa]ppartement|[Ll]ot|[Mm]aison|[Ee]mplacement|[Cc]hambre|[Ll]ogement|[Pp]orte|[Ee]ntrée|BP|B\\.P\\.|[Bb]o[îi]te [Pp]ostale|BOITE POSTALE|CS) ?(?:n° ?)?[A-Z0-9]{1,4}|\\d{1,2}(?:e|ème|eme|è|er) (?:étage|etage)(?: (?:porte )?(?:gauche|droite|\\d{1,3}))?|RDC|[Rr]ez-de-chaussée|[Ll]e [Bb]ourg)(?![\\p{L}\\p{N}])` +
    `|${POSTCODE_START}\\d{3} \\p{Ll}[\\p{L}-]{1,40}`,
  'gu',
);
// A British postcode, after its town or not: "London SW1A 1AA".
// A post-office box on its own: « boîte postale 1234 », "PO Box 4521", "P.O. Box 17".
const PO_BOX = /\b(?:P\.? ?O\.? [Bb]ox|PO BOX|[Bb]o[îi]te [Pp]ostale|BO[ÎI]TE POSTALE) ?(?:n° ?|#)?\d{1,6}\b/g;
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
const POSTCODE_ALONE = /\d(?<=[\p{L}] \d)(?:(?<=0)[1-9]|(?<=[1-8])\d|(?<=9)[0-8])\d{3}(?![\p{N}*/.-]| ?€| ?euros?)/gu;
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
const US_TOWN = new RegExp(`${WORD_CAP_WORD}(?: ${CAP_WORD})?, [A-Z]{2} \\d{5}(?:-\\d{4})?(?:, USA)?(?!\\d)`, 'gu');

/** Streets, places and towns. */
export const ADDRESS_DETECTORS: readonly DetectorEntry[] = [
  ['address', (text) => spansOf(PO_BOX, text), 1, 'sure', /[Bb]ox|BOX|[Pp]ostale|POSTALE/],
  ['address', (text) => withTown(spansOf(FR_STREET, text), text), 1, 'sure'],
  ['address', (text) => spansOf(NUMBER_AFTER_STREET, text), 5, 'sure', /\d,? \d{4} /],
  ['address', (text) => spansOf(US_TOWN, text), 5, 'sure', /, [A-Z]{2} \d{5}/],
  ['address', (text) => withEnglishTown(spansOf(EN_STREET, text), text), 1, 'sure'],
  ['address', (text) => spansOf(POSTCODE_CITY, text), 5, 'sure', /\d{2} ?\d{3} /],
  // A letter, a space and five digits, found from the space (a pattern that opens with \p{L} tests it everywhere).
  ['address', findTownThenPostcode, 5, 'unsure', / \d{5}(?<=\p{L} \d{5})/u],
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
];

/** Pieces that only count next to an address found earlier. */
export const ADDRESS_PIECE_DETECTORS: readonly DetectorEntry[] = [
  // Last, so that a piece that ends up alone (and is dropped) has hidden nothing from the rules above.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what earlier rules blank found spans with.
  ['address', findPlaceNamesBeforeStreets, 1, 'part', /\u0000/],
  [
    'address',
    (text) => spansOf(ADDRESS_PIECE, text, atWordStart),
    1,
    'part',
    // A piece only counts next to an address found earlier, and those are blanked out by now.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what earlier rules blank found spans with.
    /\u0000/,
  ],
];
