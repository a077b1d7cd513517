// Interface texts that the widget and the hosted form page (server/routes/hosted-form.ts) both
// show, next to the questionnaire's own texts (shared/questionnaire.ts). Plain data: the widget bundles it.
import type { Text } from './questionnaire.ts';

/** Alone so that the loader bundles this one text and not the form's. */
export const BUTTON_LABEL: Text = { fr: 'Je donne mon avis', en: 'Give my feedback' };

export const MESSAGES = {
  button: BUTTON_LABEL,
  close: { fr: 'Fermer', en: 'Close' },
  sendRating: { fr: 'Envoyer mon avis', en: 'Send my feedback' },
  chooseSmiley: { fr: 'Choisissez une réponse pour envoyer votre avis.', en: 'Choose an answer to send your feedback.' },
  sendAnswers: { fr: 'Envoyer mes réponses', en: 'Send my answers' },
  skip: { fr: 'Passer ces questions', en: 'Skip these questions' },
  sent: { fr: 'Merci, votre avis a été envoyé.', en: 'Thank you, your feedback has been sent.' },
  more: { fr: 'Quelques questions de plus (facultatif)', en: 'A few more questions (optional)' },
  queued: { fr: 'Hors connexion : envoi à votre prochaine visite.', en: 'Offline: it will be sent on your next visit.' },
  sendFailed: { fr: 'Désolé, l’envoi a échoué.', en: 'Sorry, sending failed.' },
  thanks: { fr: 'Merci pour votre aide !', en: 'Thank you for your help!' },
  notRecorded: {
    fr: 'Votre avis n’a pas pu être enregistré depuis cette page.',
    en: 'Your feedback could not be recorded from this page.',
  },
  hostedForm: { fr: 'Donner mon avis dans un nouvel onglet', en: 'Give my feedback in a new tab' },
  rateLimited: {
    fr: 'Trop d’avis ont été envoyés depuis votre connexion : réessayez dans une minute.',
    en: 'Too much feedback was sent from your connection: try again in a minute.',
  },
  retry: { fr: 'Réessayer', en: 'Try again' },
  // In the words of the person's day (the count starts again at midnight UTC, 1 or 2 a.m. in Paris),
  // with what they can do now: a shared connection is the usual reason, and theirs is another.
  tooManyRatings: {
    fr: 'Beaucoup d’avis sur cette démarche ont déjà été donnés aujourd’hui depuis cette connexion, comme c’est le cas dans un lieu partagé (France Services, bibliothèque…). Vous pourrez donner le vôtre demain, ou dès maintenant depuis une autre connexion, par exemple les données mobiles de votre téléphone.',
    en: 'A lot of feedback on this procedure has already been given from this connection today, as happens in a shared place (a public service desk, a library…). You can give yours tomorrow, or right now from another connection, such as your phone’s mobile data.',
  },
  anonymous: { fr: 'Vos réponses sont anonymes', en: 'Your answers are anonymous' },
} as const satisfies Record<string, Text>;

export type MessageId = keyof typeof MESSAGES;
