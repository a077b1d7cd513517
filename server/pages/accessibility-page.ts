// The accessibility statement that French law requires of a public service's site (article 47 of
// law 2005-102, its decree 2019-768), in the wording and order of the RGAA 4.1 model: commitment,
// state of conformity, test results and known limits, how it was established, contact, and the
// « voies de recours ». « Partiellement conforme » is what can be stated without a full audit of
// the RGAA's 106 criteria by an auditor: automated checks and manual ones cannot give a rate.
import type { Lang } from '../../shared/questionnaire.ts';
import { LANGUAGES, otherLangs, withLang } from '../../shared/languages.ts';
import { contactLink, html, page, type SafeHtml } from './html.ts';
import { formatDay } from './kit/format.ts';

/** The day this statement was established, i.e. last checked against the pages it names. */
export const STATEMENT_DATE = '2026-12-07';

const TITLE = { fr: 'Déclaration d’accessibilité', en: 'Accessibility statement' } as const;
const DESCRIPTION = {
  fr: 'Déclaration d’accessibilité du service Je donne mon avis\u00a0: partiellement conforme au RGAA 4.1, limites connues, contact et voies de recours.',
  en: 'Accessibility statement of the Je donne mon avis service: partially compliant with RGAA 4.1, known limits, contact and remedies.',
} as const;

const PAGES_CHECKED = [
  ['/', { fr: 'Accueil', en: 'Home' }],
  ['/observatoire', { fr: 'Observatoire', en: 'Observatory' }],
  ['/observatoire/demo', { fr: 'Page d’une démarche de l’observatoire', en: 'A procedure’s page in the observatory' }],
  ['/avis/demo', { fr: 'Formulaire d’avis', en: 'Feedback form' }],
  ['/confidentialite', { fr: 'Confidentialité', en: 'Privacy' }],
  ['/api/docs', { fr: 'Documentation de l’API', en: 'API documentation' }],
  ['/espace/connexion', { fr: 'Connexion à l’espace agence', en: 'Agency space sign-in' }],
] as const;

interface Facts {
  operatorContact: string | undefined;
}

