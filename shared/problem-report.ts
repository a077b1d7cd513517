// The second form (SPEC §3 "Signaler un problème"): what a person reports that is not a rating of
// the procedure. Plain data, no imports beyond types: the widget bundles this file.
import type { WidgetText } from './questionnaire.ts';

/** A technical problem, the person's own situation, a suggestion. */
export const PROBLEM_KINDS = ['technical', 'own_situation', 'suggestion'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];
export const isProblemKind = (value: unknown): value is ProblemKind => (PROBLEM_KINDS as readonly unknown[]).includes(value);

/**
 * « My own situation » takes no text: a feedback channel must not collect the details of a person's
 * case, which belong with the procedure's own contact (the URL the agency sets) instead.
 */
export const TEXT_KINDS: readonly ProblemKind[] = ['technical', 'suggestion'];

/** Characters a report's text may have, as typed (the same bound as a comment). */
export const PROBLEM_TEXT_MAX = 3000;

export const PROBLEM_TEXTS = {
  button: {
    fr: 'Signaler un problème',
    en: 'Report a problem',
    es: 'Señalar un problema',
    pt: 'Comunicar um problema',
    de: 'Ein Problem melden',
    it: 'Segnala un problema',
    ar: 'الإبلاغ عن مشكلة',
  },
  question: {
    fr: 'De quoi s’agit-il\u00a0?',
    en: 'What is it about?',
    es: '¿De qué se trata?',
    pt: 'De que se trata?',
    de: 'Worum geht es?',
    it: 'Di che cosa si tratta?',
    ar: 'بمَ يتعلّق الأمر؟',
  },
  kinds: {
    technical: {
      fr: 'Un problème technique',
      en: 'A technical problem',
      es: 'Un problema técnico',
      pt: 'Um problema técnico',
      de: 'Ein technisches Problem',
      it: 'Un problema tecnico',
      ar: 'مشكلة تقنية',
    },
    own_situation: {
      fr: 'Ma situation personnelle',
      en: 'My own situation',
      es: 'Mi situación personal',
      pt: 'A minha situação pessoal',
      de: 'Meine persönliche Situation',
      it: 'La mia situazione personale',
      ar: 'وضعي الشخصي',
    },
    suggestion: {
      fr: 'Une suggestion',
      en: 'A suggestion',
      es: 'Una sugerencia',
      pt: 'Uma sugestão',
      de: 'Ein Vorschlag',
      it: 'Un suggerimento',
      ar: 'اقتراح',
    },
  } as Readonly<Record<ProblemKind, WidgetText>>,
  text: {
    fr: 'Votre message (sans donnée personnelle)',
    en: 'Describe it (no personal details)',
    es: 'Descríbalo (sin datos personales)',
    pt: 'Descreva-o (sem dados pessoais)',
    de: 'Beschreiben Sie es (ohne persönliche Daten)',
    it: 'Lo descriva (senza dati personali)',
    ar: 'صِفه (دون بيانات شخصية)',
  },
  contact: {
    fr: 'Pour votre dossier, l’administration vous répond directement\u00a0:',
    en: 'For your own case, the administration answers you directly:',
    es: 'Para su expediente, la administración le responde directamente:',
    pt: 'Para o seu processo, a administração responde-lhe diretamente:',
    de: 'Zu Ihrem Vorgang antwortet Ihnen die Verwaltung direkt:',
    it: 'Per la sua pratica, l’amministrazione le risponde direttamente:',
    ar: 'بخصوص ملفك، تُجيبك الإدارة مباشرةً:',
  },
  contactLink: {
    fr: 'contacter le service',
    en: 'contact the service',
    es: 'contactar con el servicio',
    pt: 'contactar o serviço',
    de: 'den Dienst kontaktieren',
    it: 'contattare il servizio',
    ar: 'التواصل مع المصلحة',
  },
  noContact: {
    fr: 'Ce formulaire ne traite pas les dossiers personnels\u00a0: adressez-vous au service qui gère votre démarche.',
    en: 'This form does not handle personal cases: please contact the service in charge of your procedure.',
    es: 'Este formulario no trata expedientes personales: diríjase al servicio que gestiona su trámite.',
    pt: 'Este formulário não trata processos pessoais: contacte o serviço responsável pelo seu procedimento.',
    de: 'Dieses Formular bearbeitet keine persönlichen Vorgänge: Wenden Sie sich an die zuständige Stelle.',
    it: 'Questo modulo non tratta pratiche personali: si rivolga al servizio che gestisce la sua procedura.',
    ar: 'لا يعالج هذا النموذج الملفات الشخصية: يُرجى التوجّه إلى المصلحة المسؤولة عن إجرائك.',
  },
  send: {
    fr: 'Envoyer le signalement',
    en: 'Send the report',
    es: 'Enviar la señalización',
    pt: 'Enviar a comunicação',
    de: 'Meldung senden',
    it: 'Invia la segnalazione',
    ar: 'إرسال البلاغ',
  },
  thanks: {
    fr: 'Merci, votre signalement a été transmis.',
    en: 'Thank you, your report has been sent.',
    es: 'Gracias, su señalización ha sido enviada.',
    pt: 'Obrigado, a sua comunicação foi enviada.',
    de: 'Danke, Ihre Meldung wurde übermittelt.',
    it: 'Grazie, la sua segnalazione è stata inviata.',
    ar: 'شكرًا، تمّ إرسال بلاغك.',
  },
  chooseKind: {
    fr: 'Choisissez de quoi il s’agit.',
    en: 'Choose what it is about.',
    es: 'Elija de qué se trata.',
    pt: 'Escolha de que se trata.',
    de: 'Wählen Sie, worum es geht.',
    it: 'Scelga di che cosa si tratta.',
    ar: 'اختر موضوع البلاغ.',
  },
  writeText: {
    fr: 'Décrivez le problème ou la suggestion.',
    en: 'Describe the problem or the suggestion.',
    es: 'Describa el problema o la sugerencia.',
    pt: 'Descreva o problema ou a sugestão.',
    de: 'Beschreiben Sie das Problem oder den Vorschlag.',
    it: 'Descriva il problema o il suggerimento.',
    ar: 'صِف المشكلة أو الاقتراح.',
  },
  failed: {
    fr: 'Le signalement n’a pas pu être envoyé. Réessayez plus tard.',
    en: 'The report could not be sent. Please try again later.',
    es: 'No se ha podido enviar la señalización. Inténtelo más tarde.',
    pt: 'Não foi possível enviar a comunicação. Tente mais tarde.',
    de: 'Die Meldung konnte nicht gesendet werden. Bitte später erneut versuchen.',
    it: 'Non è stato possibile inviare la segnalazione. Riprovi più tardi.',
    ar: 'تعذّر إرسال البلاغ. يُرجى المحاولة لاحقًا.',
  },
} as const;
