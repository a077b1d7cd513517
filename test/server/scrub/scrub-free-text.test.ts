import { describe, expect, test } from 'vitest';
import { LIMITS } from '../../../shared/questionnaire.ts';
import { findPersonalData, PERSONAL_DATA_CATEGORIES, PLACEHOLDERS, scrubFreeText, scrubWithSuspects } from '../../../server/scrub/scrub.ts';
import { ADVERSARIAL_INPUTS } from '../../fixtures/scrub-adversarial.ts';

// The scrubber on its own: what each rule replaces and with what, what it must leave alone, and
// that no input up to the comment's size limit makes it slow. Its recall over a labelled corpus is
// measured in scrub-corpus.test.ts.

describe('each detected item becomes a placeholder saying what was there, in the review’s language', () => {
  test.each([
    ['fr', 'Écrivez-moi à jean.dupont@gmail.com merci', 'Écrivez-moi à [adresse e-mail] merci'],
    ['en', 'Write to jean.dupont@gmail.com thanks', 'Write to [email address] thanks'],
    ['fr', 'Appelez le 06 12 34 56 78.', 'Appelez le [numéro de téléphone].'],
    ['en', 'Call +44 20 7946 0958.', 'Call [phone number].'],
    ['fr', 'NIR 1 85 05 78 006 084 91', 'NIR [numéro de sécurité sociale]'],
    ['en', 'NIR 1 85 05 78 006 084 91', 'NIR [social security number]'],
    ['fr', 'IBAN FR76 3000 6000 0112 3456 7890 189 EUR', 'IBAN [IBAN] EUR'],
    ['fr', 'carte 4970 1012 3456 7893 débitée', 'carte [numéro de carte bancaire] débitée'],
    ['en', 'card 4970 1012 3456 7893 charged', 'card [card number] charged'],
    ['fr', 'numéro fiscal : 1234567890066', 'numéro fiscal : [numéro fiscal]'],
    ['en', 'tax number 1234567890066', 'tax number [tax number]'],
    ['fr', 'passeport 12AB34567 perdu', 'passeport [numéro de passeport] perdu'],
    ['en', 'passport 12AB34567 lost', 'passport [passport number] lost'],
    ['fr', 'J’habite 12 rue de la Paix, 75001 Paris.', 'J’habite [adresse postale].'],
    ['en', 'I live at 221B Baker Street, London.', 'I live at [postal address].'],
    ['fr', 'Merci à Mme Marie Curie pour son aide.', 'Merci à Mme [nom] pour son aide.'],
    ['en', 'My name is John Smith and I waited.', 'My name is [name] and I waited.'],
    ['fr', 'Mon dossier n° 2024-123456 est bloqué.', 'Mon dossier n° [numéro de dossier] est bloqué.'],
    ['en', 'case no. 44871 is open', 'case no. [file number] is open'],
    ['fr', 'Mon IP 86.245.17.203 est bloquée', 'Mon IP [adresse IP] est bloquée'],
    ['en', 'my ip is 86.245.17.203', 'my ip is [IP address]'],
    ['fr', 'véhicule AB-123-CD vendu', "véhicule [plaque d'immatriculation] vendu"],
    ['en', 'my car AB-123-CD was sold', 'my car [licence plate] was sold'],
    ['fr', 'née le 3 mars 1985 à Lille', 'née le [date de naissance] à Lille'],
    ['en', 'born 04/09/1995 in Berlin', 'born [date of birth] in Berlin'],
    ['fr', 'mon insta @jdupont75', 'mon insta [pseudonyme]'],
    ['en', 'find me on X: @expat_in_lyon', 'find me on X: [username]'],
  ] as const)('%s: %s', (lang, text, expected) => {
    expect(scrubFreeText(text, lang)).toBe(expected);
  });

  test('every category has a placeholder', () => {
    expect(Object.keys(PLACEHOLDERS).sort()).toEqual([...PERSONAL_DATA_CATEGORIES].sort());
  });

  test('every category has a placeholder in both languages, each saying something different', () => {
    for (const lang of ['fr', 'en'] as const) {
      const texts = Object.values(PLACEHOLDERS).map((text) => text[lang]);
      expect(new Set(texts).size).toBe(texts.length);
      for (const text of texts) expect(text).toMatch(/^\[[^\]\d]+\]$/);
    }
  });
});

