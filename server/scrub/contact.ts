import { anyCase, type DetectorEntry, digitsOf, groupSpan, LATIN_LETTER, SEP, type Span, spansOf, whole } from './patterns.ts';

// Ways to reach a person: e-mail addresses (plain, spelled out, on a provider), phone numbers (French,
// international, spelled, introduced), IP addresses and social-network handles.

// ---- E-mail: found from its « @ » (or « arobase », « chez », « (at) », " at "), then read outwards, so
// that a long run of address characters without an « @ » is read once, not once per starting point.
const EMAIL_AT = /@|[ \u00a0]?[([{<](?:@|at|a|ar?robas?e?)[)\]}>][ \u00a0]?|[ \u00a0](?:ar?robase?|at|chez)[ \u00a0]/gi;
/** Top-level domains after which a dot written with spaces, or a comma typed for a dot, still ends an address. */
const TLDS = '(?:com|fr|net|org|eu|be|de|it|es|ch|ca|uk|co|io|me|info|gouv|re|pt|nl|lu)(?![A-Za-z0-9])';
// Dots may be spelled out, as people do to fool robots: « jean point dupont arobase gmail point com »;
// « gmail . com » and « sfr,fr » too, but only before a known top-level domain, so that « …@gmail.com. Merci »
// does not take « Merci » for one.
const EMAIL_DOMAIN = new RegExp(
  `[ \\u00a0]?(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\\.| (?:point|dot) | ?[([{<](?:point|dot)[)\\]}>] ?|(?: \\. ?|\\. |,)(?=${TLDS}))){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`,
  'iy',
);
// Accented local parts (« élodie.mélançon@orange.fr ») are typed, if not delivered everywhere.
const LOCAL_CHAR = /[\p{L}\p{N}._%+-]/u;
/** The words before a local part, when its dots are spelled out (« jean point » of « jean point dupont »). */
const SPELLED_LOCAL_START = /(?:[A-Za-z0-9._%+-]{1,64}(?: (?:point|dot) | ?[([{<](?:point|dot)[)\]}>] ?)){1,3}$/i;

// « jean.dupont sur gmail »: a dotted or numbered local part and a known provider stand for the address.
const PROVIDERS = 'gmail|hotmail|yahoo|outlook|orange|free|laposte|sfr|wanadoo|icloud|protonmail|proton|live|msn|aol|gmx|neuf|bbox';
/** After a bare " at " or a spaced « @ », a provider makes the word before a local part (« jdupont at free.fr »). */
const KNOWN_PROVIDER = new RegExp(`^ ?(?:${PROVIDERS})(?![A-Za-z0-9-])`, 'i');

/** What SPELLED_LOCAL_START must end with, tested first: cheap, where the whole pattern is tried from every start. */
const SPELLED_DOT_AT_END = /(?:point|dot)(?: |[)\]}>] ?)$/i;
/** « jean . », « jean. »: what the spaced-dot pattern of findEmails must end with. */
const SPACED_DOT_AT_END = /(?: \.|\. )$/;

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
    // (Only when a spaced dot ends what precedes: the pattern, anchored at the end, is tried from every start.)
    for (let pieces = 0; pieces < 3; pieces++) {
      const before = text.slice(Math.max(claimedUpTo, start - 70), start);
      const dotted = SPACED_DOT_AT_END.test(before)
        ? /(?:^|[^\p{L}\p{N}._%+-])([\p{L}\p{N}_%+-]{1,64}(?: \.|\. | \. ))$/u.exec(before)
        : null;
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
    const beforeLocal = text.slice(Math.max(claimedUpTo, start - 100), start);
    const spelled = SPELLED_DOT_AT_END.test(beforeLocal) ? SPELLED_LOCAL_START.exec(beforeLocal) : null;
    if (spelled) start -= spelled[0].length;
    // A bare " at " is English for « à », « chez » French for "at": only an address when the left side
    // could not be a word.
    // So is a word before a spaced « @ » (« les adresses en @gouv.fr »), unless a known provider follows.
    const afterAt = text.slice(at.index + at[0].length, at.index + at[0].length + 20);
    const provider = EMAIL_PROVIDER_ONLY.exec(afterAt);
    const plainWord = !spelled && !/[._%+\d-]/.test(local);
    // After a spaced « @ » the provider is spaced too (« marie @ gmail.com », not « les adresses @gmail.com »).
    const knownProvider = KNOWN_PROVIDER.test(afterAt) && !(spacedAt && afterAt[0] !== ' ');
    if ((spacedAt || /^\s*(?:at|chez)\s*$/i.test(at[0])) && plainWord && !knownProvider) continue;
    EMAIL_DOMAIN.lastIndex = at.index + at[0].length;
    const domain = EMAIL_DOMAIN.exec(text);
    // « jdupont@orange »: a real « @ » before a provider is an address without its « .fr ».
    if (!domain && !(provider && (!plainWord || at[0] === '@'))) continue;
    const end = domain ? EMAIL_DOMAIN.lastIndex : at.index + at[0].length + provider![0].length;
    spans.push([start, end]);
    claimedUpTo = end;
    EMAIL_AT.lastIndex = end;
  }
  return spans;
}

