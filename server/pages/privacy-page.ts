// /confidentialite: what the collector keeps about a user's review, for how long, what it publishes
// and whom to ask. Written once per language as whole prose (not string by string), because each
// sentence must stay true as a whole; every figure in it comes from the running configuration.
import type { Lang } from '../../shared/questionnaire.ts';
import { html, page, type SafeHtml } from './html.ts';
import { formatReviews } from './observatory-pages.ts';
import { LANGUAGES, otherLangs, withLang } from '../../shared/languages.ts';

export interface PrivacyFacts {
  /** Publication threshold of the feed and observatory (FEED_MIN_REVIEWS). */
  minReviews: number;
  /** FREE_TEXT_RETENTION_DAYS: free text older than this is erased every day. */
  retentionDays: number;
  /** OPERATOR_CONTACT: an e-mail address or an http(s) URL, or undefined when the operator has not set it. */
  operatorContact: string | undefined;
}

const TITLE: Record<Lang, string> = {
  fr: 'Confidentialité\u00a0: ce que devient votre avis',
  en: 'Privacy: what happens to your feedback',
};

const count = (n: number, lang: Lang) => new Intl.NumberFormat(LANGUAGES[lang].locale).format(n);

function contactLink(contact: string): SafeHtml {
  // zod has checked it is an e-mail address or an http(s) URL (server/config.ts).
  const href = /^https?:\/\//.test(contact) ? contact : `mailto:${contact}`;
  return html`<a href="${href}">${contact}</a>`;
}

