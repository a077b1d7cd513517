// A procedure's comment insights in the agency space (SPEC §8), « Analyse des commentaires »: the
// terms its comments use most, those that tell unhappy reviews from happy ones, those rising. Every
// figure comes from agency/comment-insights.ts, as the API's /insights gives it; each term links to
// the comments page's search (accents and case ignored, the words marked), over the same period.
import { LANGUAGES, withLang } from '../../shared/languages.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import type { CommentInsights, Term } from '../agency/comment-insights.ts';
import { procedureNav } from './agency-layout.ts';
import { html, type SafeHtml } from './html.ts';
import { breadcrumb, table } from './kit/dsfr.ts';
import { formatDay } from './kit/format.ts';
import { fill, placementName, texts } from './kit/texts.ts';
import { formatCount } from './kit/figures.ts';
import { formatReviews } from './observatory-pages.ts';
import { procedurePath } from './space-home-pages.ts';

const T = texts({
  fr: {
    title: 'Analyse des commentaires',
    space: 'Espace agence',
    breadcrumb: 'Vous êtes ici\u00a0:',
    breadcrumbButton: 'Voir le fil d’Ariane',
    filters: 'Période et emplacement',
    from: 'Du',
    to: 'Au',
    placement: 'Emplacement',
    allPlacements: 'Tous les emplacements',
    show: 'Afficher',
    period: 'Du {from} au {to}\u00a0: {reviews} avec un commentaire analysé',
    periodPlacement: ', emplacement «\u00a0{placement}\u00a0»',
    intro:
      'Un terme est un mot ou deux mots écrits côte à côte, sans majuscules ni accents, au singulier\u00a0; les mots vides («\u00a0le\u00a0», «\u00a0avec\u00a0», «\u00a0the\u00a0»…) et les données personnelles remplacées ne comptent pas. Un terme n’apparaît qu’à partir de {min} qui l’ont écrit sur la période\u00a0: un mot rare, comme un nom, n’est jamais montré. Ces comptes restent quand le texte des avis est effacé. Chaque terme mène aux commentaires qui le contiennent.',
    top: 'Termes les plus fréquents',
    topIntro: 'Quand une expression de deux mots réunit au moins 70 % des avis d’un de ses mots, elle le remplace dans la liste.',
    topCaption: 'Termes les plus fréquents, avec le nombre d’avis qui les ont écrits',
    term: 'Terme',
    reviews: 'Avis',
    distinctive: 'Ce qui distingue les avis «\u00a0Pas bien\u00a0» des avis «\u00a0Très bien\u00a0»',
    distinctiveIntro:
      'Les termes qu’un groupe d’avis écrit nettement plus souvent que l’autre, du plus net au moins net (écart lissé des logarithmes des cotes, retenu quand il dépasse deux fois son incertitude). Le score dit la force de l’écart.',
    bad: 'Termes des avis «\u00a0Pas bien\u00a0»',
    good: 'Termes des avis «\u00a0Très bien\u00a0»',
    badReviews: 'Avis «\u00a0Pas bien\u00a0»',
    goodReviews: 'Avis «\u00a0Très bien\u00a0»',
    score: 'Score',
    rising: 'Termes en hausse',
    risingIntro:
      'Du {recentFrom} au {recentTo} ({recent}), comparés aux 90 jours d’avant ({earlier})\u00a0: les termes dont la part des avis a nettement augmenté (test du rapport de vraisemblance, p\u00a0<\u00a00,001).',
    risingCaption: 'Termes en hausse, avec le nombre d’avis sur les 30 derniers jours et sur les 90 jours d’avant',
    recent: '30 derniers jours',
    earlier: '90 jours d’avant',
    none: 'Aucun terme sur cette période.',
    noneDistinctive: 'Aucun terme ne distingue nettement ces deux groupes sur cette période.',
    noneRising: 'Aucun terme n’est nettement en hausse.',
    search: 'voir les commentaires qui contiennent «\u00a0{term}\u00a0»',
    api: 'Les mêmes chiffres par l’API\u00a0:',
  },
  en: {
    title: 'Comment analysis',
    space: 'Agency space',
    breadcrumb: 'You are here:',
    breadcrumbButton: 'Show the breadcrumb',
    filters: 'Period and placement',
    from: 'From',
    to: 'To',
    placement: 'Placement',
    allPlacements: 'All placements',
    show: 'Show',
    period: 'From {from} to {to}: {reviews} with an analysed comment',
    periodPlacement: ', placement "{placement}"',
    intro:
      'A term is a word, or two words written side by side, without capitals or accents, in the singular; stop words ("the", "with", « le »…) and replaced personal data do not count. A term shows only once {min} wrote it in the period: a rare word, such as a name, is never shown. These counts stay when the reviews’ text is erased. Each term leads to the comments that contain it.',
    top: 'Most frequent terms',
    topIntro: 'When a two-word phrase gathers at least 70 % of the reviews of one of its words, it takes that word’s place in the list.',
    topCaption: 'Most frequent terms, with the number of reviews that wrote them',
    term: 'Term',
    reviews: 'Reviews',
    distinctive: 'What tells “Not good” reviews from “Very good” ones',
    distinctiveIntro:
      'The terms one group of reviews writes clearly more often than the other, clearest first (smoothed log-odds difference, kept when over twice its uncertainty). The score tells how strong the difference is.',
    bad: 'Terms of “Not good” reviews',
    good: 'Terms of “Very good” reviews',
    badReviews: '“Not good” reviews',
    goodReviews: '“Very good” reviews',
    score: 'Score',
    rising: 'Rising terms',
    risingIntro:
      'From {recentFrom} to {recentTo} ({recent}), against the 90 days before ({earlier}): the terms whose share of reviews clearly grew (likelihood-ratio test, p\u00a0<\u00a00.001).',
    risingCaption: 'Rising terms, with the number of reviews in the last 30 days and in the 90 days before',
    recent: 'Last 30 days',
    earlier: 'The 90 days before',
    none: 'No term in this period.',
    noneDistinctive: 'No term clearly tells these two groups apart in this period.',
    noneRising: 'No term is clearly rising.',
    search: 'see the comments that contain “{term}”',
    api: 'The same figures through the API:',
  },
});

