// A procedure's results page in the agency space (SPEC §8), in the DSFR frame: indicators, trend,
// placements, and what the public observatory would publish. Every figure comes from
// procedure-stats.ts, as the API's /stats gives it; these functions only word it.
import { withLang } from '../../shared/languages.ts';
import type { ProcedureStats, StatsFigures } from '../agency/procedure-stats.ts';
import type { Indicators } from '../../shared/indicators.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { procedureNav } from './agency-layout.ts';
import { html, type SafeHtml } from './html.ts';
import { formatDay } from './kit/format.ts';
import { fill, placementName } from './kit/texts.ts';
import { formatCount, formatScore, LEVEL_LABELS } from './kit/figures.ts';
import { formatRate, formatReviews, INDICATOR_HINTS, INDICATOR_NAMES } from './observatory-pages.ts';
import { trendChart } from './trend-chart.ts';
import { levelBadge, procedurePath } from './space-home-pages.ts';
import { breadcrumb, table } from './kit/dsfr.ts';
const R = {
  results: { fr: 'Résultats', en: 'Results' },
  breadcrumb: { fr: 'vous êtes ici\u00a0:', en: 'you are here:' },
  breadcrumbButton: { fr: 'Voir le fil d’Ariane', en: 'See the breadcrumb' },
  space: { fr: 'Espace agence', en: 'Agency space' },
  entity: { fr: 'Entité\u00a0: {entity}.', en: 'Entity: {entity}.' },
  archived: {
    fr: 'Cette démarche est archivée\u00a0: elle ne reçoit plus de notes et n’apparaît plus sur l’observatoire public.',
    en: 'This procedure is archived: it takes no more ratings and no longer appears on the public observatory.',
  },
  filters: { fr: 'Période et emplacement', en: 'Period and placement' },
  from: { fr: 'Du', en: 'From' },
  to: { fr: 'Au', en: 'To' },
  placement: { fr: 'Emplacement', en: 'Placement' },
  allPlacements: { fr: 'Tous les emplacements', en: 'All placements' },
  show: { fr: 'Afficher', en: 'Show' },
  period: { fr: 'Du {from} au {to}\u00a0: {reviews}', en: 'From {from} to {to}: {reviews}' },
  periodPlacement: { fr: ', à l’emplacement «\u00a0{placement}\u00a0»', en: ', at the placement “{placement}”' },
  indicators: { fr: 'Indicateurs', en: 'Indicators' },
  answersOf: { fr: 'sur {n} réponses', en: 'out of {n} answers' },
  answersOne: { fr: 'sur 1 réponse', en: 'out of 1 answer' },
  noLevel: { fr: 'Cet indicateur n’a pas de niveau', en: 'This indicator has no level' },
  thresholdTitle: { fr: 'Ce que publie l’observatoire public', en: 'What the public observatory publishes' },
  thresholdWithheld: {
    fr: 'Ici, chaque chiffre est donné quel que soit le nombre d’avis. L’observatoire public et son flux de données ne publient les cinq indicateurs d’une démarche qu’à partir de {min} sur la période (seuil de publication que règle l’exploitant du service), pour qu’une note ne tienne pas à quelques avis. Avec {reviews} sur cette période, il n’en publierait que le nombre d’avis\u00a0: aucun des cinq indicateurs ci-dessus.',
    en: 'Here every figure is given whatever the number of reviews. The public observatory and its data feed publish a procedure’s five indicators only from {min} in the period (the publication threshold set by the service’s operator), so that a score does not rest on a few reviews. With {reviews} in this period, it would publish only the review count: none of the five indicators below.',
  },
  thresholdPublished: {
    fr: 'Ici, chaque chiffre est donné quel que soit le nombre d’avis. L’observatoire public et son flux de données ne publient les cinq indicateurs d’une démarche qu’à partir de {min} sur la période (seuil de publication que règle l’exploitant du service), pour qu’une note ne tienne pas à quelques avis. Avec {reviews} sur cette période, il les publierait tous les cinq.',
    en: 'Here every figure is given whatever the number of reviews. The public observatory and its data feed publish a procedure’s five indicators only from {min} in the period (the publication threshold set by the service’s operator), so that a score does not rest on a few reviews. With {reviews} in this period, it would publish all five.',
  },
  thresholdMonths: {
    fr: 'Dans sa courbe par mois, il ne publie la satisfaction d’un mois qu’à partir de {min} dans ce mois\u00a0: ici, {shown} mois sur {months}.',
    en: 'In its monthly curve, it publishes a month’s satisfaction only from {min} in that month: here, {shown} months out of {months}.',
  },
  trend: { fr: 'Évolution', en: 'Trend' },
  monthly: { fr: 'Par mois', en: 'By month' },
  weekly: { fr: 'Par semaine', en: 'By week' },
  weeklyNote: {
    fr: 'Semaines du lundi au dimanche (UTC)\u00a0; la première et la dernière sont coupées aux bornes de la période.',
    en: 'Weeks from Monday to Sunday (UTC); the first and the last are cut at the period’s bounds.',
  },
  noReviews: {
    fr: 'Aucun avis sur cette période\u00a0: il n’y a pas de courbe à tracer. Choisissez une autre période ci-dessus.',
    en: 'No review in this period: there is no curve to draw. Choose another period above.',
  },
  byPlacement: { fr: 'Par emplacement', en: 'By placement' },
  byPlacementIntro: {
    fr: 'Les mêmes indicateurs pour chaque emplacement du bouton sur la période. Choisissez un emplacement ci-dessus pour voir ses courbes.',
    en: 'The same indicators for each placement of the button over the period. Choose a placement above to see its curves.',
  },
  byPlacementCaption: { fr: 'Indicateurs par emplacement, du {from} au {to}', en: 'Indicators per placement, from {from} to {to}' },
  reviews: { fr: 'Avis', en: 'Reviews' },
  marked: {
    fr: 'Marqués indésirables\u00a0: {spam}\u00a0; en doublon\u00a0: {duplicates}. Ces avis comptent dans chaque chiffre de cette page, mais sont écartés de la liste des avis.',
    en: 'Of which {spam} marked as spam and {duplicates} duplicates: counted in every figure of this page, they are left out of the reviews list.',
  },
  markedLink: { fr: 'Les voir', en: 'See them' },
  seeOnly: { fr: 'Voir «\u00a0{placement}\u00a0» seul', en: 'See “{placement}” alone' },
  testBadge: { fr: 'test', en: 'test' },
  testNote: {
    fr: 'Emplacement de test\u00a0: ses avis sont listés parmi les avis, jamais comptés ici ni publiés.',
    en: 'Test placement: its reviews are listed with the reviews, never counted here nor published.',
  },
  api: {
    fr: 'Les mêmes chiffres en JSON, pour un tableau de bord\u00a0:',
    en: 'The same figures as JSON, for a dashboard:',
  },
} as const;