describe('every usual writing is found', () => {
  test.each([
    ['e-mail with « arobase »', 'pierre.durand arobase free.fr', 'email'],
    ['e-mail with (at)', 'k.benali(at)hotmail.fr', 'email'],
    ['e-mail with [at] and spaces', 'l.moreau [at] wanadoo.fr', 'email'],
    ['e-mail with " at "', 'emma.watson1987 at yahoo.co.uk', 'email'],
    ['e-mail with spaces around @', 'nathalie.roux @ sfr.fr', 'email'],
    ['e-mail with its dots spelled out', 'jean point dupont arobase gmail point com', 'email'],
    ['e-mail in English, dots spelled out', 'john dot smith at gmail dot com', 'email'],
    ['phone in pairs', '06 12 34 56 78', 'phone'],
    ['phone with dots', '06.12.34.56.78', 'phone'],
    ['phone with dashes', '06-12-34-56-78', 'phone'],
    ['phone in one piece', '0612345678', 'phone'],
    ['phone with slashes', '06/12/34/56/78', 'phone'],
    ['North American phone as written at home', '(415) 555-2671', 'phone'],
    ['phone +33', '+33 6 12 34 56 78', 'phone'],
    ['phone +33 (0)', '+33 (0)6 12 34 56 78', 'phone'],
    ['phone 0033', '0033 6 12 34 56 78', 'phone'],
    ['phone E.164 UK', '+44 20 7946 0958', 'phone'],
    ['phone E.164 US', '+1 415 555 2671', 'phone'],
    ['NIR without spaces', '185057800608491', 'nir'],
    ['NIR born in Corsica (2A)', '2 78 02 2A 004 213 17', 'nir'],
    ['NIR born in Corsica (2B)', '1 94 11 2B 033 158 94', 'nir'],
    ['IBAN without spaces', 'FR7630006000011234567890189', 'iban'],
    ['IBAN of another country', 'GB29 NWBK 6016 1331 9268 19', 'iban'],
    ['card without spaces', '4532015112830366', 'card'],
    ['card, American Express grouping', '3782 822463 10005', 'card'],
    ['card in dotted groups', '4970.1012.3456.7893', 'card'],
    ['tax number standing alone', '3099887766290', 'tax_number'],
    ['passport', '18CV90211', 'passport'],
    ['street number with bis', '3 bis avenue Victor Hugo', 'address'],
    ['street with no-break spaces', '12\u00a0rue de la Paix', 'address'],
    ['postcode and city', '69003 Lyon', 'address'],
    ['name after « Monsieur »', 'Monsieur Jean-Pierre Martin', 'name'],
    ['surname beginning with an article', 'Mme Le Goff', 'name'],
    ['name after a civility and a no-break space', 'M.\u00a0Dupont', 'name'],
    ['name in capitals after a civility in capitals', 'MRS DUPONT', 'name'],
    ['name after « je m’apelle » (a frequent typo)', 'je m’apelle Karim Benali', 'name'],
    ['name after « je suis », two words', 'je suis Jean Dupont', 'name'],
    ['name after « je m’appelle »', 'je m’appelle Karim Benali', 'name'],
    ['name after « mon nom est »', 'mon nom est Lefèvre', 'name'],
    ['name after "I’m", two words', 'I’m Sarah Connor', 'name'],
    ['customer number', 'n° client 998877', 'file_number'],
    ['file number right after its word, five digits or more', 'mon dossier 2024-123456', 'file_number'],
    ['member number of a named body', 'numéro CAF 1234567', 'file_number'],
    ['application number', 'numéro de demande : AB123', 'file_number'],
    ['name in lower case after a civility, when the lists know it', 'monsieur martin', 'name'],
    ['given name after « Merci »', 'Merci Julie', 'name'],
    ['given name and surname from the lists', 'Odette Lemaire', 'name'],
    ['IPv4', '86.245.17.203', 'ip'],
    ['IPv6', '2a01:cb00::1', 'ip'],
    ['RIB with its field names, key checked', 'banque 15970 guichet 89793 compte 29324237476 clé 90', 'iban'],
    ['plate since 2009', 'GH-519-ZP', 'plate'],
    ['old plate after « plaque »', 'plaque 312 ABC 75', 'plate'],
    ['date of birth', 'née le 14/02/1990', 'birth_date'],
    ['handle', '@karim_b93', 'handle'],
    ['profile address', 'linkedin.com/in/maria-kovac', 'handle'],
    ['a résidence and a flat before the street', 'Résidence Les Tilleuls, bât. B, 12 rue des Lilas, 69003 Lyon', 'address'],
    ['another country’s passport after its word', 'passeport marocain : ZT4829017', 'passport'],
    ['file number after « numéro étranger »', 'numéro étranger 7501234567', 'file_number'],
    ['phone in an unusual grouping', '061 247 8532', 'phone'],
    ['e-mail with spaced dots', 'jb.morel @ gmail . com', 'email'],
    ['e-mail with spaces around every dot', 'jean . dupont @ gmail . com', 'email'],
    ['e-mail with (a)', 'jean.dupont(a)gmail.com', 'email'],
    ['phone with its prefix in brackets', '(06) 12 34 56 78', 'phone'],
    ['street number before « de la rue »', '12 de la rue Victor Hugo', 'address'],
    ['street typed « r. » and a name', '3 r. Jean Moulin', 'address'],
    ['street without its number after « j’habite »', 'j’habite rue des Lilas', 'address'],
    ['street without its number in English after "I live on"', 'I live on Church Road', 'address'],
    ['« Boite Postale » without its accent, and its town', 'Boite Postale 55 97200 Fort-de-France', 'address'],
    ['a numbered estate abbreviated « lot. », and its town', '12 lot. Les Mimosas 34000 Montpellier', 'address'],
    ['a street without its number, before a postcode and town', 'rue Paul Éluard 69200 Vénissieux', 'address'],
    ['phone digit by digit', '0 6 1 2 3 4 5 6 7 8', 'phone'],
    ['phone with its pairs in words', 'zéro six douze trente-quatre cinquante-six soixante-dix-huit', 'phone'],
    ['date of birth after « naissance le », two-digit year', 'naissance le 3 mars 85', 'birth_date'],
    ['date of birth with « 1er » in digits', 'née le 1er/03/1990', 'birth_date'],
    ['given name and the initial of a surname', 'Sandrine B.', 'name'],
    ['given name that is a common word, before a listed surname', 'Olivier Renaud', 'name'],
    ['household by its surname', 'les époux Martin', 'name'],
    ['member number after a body and « est le »', 'mon NEPH est le 120675001234', 'file_number'],
    ['member number right after the body', 'dossier CPAM 2024-55123', 'file_number'],
    ['given name in lower case after « merci a »', 'merci a sandrine', 'name'],
    ['given name in lower case after « l’agent »', 'l’agent kevin', 'name'],
    ['given name in lower case after « signé : »', 'signé: marie', 'name'],
    ['« M » without its full stop, before a listed surname', 'M Dupont', 'name'],
    ['file number after its noun and « est le »', 'mon dossier est le 2024-0456789', 'file_number'],
    ['tax notice reference by its shape alone', '2375A05391266', 'file_number'],
    ['tax notice reference in spaced groups', '24 75 A12 345 678 90', 'file_number'],
    ['identity card number after its words', 'carte d’identité 1234AB56789', 'file_number'],
    ['IPv4 with spaces around its dots, after « IP »', 'IP 86 . 245 . 17 . 203', 'ip'],
    ['street, town and arrondissement', '12 rue de Vaugirard Paris 15e', 'address'],
    ['a CEDEX and its number', '1 rue de la Paix 75002 PARIS CEDEX 02', 'address'],
    ['building and flat between the street and the postcode', '3 rue Victor Hugo Bât A Apt 12 69100 Villeurbanne', 'address'],
    ['e-mail on a provider with an underscore', 'paul_martin sur gmail', 'email'],
    ['e-mail on a provider with its top-level domain', 'dupont.jean sur hotmail.fr', 'email'],
    ['e-mail on a provider without « sur »', 'jdupont75 gmail com', 'email'],
    ['e-mail with a bare " at " before a provider', 'jdupont at free.fr', 'email'],
    ['e-mail without its top-level domain', 'jdupont@orange', 'email'],
    ['e-mail with a bracketed @', 'jean.dupont[@]gmail.com', 'email'],
    ['phone with the country code and no plus', '33 6 12 34 56 78', 'phone'],
    ['IBAN in groups of three', 'FR7 630 006 000 011 234 567 890 189', 'iban'],
    ['RIB with dashes between its fields', '30004-00550-00012345678-40', 'iban'],
    ['RIB with dots between its fields', '30004.00550.00012345678.40', 'iban'],
    ['tax number with dashes after its words', 'numéro fiscal : 1234-5678-90066', 'tax_number'],
    ['application code of mixed letters and digits', 'code de demande ANTS : 7A8B9C', 'file_number'],
    ['file number of letters and digits after its noun', 'demande HT-4587-KL', 'file_number'],
    ['file number after « matricule »', 'matricule 458712', 'file_number'],
    ['file number after « enregistré sous »', 'enregistré sous le 45871236', 'file_number'],
    ['residence permit number', 'numéro de ma carte de séjour : 2A45B678C9', 'file_number'],
    ['plate run together after a cue', 'immatriculé ab123cd', 'plate'],
    ['plate with en dashes', 'plaque GH–456–JK', 'plate'],
    ['a post-office box', 'PO Box 4521', 'address'],
    ['English street with an ordinal', '301 West 57th Street', 'address'],
    ['a date of birth after « je suis du »', 'je suis du 15/06/1972', 'birth_date'],
    ['a date of birth with « premier »', 'né le premier mai 1950', 'birth_date'],
    ['a name after « De la part de »', 'De la part de Martine Girard', 'name'],
    ['a name after « Signé : »', 'Signé : Antoine', 'name'],
    ['a name after « la fille de »', 'la fille de Monique Perrin', 'name'],
    ['a handle after « login »', 'login jdupont75', 'handle'],
    ['a prefecture file format by its shape', '2023-PREF-004512', 'file_number'],
    ['file number after « num »', 'dossier num 45871236', 'file_number'],
    ['file number after its word and a colon', 'Dossier : 2024-123456', 'file_number'],
    ['file number in brackets after its word', 'mon dossier (123456789', 'file_number'],
    ['English case number after a colon', 'Case: 4587123', 'file_number'],
    ['parcel tracking number after « colis »', 'mon colis 6A12345678901', 'file_number'],
    ['registered letter number in groups', 'lettre recommandée 1A 123 456 7890 1', 'file_number'],
    ['four digits that are no year after a file word', 'ma demande 4587', 'file_number'],
    ['file number after « procédure »', 'ma procédure 2024-123456', 'file_number'],
    ['complaint number after « plainte »', 'plainte 2024/12345', 'file_number'],
    ['insurance policy number', 'policy 12345678', 'file_number'],
    ['invoice number', 'invoice INV-2024-0017', 'file_number'],
    ['incident number', 'incident INC0012345', 'file_number'],
    ['Canadian client identifier', 'UCI 1234-5678', 'file_number'],
    ['file number after « n ° » written with a space', 'dossier n ° 45871236', 'file_number'],
    ['file number after « N. »', 'dossier N. 45871236', 'file_number'],
    ['member number ending in a separate letter', 'N° d’allocataire : 1234567 B', 'file_number'],
    ['North American number with dots', '514.555.0199', 'phone'],
    ['North American number with dashes', '514-555-0199', 'phone'],
    ['British plate run together after "reg is"', 'car reg is AB12CDE', 'plate'],
    ['file number after « plainte pour vol n° »', 'plainte pour vol n° 2024-45871', 'file_number'],
    ['name after a capitalized role word', 'Agent Smith', 'name'],
    ['name after « la maman de »', 'la maman de Lina Benali', 'name'],
    ['name after « le dossier de »', 'le dossier de Karim Haddad', 'name'],
    ['name after « l’infirmière »', 'l’infirmière Claire', 'name'],
    ['name after « mon référent »', 'mon référent Thomas Durand', 'name'],
    ['e-mail with <at>', 'jean.dupont<at>gmail.com', 'email'],
    ['e-mail with « arobas »', 'jean.dupont arobas gmail.com', 'email'],
    ['e-mail with every dot and the « @ » in brackets', 'jean(point)dupont(arobase)gmail(point)com', 'email'],
    ['phone with spaced dots', '06 . 12 . 34 . 56 . 78', 'phone'],
    ['phone with spaced dashes', '06 - 12 - 34 - 56 - 78', 'phone'],
    ['phone half in words', '06 douze 34 56 78', 'phone'],
    ['phone « zéro 6 … »', 'zéro 6 12 34 56 78', 'phone'],
    ['phone in words without « zéro »', 'six, douze, trente-quatre, cinquante-six, soixante-dix-huit', 'phone'],
    ['phone with a spaced (0)', '+213 (0) 5 55 12 34 56', 'phone'],
    ['tax number in pairs from 0, introduced', 'numéro fiscal 01 23 45 67 89 012', 'tax_number'],
    ['tax number introduced, dashed in pairs', 'N° fiscal 02-34-56-78-90-123', 'tax_number'],
    ['tax number introduced, its first digit mistyped', 'numéro fiscal 4 12 34 567 890 12', 'tax_number'],
    ['tax notice reference spaced after its letter', 'référence de l’avis 24 75 A 123 456 78', 'file_number'],
    ['plate with spaced dashes', 'véhicule AB - 123 - CD', 'plate'],
    ['plate two cue words away', 'car registration is AB12 CDE', 'plate'],
    ['plate with its département', 'AB-123-CD (33)', 'plate'],
    ['old plate after « numéro minéralogique »', 'numéro minéralogique 1234 AB 56', 'plate'],
    ['American plate after "tag"', 'my tag ABC 1234', 'plate'],
    ['Swiss plate after its word', 'plaque suisse VD 123456', 'plate'],
    ['Polish plate after its word', 'plaque polonaise WA 12345', 'plate'],
    ['plate after "my reg is"', 'my reg is ab12cde', 'plate'],
    ['plate after "VRN"', 'VRN: AB12CDE', 'plate'],
    ['old plate after « numéro »', 'immatriculée sous le numéro 4521 TR 69', 'plate'],
    ['old plate after « plaque n° »', 'plaque n° 1234 AB 75', 'plate'],
    ['old plate after « contravention »', 'contravention 1234 AB 75', 'plate'],
    ['plate with its département after a spaced dash', 'AB-123-CD - 75', 'plate'],
    ['British plate after "reference", not cut by the file-number rules', 'reference AB12 CDE', 'plate'],
    ['plate after a year, not cut by the file-format rule', 'le 12/03/2024 AB 123 CD', 'plate'],
    ['plate shaped like the examples after « ma plaque »', 'ma plaque AA-123-BB', 'plate'],
    ['plate in lower case with spaced dashes after « plaque : »', 'plaque : ab - 123 - cd', 'plate'],
    ['plate with underscores', 'ma voiture BX_417_MM', 'plate'],
    ['plate with middle dots', 'la voiture EP·477·QD', 'plate'],
    ['plate with spaced slashes', 'plate FT / 540 / XD', 'plate'],
    ['passport a little word away', 'passport is 1234567', 'passport'],
    ['file number across a spaced dash', 'dossier 2024 - 458712', 'file_number'],
    ['ticket number with its « # »', 'ticket #458712', 'file_number'],
    ['beneficiary number after a capital', 'Allocataire 1234567', 'file_number'],
    ['file number with a non-breaking hyphen', 'dossier n° 2024\u2011458712', 'file_number'],
    ['application code of five characters', 'code ANTS : XZ45K', 'file_number'],
    ['money order number after its noun', 'mandat 45871236', 'file_number'],
    ['insured person’s number', 'numéro d’assuré 1234567890', 'file_number'],
    ['student number in English', 'student ID 20241234', 'file_number'],
  ] as const)('%s: « %s »', (_name, item, category) => {
    const text = `avant ${item} après`;
    const found = findPersonalData(text);
    expect(found.map((d) => d.category)).toEqual([category]);
    // The whole item is covered (the introducing words may stay).
    const start = text.indexOf(item);
    expect(found[0]!.start).toBeGreaterThanOrEqual(start);
    expect(found[0]!.end).toBe(start + item.length);
  });
});

