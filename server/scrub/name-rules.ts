import { isGivenName, isKnownName, isSurname } from './names.ts';
import type { Confidence } from './categories.ts';
import {
  CAP_WORD,
  type DetectorEntry,
  groupSpan,
  NAME,
  NAME_LETTER,
  NAME_PARTICLE,
  sized,
  SPACE,
  type Span,
  spansOf,
  whole,
  UPPER,
  WORD_START,
} from './patterns.ts';

// Names of people: introduced (a civility, « je m'appelle », a signature) or found from the lists of
// given names and surnames (server/scrub/names.ts) read with their context.

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
    `[Mm]y (?:full |first |last |family |sur)?name is|I am called|(?:[Ss]ign[ée]e?|SIGNÉ|[Ss]igned)(?: par| by)? ?:|(?:[Nn]om|NOM|[Pp]rénom|[Pp]renom|[Nn]om de famille|[Nn]ame|[Ss]urname|[Ff]irst name|[Ll]ast name) ?:) ?(${NAME})`,
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
export const wordsOf = (name: string): string[] => name.split(/[ \u00a0]+/).filter((w) => w !== '');
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
  /onseill|agent|gestionnaire|social|decin|avocat|notaire|cr[ée]taire|tut|docteur|instruct|infirmi|ducat|f[ée]rent|juge|officer|advis|caseworker|clerk|lawyer|doctor|nurse|judge/i;
const ROLE_NAME = new RegExp(
  `\\b(?:[Cc]onseill[eè]re?|[Aa]gente?(?: d['’]accueil)?|[Gg]estionnaire|[Aa]ssistante? social[e]?|[Mm][ée]decin(?: conseil| traitant)?|[Aa]vocate?|[Nn]otaire|[Ss]ecr[ée]taire|[Tt]ut(?:eur|rice)|[Dd]octeur|[Ii]nstruct(?:eur|rice)|[Ii]nfirmi[eè]re?|[Éée]ducat(?:eur|rice)|[Rr][ée]f[ée]rente?|[Jj]uge|[Oo]fficer|[Aa]dvis[eo]r|[Cc]aseworker|[Cc]lerk|[Ll]awyer|[Dd]octor|[Nn]urse|[Jj]udge)(?:,)? (${LOOSE_NAME})`,
  'gu',
);
// A given name after the words that bring one: « merci à Sandrine », « grâce à … », « de la part de
// Thierry », « avec Nathalie », « reçue par Émilie », "thanks to Sophie", « c'est moi Dylan ».
const CUED_NAME = new RegExp(
  `\\b(?:[Mm]erci [àa]|[Mm]erci|[Bb]ravo|[Gg]râce [àa]|[Bb]onjour|[Bb]onsoir|[Hh]ello|[Hh]i|[Dd]ear|[Cc]her|[Cc]hère|[Tt]hanks to|[Tt]hanks|[Tt]hank you|grace [àa]|[Dd]e la part de|avec|bonjour|bonsoir|hello|hi|dear|cher|chère|salut|par|pour|remercie|remercier|remerciements [àa]|bravo [àa]|re[çc]ue? par|accueillie? par|moi|thanks to|thank you to|thanks|thank you|with|from|by)(?:,)? (${LOOSE_NAME})`,
  'gu',
);
function checkCuedName(match: RegExpExecArray): Span | null {
  const words = wordsOf(match[1]!);
  if (!isGivenName(words[0]!)) return null;
  return sized(groupSpan(match, 1), 'sure');
}
// After the words that thank or credit a person (« merci à », « grâce à », « de la part de », « reçue
// par »), a capitalized word no list knows is still most often a first name (« merci à Maïwenn »): a
// guess, held back as unsure. Services and pronouns written with a capital are left.
const THANKED_UNKNOWN =
  /\b(?:[Mm]erci (?:beaucoup |infiniment |encore )?[àa]|[Gg]r[âa]ce [àa]|[Dd]e la part de|[Rr]emercie(?:r)?|[Bb]ravo [àa]|re[çc]ue? par|accueillie? par|[Tt]hanks to|[Tt]hank you to|[Kk]udos to)(?:,)? (\p{Lu}\p{Ll}[\p{Ll}'’]{1,20}(?:-\p{Lu}\p{Ll}{1,20})?)(?![\p{L}\p{N}'’-]| \p{Lu}\p{Ll}*[A-Z])/gu;