export interface ResultsFacts {
  procedure: ProcedureStats['procedure'] & { archived: boolean; placements: readonly string[]; testPlacements: readonly string[] };
  isAdmin: boolean;
  placement: string | null;
  /** The stats by month (totals, per placement) and by week, both over the same window. */
  monthly: ProcedureStats;
  weekly: ProcedureStats;
  minReviews: number;
  /** The « Signalements » section (problem-reports-section.ts): reports apart from every figure above. */
  problems: SafeHtml;
}

function indicatorValue(name: keyof Indicators, indicators: Indicators, lang: Lang): string {
  const indicator = indicators[name];
  const value = 'score' in indicator ? indicator.score : indicator.rate;
  if (value === null) return '–';
  return 'score' in indicator ? formatScore(value, lang) : formatRate(value, lang);
}

const NAMES = Object.keys(INDICATOR_NAMES) as (keyof Indicators)[];

function indicatorCards(figures: StatsFigures, lang: Lang): SafeHtml {
  return html`<ul class="fr-grid-row fr-grid-row--gutters fr-raw-list">
${NAMES.map((name) => {
  const indicator = figures.indicators[name];
  const answers = indicator.answers ?? 0;
  return html`<li class="fr-col-12 fr-col-sm-6 fr-col-lg-4">
<div class="fr-card fr-card--sm">
<div class="fr-card__body">
<div class="fr-card__content">
<h3 class="fr-card__title">${INDICATOR_NAMES[name][lang]}</h3>
<p class="fr-card__desc"><strong class="fr-h4">${indicatorValue(name, figures.indicators, lang)}</strong><br>${INDICATOR_HINTS[name][lang]}</p>
<div class="fr-card__start">${
    indicator.level === null ? html`<p class="fr-badge fr-badge--sm">${R.noLevel[lang]}</p>` : levelBadge(indicator.level, lang)
  }</div>
${
  answers > 0 &&
  html`<div class="fr-card__end"><p class="fr-card__detail">${
    answers === 1 ? R.answersOne[lang] : fill(R.answersOf[lang], { n: formatCount(answers, lang) })
  }</p></div>`
}
</div>
</div>
</div>
</li>`;
})}
</ul>`;
}