describe('a date of birth brings the dates that correct it or add another', () => {
  test.each([
    ['née le 30/02/1980 au lieu du 03/02/1980', 'née le [date de naissance] au lieu du [date de naissance]'],
    ['née le 12/06/1990 et mon mari le 03/04/1988', 'née le [date de naissance] et mon mari le [date de naissance]'],
    ['date of birth 1990-06-12 instead of 1990-12-06', 'date of birth [date de naissance] instead of [date de naissance]'],
    // The next date, not linked by such a word, is the procedure's.
    ['né le 03/02/1980, dossier déposé le 12/03/2024', 'né le [date de naissance], dossier déposé le 12/03/2024'],
    ['né le 03/02/1980. Demande du 12/03/2024 et du 14/03/2024', 'né le [date de naissance]. Demande du 12/03/2024 et du 14/03/2024'],
  ])('« %s »', (text, scrubbed) => {
    expect(scrubFreeText(text, 'fr')).toBe(scrubbed);
  });
});

test('a street followed by its postcode alone keeps neither', () => {
  expect(scrubFreeText('J’habite 42 rue Principale 67000.', 'fr')).toBe('J’habite [adresse postale].');
});

test('a street, then its town and arrondissement at the end of the clause', () => {
  expect(scrubFreeText('J’habite 12 rue de Vaugirard, Paris 15ème.', 'fr')).toBe('J’habite [adresse postale].');
});