const BODY: Record<Lang, (facts: PrivacyFacts) => SafeHtml> = {
  fr: ({
    minReviews,
    retentionDays,
    operatorContact,
  }) => html`<p><strong>Vos réponses sont anonymes.</strong> Ce service recueille l’avis des usagers
à la fin d’une démarche en ligne, pour l’administration qui propose cette démarche, et publie des indicateurs de satisfaction.</p>

<h2 id="enregistre">Ce qui est enregistré</h2>
<ul>
<li>votre note («\u00a0Pas bien\u00a0», «\u00a0Moyen\u00a0» ou «\u00a0Très bien\u00a0»), avec la démarche, l’emplacement du bouton, la langue, la date et l’heure\u00a0;</li>
<li>vos réponses aux questions facultatives, si vous y répondez\u00a0;</li>
<li>votre texte libre, si vous en écrivez un\u00a0: avant d’être enregistré, il est débarrassé des données personnelles
qu’il pourrait contenir (adresse e-mail, numéro de téléphone, de sécurité sociale, de dossier, IBAN, adresse postale, nom…).
N’y écrivez tout de même rien de personnel.</li>
</ul>
<p>Ne sont enregistrés <strong>ni votre adresse IP, ni l’identité de votre navigateur, ni aucun cookie</strong>\u00a0: ce service
ne dépose pas de cookie et ne mesure pas l’audience.</p>
<p>Pour limiter les envois abusifs, le service calcule une empreinte de votre adresse de connexion avec une clé secrète
qui change chaque jour et n’est jamais écrite sur disque. L’empreinte ne sert qu’à compter les envois de la minute en cours
et les avis donnés à chaque démarche dans la journée\u00a0; elle reste en mémoire, n’est jamais enregistrée et ces comptes sont
oubliés à minuit (UTC)\u00a0; une fois la clé remplacée, plus personne ne peut la rapprocher de votre adresse.</p>
<p>Un code à usage unique vous permet de compléter votre avis pendant une heure\u00a0; le service n’en garde qu’une empreinte.
Si l’envoi échoue faute de connexion, votre avis attend dans votre navigateur (stockage local) et part lors d’une prochaine
visite d’une page qui porte le bouton.</p>

<h2 id="duree">Combien de temps</h2>
<ul>
<li>Le texte libre est effacé au terme d’une durée de conservation fixée par l’exploitant du service\u00a0:
${count(retentionDays, 'fr')} jours. Le code à usage unique qui permet de compléter votre avis est effacé une fois passée l’heure où il sert.</li>
<li>Les notes et les réponses aux questions à choix sont conservées pour suivre les indicateurs dans la durée\u00a0;
elles ne disent rien de qui les a données.</li>
</ul>

<h2 id="publie">Ce qui est publié</h2>
<ul>
<li>Uniquement des indicateurs agrégés par démarche (satisfaction, clarté des informations, aide obtenue…) et le nombre
d’avis, dans l’<a href="/observatoire">observatoire</a> et en données ouvertes.</li>
<li>Une note n’est publiée qu’à partir de ${formatReviews(minReviews, 'fr')} sur la période\u00a0; en dessous, seul le nombre d’avis l’est.</li>
<li>Votre texte libre n’est <strong>jamais publié</strong>\u00a0: seuls l’administration responsable de la démarche et l’exploitant
du service le lisent, pour améliorer la démarche.</li>
</ul>

<h2 id="contact">Qui contacter</h2>
${
  operatorContact
    ? html`<p>Pour toute question sur vos données\u00a0: ${contactLink(operatorContact)} (exploitant du service).</p>`
    : html`<p class="notice">L’exploitant de ce service n’a pas encore indiqué de contact.</p>`
}
<p>Aucun avis n’étant rattaché à une personne, il n’est pas possible de retrouver le vôtre pour vous le communiquer ou l’effacer.
Vous pouvez aussi adresser une réclamation à la <a href="https://www.cnil.fr/fr/plaintes">CNIL</a>.</p>`,

  en: ({
    minReviews,
    retentionDays,
    operatorContact,
  }) => html`<p><strong>Your answers are anonymous.</strong> This service collects users’ feedback
at the end of an online procedure, for the administration that runs the procedure, and publishes satisfaction indicators.</p>

<h2 id="enregistre">What is stored</h2>
<ul>
<li>your rating (“Not good”, “Average” or “Very good”), with the procedure, where the button was, the language, the date and the time;</li>
<li>your answers to the optional questions, if you answer them;</li>
<li>your free text, if you write one: before it is stored, personal data it may contain (e-mail address, phone, social
security, file or bank account numbers, postal address, name…) is taken out. Please still write nothing personal.</li>
</ul>
<p><strong>Neither your IP address, nor your browser’s identity, nor any cookie</strong> is stored: this service sets no
cookie and does no audience measurement.</p>
<p>To limit abuse, the service computes a fingerprint of your connection address with a secret key that changes every day
and is never written to disk. The fingerprint only counts what was sent in the current minute and the feedback given to each
procedure in the day; it stays in memory, is never stored, and these counts are forgotten at midnight (UTC); once the key is
replaced, nobody can link it to your address any more.</p>
<p>A one-time code lets you complete your feedback for one hour; the service keeps only a fingerprint of it. If sending
fails for lack of a connection, your feedback waits in your browser (local storage) and is sent on a later visit to a page
that carries the button.</p>

<h2 id="duree">For how long</h2>
<ul>
<li>Free text is erased after a retention period set by the operator of the service:
${count(retentionDays, 'en')} days. The one-time code that lets you complete your feedback is erased once the hour in which it serves has passed.</li>
<li>Ratings and answers to multiple-choice questions are kept to follow the indicators over time; they say nothing of
who gave them.</li>
</ul>

<h2 id="publie">What is published</h2>
<ul>
<li>Only indicators aggregated per procedure (satisfaction, clarity of the information, help received…) and the number
of reviews, in the <a href="/observatoire?lang=en">observatory</a> and as open data.</li>
<li>A score is published only from ${formatReviews(minReviews, 'en')} in the period; below that, only the number of reviews is.</li>
<li>Your free text is <strong>never published</strong>: only the administration in charge of the procedure and the operator
of the service read it, to improve the procedure.</li>
</ul>

<h2 id="contact">Whom to contact</h2>
${
  operatorContact
    ? html`<p>For any question about your data: ${contactLink(operatorContact)} (operator of the service).</p>`
    : html`<p class="notice">The operator of this service has not given a contact yet.</p>`
}
<p>As no review is linked to a person, yours cannot be found to be shown to you or erased. You may also complain to the
<a href="https://www.cnil.fr/en/complaints" hreflang="fr">CNIL</a>, the French data protection authority.</p>`,
};

export function privacyPage(facts: PrivacyFacts, lang: Lang): string {
  return page({
    lang,
    title: `${TITLE[lang]} – Je donne mon avis`,
    body: html`<header class="site"><p><a href="/">Je donne mon avis</a></p></header>
<main>
<p class="lang-switch">${otherLangs(lang).map((other) => html`<a href="${withLang('/confidentialite', other)}" lang="${other}" hreflang="${other}">${LANGUAGES[other].name}</a>`)}</p>
<h1>${TITLE[lang]}</h1>
${BODY[lang](facts)}
</main>`,
  });
}