function thresholdNote(facts: ResultsFacts, lang: Lang): SafeHtml {
  const { monthly, minReviews } = facts;
  const values = { min: formatReviews(minReviews, lang), reviews: formatReviews(monthly.reviews, lang) };
  const published = monthly.reviews >= minReviews;
  const shown = monthly.series.filter((month) => month.reviews >= minReviews).length;
  return html`<div class="fr-callout fr-my-4w">
<h2 class="fr-callout__title fr-h6">${R.thresholdTitle[lang]}</h2>
<p class="fr-callout__text fr-text--md">${fill((published ? R.thresholdPublished : R.thresholdWithheld)[lang], values)} ${fill(
    R.thresholdMonths[lang],
    {
      min: formatReviews(minReviews, lang),
      shown: formatCount(shown, lang),
      months: formatCount(monthly.series.length, lang),
    },
  )}</p>
${facts.procedure.archived && html`<p class="fr-callout__text fr-text--md">${R.archived[lang]}</p>`}
</div>`;
}

function filterForm(facts: ResultsFacts, placements: readonly string[], lang: Lang): SafeHtml {
  const { window } = facts.monthly;
  const action = procedurePath(facts.procedure.id);
  return html`<form method="get" action="${action}" class="fr-mb-4w">
<fieldset class="fr-fieldset" aria-labelledby="filtres-legende">
<legend class="fr-fieldset__legend" id="filtres-legende">${R.filters[lang]}</legend>
<div class="fr-fieldset__element">
<div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
<div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
<div class="fr-input-group"><label class="fr-label" for="du">${R.from[lang]}</label>
<input class="fr-input" type="date" id="du" name="from" value="${window.from}" required></div>
</div>
<div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
<div class="fr-input-group"><label class="fr-label" for="au">${R.to[lang]}</label>
<input class="fr-input" type="date" id="au" name="to" value="${window.to}" required></div>
</div>
<div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
<div class="fr-select-group"><label class="fr-label" for="emplacement">${R.placement[lang]}</label>
<select class="fr-select" id="emplacement" name="placement">
<option value=""${facts.placement === null ? html` selected` : ''}>${R.allPlacements[lang]}</option>
${placements.map((p) => html`<option value="${p}"${facts.placement === p ? html` selected` : ''}>${placementName(lang, p)}</option>`)}
</select></div>
</div>
<div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
${lang === 'fr' ? '' : html`<input type="hidden" name="lang" value="${lang}">`}
<button type="submit" class="fr-btn">${R.show[lang]}</button>
</div>
</div>
</div>
</fieldset>
</form>`;
}

function placementTable(facts: ResultsFacts, lang: Lang): SafeHtml {
  const { window } = facts.monthly;
  const caption = fill(R.byPlacementCaption[lang], { from: formatDay(lang, window.from), to: formatDay(lang, window.to) });
  const cell = (name: keyof Indicators, indicators: Indicators) => {
    const level = indicators[name].level;
    const value = indicatorValue(name, indicators, lang);
    return html`<td>${value}${level !== null && value !== '–' ? html`<br><span class="fr-text--xs">${LEVEL_LABELS[level][lang]}</span>` : ''}</td>`;
  };
  const query = (placement: string) =>
    withLang(`${procedurePath(facts.procedure.id)}?from=${window.from}&to=${window.to}&placement=${encodeURIComponent(placement)}`, lang);
  return table(
    caption,
    [R.placement[lang], R.reviews[lang], ...NAMES.map((name) => INDICATOR_NAMES[name][lang])],
    facts.monthly.placements.map(
      (p) =>
        html`<tr><th scope="row">${placementName(lang, p.placement)}${
          facts.procedure.testPlacements.includes(p.placement)
            ? html` <span class="fr-badge fr-badge--sm fr-badge--warning">${R.testBadge[lang]}</span><br><span class="fr-text--xs">${R.testNote[lang]}</span>`
            : ''
        }${
          facts.placement === null
            ? html`<br><a class="fr-link fr-text--xs" href="${query(p.placement)}">${fill(R.seeOnly[lang], { placement: placementName(lang, p.placement) })}</a>`
            : ''
        }</th><td>${formatCount(p.reviews, lang)}</td>${NAMES.map((name) => cell(name, p.indicators))}</tr>`,
    ),
    { small: true, captionId: 'emplacements-caption', scrollHint: lang },
  );
}

