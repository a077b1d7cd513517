// /espace/connexion/demande: an agent asks to join an entity (SPEC §8), and the one answer every
// well-formed request gets, whether the entity exists, the address is a member or a request waits.
import { withLang } from '../../shared/languages.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { signInPage as layout } from './agency-layout.ts';
import { html, type HtmlPage } from './html.ts';
import type { FieldError } from './kit/dsfr.ts';

const TEXTS = {
  fr: {
    title: 'Demander l’accès à une entité',
    intro:
      'Votre entité (ministère, direction, opérateur…) utilise déjà Je donne mon avis\u00a0? Demandez à la rejoindre\u00a0: ses administrateurs reçoivent votre demande par courriel et vous répondent de même.',
    domains: (list: string) => `Seules les adresses professionnelles de ces domaines peuvent demander un accès\u00a0: ${list}.`,
    email: 'Votre adresse électronique professionnelle',
    emailHint: 'Format attendu\u00a0: nom@domaine.fr',
    entity: 'L’entité à rejoindre',
    entityHint:
      'Son nom exact ou son identifiant, tels qu’un collègue membre les voit dans l’espace (par exemple\u00a0: Ministère de l’Intérieur, ou ministere-interieur).',
    button: 'Envoyer la demande',
    sentTitle: 'Demande envoyée',
    sent: 'Si cette entité existe et que votre adresse n’en est pas déjà membre, ses administrateurs viennent de recevoir votre demande.',
    sentMore:
      'Vous recevrez leur réponse par courriel. Rien après quelques jours\u00a0? Vérifiez le nom de l’entité, ou demandez à un collègue membre de vous inviter.',
    signIn: 'Retour à la connexion',
  },
  en: {
    title: 'Ask for access to an entity',
    intro:
      'Your entity (ministry, directorate, agency…) already uses Je donne mon avis? Ask to join it: its admins get your request by mail and answer you the same way.',
    domains: (list: string) => `Only work addresses of these domains may ask for access: ${list}.`,
    email: 'Your work e-mail address',
    emailHint: 'Expected format: name@domain.fr',
    entity: 'The entity to join',
    entityHint:
      'Its exact name or its identifier, as a colleague who is a member sees them in the space (for example: Ministère de l’Intérieur, or ministere-interieur).',
    button: 'Send the request',
    sentTitle: 'Request sent',
    sent: 'If this entity exists and your address is not a member yet, its admins have just received your request.',
    sentMore:
      'You will get their answer by mail. Nothing after a few days? Check the entity’s name, or ask a colleague who is a member to invite you.',
    signIn: 'Back to sign-in',
  },
} as const;

/** The messages of a refused form, by field. */
export const ACCESS_REQUEST_ERRORS = {
  fr: {
    email: 'Cette adresse n’est pas une adresse électronique valide\u00a0: vérifiez-la, au format nom@domaine.fr.',
    entity: 'Indiquez le nom ou l’identifiant de l’entité, de 1 à 100 caractères.',
    domain: (list: string) =>
      `Cette adresse n’est pas dans un domaine autorisé à demander un accès (${list})\u00a0: demandez à un administrateur de votre entité de vous inviter.`,
  },
  en: {
    email: 'This is not a valid e-mail address: check it, in the form name@domain.fr.',
    entity: 'Type the entity’s name or identifier, 1 to 100 characters.',
    domain: (list: string) =>
      `This address is not in a domain allowed to ask for access (${list}): ask an admin of your entity to invite you.`,
  },
} as const;

const field = (o: {
  id: string;
  name: string;
  type: string;
  label: string;
  hint: string;
  value: string;
  error?: FieldError | undefined;
  attrs: string;
}) => {
  const error = o.error?.field === o.name ? o.error : undefined;
  return html`<div class="fr-input-group${error ? ' fr-input-group--error' : ''}">
  <label class="fr-label" for="${o.id}">${o.label}<span class="fr-hint-text">${o.hint}</span></label>
  <input class="fr-input${error ? ' fr-input--error' : ''}" type="${o.type}" id="${o.id}" name="${o.name}" value="${error?.value ?? o.value}" required autocomplete="${o.attrs}" aria-describedby="${o.id}-messages"${error ? html` aria-invalid="true"` : ''}>
  <div class="fr-messages-group" id="${o.id}-messages" aria-live="polite">${error ? html`<p class="fr-message fr-message--error">${error.message}</p>` : ''}</div>
</div>`;
};

/** The form; `typed` is what was sent, shown back with `error` when it was refused. */
export function accessRequestPage(
  lang: Lang,
  domains: readonly string[],
  typed: { email?: string; entity?: string } = {},
  error?: FieldError,
): HtmlPage {
  const t = TEXTS[lang];
  return layout(
    lang,
    t.title,
    html`<p>${t.intro}</p>
<p>${t.domains(domains.join(', '))}</p>
<form method="post" action="${withLang('/espace/connexion/demande', lang)}">
${field({ id: 'email', name: 'email', type: 'email', label: t.email, hint: t.emailHint, value: typed.email ?? '', error, attrs: 'email' })}
${field({ id: 'entite', name: 'entity', type: 'text', label: t.entity, hint: t.entityHint, value: typed.entity ?? '', error, attrs: 'organization' })}
<button type="submit" class="fr-btn">${t.button}</button>
</form>
<p class="fr-mt-4w"><a class="fr-link" href="${withLang('/espace/connexion', lang)}">${t.signIn}</a></p>`,
  );
}

/** The one answer to every well-formed request in an allowed domain: it says nothing of the entity or its members. */
export function accessRequestSentPage(lang: Lang): HtmlPage {
  const t = TEXTS[lang];
  return layout(
    lang,
    t.sentTitle,
    html`<div class="fr-alert fr-alert--info fr-mb-3w"><p>${t.sent}</p></div>
<p>${t.sentMore}</p>
<p><a class="fr-link" href="${withLang('/espace/connexion', lang)}">${t.signIn}</a></p>`,
  );
}
