// The questionnaire of SPEC §3, as plain data: the widget renders it, the server derives its
// validation from it (server/schemas/review-schemas.ts), the feed takes its marks from it.
// No imports, no zod: the widget bundles this file.

/** The languages of the agency space and the server's own pages, the default first. */
export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type Text = Readonly<Record<Lang, string>>;
export const DEFAULT_LANG: Lang = LANGS[0];
export const isLang = (value: unknown): value is Lang => (LANGS as readonly unknown[]).includes(value);
/** A language asked for by a query or form field; the default for anything else. */
export const toLang = (value: unknown): Lang => (isLang(value) ? value : DEFAULT_LANG);

/**
 * What the public reads speaks more: the widget, the hosted form, the privacy notice and the refusal
 * messages, for the users of French procedures who read Spanish, Portuguese, German, Italian or Arabic.
 * Adding one is adding it here and to every `WidgetText`; each gets its own form chunk (esbuild.config.mjs).
 */
export const WIDGET_LANGS = [...LANGS, 'es', 'pt', 'de', 'it', 'ar'] as const;
export type WidgetLang = (typeof WIDGET_LANGS)[number];
export type WidgetText = Readonly<Record<WidgetLang, string>>;
export const isWidgetLang = (value: unknown): value is WidgetLang => (WIDGET_LANGS as readonly unknown[]).includes(value);
export const toWidgetLang = (value: unknown): WidgetLang => (isWidgetLang(value) ? value : DEFAULT_LANG);
/** Written right to left: pages and the dialog in these get dir="rtl". */
export const dirOf = (lang: WidgetLang): 'rtl' | 'ltr' => (lang === 'ar' ? 'rtl' : 'ltr');

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
      fr: 'De façon générale, comment ça s’est passé\u00a0?',
      en: 'Overall, how was your experience?',
      es: 'En general, ¿cómo le fue?',
      pt: 'De forma geral, como correu?',
      de: 'Wie ist es insgesamt gelaufen?',
      it: 'Nel complesso, com’è andata?',
      ar: 'بشكل عام، كيف كانت تجربتكم؟',
    },
    answers: {
      bad: { fr: 'Pas bien', en: 'Not good', es: 'Mal', pt: 'Mal', de: 'Nicht gut', it: 'Male', ar: 'غير جيدة' },
      medium: { fr: 'Moyen', en: 'Average', es: 'Regular', pt: 'Razoável', de: 'Mittelmäßig', it: 'Così così', ar: 'متوسطة' },
      good: { fr: 'Très bien', en: 'Very good', es: 'Muy bien', pt: 'Muito bem', de: 'Sehr gut', it: 'Molto bene', ar: 'جيدة جدًا' },
    } as Readonly<Record<SatisfactionAnswer, WidgetText>>,
  },
  clarity: {
    question: {
      fr: 'Qu’avez-vous pensé des informations et des instructions fournies\u00a0?',
      en: 'What did you think of the information and instructions provided?',
      es: '¿Qué le parecieron la información y las instrucciones proporcionadas?',
      pt: 'O que achou das informações e instruções fornecidas?',
      de: 'Wie fanden Sie die bereitgestellten Informationen und Anleitungen?',
      it: 'Che cosa pensa delle informazioni e delle istruzioni fornite?',
      ar: 'ما رأيكم في المعلومات والتعليمات المقدَّمة؟',
    },
    low: {
      fr: 'Pas clair du tout',
      en: 'Not clear at all',
      es: 'Nada claras',
      pt: 'Nada claras',
      de: 'Überhaupt nicht klar',
      it: 'Per niente chiare',
      ar: 'غير واضحة إطلاقًا',
    },
    high: {
      fr: 'Très clair',
      en: 'Very clear',
      es: 'Muy claras',
      pt: 'Muito claras',
      de: 'Sehr klar',
      it: 'Molto chiare',
      ar: 'واضحة جدًا',
    },
  },
  help_sought: {
    question: {
      fr: 'Durant votre parcours, avez-vous tenté d’obtenir de l’aide par l’un des moyens suivants\u00a0?',
      en: 'During the procedure, did you try to get help in any of the following ways?',
      es: 'Durante el trámite, ¿intentó obtener ayuda por alguno de los siguientes medios?',
      pt: 'Durante o procedimento, tentou obter ajuda por algum dos seguintes meios?',
      de: 'Haben Sie während des Verfahrens versucht, auf einem der folgenden Wege Hilfe zu erhalten?',
      it: 'Durante la procedura, ha cercato di ottenere aiuto in uno dei modi seguenti?',
      ar: 'أثناء الإجراء، هل حاولتم الحصول على مساعدة بإحدى الوسائل التالية؟',
    },
    hint: {
      fr: 'Plusieurs réponses possibles.',
      en: 'Several answers possible.',
      es: 'Puede marcar varias respuestas.',
      pt: 'Pode assinalar várias respostas.',
      de: 'Mehrere Antworten möglich.',
      it: 'Sono possibili più risposte.',
      ar: 'يمكن اختيار أكثر من إجابة.',
    },
    adminGroup: {
      fr: 'Auprès de l’administration',
      en: 'From the administration',
      es: 'Ante la Administración',
      pt: 'Junto da Administração',
      de: 'Bei der Verwaltung',
      it: 'Presso l’amministrazione',
      ar: 'لدى الإدارة',
    },
    otherGroup: {
      fr: 'Par d’autres moyens',
      en: 'Through other means',
      es: 'Por otros medios',
      pt: 'Por outros meios',
      de: 'Auf anderen Wegen',
      it: 'In altri modi',
      ar: 'بوسائل أخرى',
    },
    answers: {
      counter: {
        fr: 'Au guichet',
        en: 'At a counter',
        es: 'En ventanilla',
        pt: 'Ao balcão',
        de: 'Am Schalter',
        it: 'Allo sportello',
        ar: 'في الشبّاك',
      },
      phone: {
        fr: 'Par téléphone',
        en: 'By phone',
        es: 'Por teléfono',
        pt: 'Por telefone',
        de: 'Telefonisch',
        it: 'Per telefono',
        ar: 'عبر الهاتف',
      },
      email: {
        fr: 'Par e-mail',
        en: 'By e-mail',
        es: 'Por correo electrónico',
        pt: 'Por e-mail',
        de: 'Per E-Mail',
        it: 'Per e-mail',
        ar: 'عبر البريد الإلكتروني',
      },
      chat: { fr: 'Par chat', en: 'By chat', es: 'Por chat', pt: 'Por chat', de: 'Per Chat', it: 'Via chat', ar: 'عبر المحادثة الفورية' },
      relative: {
        fr: 'Une personne proche',
        en: 'Someone close to me',
        es: 'Una persona cercana',
        pt: 'Uma pessoa próxima',
        de: 'Eine nahestehende Person',
        it: 'Una persona vicina',
        ar: 'شخص مقرَّب',
      },
      association: {
        fr: 'Une association',
        en: 'An association',
        es: 'Una asociación',
        pt: 'Uma associação',
        de: 'Ein Verein',
        it: 'Un’associazione',
        ar: 'جمعية',
      },
      websites: {
        fr: 'Des sites internet',
        en: 'Websites',
        es: 'Sitios web',
        pt: 'Sítios na internet',
        de: 'Websites',
        it: 'Siti internet',
        ar: 'مواقع إلكترونية',
      },
      other: { fr: 'Autre', en: 'Other', es: 'Otro', pt: 'Outro', de: 'Sonstiges', it: 'Altro', ar: 'غير ذلك' },
      none: {
        fr: 'Je n’ai pas eu besoin d’aide',
        en: 'I did not need any help',
        es: 'No necesité ayuda',
        pt: 'Não precisei de ajuda',
        de: 'Ich brauchte keine Hilfe',
        it: 'Non ho avuto bisogno di aiuto',
        ar: 'لم أحتج إلى مساعدة',
      },
    } as Readonly<Record<HelpChannel, WidgetText>>,
  },
  help_other: {
    question: {
      fr: 'Précisez',
      en: 'Please specify',
      es: 'Especifique',
      pt: 'Especifique',
      de: 'Bitte erläutern',
      it: 'Specifichi',
      ar: 'يرجى التوضيح',
    },
  },
  help_reached: {
    question: {
      fr: 'Avez-vous réussi à joindre l’administration\u00a0?',
      en: 'Did you manage to reach the administration?',
      es: '¿Logró contactar con la Administración?',
      pt: 'Conseguiu contactar a Administração?',
      de: 'Haben Sie die Verwaltung erreicht?',
      it: 'È riuscito a contattare l’amministrazione?',
      ar: 'هل تمكّنتم من التواصل مع الإدارة؟',
    },
    answers: {
      yes: { fr: 'Oui', en: 'Yes', es: 'Sí', pt: 'Sim', de: 'Ja', it: 'Sì', ar: 'نعم' },
      no: { fr: 'Non', en: 'No', es: 'No', pt: 'Não', de: 'Nein', it: 'No', ar: 'لا' },
    } as Readonly<Record<ReachedAnswer, WidgetText>>,
  },
  help_quality: {
    question: {
      fr: 'Comment évaluez-vous la qualité de l’aide obtenue\u00a0?',
      en: 'How would you rate the quality of the help you received?',
      es: '¿Cómo valora la calidad de la ayuda recibida?',
      pt: 'Como avalia a qualidade da ajuda recebida?',
      de: 'Wie bewerten Sie die Qualität der erhaltenen Hilfe?',
      it: 'Come valuta la qualità dell’aiuto ricevuto?',
      ar: 'كيف تقيّمون جودة المساعدة التي تلقيتموها؟',
    },
    low: { fr: 'Très mauvaise', en: 'Very poor', es: 'Muy mala', pt: 'Muito má', de: 'Sehr schlecht', it: 'Pessima', ar: 'سيئة جدًا' },
    high: { fr: 'Excellente', en: 'Excellent', es: 'Excelente', pt: 'Excelente', de: 'Ausgezeichnet', it: 'Ottima', ar: 'ممتازة' },
  },
  comment: {
    question: {
      fr: 'Souhaitez-vous nous en dire plus\u00a0?',
      en: 'Would you like to tell us more?',
      es: '¿Desea contarnos algo más?',
      pt: 'Deseja dizer-nos mais alguma coisa?',
      de: 'Möchten Sie uns mehr mitteilen?',
      it: 'Desidera dirci di più?',
      ar: 'هل تودّون إخبارنا بالمزيد؟',
    },
    hint: {
      fr: 'Ne partagez pas d’information personnelle (nom, numéro de dossier…).',
      en: 'Do not share personal information (name, file number…).',
      es: 'No comparta datos personales (nombre, número de expediente…).',
      pt: 'Não partilhe dados pessoais (nome, número de processo…).',
      de: 'Geben Sie keine persönlichen Daten an (Name, Aktenzeichen …).',
      it: 'Non condivida dati personali (nome, numero di pratica…).',
      ar: 'لا تشاركوا أي معلومات شخصية (الاسم، رقم الملف…).',
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
  lang?: WidgetLang;
  form_version?: number;
}

export interface ReviewCreated {
  id: number;
  token: string;
  expires_at: string;
}
