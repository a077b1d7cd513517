// /espace/compte: the signed-in member's own settings: the language of the mails they receive
// (sign-in links, invitations, access requests), French until they choose.
import { withLang } from '../../shared/languages.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { html, type SafeHtml } from './html.ts';
import { alert, column, csrfField } from './kit/dsfr.ts';
import { texts } from './kit/texts.ts';

const A = texts({
  fr: {
    title: 'Mon compte',
    address: (email: string) => `Vous êtes connecté avec l’adresse ${email}.`,
    mailLang: 'Langue des courriels que vous recevez',
    mailLangHint: 'Liens de connexion, invitations et demandes d’accès.',
    fr: 'Français',
    en: 'English (anglais)',
    save: 'Enregistrer',
    saved: 'Langue enregistrée\u00a0: vos prochains courriels seront dans cette langue.',
    invalid: 'Choisissez le français ou l’anglais.',
  },
  en: {
    title: 'My account',
    address: (email: string) => `You are signed in with the address ${email}.`,
    mailLang: 'Language of the mails you receive',
    mailLangHint: 'Sign-in links, invitations and access requests.',
    fr: 'Français (French)',
    en: 'English',
    save: 'Save',
    saved: 'Language saved: your next mails will be in this language.',
    invalid: 'Choose French or English.',
  },
});

export function accountPage(view: { lang: Lang; csrfToken: string; email: string; mailLang: Lang; saved: boolean; invalid: boolean }): {
  title: string;
  main: SafeHtml;
} {
  const { lang } = view;
  const a = A[lang];
  const radio = (value: Lang) =>
    html`<div class="fr-fieldset__element"><div class="fr-radio-group">
      <input type="radio" id="langue-${value}" name="lang" value="${value}"${value === view.mailLang ? html` checked` : ''}>
      <label class="fr-label" for="langue-${value}" lang="${value}">${a[value]}</label>
    </div></div>`;
  return {
    title: a.title,
    main: html`<h1 class="fr-mt-4w">${a.title}</h1>
${view.saved && alert('success', a.saved, { role: 'status' })}
${view.invalid && alert('error', html`<a href="#langue-fr">${a.invalid}</a>`, { role: 'alert' })}
<p>${a.address(view.email)}</p>
${column(html`<form method="post" action="${withLang('/espace/compte/langue', lang)}">
  ${csrfField(view.csrfToken)}
  <fieldset class="fr-fieldset${view.invalid ? ' fr-fieldset--error' : ''}" aria-labelledby="langue-legend">
    <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="langue-legend">${a.mailLang}<span class="fr-hint-text">${a.mailLangHint}</span></legend>
    ${radio('fr')}
    ${radio('en')}
  </fieldset>
  <button type="submit" class="fr-btn">${a.save}</button>
</form>`)}`,
  };
}