describe('labelled fields', () => {
  test('« Nom : … Prénom : … »: the next label ends the name and introduces the next one', () => {
    expect(scrubFreeText('Nom : Traoré Prénom : Awa', 'fr')).toBe('Nom : [nom] Prénom : [nom]');
  });
});

describe('a name alone on a line, or as the whole comment', () => {
  test.each([
    ['Très bien merci\n— Sébastien', 'Très bien merci\n— [nom]'],
    ['Kevin', '[nom]'],
    ['Merci,\nLéa D.', 'Merci,\n[nom]'],
  ])('« %s »', (text, scrubbed) => {
    expect(scrubFreeText(text, 'fr')).toBe(scrubbed);
  });
});

describe('ordinary text survives unchanged', () => {
  test.each([
    'Demande faite le 12/03/2024, reçue le 3 mars 2025.',
    'Rendez-vous à 14h30, puis 22 h 15.',
    'Le timbre coûte 15 €, les frais 1 250,00 euros.',
    'Il a fallu 3 semaines, puis 45 minutes au guichet.',
    'Article L. 123-4 du code, formulaire CERFA 12100*03.',
    'Taux de 5,5 %, version 2.4.1, en 2024, 62 jours.',
    'Monsieur le maire, Madame la préfète, Mr Mayor, Monsieur Le Maire.',
    'Rendez-vous le 06/12/2024 10 h, ma demande 2023 et ma commande 3 articles.',
    'I’m French Canadian; je suis Française.',
    'Merci Beaucoup',
    'Je suis satisfait ; je m’appelle souvent le service ; mon nom est mal écrit.',
    'I’m very satisfied; I am a student from Spain.',
    'I waited at the counter at 10 am.',
    'Il reste 1 place de parking, j’ai suivi 2 cours de français et reçu 1 mail de relance.',
    'La rue est mal indiquée, la mairie est à 2 rues de la gare.',
    'Dossier accepté après 2 mois ; demande n° 2 du formulaire.',
    'Le site indique 1 500 000 demandes traitées.',
    'Code article X0123456789012 du catalogue.',
    // Common words that are also given names, and places and brands named like people.
    'La rose des vents, un olivier, Saint-Étienne, la Poste, Orange et Free.',
    'Marguerite, pâquerette ; Pierre de taille ; Olivier centenaire dans le jardin.',
    'Le collège Jean-Moulin et la rue Victor Hugo sont loin de la gare.',
    'Les 92, 93 et 94 ; le 974 ; cerfa n° 13750*07 ; loi n° 78-17 ; article L. 313-11.',
    'Les adresses @laposte.net et @outlook.com ne reçoivent pas le code.',
    'Firefox 128.0.3 sur Windows 10, Chrome 126.0.6478.127.',
    'Je compte 0 5 10 15 20 25 30 minutes.',
    'Il y a zéro six mois que j’attends, et un jour de plus.',
    'J’habite à Lyon, j’habite en face de la mairie.',
    'Famille nombreuse, les époux doivent signer.',
    'Mon rendez-vous 12/03/2024 a été annulé ; ma demande est le 2024-03-12.',
    'Merci a tous, merci beaucoup a vous, merci à elle et à France Travail.',
    'M Le Maire a signé.',
    'Chez Dupont',
    'Gare de Lyon, quai 7, voie B.',
    'Le numéro 3646 de l’Assurance Maladie, et le 39 49.',
    'Un agent m’a dit d’appeler le 0 806 000 245.',
    'J’ai attendu ma pension 3 mois, puis 12 500 euros ; ma demande 1500 fois refusée.',
    'Le code promo NOEL2024 ne marche pas ; le bus numéro 1234 non plus ; ordonnance n° 2020-306.',
    'N° SIRET de la mairie 21750001600019 ; ref. légale L.123-1.',
    'Attestation 2024 2025 reçue, certificat 2024, amende 135 €, incident 404 sur le site.',
    'Le forfait 4G sur free, la version 2.3 sur orange.',
    'Je suis du 12/04/2024 au 20/04 en congé.',
    'Mon revenu fiscal de référence 2023 est de 24 350 € ; revenu fiscal de référence : 18 230 €.',
    'Les départements 01 02 03 04 05 sont concernés, les codes 06 07 08 09 10 aussi.',
    'Les nouvelles plaques au format AA-123-AA sont plus lisibles.',
    'Le Journal officiel n° 0123 du 27 mai 2024 ; mon ticket de caisse n° 0045.',
    'Règlement (UE) 2016/679 ; Chrome 126.0.6478.127 ; horaires 8h30-12h00 et 13h30-17h00.',
    'Olive et Rose sont les noms de mes chattes ; grâce à l’agent, merci à Vous.',
    'Les habitants du 971 et du 972 ; il y a 12 ans ou plus.',
    'La loi n° 2019-1234, le cerfa 12485*03, ISO-9001 et COVID-2019, 1.500.000 habitants, la déclaration 2042-RICI.',
    'Thanks to the team, merci à France Travail, grâce à Internet.',
    'Les élèves de 12 et 13 ans, mon mandat de 3 ans, le visa 2024 pour le Canada, la candidature 2024-2025.',
    'Ma voiture, une BMW 320d, et mon scooter MBK 125 ; ma voiture achetée en 2019 pour 12000 euros ; ma voiture GE 2024.',
    'Le contrôle technique CT 2023 de ma voiture ; le CO2 de mon véhicule, 120 g/km ; H2O ; le canton VD 2024.',
    'Ma voiture 2008 est au garage ; ma voiture de 2015 avec 3456 km ; le véhicule 3008 est vendu.',
  ])('« %s »', (text) => {
    expect(scrubFreeText(text, 'fr')).toBe(text);
  });

  // A wrong key means it is not that identifier: a number shaped like one stays as typed.
  test.each([
    ['NIR with a wrong key', '1 85 05 78 006 084 01'],
    ['NIR in Corsica with a wrong key', '2 78 02 2A 004 213 24'],
    ['IBAN with a wrong check', 'FR76 3000 6000 0112 3456 7890 182'],
    ['IBAN of another country with a wrong check', 'DE89 3704 0044 0532 0130 03'],
    ['card failing Luhn', '4970 1012 3456 7894'],
    ['Luhn-valid number of no card network', '8000 0000 0000 0009'],
  ])('%s (%s) is left as typed', (_name, number) => {
    const text = `J’ai saisi ${number} sur le site.`;
    expect(scrubFreeText(text, 'fr')).toBe(text);
  });
});

