// What a refused page of the agency space says, in its frame: which refusal it is, and the status
// it is answered with, are decided by the space's error handler (routes/agency/space/space-pages.ts).
import { withLang } from '../../shared/languages.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { html, type SafeHtml } from './html.ts';

/** `not_found` also stands for "not yours" and "not for a reader": a reader is not told that settings exist. */
export type SpaceRefusal = 'not_found' | 'form_expired' | 'too_many' | 'unavailable' | 'refused';

const TEXT: Record<Lang, Record<SpaceRefusal, { title: string; text?: string }> & { back: string }> = {
  fr: {
    not_found: { title: 'Page introuvable', text: 'Cette page n’existe pas, ou ne vous est pas ouverte.' },
    form_expired: { title: 'Ce formulaire a expiré', text: 'Revenez en arrière, rechargez la page et envoyez-le de nouveau.' },
    too_many: {
      title: 'Trop de demandes',
      text: 'Vous avez envoyé beaucoup de demandes en peu de temps\u00a0: patientez une minute, puis réessayez.',
    },
    unavailable: { title: 'Service indisponible', text: 'Réessayez dans un instant.' },
    refused: { title: 'Cette demande n’a pas pu aboutir' },
    back: 'Retour à l’espace',
  },
  en: {
    not_found: { title: 'Page not found', text: 'This page does not exist, or is not yours.' },
    form_expired: { title: 'This form has expired', text: 'Go back, reload the page and send it again.' },
    too_many: { title: 'Too many requests', text: 'You sent many requests in a short time: wait a minute, then try again.' },
    unavailable: { title: 'Service unavailable', text: 'Try again in a moment.' },
    refused: { title: 'This request could not be done' },
    back: 'Back to the agency space',
  },
};

/** The page's title and main content; `message`: what was wrong, said where the refusal has no text of its own. */
export function spaceErrorPage(lang: Lang, refusal: SpaceRefusal, message: string): { title: string; main: SafeHtml } {
  const t = TEXT[lang];
  const { title, text = message } = t[refusal];
  return {
    title,
    main: html`<h1 class="fr-mt-4w">${title}</h1><p>${text}</p><p><a class="fr-link" href="${withLang('/espace', lang)}">${t.back}</a></p>`,
  };
}
