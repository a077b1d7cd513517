// /espace/connexion: the address form of sign-in by e-mail (with ProConnect's button first where it
// is configured), and the one answer it gives to every well-formed address, member or not.
import { withLang } from '../../shared/languages.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { signInPage as layout } from './agency-layout.ts';
import { html, type HtmlPage } from './html.ts';

const TEXTS = {
  fr: {
    title: 'Connexion à l’espace agence',
    proConnect: 'Avec ProConnect',
    proConnectText: 'ProConnect est l’identifiant des agents publics\u00a0: connectez-vous avec votre compte professionnel.',
    proConnectButton: 'S’identifier avec ProConnect',
    proConnectWhat: 'Qu’est-ce que ProConnect\u00a0?',
    byMail: 'Par courriel',
    orByMail: 'Ou par courriel',
    byMailText:
      'Indiquez votre adresse professionnelle\u00a0: si elle a accès à l’espace, vous recevrez un lien de connexion, valable 15 minutes et une seule fois.',
    label: 'Adresse électronique',
    hint: 'Format attendu\u00a0: nom@domaine.fr',
    button: 'Recevoir un lien de connexion',
    invalid: 'Cette adresse n’est pas une adresse électronique valide\u00a0: vérifiez-la, au format nom@domaine.fr.',
    sentTitle: 'Vérifiez votre messagerie',
    sent: 'Si cette adresse a accès à l’espace, un lien de connexion vient de lui être envoyé.',
    sentMore:
      'Il est valable 15 minutes et une seule fois. Rien reçu\u00a0? Vérifiez l’adresse et vos courriels indésirables, ou demandez à un administrateur de votre entité de vous inviter.',
    again: 'Recommencer avec une autre adresse',
    notMember: 'Pas encore membre\u00a0?',
    askAccess: 'Demander l’accès à une entité',
  },
  en: {
    title: 'Sign in to the agency space',
    proConnect: 'With ProConnect',
    proConnectText: 'ProConnect is the state’s login for public servants: sign in with your work account.',
    proConnectButton: 'Sign in with ProConnect',
    proConnectWhat: 'What is ProConnect?',
    byMail: 'By e-mail',
    orByMail: 'Or by e-mail',
    byMailText: 'Give your work address: if it has access to the space, you will receive a sign-in link, valid for 15 minutes, once.',
    label: 'E-mail address',
    hint: 'Expected format: name@domain.fr',
    button: 'Get a sign-in link',
    invalid: 'This is not a valid e-mail address: check it, in the form name@domain.fr.',
    sentTitle: 'Check your mailbox',
    sent: 'If this address has access to the space, a sign-in link has just been sent to it.',
    sentMore:
      'It is valid for 15 minutes, once. Nothing arrived? Check the address and your spam folder, or ask an admin of your entity to invite you.',
    again: 'Start again with another address',
    notMember: 'Not a member yet?',
    askAccess: 'Ask for access to an entity',
  },
} as const;

/**
 * The form; `invalid` holds what was typed when it was not an address (shown back, with the error);
 * `signup`: agents may ask to join an entity (SIGNUP_DOMAINS), and the page links to the form.
 */
export function emailSignInPage(lang: Lang, oidcLogin: boolean, invalid?: string, signup = false): HtmlPage {
  const t = TEXTS[lang];
  const proConnect =
    oidcLogin &&
    html`<h2 class="fr-h4 fr-mt-4w">${t.proConnect}</h2>
<p>${t.proConnectText}</p>
<p><a class="fr-btn" href="${withLang('/espace/connexion/proconnect', lang)}">${t.proConnectButton}</a></p>
<p><a class="fr-link" href="https://www.proconnect.gouv.fr/" rel="noopener">${t.proConnectWhat}</a></p>`;
  const error = invalid !== undefined;
  return layout(
    lang,
    t.title,
    html`${proConnect}
<h2 class="fr-h4 fr-mt-4w">${oidcLogin ? t.orByMail : t.byMail}</h2>
<p>${t.byMailText}</p>
<form method="post" action="${withLang('/espace/connexion', lang)}">
<div class="fr-input-group${error ? ' fr-input-group--error' : ''}">
  <label class="fr-label" for="email">${t.label}<span class="fr-hint-text">${t.hint}</span></label>
  <input class="fr-input${error ? ' fr-input--error' : ''}" type="email" id="email" name="email" autocomplete="email" required value="${invalid ?? ''}" aria-describedby="email-messages"${error ? html` aria-invalid="true"` : ''}>
  <div class="fr-messages-group" id="email-messages" aria-live="polite">${error ? html`<p class="fr-message fr-message--error">${t.invalid}</p>` : ''}</div>
</div>
<button type="submit" class="fr-btn">${t.button}</button>
</form>
${
  signup &&
  html`<h2 class="fr-h4 fr-mt-4w">${t.notMember}</h2>
<p><a class="fr-link" href="${withLang('/espace/connexion/demande', lang)}">${t.askAccess}</a></p>`
}`,
  );
}

/** The one answer to every well-formed address: it says nothing of whether the address is a member. */
export function emailSentPage(lang: Lang): HtmlPage {
  const t = TEXTS[lang];
  return layout(
    lang,
    t.sentTitle,
    html`<div class="fr-alert fr-alert--info fr-mb-3w"><p>${t.sent}</p></div>
<p>${t.sentMore}</p>
<p><a class="fr-link" href="${withLang('/espace/connexion', lang)}">${t.again}</a></p>`,
  );
}