/** /espace/demarches/:id: the five indicators, the trend by month and by week, the breakdown by placement. */
export function resultsPage(lang: Lang, facts: ResultsFacts): { title: string; main: SafeHtml } {
  const { procedure, monthly, weekly } = facts;
  const { window } = monthly;
  const placements = [...new Set([...procedure.placements, ...monthly.placements.map((p) => p.placement)])];
  const apiPath = `/api/v1/procedures/${encodeURIComponent(procedure.id)}/stats?from=${window.from}&to=${window.to}${
    facts.placement === null ? '' : `&placement=${encodeURIComponent(facts.placement)}`
  }`;
  const charts =
    monthly.reviews === 0
      ? html`<p>${R.noReviews[lang]}</p>`
      : html`<h3 class="fr-mt-4w">${R.monthly[lang]}</h3>
${trendChart(monthly.series, 'month', lang, 'courbe-mois')}
<h3 class="fr-mt-4w">${R.weekly[lang]}</h3>
<p class="fr-text--sm">${R.weeklyNote[lang]}</p>
${trendChart(weekly.series, 'week', lang, 'courbe-semaines')}`;
  return {
    title: `${R.results[lang]} – ${procedure.title}`,
    main: html`${breadcrumb(R.breadcrumb[lang], R.breadcrumbButton[lang], [
      { label: R.space[lang], href: withLang('/espace', lang) },
      { label: procedure.title, href: withLang(procedurePath(procedure.id), lang) },
    ])}
<h1>${procedure.title}</h1>
<p>${fill(R.entity[lang], { entity: procedure.entity })}</p>
${procedureNav(lang, procedure.id, 'results', facts.isAdmin)}
${filterForm(facts, placements, lang)}
<p class="fr-text--lead">${fill(R.period[lang], {
      from: formatDay(lang, window.from),
      to: formatDay(lang, window.to),
      reviews: formatReviews(monthly.reviews, lang),
    })}${facts.placement === null ? '' : fill(R.periodPlacement[lang], { placement: facts.placement })}.</p>
${markedNote(monthly.marked, procedure.id, lang)}
<h2>${R.indicators[lang]}</h2>
${indicatorCards(monthly, lang)}
${thresholdNote(facts, lang)}
<h2>${R.trend[lang]}</h2>
${charts}
<h2 class="fr-mt-6w">${R.byPlacement[lang]}</h2>
<p>${R.byPlacementIntro[lang]}</p>
${placementTable(facts, lang)}
${facts.problems}
<p class="fr-text--sm fr-mt-4w">${R.api[lang]} <a href="${apiPath}"><code>GET ${apiPath}</code></a></p>`,
  };
}

/** How many reviews of the period are marked spam or duplicate: still counted here, only listed apart (SPEC §8). */
function markedNote(marked: { spam: number; duplicates: number }, procedureId: string, lang: Lang): SafeHtml | '' {
  if (marked.spam === 0 && marked.duplicates === 0) return '';
  const href = `/espace/demarches/${encodeURIComponent(procedureId)}/avis?marked=only&comments=all${lang === 'fr' ? '' : `&lang=${lang}`}`;
  return html`<p>${fill(R.marked[lang], { spam: formatCount(marked.spam, lang), duplicates: formatCount(marked.duplicates, lang) })} <a href="${href}">${R.markedLink[lang]}</a></p>`;
}
