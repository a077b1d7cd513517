import type { Lang, WidgetText } from '../../shared/questionnaire.ts';

// The categories of personal data the scrubber finds, the placeholder that replaces each, and the
// shapes of what it reports (a detection in the text as typed, a held-back span in the scrubbed text).

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
