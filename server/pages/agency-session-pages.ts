// The agency space's sign-in pages (SPEC §8): the one-time link's confirmation, its refusals, the
// minimal /espace page and sign-out. French by default, English with ?lang=en; no script, no inline
// style, under the space's strict CSP (space-pages.ts).
import type { Lang } from '../../shared/questionnaire.ts';
import { agencyPage } from './agency-layout.ts';
import { html, type SafeHtml } from './html.ts';

// In the space's frame (DSFR); the language link leads to the space's sign-in in the other language.
const layout = (lang: Lang, title: string, main: SafeHtml) =>
  agencyPage({
    lang,
    title,
    here: '/espace',
    main: html`<h1 class="fr-mt-4w">${title}</h1>
${main}`,
  });

const withLang = (path: string, lang: Lang) => (lang === 'fr' ? path : `${path}?lang=${lang}`);

/** Following the link shows this; only its button's POST uses the link, so a mail scanner's GET cannot burn it. */
export function loginLinkPage(lang: Lang, token: string): string {
  const action = withLang(`/espace/lien/${encodeURIComponent(token)}`, lang);
  return lang === 'en'
    ? layout(
        lang,
        'Sign in to the agency space',
        html`<p>This link signs you in once, within 15 minutes of its creation.</p>
<form method="post" action="${action}"><button type="submit" class="fr-btn">Sign in</button></form>`,
      )
    : layout(
        lang,
        'Connexion à l’espace agence',
        html`<p>Ce lien vous connecte une seule fois, dans les 15 minutes qui suivent sa création.</p>
<form method="post" action="${action}"><button type="submit" class="fr-btn">Se connecter</button></form>`,
      );
}

export type LinkRefusal = 'gone' | 'unknown' | 'no_access';

const REFUSALS: Record<Lang, Record<LinkRefusal, { title: string; text: string }>> = {
  fr: {
    gone: {
      title: 'Ce lien de connexion n’est plus valable',
      text: 'Un lien de connexion ne sert qu’une fois et expire 15 minutes après sa création. Demandez-en un nouveau à l’opérateur du service.',
    },
    unknown: {
      title: 'Lien de connexion inconnu',
      text: 'Cette adresse ne correspond à aucun lien de connexion : elle a peut-être été mal recopiée. Demandez un nouveau lien à l’opérateur du service.',
    },
    no_access: {
      title: 'Aucun accès',
      text: 'Cette adresse e-mail n’est membre d’aucune entité de ce service. Demandez à un administrateur de votre entité de vous inviter.',
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
  },
};

export function linkRefusedPage(lang: Lang, refusal: LinkRefusal): string {
  const { title, text } = REFUSALS[lang][refusal];
  return layout(lang, title, html`<p>${text}</p>`);
}

export interface SpaceFacts {
  email: string;
  entities: { id: string; name: string; role: 'admin' | 'reader' }[];
  csrfToken: string;
}

const ROLE_NAMES: Record<Lang, Record<'admin' | 'reader', string>> = {
  fr: { admin: 'administrateur', reader: 'lecteur' },
  en: { admin: 'admin', reader: 'reader' },
};

/** /espace: who is signed in, their entities and roles, and sign-out (a form carrying the CSRF token). */
export function spacePage(lang: Lang, facts: SpaceFacts, administration: SafeHtml | '' = ''): string {
  const en = lang === 'en';
  const entities = facts.entities.map((e) => html`<li>${e.name} (<code>${e.id}</code>) : ${ROLE_NAMES[lang][e.role]}</li>`);
  return layout(
    lang,
    en ? 'Agency space' : 'Espace agence',
    html`<p>${en ? 'Signed in as' : 'Connecté en tant que'} <strong>${facts.email}</strong>.</p>
<h2>${en ? 'Your entities' : 'Vos entités'}</h2>
<ul>${entities}</ul>
${administration}
<form method="post" action="${withLang('/espace/deconnexion', lang)}">
<input type="hidden" name="_csrf" value="${facts.csrfToken}">
<button type="submit" class="fr-btn">${en ? 'Sign out' : 'Se déconnecter'}</button>
</form>`,
  );
}

export function signedOutPage(lang: Lang, wasSignedIn: boolean, oidcLogin = false): string {
  const en = lang === 'en';
  const title = wasSignedIn
    ? en
      ? 'You are signed out'
      : 'Vous êtes déconnecté'
    : en
      ? 'You are not signed in'
      : 'Vous n’êtes pas connecté';
  return layout(
    lang,
    title,
    html`<p>${
      en
        ? 'To sign in, follow a sign-in link given by the service’s operator.'
        : 'Pour vous connecter, suivez un lien de connexion fourni par l’opérateur du service.'
    }</p>
${
  oidcLogin &&
  html`<p>${en ? 'Or sign in with ProConnect, the state’s login for public servants:' : 'Ou identifiez-vous avec ProConnect, l’identifiant des agents publics :'}</p>
<p><a class="fr-btn" href="${withLang('/espace/connexion/proconnect', lang)}">${en ? 'Sign in with ProConnect' : 'S’identifier avec ProConnect'}</a></p>`
}`,
  );
}