/** Capitalized words after thanks that are no person: services, sites, pronouns, a deity, a team. */
const NOT_THANKED_PERSON = new Set(
  'Vous|Tous|Toutes|Toi|Dieu|Internet|Google|France|Ameli|Doctolib|Service|Services|Équipe|Equipe|Mairie|Préfecture|Caisse|Pôle|Madame|Monsieur|Mademoiselle|Messieurs|Mesdames|You|All|Everyone|God|Team|Staff|The|Your|This|Our|Chrome|Firefox|Safari|Android|Windows|Apple|Facebook|Twitter|Youtube|Wikipedia|Europe|Paris|Lyon|Marseille|Bordeaux|Toulouse|Lille|Nantes|Strasbourg|Rennes|Nice|Montpellier'.split(
    '|',
  ),
);
function checkThankedUnknown(match: RegExpExecArray): Span | null {
  const word = match[1]!;
  if (NOT_THANKED_PERSON.has(word) || NOT_A_NAME.has(word) || ARTICLES.has(word) || CIVILITY_WORD.test(word)) return null;
  return sized(groupSpan(match, 1), 'unsure');
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
  /\b(?:[Mm]erci|[Gg]r[âa]ce|[Rr]emercie|[Rr]emercier|[Tt]hanks|[Tt]hank you|[Cc]['’]est|[Mm]oi c['’]est|[Ss]lt c|[Jj]e suis|[Jj]sui?s?|[Dd]e la part de|[Aa]vec|[Ll]['’]agente?|[Cc]onseill[eè]re?|[Ss]ign[ée]e?:?|[Cc]ordialement,?|[Rr]egards,?)(?: (?:à|a|beaucoup|encore|bien|to|so much)){0,3} (\p{Ll}[\p{L}'’-]{2,30})(?![\p{L}])/dgu;
function checkThankedLowerCase(match: RegExpExecArray): Span | null {
  const word = match[1]!;
  const capitalized = word[0]!.toUpperCase() + word.slice(1);
  if (LOWER_CASE_STOPWORDS.has(word) || !isGivenName(capitalized)) return null;
  // « cordialement jean dupont »: a surname of the list right after goes with it.
  const [start, end] = groupSpan(match, 1);
  const next = /^ (\p{Ll}[\p{L}'’-]{1,30})(?![\p{L}])/u.exec(match.input.slice(end, end + 33))?.[1];
  const surname = next !== undefined && !LOWER_CASE_STOPWORDS.has(next) && isSurname(next[0]!.toUpperCase() + next.slice(1));
  return [start, surname ? end + 1 + next.length : end, 'unsure'];
}
// « M Dupont »: the civility without its full stop, before a surname of the list.
const BARE_M_SURNAME = /\bM (\p{Lu}[\p{L}\p{M}'’-]{1,40})(?![\p{L}])/dgu;
const checkBareMSurname = (match: RegExpExecArray): Span | null =>
  isSurname(match[1]!) && !NOT_A_NAME.has(match[1]!) ? groupSpan(match, 1) : null;
// A maiden or married name: « née Vasseur », « épouse Lefranc ».
const MAIDEN_NAME = new RegExp(`(?<![\\p{L}])(?:née|épouse|veuve|ép\\.|maiden name) (${CAP_WORD}(?: ${CAP_WORD})?)`, 'gu');
// « BERTRAND Sylvie », "SMITH John": a surname in capitals, then a given name.
const CAPITALS_THEN_GIVEN = new RegExp(`(${UPPER}(?<![\\p{L}].)\\p{Lu}{1,}(?:[- ]\\p{Lu}{2,})?) (${CAP_WORD})(?![\\p{L}])`, 'gu');
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
  `(${UPPER}(?<![\\p{L}\\p{N}'’.-].)${NAME_LETTER}{0,40})(?: (?:${NAME_PARTICLE}|d['’]) ?| )(${CAP_WORD}(?: ${CAP_WORD})?)(?![\\p{L}])`,
  'gu',
);
const PLACE_BEFORE =
  /(?<![A-Za-z\u00C0-\u024F])(?:rue|avenue|av\.|boulevard|bd|place|allée|impasse|quai|chemin|route|collège|college|lycée|école|ecole|université|universite|hôpital|hopital|centre|résidence|residence|stade|salle|gare|square|parc|musée|pont|cours|institut|fondation|campus|station|métro|metro|prix|le|la|les|du|des|de|Saint|Sainte|St|Ste)[ -]?$/i;
/** « la fille de », « de la part de », « au nom de »: the « de » before a person, not before a place. */
const PERSON_OF =
  /(?:fille|fils|femme|mari|part|nom|compte|veuve|maman|papa|b[ée]b[ée]|ami|amie|copine?|copain|compagne|compagnon|conjointe?|dossier|demande|situation|m[èe]re|p[èe]re|[ée]pou(?:se|x)|enfant|famille|s(?:œ|oe)ur|fr[èe]re|cousine?|voisine?|tante|oncle|neveu|ni[èe]ce|avocate?|tutrice|tuteur|curatrice|curateur) d(?:e|u) $/i;
function checkGivenThenSurname(match: RegExpExecArray): Span | null {
  const [given, rest] = [match[1]!, match[2]!];
  if (!/\p{Ll}/u.test(given)) return null;
  const surname = wordsOf(rest)[0]!;
  if (NOT_A_NAME.has(surname) || ARTICLES.has(surname) || (/^\p{Lu}+$/u.test(surname) && ACRONYMS.has(surname))) return null;
  const before = match.input.slice(Math.max(0, match.index - 30), match.index);
  if (PLACE_BEFORE.test(before) && !PERSON_OF.test(before)) return null;
  // « Olivier Renaud », « Pierre Lambert »: a given name that is also a common word, before a listed
  // name, is most likely a person; a guess all the same.
  if (!isGivenName(given))
    return isKnownName(given) && (isSurname(surname) || isGivenName(surname)) && !NOT_A_NAME.has(given)
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
const GIVEN_INITIAL = new RegExp(`${UPPER}(?<![\\p{L}\\p{N}].)${NAME_LETTER}{1,40} \\p{Lu}\\.(?![\\p{L}\\p{N}])`, 'gu');
/** A lower-case letter, a space, a capital and a full stop, found from the space. */
const GIVEN_INITIAL_GATE = new RegExp(` ${UPPER}\\.(?<=\\p{Ll} \\p{Lu}\\.)`, 'u');
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
  `(?:^|[.!?\\n(,] ?)(${CAP_WORD})(?= (?:m['’]|l['’]|n['’]|ne |a |est |[ée]tait |au |à l|qui |nous |vous |je |et moi|and I |and me |de la |du |de l['’]|from |at the |has |was |is |helped |called |told |said |\\(|et (?:\\p{Lu}\\p{Ll}|\\u0000)|and (?:\\p{Lu}\\p{Ll}|\\u0000))|\\)|, )`,
  'gu',
);
function checkGivenAsSubject(match: RegExpExecArray): Span | null {
  return /\p{Ll}/u.test(match[1]!) && isGivenName(match[1]!) ? sized(groupSpan(match, 1), 'unsure') : null;
}
// A given name after a lower-case word, inside a sentence (« l'agent Paul m'a … »): unsure.
// Found from the space, the lower-case letter before it read after: lower-case letters are everywhere.
const GIVEN_INSIDE = new RegExp(` (?<=\\p{Ll} )(${CAP_WORD})(?![\\p{L}\\p{N}]| \\p{Lu})`, 'gu');
function checkGivenInside(match: RegExpExecArray): Span | null {
  const word = match[1]!;
  return /\p{Ll}/u.test(word) && isGivenName(word) && !word.includes('-') ? sized(groupSpan(match, 1), 'unsure') : null;
}

const CAPITALIZED = new RegExp(`${UPPER}${NAME_LETTER}{1,40}`, 'gu');
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
  // Word by word, stopping at the first given name: most texts hold one early.
  CAPITALIZED.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = CAPITALIZED.exec(text)) !== null) {
    if (isGivenName(match[0])) {
      lastGivenNameAnswer = true;
      break;
    }
  }
  return lastGivenNameAnswer;
}
/** Names, last but the address pieces: the least certain rules. */
export const NAME_DETECTORS: readonly DetectorEntry[] = [
  ['name', (text) => spansOf(CIVILITY_NAME, text, checkName), 0, 'sure'],
  ['name', (text) => spansOf(INTRODUCED_NAME, text, checkName), 0, 'sure'],
  ['name', (text) => spansOf(I_AM_NAME, text, checkName), 0, 'sure'],
  ['name', (text) => spansOf(I_AM_GIVEN, text, (match) => (isGivenName(match[1]!) ? groupSpan(match, 1) : null)), 0, 'sure', hasGivenName],
  ['name', (text) => spansOf(SIGNED_NAME, text, checkName), 0, 'sure'],
  ['name', (text) => spansOf(ROLE_NAME, text, checkKnownName), 0, 'sure', ROLE_GATE],
  ['name', (text) => spansOf(KIN_NAME, text, checkKnownName), 0, 'sure', /(?:mon|ma|mes|notre|my|our) /],
  ['name', (text) => spansOf(MAIDEN_NAME, text), 0, 'sure', /née|épouse|veuve|ép\.|maiden/],
  [
    'name',
    (text) => spansOf(THANKED_LOWER_CASE, text, checkThankedLowerCase),
    0,
    'unsure',
    /erci|r[âa]ce|emercie|hank|['’]est|slt|uis|part de|vec|['’]agent|onseill|ign[ée]|ordialement|egards/,
  ],
  ['name', (text) => spansOf(BARE_M_SURNAME, text, checkBareMSurname), 0, 'sure', /\bM \p{Lu}/u],
  [
    'name',
    (text) => spansOf(LOWER_CASE_NAME, text, checkLowerCaseName),
    0,
    'sure',
    /onsieur|adame|ademoiselle|me |lle |r |rs |octeur|a[îi]tre|app?elle|nom est|name is/i,
  ],
  ['name', (text) => spansOf(CUED_NAME, text, checkCuedName), 0, 'sure', hasGivenName],
  [
    'name',
    (text) => spansOf(THANKED_UNKNOWN, text, checkThankedUnknown),
    0,
    'unsure',
    /erci|r[âa]ce|part de|emercie|ravo|ue par|ie par|hank|udos/,
  ],
  ['name', (text) => spansOf(CAPITALS_THEN_GIVEN, text, checkCapitalsThenGiven), 0, 'sure', hasGivenName],
  ['name', (text) => spansOf(GIVEN_THEN_SURNAME, text, checkGivenThenSurname), 0, 'sure', hasGivenName],
  ['name', (text) => spansOf(INITIAL_SURNAME, text, checkInitialSurname), 0, 'sure'],
  ['name', (text) => spansOf(SIGNATURE_LINE, text, checkSignatureLine), 0, 'sure', /\n|^[ \t—–-]*\p{Lu}[^\n]{0,60}$/u],
  ['name', (text) => spansOf(GIVEN_INITIAL, text, checkGivenInitial), 0, 'sure', GIVEN_INITIAL_GATE],
  ['name', (text) => spansOf(FAMILY_NAME, text, checkKnownName), 0, 'sure', /poux|amill|amily/],
  ['name', (text) => spansOf(CLOSING_NAME, text, checkClosingName), 0, 'sure', hasGivenName],
  ['name', (text) => spansOf(GIVEN_AS_SUBJECT, text, checkGivenAsSubject), 0, 'unsure', hasGivenName],
  ['name', (text) => spansOf(GIVEN_INSIDE, text, checkGivenInside), 0, 'unsure', hasGivenName],
];
