// The agency space's sign-in pages (SPEC §8): the one-time link's confirmation, its refusals, and
// the signed-out /espace page (how to sign in). French by default, English with ?lang=en; no
// script, no inline style, under the space's strict CSP (space-pages.ts).
import { withLang } from '../../shared/languages.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { signInPage as layout } from './agency-layout.ts';
import { html, type SafeHtml, type HtmlPage } from './html.ts';

/** Following the link shows this; only its button's POST uses the link, so a mail scanner's GET cannot burn it. */
export function loginLinkPage(lang: Lang, token: string): HtmlPage {
  const action = withLang(`/espace/lien/${encodeURIComponent(token)}`, lang);
  return lang === 'en'
    ? layout(
        lang,
        'Sign in to the agency space',
        html`<p>This link signs you in once, while it is valid (15 minutes for a sign-in link, 7 days for an invitation).</p>
<form method="post" action="${action}"><button type="submit" class="fr-btn">Sign in</button></form>`,
      )
    : layout(
        lang,
        'Connexion à l’espace agence',
        html`<p>Ce lien vous connecte une seule fois, tant qu’il est valable (15 minutes pour un lien de connexion, 7 jours pour une invitation).</p>
<form method="post" action="${action}"><button type="submit" class="fr-btn">Se connecter</button></form>`,
      );
}

export type LinkRefusal = 'gone' | 'unknown' | 'no_access' | 'cross_site';

const REFUSALS: Record<Lang, Record<LinkRefusal, { title: string; text: string }>> = {
  fr: {
    gone: {
      title: 'Ce lien de connexion n’est plus valable',
      text: 'Un lien de connexion ne sert qu’une fois et expire 15 minutes après sa création. Demandez-en un nouveau à l’exploitant du service.',
    },
    unknown: {
      title: 'Lien de connexion inconnu',
      text: 'Cette adresse ne correspond à aucun lien de connexion\u00a0: elle a peut-être été mal recopiée. Demandez un nouveau lien à l’exploitant du service.',
    },
    no_access: {
      title: 'Aucun accès',
      text: 'Cette adresse électronique n’est membre d’aucune entité de ce service. Demandez à un administrateur de votre entité de vous inviter.',
    },
    cross_site: {
      title: 'Connexion refusée\u00a0: demande venue d’un autre site',
      text: 'Un lien de connexion ne s’utilise que depuis sa propre page, avec son bouton «\u00a0Se connecter\u00a0». Ce lien n’a pas été utilisé\u00a0: ouvrez-le directement dans votre navigateur.',
    },
  },
  en: {
    gone: {
      title: 'This sign-in link is no longer valid',
      text: 'A sign-in link works once and expires 15 minutes after it was made. Ask the service’s operator for a new one.',
    },
    unknown: {
      title: 'Unknown sign-in link',
      text: 'This address matches no sign-in link: it may have been mistyped. Ask the service’s operator for a new link.',
    },
    no_access: {
      title: 'No access',
      text: 'This e-mail address is a member of no entity of this service. Ask an admin of your entity to invite you.',
    },
    cross_site: {
      title: 'Sign-in refused: the request came from another site',
      text: 'A sign-in link is used from its own page only, with its “Sign in” button. This link has not been used: open it directly in your browser.',
    },
  },
};

export function linkRefusedPage(lang: Lang, refusal: LinkRefusal): HtmlPage {
  const { title, text } = REFUSALS[lang][refusal];
  return layout(lang, title, html`<p>${text}</p>`);
}

/**
 * How the one-time link is had, with the command in <code>. SafeHtml by type in both languages: a
 * plain string here does not compile, where a language written as a string beside the other's
 * html`` was escaped, tags and all, and showed its readers « <code>jdma login-link</code> ».
 */
const LINK_HOW_TO: Record<Lang, SafeHtml> = {
  fr: html`<a href="/espace/connexion">Recevez un lien de connexion par courriel</a> en donnant votre adresse, ou demandez-en un à l’exploitant du service (il le crée avec la commande <code>jdma login-link</code>). Il ne sert qu’une fois, dans les 15 minutes\u00a0: ouvrez-le dans ce navigateur et confirmez avec son bouton « Se connecter ».`,
  en: html`<a href="/espace/connexion?lang=en">Get a sign-in link by e-mail</a> by giving your address, or ask the service’s operator for one (they make it with the command <code>jdma login-link</code>). It works once, within 15 minutes: open it in this browser and confirm with its “Sign in” button.`,
};

/**
 * /espace signed out: how to sign in. With ProConnect configured, its button first; in every case,
 * the one-time link by mail (/espace/connexion) or from the operator (`jdma login-link`). DSFR's "fr-connect" button draws
 * FranceConnect's brand, not ProConnect's: a plain DSFR button carries ProConnect's name instead.
 */
export function signedOutPage(lang: Lang, wasSignedIn: boolean, oidcLogin = false): HtmlPage {
  const en = lang === 'en';
  const title = wasSignedIn
    ? en
      ? 'You are signed out'
      : 'Vous êtes déconnecté'
    : en
      ? 'Sign in to the agency space'
      : 'Connexion à l’espace agence';
  const intro = wasSignedIn
    ? en
      ? 'Your session has ended. To come back:'
      : 'Votre session est terminée. Pour revenir\u00a0:'
    : en
      ? 'This space is for the agents of the administrations that collect their users’ reviews with Je donne mon avis: results, comments, settings of their procedures.'
      : 'Cet espace est celui des agents des administrations qui recueillent les avis de leurs usagers avec Je donne mon avis\u00a0: résultats, commentaires et réglages de leurs démarches.';
  const proConnect =
    oidcLogin &&
    html`<h2 class="fr-h4 fr-mt-4w">${en ? 'With ProConnect' : 'Avec ProConnect'}</h2>
<p>${en ? 'ProConnect is the state’s login for public servants: sign in with your work account.' : 'ProConnect est l’identifiant des agents publics\u00a0: connectez-vous avec votre compte professionnel.'}</p>
<p><a class="fr-btn" href="${withLang('/espace/connexion/proconnect', lang)}">${en ? 'Sign in with ProConnect' : 'S’identifier avec ProConnect'}</a></p>
<p><a class="fr-link" href="https://www.proconnect.gouv.fr/" rel="noopener">${en ? 'What is ProConnect?' : 'Qu’est-ce que ProConnect\u00a0?'}</a></p>`;
  return layout(
    lang,
    title,
    html`<p>${intro}</p>
${proConnect}
<h2 class="fr-h4 fr-mt-4w">${oidcLogin ? (en ? 'Or with a sign-in link' : 'Ou avec un lien de connexion') : en ? 'With a sign-in link' : 'Avec un lien de connexion'}</h2>
<p>${LINK_HOW_TO[lang]}</p>
<div class="fr-callout fr-mt-4w">
<p class="fr-callout__text fr-text--md">${
      en
        ? 'No access yet? Ask an admin of your entity to invite you with your work e-mail address.'
        : 'Pas encore d’accès\u00a0? Demandez à un administrateur de votre entité de vous inviter avec votre adresse électronique professionnelle.'
    }</p>
</div>`,
  );
}