/** « jean.dupont@gmail » without its « .com »: a known provider is enough. */
const EMAIL_PROVIDER_ONLY = new RegExp(`^ ?(?:${PROVIDERS})(?![A-Za-z0-9.-])`, 'i');
// « jean.dupont sur gmail », « paul_martin chez orange »: found from the provider, then the address read
// backwards from it (a dot, an underscore, or letters then digits make it an address, not a word).
// Without « sur », the provider needs its top-level domain: « jdupont75 gmail com », « jean.dupont gmail.com ».
const ON_PROVIDER = new RegExp(
  ` (?:(?:sur|chez|on|at) (?:${PROVIDERS})(?:(?:\\.| ?[.,] ?| (?:point|dot) )${TLDS})?|(?:${PROVIDERS})(?:\\.| ?[.,] ?| (?:point|dot) | )${TLDS})(?![0-9${LATIN_LETTER}])`,
  'gi',
);
const LOCAL_BEFORE =
  /(?<![\p{L}\p{N}._%+-])(?=[\p{N}._%+-]{0,64}\p{L})(?:[\p{L}\p{N}_%+-]{1,64}(?:\.[\p{L}\p{N}_%+-]{1,64}){1,4}|(?=[\p{L}\p{N}%+-]{0,60}(?:_|\p{L}{3}\p{N}))[\p{L}\p{N}_%+-]{1,64})$/u;
function findEmailsOnProvider(text: string): Span[] {
  const spans: Span[] = [];
  ON_PROVIDER.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = ON_PROVIDER.exec(text)) !== null) {
    const from = Math.max(0, match.index - 330);
    const local = LOCAL_BEFORE.exec(text.slice(from, match.index));
    if (local) spans.push([from + local.index, match.index + match[0].length]);
  }
  return spans;
}