export interface InsightsFacts {
  procedure: { id: string; title: string; placements: readonly string[] };
  isAdmin: boolean;
  insights: CommentInsights;
  minReviews: number;
}

/** The comments page searching for a term, over a window and the page's placement, with a satisfaction answer when given. */
function searchLink(facts: InsightsFacts, term: Term, lang: Lang, window: { from: string; to: string }, satisfaction?: 'bad' | 'good') {
  const search = new URLSearchParams({ q: term.label, from: window.from, to: window.to });
  if (facts.insights.placement !== null) search.set('placement', facts.insights.placement);
  if (satisfaction) search.set('satisfaction', satisfaction);
  const href = withLang(`${procedurePath(facts.procedure.id)}/avis?${search}`, lang);
  return html`<a href="${href}" title="${fill(T[lang].search, { term: term.label })}">${term.label}</a>`;
}

function filterForm(facts: InsightsFacts, lang: Lang): SafeHtml {
  const t = T[lang];
  const { window, placement } = facts.insights;
  return html`<form method="get" action="${procedurePath(facts.procedure.id)}/analyse" class="fr-mb-4w">
<fieldset class="fr-fieldset" aria-labelledby="filtres-legende">
<legend class="fr-fieldset__legend" id="filtres-legende">${t.filters}</legend>
<div class="fr-fieldset__element">
<div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
<div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
<div class="fr-input-group"><label class="fr-label" for="du">${t.from}</label>
<input class="fr-input" type="date" id="du" name="from" value="${window.from}" required></div>
</div>
<div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
<div class="fr-input-group"><label class="fr-label" for="au">${t.to}</label>
<input class="fr-input" type="date" id="au" name="to" value="${window.to}" required></div>
</div>
<div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
<div class="fr-select-group"><label class="fr-label" for="emplacement">${t.placement}</label>
<select class="fr-select" id="emplacement" name="placement">
<option value=""${placement === null ? html` selected` : ''}>${t.allPlacements}</option>
${facts.procedure.placements.map((p) => html`<option value="${p}"${placement === p ? html` selected` : ''}>${placementName(lang, p)}</option>`)}
</select></div>
</div>
<div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
${lang === 'fr' ? '' : html`<input type="hidden" name="lang" value="${lang}">`}
<button type="submit" class="fr-btn">${t.show}</button>
</div>
</div>
</div>
</fieldset>
</form>`;
}

