// The pages of sign-in with OpenID Connect (ProConnect): what a person sees when the sign-in does not open a session. French by default, English with ?lang=en;
// no script and no inline style, under the pages' strict CSP.
import { withLang } from '../../shared/languages.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { signInPage as layout } from './agency-layout.ts';
import { html, type HtmlPage } from './html.ts';

export type OidcRefusal = 'no_access' | 'refused' | 'unavailable';

const TEXTS: Record<Lang, Record<OidcRefusal, { title: string; text: string }>> = {
  fr: {
    no_access: {
      title: 'Pas d’accès',
      text: 'Vous êtes bien identifié, mais votre adresse électronique n’est membre d’aucune entité de ce service. Demandez à un administrateur de votre entité de vous inviter avec cette adresse, puis connectez-vous de nouveau.',
    },
    refused: {
      title: 'La connexion n’a pas abouti',
      text: 'La réponse du fournisseur d’identité n’a pas pu être vérifiée\u00a0: la connexion a peut-être expiré (10 minutes), déjà servi, ou été commencée dans un autre navigateur. Recommencez depuis la page de connexion.',
    },
    unavailable: {
      title: 'Le fournisseur d’identité ne répond pas',
      text: 'La connexion passe par un fournisseur d’identité (ProConnect) qui n’a pas répondu correctement. Rien n’est perdu\u00a0: réessayez dans quelques minutes.',
    },
  },
  en: {
    no_access: {
      title: 'No access',
      text: 'You are signed in with your provider, but your e-mail address is a member of no entity of this service. Ask an admin of your entity to invite you with this address, then sign in again.',
    },
    refused: {
      title: 'Sign-in did not complete',
      text: 'The identity provider’s answer could not be verified: the sign-in may have expired (10 minutes), been used already, or been started in another browser. Start again from the sign-in page.',
    },
    unavailable: {
      title: 'The identity provider is not answering',
      text: 'Sign-in goes through an identity provider (ProConnect) that did not answer properly. Nothing is lost: try again in a few minutes.',
    },
  },
};

export function oidcRefusedPage(lang: Lang, refusal: OidcRefusal): HtmlPage {
  const { title, text } = TEXTS[lang][refusal];
  const again = lang === 'en' ? 'Back to the sign-in page' : 'Retour à la page de connexion';
  return layout(
    lang,
    title,
    html`<p>${text}</p>
<p><a href="${withLang('/espace/connexion', lang)}">${again}</a></p>`,
  );
}
