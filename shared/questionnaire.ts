// The questionnaire of SPEC §3, as plain data: the widget renders it, the server derives its
// validation from it (server/schemas/review-schemas.ts), the feed takes its marks from it.
// No imports, no zod: the widget bundles this file.

/** Every language the product speaks, the default first. Adding one is adding it here and to every `Text`. */
export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type Text = Readonly<Record<Lang, string>>;
export const DEFAULT_LANG: Lang = LANGS[0];
export const isLang = (value: unknown): value is Lang => (LANGS as readonly unknown[]).includes(value);
/** A language asked for by a query or form field; the default for anything else. */
export const toLang = (value: unknown): Lang => (isLang(value) ? value : DEFAULT_LANG);

/** Procedure and placement ids (SPEC §2). */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,63}$/;
export const DEFAULT_PLACEMENT = 'default';

export const SATISFACTION_ANSWERS = ['bad', 'medium', 'good'] as const;
export type SatisfactionAnswer = (typeof SATISFACTION_ANSWERS)[number];

export const SCALE_VALUES = [1, 2, 3, 4, 5] as const;
export type ScaleValue = (typeof SCALE_VALUES)[number];

/** Channels through which the administration itself can be reached; only these get `help_reached`. */
export const ADMIN_CHANNELS = ['counter', 'phone', 'email', 'chat'] as const;
export type AdminChannel = (typeof ADMIN_CHANNELS)[number];
export const OTHER_CHANNELS = ['relative', 'association', 'websites', 'other'] as const;
export const NO_HELP = 'none';
export const HELP_CHANNELS = [...ADMIN_CHANNELS, ...OTHER_CHANNELS, NO_HELP] as const;
export type HelpChannel = (typeof HELP_CHANNELS)[number];

export const REACHED_ANSWERS = ['yes', 'no'] as const;
export type ReachedAnswer = (typeof REACHED_ANSWERS)[number];

export const LIMITS = {
  helpOther: 250,
  comment: 3000,
} as const;

/** Marks of SPEC §3, used by the indicators of SPEC §4. */
export const MARKS = {
  satisfaction: { bad: 0, medium: 5, good: 10 } as Readonly<Record<SatisfactionAnswer, number>>,
  scale: [0, 2.5, 5, 7.5, 10] as const,
} as const;

export const QUESTIONS = {
  satisfaction: {
    question: {
      fr: 'De façon générale, comment ça s’est passé ?',
      en: 'Overall, how was your experience?',
    },
    answers: {
      bad: { fr: 'Pas bien', en: 'Not good' },
      medium: { fr: 'Moyen', en: 'Average' },
      good: { fr: 'Très bien', en: 'Very good' },
    } as Readonly<Record<SatisfactionAnswer, Text>>,
  },
  clarity: {
    question: {
      fr: 'Qu’avez-vous pensé des informations et des instructions fournies ?',
      en: 'What did you think of the information and instructions provided?',
    },
    low: { fr: 'Pas clair du tout', en: 'Not clear at all' },
    high: { fr: 'Très clair', en: 'Very clear' },
  },
  help_sought: {
    question: {
      fr: 'Durant votre parcours, avez-vous tenté d’obtenir de l’aide par l’un des moyens suivants ?',
      en: 'During the procedure, did you try to get help in any of the following ways?',
    },
    hint: { fr: 'Plusieurs réponses possibles.', en: 'Several answers possible.' },
    adminGroup: { fr: 'Auprès de l’administration', en: 'From the administration' },
    otherGroup: { fr: 'Par d’autres moyens', en: 'Through other means' },
    answers: {
      counter: { fr: 'Au guichet', en: 'At a counter' },
      phone: { fr: 'Par téléphone', en: 'By phone' },
      email: { fr: 'Par e-mail', en: 'By e-mail' },
      chat: { fr: 'Par chat', en: 'By chat' },
      relative: { fr: 'Une personne proche', en: 'Someone close to me' },
      association: { fr: 'Une association', en: 'An association' },
      websites: { fr: 'Des sites internet', en: 'Websites' },
      other: { fr: 'Autre', en: 'Other' },
      none: { fr: 'Je n’ai pas eu besoin d’aide', en: 'I did not need any help' },
    } as Readonly<Record<HelpChannel, Text>>,
  },
  help_other: {
    question: { fr: 'Précisez', en: 'Please specify' },
  },
  help_reached: {
    question: {
      fr: 'Avez-vous réussi à joindre l’administration ?',
      en: 'Did you manage to reach the administration?',
    },
    answers: {
      yes: { fr: 'Oui', en: 'Yes' },
      no: { fr: 'Non', en: 'No' },
    } as Readonly<Record<ReachedAnswer, Text>>,
  },
  help_quality: {
    question: {
      fr: 'Comment évaluez-vous la qualité de l’aide obtenue ?',
      en: 'How would you rate the quality of the help you received?',
    },
    low: { fr: 'Très mauvaise', en: 'Very poor' },
    high: { fr: 'Excellente', en: 'Excellent' },
  },
  comment: {
    question: { fr: 'Souhaitez-vous nous en dire plus ?', en: 'Would you like to tell us more?' },
    hint: {
      fr: 'Ne partagez pas d’information personnelle (nom, numéro de dossier…).',
      en: 'Do not share personal information (name, file number…).',
    },
  },
} as const;

/** Follow-up answers as they travel on the wire (SPEC §6). */
export interface FollowUpAnswers {
  clarity?: ScaleValue;
  help_sought?: HelpChannel[];
  help_other?: string;
  help_reached?: Partial<Record<AdminChannel, ReachedAnswer>>;
  help_quality?: Partial<Record<AdminChannel, ScaleValue>>;
  comment?: string;
}

export interface HotRating {
  procedure: string;
  placement?: string;
  satisfaction: SatisfactionAnswer;
  lang?: Lang;
}

export interface ReviewCreated {
  id: number;
  token: string;
  expires_at: string;
}