// ---- Phones. French numbers in their usual writings, then any international (E.164) number.
// Neither starts inside a longer group of digits (the tail of a mistyped IBAN is no phone number).
// The « + » or the « 0 » is taken first and only then is what comes before it read: a pattern that
// starts with a look-around is tried at every character, one that starts with a character skips to it.
const PLUS_NOT_INSIDE_NUMBER = `\\+(?<![\\p{L}\\p{N}+]\\+)(?<!\\d${SEP}\\+)`;
const ZERO_NOT_INSIDE_NUMBER = `0(?<![\\p{L}\\p{N}+]0)(?<!\\d${SEP}0)`;
// The four pairs share one separator (slashes too: « 06/12/34/56/78 », spaced: « 06 . 12 . 34 … »), so
// that a date followed by a number (« 06/12/2024 10 ») is not read as one; three more digits make it a
// tax number (« 01 23 45 67 89 012 »).
const FR_PHONE = new RegExp(
  `(?:(?:${PLUS_NOT_INSIDE_NUMBER}|${ZERO_NOT_INSIDE_NUMBER}0)33${SEP}?(?:\\(0\\)${SEP}?)?[1-9]|${ZERO_NOT_INSIDE_NUMBER}[1-9])( [./-] |[ ./\\u00a0\\u202f-]?)\\d{2}(?:\\1\\d{2}){3}(?!\\d|\\1\\d{3}(?!\\d))`,
  'gu',
);
// North American numbers as written at home: "(415) 555-2671".
const NANP_PHONE = /(?:\+(?<![\w+]\+)1[ .-]?\(|\((?<![\w+]\())\d{3}\) ?\d{3}[-. ]\d{4}(?!\d)/g;
// "514.555.0199", "514-555-0199": the area code and exchange start with 2 to 9, one separator throughout.
const NANP_PHONE_BARE = /[2-9](?<![\w.+/-][2-9])\d{2}([-.])[2-9]\d{2}\1\d{4}(?![\w/]|[-.]\d)/g;
// A French number in any grouping (« 061 247 8532 », « 0 7 5 2 1 4 8 9 6 3 », « 0590 82 14 67 »): ten
// digits from 01–07 or 09; slashes only when every separator is one (so a date and a time, « 06/12/2024
// 10 », stay).
// 08 numbers are the services' own (0 800 …), not a person's.
const FR_PHONE_ANY_GROUPING = new RegExp(
  `${ZERO_NOT_INSIDE_NUMBER}[ ./-]?[1-79](?:[ ./-]?\\d){8}(?![ ./-]?\\d)|\\((?<![\\p{L}\\p{N}]\\()0[1-79]\\) ?\\d(?:[ ./-]?\\d){7}(?![ ./-]?\\d)`,
  'gu',
);

/**
 * « les départements 01 02 03 04 05 », « les codes 06 07 08 09 10 »: numbers that follow one another, or
 * after words that count départements, are a list, not a phone number.
 */
function checkNotAList(match: RegExpExecArray): Span | null {
  const pairs = digitsOf(match[0]).match(/\d\d/g)!.map(Number);
  if (pairs.length === 5 && pairs.every((pair, i) => i === 0 || pair === pairs[i - 1]! + 1)) return null;
  return /d[ée]partements?\s*:?\s*$|d[ée]p\.\s*$/i.test(match.input.slice(Math.max(0, match.index - 20), match.index))
    ? null
    : whole(match);
}

function checkPhoneGrouping(match: RegExpExecArray): Span | null {
  const separators = match[0].replace(/\d/g, '');
  return !separators.includes('/') || /^\/+$/.test(separators) ? checkNotAList(match) : null;
}
// British numbers as written at home: « 07700 900123 », « 020 7946 0018 ».
const UK_PHONE = new RegExp(`${ZERO_NOT_INSIDE_NUMBER}(?:7\\d{3} ?\\d{6}|20 ?\\d{4} ?\\d{4})(?![ .-]?\\d)`, 'gu');
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
/** « 0 800 123 456 », « 08 06 00 02 45 »: a service's number (08), no one's own. */
function checkCuedPhone(match: RegExpExecArray): Span | null {
  return /^08/.test(match[1]!.replace(/\D/g, '')) ? null : groupSpan(match, 1);
}
// « (+33) 6-12-55-80-31 »: the country code in brackets.
const BRACKETED_CODE_PHONE = /(?=\()(?<![\w+])\(\+?[1-9]\d{0,2}\)[ .-]?\d(?:[ .-]?\d){7,12}(?![ .-]?\d)/g;
// « zéro six 12 34 56 79 », « zéro six douze trente-quatre 56 78 »: the first digits in words, the pairs in
// digits or in words.
const NUMBER_WORDS =
  'un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante|z[ée]ro|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|oh';
const SPELLED_PAIR = `(?:\\d\\d?|(?:${NUMBER_WORDS})(?:[- ](?:et[- ])?(?:${NUMBER_WORDS})){0,2})`;
const SPELLED_PHONE = new RegExp(
  `\\b(?:(?:z[ée]ro|zero|oh|0) (?:un|deux|trois|quatre|cinq|six|sept|neuf|one|two|three|four|five|seven|nine)|(?:z[ée]ro|zero) [1-79])(?:(?:[ ./-]?\\d){8}(?![ ./-]?\\d)|(?:[ ,./-]{1,2}${SPELLED_PAIR}){4,8}(?![${LATIN_LETTER}\\d]))|` +
    // « 06 douze 34 56 78 », « six, douze, trente-quatre, cinquante-six, soixante-dix-huit »: a mobile's
    // first pair in digits or in words, the four others in words or digits, one of them in words at least.
    `(?<![\\d${LATIN_LETTER}])(?:0[67]|six|sept)(?=(?:[ ,./-]{1,2}${SPELLED_PAIR}){4}(?![${LATIN_LETTER}\\d]))(?![ ,./-]{1,2}\\d\\d?[ ,./-]{1,2}\\d\\d?[ ,./-]{1,2}\\d\\d?[ ,./-]{1,2}\\d)(?:[ ,./-]{1,2}${SPELLED_PAIR}){4}`,
  'gi',
);
// « 33 6 12 34 56 78 »: France's code without its « + ».
const BARE_CODE_PHONE = /(?<![\d+.,])33 ?[1-9](?:[ .-]?\d\d){4}(?![ .-]?\d)/g;
const INTL_PHONE = new RegExp(
  `(?:${PLUS_NOT_INSIDE_NUMBER}|${ZERO_NOT_INSIDE_NUMBER}0)[1-9](?:${SEP}?(?:\\(0\\)${SEP}?)?\\d){7,14}(?!\\d)`,
  'gu',
);

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
  'login',
  'identifiant de connexion',
  "nom d'utilisateur",
);
const CUED_HANDLE = new RegExp(
  `\\b(?:${HANDLE_CUES})(?![\\p{L}])[^\\n.!?@]{0,30}?(?: ?: ?| c['’]est | est | is | )` +
    `(?=[A-Za-z0-9_.]*(?:[\\d_]|[a-z][A-Z]|\\.[A-Za-z]))([A-Za-z][A-Za-z0-9_.]{1,28}[A-Za-z0-9_])(?![\\p{L}\\p{N}@])`,
  'gu',
);

/** First of all: an e-mail address holds what other rules would take for pieces. */
export const ONLINE_DETECTORS: readonly DetectorEntry[] = [
  ['handle', (text) => spansOf(MASTODON_HANDLE, text), 0, 'sure', /@[^@\s]{1,30}@/],
  ['email', findEmails, 0, 'sure'],
  ['email', findEmailsOnProvider, 0, 'sure'],
  ['handle', (text) => spansOf(PROFILE_HANDLE, text), 0, 'sure', /\.com\/|u\/|bsky|live:/],
];

/** IP addresses, before dates and phones read their numbers. */
export const IP_DETECTORS: readonly DetectorEntry[] = [
  ['ip', (text) => spansOf(IPV4, text), 4, 'sure', /\d\.\d{1,3}\.\d/],
  ['ip', (text) => spansOf(IPV6, text, checkIpv6), 0, 'sure', /[0-9A-Fa-f]:[0-9A-Fa-f]{0,4}:/],
  ['ip', (text) => spansOf(SPACED_IPV4, text, (match) => groupSpan(match, 1)), 4, 'sure', /\b[Ii][Pp]\b/],
];

/** Phone numbers, from the most certain writing to a number introduced by a word. */
export const PHONE_DETECTORS: readonly DetectorEntry[] = [
  ['phone', (text) => spansOf(INTL_PHONE, text), 8, 'sure', /(?:\+|00)[1-9]/],
  ['phone', (text) => spansOf(BARE_CODE_PHONE, text), 10, 'sure', /33 ?[1-9]/],
  ['phone', (text) => spansOf(BRACKETED_CODE_PHONE, text), 8, 'sure'],
  ['phone', (text) => spansOf(FR_PHONE, text, checkNotAList), 10, 'sure'],
  ['phone', (text) => spansOf(FR_PHONE_ANY_GROUPING, text, checkPhoneGrouping), 10, 'sure'],
  ['phone', (text) => spansOf(NANP_PHONE, text), 10, 'sure'],
  ['phone', (text) => spansOf(NANP_PHONE_BARE, text), 10, 'sure', /\d{3}[-.]\d{3}[-.]\d{4}/],
  [
    'phone',
    (text) => spansOf(SPELLED_PHONE, text),
    0,
    'sure',
    /z[ée]ro|\boh |\b0 [a-z]|\b(?:0[67]|six|sept)[ ,./-]{1,2}(?:un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante)\b/i,
  ],
  ['phone', (text) => spansOf(UK_PHONE, text), 10, 'sure'],
  [
    'phone',
    (text) => spansOf(CUED_PHONE, text, checkCuedPhone),
    9,
    'sure',
    /t[ée]l|phone|portable|mobile|fixe|whatsapp|gsm|cell|call|text|joignable|appel|contacter/i,
  ],
];

/** Handles after the numbers and addresses, before the names. */
export const HANDLE_DETECTORS: readonly DetectorEntry[] = [
  ['handle', (text) => spansOf(AT_HANDLE, text, checkAtHandle), 0, 'sure', /@/],
  [
    'handle',
    (text) => spansOf(CUED_HANDLE, text, (match) => groupSpan(match, 1)),
    0,
    'sure',
    /pseudo|snap|insta|discord|skype|tiktok|telegram|twitch|youtube|twitter|facebook|bluesky|mastodon|handle|username|gamertag|login|connexion|utilisateur/i,
  ],
];