function distinctiveTable(facts: InsightsFacts, lang: Lang, side: 'bad' | 'good'): SafeHtml {
  const t = T[lang];
  const terms = facts.insights.distinctive[side];
  const heading = html`<h3 class="fr-mt-4w">${side === 'bad' ? t.bad : t.good}</h3>`;
  if (terms.length === 0) return html`${heading}<p>${t.noneDistinctive}</p>`;
  return html`${heading}${table(
    side === 'bad' ? t.bad : t.good,
    [t.term, t.badReviews, t.goodReviews, t.score],
    terms.map(
      (term) =>
        html`<tr><th scope="row">${searchLink(facts, term, lang, facts.insights.window, side)}</th><td>${formatCount(term.bad, lang)}</td><td>${formatCount(term.good, lang)}</td><td>${new Intl.NumberFormat(LANGUAGES[lang].locale, { maximumFractionDigits: 1 }).format(Math.abs(term.z))}</td></tr>`,
    ),
    { hiddenCaption: true },
  )}`;
}

/** /espace/demarches/:id/analyse: top, distinctive and rising terms over a period and a placement. */
export function insightsPage(lang: Lang, facts: InsightsFacts): { title: string; main: SafeHtml } {
  const t = T[lang];
  const { insights, procedure } = facts;
  const { window, rising } = insights;
  const apiPath = `/api/v1/procedures/${encodeURIComponent(procedure.id)}/insights?from=${window.from}&to=${window.to}${
    insights.placement === null ? '' : `&placement=${encodeURIComponent(insights.placement)}`
  }`;
  const top =
    insights.top.length === 0
      ? html`<p>${t.none}</p>`
      : table(
          t.topCaption,
          [t.term, t.reviews],
          insights.top.map(
            (term) =>
              html`<tr><th scope="row">${searchLink(facts, term, lang, window)}</th><td>${formatCount(term.reviews, lang)}</td></tr>`,
          ),
          { hiddenCaption: true },
        );
  const risingTable =
    rising.terms.length === 0
      ? html`<p>${t.noneRising}</p>`
      : table(
          t.risingCaption,
          [t.term, t.recent, t.earlier],
          rising.terms.map(
            (term) =>
              html`<tr><th scope="row">${searchLink(facts, term, lang, rising.recent)}</th><td>${formatCount(term.recent, lang)}</td><td>${formatCount(term.earlier, lang)}</td></tr>`,
          ),
          { hiddenCaption: true },
        );
  return {
    title: `${t.title} – ${procedure.title}`,
    main: html`${breadcrumb(t.breadcrumb, t.breadcrumbButton, [
      { label: t.space, href: withLang('/espace', lang) },
      { label: procedure.title, href: withLang(procedurePath(procedure.id), lang) },
      { label: t.title, href: withLang(`${procedurePath(procedure.id)}/analyse`, lang) },
    ])}
<h1>${t.title} – ${procedure.title}</h1>
${procedureNav(lang, procedure.id, 'insights', facts.isAdmin)}
${filterForm(facts, lang)}
<p class="fr-text--lead">${fill(t.period, {
      from: formatDay(lang, window.from),
      to: formatDay(lang, window.to),
      reviews: formatReviews(insights.reviews.all, lang),
    })}${insights.placement === null ? '' : fill(t.periodPlacement, { placement: insights.placement })}.</p>
<p>${fill(t.intro, { min: formatReviews(facts.minReviews, lang) })}</p>
<h2 class="fr-mt-4w">${t.top}</h2>
<p>${t.topIntro}</p>
${top}
<h2 class="fr-mt-6w">${t.distinctive}</h2>
<p>${t.distinctiveIntro}</p>
${distinctiveTable(facts, lang, 'bad')}
${distinctiveTable(facts, lang, 'good')}
<h2 class="fr-mt-6w">${t.rising}</h2>
<p>${fill(t.risingIntro, {
      recentFrom: formatDay(lang, rising.recent.from),
      recentTo: formatDay(lang, rising.recent.to),
      recent: formatReviews(rising.reviews.recent, lang),
      earlier: formatReviews(rising.reviews.earlier, lang),
    })}</p>
${risingTable}
<p class="fr-text--sm fr-mt-4w">${t.api} <a href="${apiPath}"><code>GET ${apiPath}</code></a></p>`,
  };
}