describe('the text is folded before it is read, and only the item is replaced in what the user typed', () => {
  test.each([
    ['fullwidth e-mail', 'Écrivez à ｊｕｌｉｅ．ｒｅｎａｕｄ＠ｇｍａｉｌ．ｃｏｍ\u00a0!', 'Écrivez à [adresse e-mail]\u00a0!'],
    ['zero-width space inside a phone number', 'Appel au 06\u200b12 34 56 78 svp', 'Appel au [numéro de téléphone] svp'],
    ['soft hyphen inside a card number', 'CB 5201 1112 9601 66\u00ad87 débitée', 'CB [numéro de carte bancaire] débitée'],
    ['fullwidth NIR', 'sécu ２ ９１ ０４ ０１ １０２ ５２８ ３８ ok', 'sécu [numéro de sécurité sociale] ok'],
    ['a run of spaces inside an IBAN', 'IBAN FR76  1945 0210 4270 0005 4784 688 merci', 'IBAN [IBAN] merci'],
  ])('%s', (_name, text, expected) => {
    expect(scrubFreeText(text, 'fr')).toBe(expected);
  });

  test('outside the items, fullwidth letters, no-break spaces and double spaces stay as typed', () => {
    const text = 'Ｂｏｎｊｏｕｒ,\u00a0mon  numéro : 06 12 34 56 78\u200b.';
    expect(scrubFreeText(text, 'fr')).toBe('Ｂｏｎｊｏｕｒ,\u00a0mon  numéro : [numéro de téléphone]\u200b.');
  });
});