function body(lang: Lang, { operatorContact }: Facts): SafeHtml {
  const date = formatDay(lang, STATEMENT_DATE);
  const pages = html`<ul>${PAGES_CHECKED.map(([path, name]) => html`<li><a href="${withLang(path, lang)}">${name[lang]}</a></li>`)}</ul>`;
  const contact = operatorContact
    ? contactLink(operatorContact)
    : html`<em>${lang === 'fr' ? 'l’exploitant de ce service n’a pas encore indiqué de contact' : 'the operator of this service has not given a contact yet'}</em>`;
  if (lang === 'fr')
    return html`<p>L’exploitant du service «\u00a0Je donne mon avis\u00a0» s’engage à rendre ses sites internet, intranet, extranet et ses progiciels accessibles conformément à l’article 47 de la loi n°\u00a02005-102 du 11\u00a0février 2005.</p>
<p>Cette déclaration d’accessibilité s’applique aux pages publiques de ce service (accueil, observatoire, formulaire d’avis, confidentialité, documentation de l’API), à son bouton intégré aux démarches, et à son espace agence.</p>
<h2>État de conformité</h2>
<p>Ce service est <strong>partiellement conforme</strong> avec le référentiel général d’amélioration de l’accessibilité (RGAA), version\u00a04.1, en raison des limites énumérées ci-dessous.</p>
<h2>Résultats des tests</h2>
<p>Aucun audit complet des 106\u00a0critères du RGAA n’a encore été réalisé par un auditeur\u00a0: aucun taux de conformité ne peut donc être annoncé. Chaque version est vérifiée automatiquement (axe-core dans un navigateur réel, sur chaque page et chaque étape du formulaire, en thème clair et sombre, jusqu’à 320\u00a0pixels de large sans défilement horizontal) et à la main (navigation au clavier seul, agrandissement du texte à 200\u00a0%).</p>
<h3>Limites connues</h3>
<ul>
<li>Les graphiques d’évolution, mois par mois dans l’observatoire et dans les résultats de l’espace agence (semaine par semaine aussi dans l’espace), sont des images\u00a0: chacun est précédé d’un résumé textuel et suivi du tableau de ses valeurs, intervalle de confiance compris, qui en sont l’alternative. Le tableau des semaines est replié et s’ouvre d’un clic.</li>
<li>Sur un écran étroit, les tableaux larges de l’espace agence défilent sur le côté dans leur cadre\u00a0: une ligne au-dessus l’indique, et le cadre prend le focus pour défiler au clavier.</li>
<li>Le bouton et son formulaire s’affichent dans les pages des administrations\u00a0: leur accessibilité dépend aussi de ces pages (ordre de lecture, contrastes du site hôte).</li>
<li>Les exports CSV et XLSX de l’espace agence n’ont pas été testés avec des technologies d’assistance.</li>
<li>Le service n’a pas encore été testé avec des utilisateurs de lecteurs d’écran.</li>
</ul>
<h2>Établissement de cette déclaration d’accessibilité</h2>
<p>Cette déclaration a été établie le ${date}.</p>
<p>Technologies utilisées\u00a0: HTML, CSS, SVG, JavaScript (le bouton et son formulaire\u00a0; les pages publiques fonctionnent sans).</p>
<p>Outils utilisés pour vérifier l’accessibilité\u00a0: axe-core et Lighthouse dans Chromium, navigation au clavier.</p>
<p>Pages ayant fait l’objet de la vérification de conformité\u00a0:</p>
${pages}
<h2>Retour d’information et contact</h2>
<p>Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable du service pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme\u00a0: ${contact}.</p>
<h2>Voies de recours</h2>
<p>Cette procédure est à utiliser dans le cas suivant\u00a0: vous avez signalé au responsable du site internet un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un des services du portail et vous n’avez pas obtenu de réponse satisfaisante.</p>
<ul>
<li>Écrire un message au <a href="https://formulaire.defenseurdesdroits.fr/">Défenseur des droits</a></li>
<li>Contacter <a href="https://www.defenseurdesdroits.fr/saisir/delegues">le délégué du Défenseur des droits dans votre région</a></li>
<li>Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre)\u00a0: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07</li>
</ul>`;
  return html`<p>The operator of the “Je donne mon avis” service is committed to making its websites, intranets, extranets and software accessible, in accordance with article 47 of French law no.\u00a02005-102 of 11\u00a0February 2005.</p>
<p>This accessibility statement applies to the public pages of this service (home, observatory, feedback form, privacy, API documentation), to its button embedded in online procedures, and to its agency space.</p>
<h2>State of conformity</h2>
<p>This service is <strong>partially compliant</strong> with the French accessibility framework RGAA (référentiel général d’amélioration de l’accessibilité), version\u00a04.1, because of the limits listed below.</p>
<h2>Test results</h2>
<p>No full audit of the RGAA’s 106\u00a0criteria has been carried out by an auditor yet, so no conformity rate can be given. Every release is checked automatically (axe-core in a real browser, on every page and every step of the form, in light and dark themes, down to 320\u00a0pixels wide without horizontal scrolling) and by hand (keyboard only, text enlarged to 200\u00a0%).</p>
<h3>Known limits</h3>
<ul>
<li>The trend charts, month by month in the observatory and in the agency space’s results (also week by week in the space), are images: each is preceded by a text summary and followed by the table of its values, confidence intervals included, which are its alternative. The table of the weeks is folded and opens with one click.</li>
<li>On a narrow screen, the agency space’s wide tables scroll sideways inside their frame: a line above says so, and the frame takes the focus to be scrolled by keyboard.</li>
<li>The button and its form appear inside administrations’ pages: their accessibility also depends on those pages (reading order, the host site’s contrasts).</li>
<li>The agency space’s CSV and XLSX exports have not been tested with assistive technologies.</li>
<li>The service has not been tested with screen reader users yet.</li>
</ul>
<h2>How this statement was established</h2>
<p>This statement was established on ${date}.</p>
<p>Technologies used: HTML, CSS, SVG, JavaScript (the button and its form; the public pages work without it).</p>
<p>Tools used to check accessibility: axe-core and Lighthouse in Chromium, keyboard navigation.</p>
<p>Pages checked for conformity:</p>
${pages}
<h2>Feedback and contact</h2>
<p>If you cannot access a content or a service, you can contact the person responsible for the service to be directed to an accessible alternative or to get the content in another form: ${contact}.</p>
<h2>Remedies</h2>
<p>Use this procedure if you reported to the person responsible for the site an accessibility defect that prevents you from accessing a content or one of the services, and you did not get a satisfactory answer.</p>
<ul>
<li>Write a message to the <a href="https://formulaire.defenseurdesdroits.fr/" hreflang="fr">Défenseur des droits</a> (the French rights ombudsman)</li>
<li>Contact <a href="https://www.defenseurdesdroits.fr/saisir/delegues" hreflang="fr">the Défenseur des droits’ delegate in your region</a></li>
<li>Send a letter by post (free of charge, no stamp needed): Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07, France</li>
</ul>`;
}

/** /accessibilite: the statement, in French or English. */
export function accessibilityPage(facts: Facts, lang: Lang): string {
  return page({
    lang,
    title: `${TITLE[lang]} – Je donne mon avis`,
    description: DESCRIPTION[lang],
    body: html`<header class="site"><p><a href="/">Je donne mon avis</a></p></header>
<main>
<p class="lang-switch">${otherLangs(lang).map((other) => html`<a href="${withLang('/accessibilite', other)}" lang="${other}" hreflang="${other}">${LANGUAGES[other].name}</a>`)}</p>
<h1>${TITLE[lang]}</h1>
${body(lang, facts)}
</main>`,
  });
}