describe('sure and unsure detections', () => {
  const text = "Très bien reçue, Sandrine m'a aidée. Tél. 06 12 34 56 78";

  test('a given name guessed from the list is unsure; a phone number is sure', () => {
    expect(findPersonalData(text).map(({ category, confidence }) => [category, confidence])).toEqual([
      ['name', 'unsure'],
      ['phone', 'sure'],
    ]);
  });

  test('scrubWithSuspects replaces the sure items and lists where the unsure ones stand in its text', () => {
    const { text: scrubbed, suspects } = scrubWithSuspects(text, 'fr');
    expect(scrubbed).toBe("Très bien reçue, Sandrine m'a aidée. Tél. [numéro de téléphone]");
    expect(suspects).toEqual([{ start: 17, end: 25, category: 'name' }]);
    expect(scrubbed.slice(suspects[0]!.start, suspects[0]!.end)).toBe('Sandrine');
  });

  test('a given name and a surname of the names added to the lists are sure together', () => {
    expect(findPersonalData('Moussa Diallo a appelé').map((d) => [d.category, d.confidence])).toEqual([['name', 'sure']]);
    expect(findPersonalData('Merci à Thi Lan Nguyen').map((d) => [d.category, d.confidence])).toEqual([['name', 'sure']]);
  });

  test.each([
    ['an unknown first name after thanks', 'Grâce à Tiphanie tout est réglé.', 'name', 'Tiphanie'],
    ['a long code nobody introduced', 'Toujours bloqué : XK45T9820 depuis lundi.', 'file_number', 'XK45T9820'],
    ['a file number far from its words', 'Mon numéro de dossier, je l’ai retrouvé : 458712.', 'file_number', '458712'],
    ['a plate in lower case', 'Flashé alors que ab 123 cd était au garage.', 'plate', 'ab 123 cd'],
    ['a plate in a British shape', 'The UK car AB12 CDE was fined.', 'plate', 'AB12 CDE'],
    ['a plate typed with O for a zero', 'Je roule avec AB-O12-CD depuis 2 ans.', 'plate', 'AB-O12-CD'],
    ['a plate with a letter too many before its digits', "sur l'avis c'est noté BNN-442-KR mais", 'plate', 'BNN-442-KR'],
    ['a plate with a letter too many after its digits', 'le pv concerne DF-215-ALL et', 'plate', 'DF-215-ALL'],
    ['a plate shaped like the examples, with underscores', 'Toujours bloqué avec AA_123_BB.', 'plate', 'AA_123_BB'],
    ['a Swiss plate with no word', 'Flashé à Genève, ZH 123456 selon l’avis.', 'plate', 'ZH 123456'],
    ['a garage’s plate with no word', 'Flashé : W-123-AB hier.', 'plate', 'W-123-AB'],
    ['a plate shaped like the examples, with no word', 'Flashé : AA-123-BB hier.', 'plate', 'AA-123-BB'],
    ['a Belgian plate without its dashes', 'Flashé : 1ABC123 hier.', 'plate', '1ABC123'],
    ['an old plate with letters the register left out', 'Ma vieille 205 était la 4512 OI 33, vendue en 2008.', 'plate', '4512 OI 33'],
    ['the address of a service', 'La préfecture du 5 boulevard de l’Hôpital est fermée.', 'address', '5 boulevard de l’Hôpital'],
  ])('%s is held back as unsure: « %s »', (_name, text, category, item) => {
    expect(findPersonalData(text).map((d) => [d.category, d.confidence, text.slice(d.start, d.end)])).toEqual([[category, 'unsure', item]]);
  });

  test.each([
    ['the EU band’s letter before a plate, dashed', 'Ma voiture immatriculée F-AB-123-CD a été flashée.', 'F-AB-123-CD'],
    ['the EU band’s letter before a plate, spaced', 'Sur la carte grise : F AB 123 CD.', 'F AB 123 CD'],
    ['the country code « FR » before a plate, dashed', 'Ma plaque FR-AB-123-CD n’est pas reconnue.', 'FR-AB-123-CD'],
    ['the country code « FR » before a plate, spaced', 'Immatriculation : FR AB 123 CD', 'FR AB 123 CD'],
    ['a département written against the plate', 'Ma plaque AB-123-CD75 est refusée.', 'AB-123-CD75'],
    ['a British plate whose letters spell a little word', "vehicle registration number 'MA 12 ABC'", 'MA 12 ABC'],
    ['a plate after « ma voiture » whose letters spell a little word', 'ma voiture ON 123 DE', 'ON 123 DE'],
    ['a plate of two groups after « ma voiture », a word after it', 'ma voiture AB 1234 est au garage', 'AB 1234'],
    ['a Swedish plate after « immatriculée », a word after it', 'immatriculée ABC 123 hier', 'ABC 123'],
  ])('%s is taken whole: « %s »', (_name, text, item) => {
    expect(findPersonalData(text).map((d) => [d.category, text.slice(d.start, d.end)])).toEqual([['plate', item]]);
  });

  test.each([
    ['a British plate after "reg:"', 'Vehicle reg: YK68 XWD', 'YK68 XWD'],
    ['a British plate after "reg no."', 'reg no. KP21 RTY', 'KP21 RTY'],
    ['a British plate after "number plate"', 'number plate GX17 PLM', 'GX17 PLM'],
    ['a Spanish plate after « plaque espagnole »', 'plaque espagnole 1234 BCD', '1234 BCD'],
    ['a moped plate after « cyclo »', 'Le cyclo X 123 AB est toujours à mon nom.', 'X 123 AB'],
    ['an old plate after « remorque »', 'ma remorque 1234 TR 56 a été volée', '1234 TR 56'],
  ])('%s is sure: « %s »', (_name, text, item) => {
    expect(findPersonalData(text).map((d) => [d.category, d.confidence, text.slice(d.start, d.end)])).toEqual([['plate', 'sure', item]]);
  });

  test.each([
    ['a reference', 'Réf. AB123CD45 sur le courrier'],
    ['a parcel number', 'colis XY123ZZ45 perdu'],
    ['a flight and its seat', 'vol AF 123 AB12 annulé'],
  ])('digits against an undashed plate shape take no sure plate: %s', (_name, text) => {
    expect(findPersonalData(text).filter((d) => d.category === 'plate' && d.confidence === 'sure')).toEqual([]);
  });

  test.each([
    ['a text in capitals', 'MA VOITURE EST GARÉE DANS LE 75 DEPUIS HIER', []],
    ['a date in capitals after a vehicle word', 'VOITURE EN PANNE, MERCI POUR LE 15 MAI', []],
    ['a day and its month after a vehicle word', 'ma voiture sera prête le 15 mai', []],
    ['« plateforme » before a plate-shaped code', 'la plateforme affiche 1234 BCD', [['plate', 'unsure']]],
    ['a vehicle word, then a power', 'voiture de 110 ch achetée en 2019', []],
    ['a vehicle word, then a weight', 'le camion de 19 t est au garage', []],
    ['a vehicle word, then an engine size', 'moto de 125 cm3', []],
  ])('%s takes no sure plate: « %s »', (_name, text, expected) => {
    expect(findPersonalData(text).map((d) => [d.category, d.confidence])).toEqual(expected);
  });

  test('the band’s « F » is not read as the plate’s letters: « F-XX-123-XX » is the example it was', () => {
    expect(findPersonalData('Le format F-XX-123-XX est affiché.')).toEqual([]);
  });

  test('« car » before a plate-shaped code is read as « because »: still a guess', () => {
    const text = 'Je suis en retard car AB12 CDE bloque tout.';
    expect(findPersonalData(text).map((d) => [d.category, d.confidence])).toEqual([['plate', 'unsure']]);
  });

  test('an address the writer says is theirs stays sure, a file number before its words is sure', () => {
    const text = 'J’habite au 12 rue des Lilas. 2024-458712, c’est mon numéro de dossier.';
    expect(findPersonalData(text).map((d) => [d.category, d.confidence, text.slice(d.start, d.end)])).toEqual([
      ['address', 'sure', '12 rue des Lilas'],
      ['file_number', 'sure', '2024-458712'],
    ]);
  });

  test('scrubFreeText replaces the unsure items too', () => {
    expect(scrubFreeText(text, 'en')).toBe("Très bien reçue, [name] m'a aidée. Tél. [phone number]");
  });
});

describe('scrubbing is stable', () => {
  test('a scrubbed text scrubbed again does not change: placeholders hold nothing to find', () => {
    const text =
      'M. Dupont, 06 12 34 56 78, a@b.fr, 12 rue de la Paix 75001 Paris, dossier n° 2024-123456, IBAN FR76 3000 6000 0112 3456 7890 189';
    for (const lang of ['fr', 'en'] as const) {
      const once = scrubFreeText(text, lang);
      expect(scrubFreeText(once, lang)).toBe(once);
    }
  });

  test('several items in one text are each replaced, in order', () => {
    expect(scrubFreeText('Mme Diallo (06 11 22 33 44) et M. Traoré (t@x.fr)', 'fr')).toBe(
      'Mme [nom] ([numéro de téléphone]) et M. [nom] ([adresse e-mail])',
    );
  });
});

describe('no input makes it slow (linear-time patterns)', () => {
  // Each must complete well inside a bound far above its real cost (about a millisecond). The best
  // of five runs is measured: a backtracking pattern is slow every time, while a loaded machine
  // (the suite runs files in parallel) only stalls some runs.
  test.each(ADVERSARIAL_INPUTS)('%s: completes in under 50 ms', (_name, text) => {
    expect(text).toHaveLength(LIMITS.comment);
    scrubFreeText(text, 'fr'); // compiles the patterns outside the measure
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      scrubFreeText(text, 'fr');
      best = Math.min(best, performance.now() - started);
    }
    expect(best).toBeLessThan(50);
  });
});
