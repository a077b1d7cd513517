// The observatory pages (SPEC §1): the feed, server-rendered for people. No script: every figure
// is in the HTML, the monthly trend is a chart with its text alternative and its data table.
// Figures come from the feed as published (rounded, SPEC §4), so page, JSON and CSV always agree.
import type { Feed, FeedProcedure } from '../../shared/feed.ts';
import type { FeedWindow } from '../../shared/feed-window.ts';
import { type IndicatorLevel, type Indicators, LEVEL_THRESHOLDS } from '../../shared/indicators.ts';
import type { Lang, Text } from '../../shared/questionnaire.ts';
import { html, page, pagesCss, type SafeHtml, type HtmlPage } from './html.ts';
import { LISTED_LEVELS, OBSERVATORY_SORTS, type ObservatoryQuery, type ObservatorySort, observatoryQuery } from './observatory-query.ts';
import { versionedClientFile } from './client-files.ts';
import { formatDay } from './kit/format.ts';
import { fill } from './kit/texts.ts';
import { formatCount, formatScore, LEVEL_LABELS } from './kit/figures.ts';
import { trendChart } from './trend-chart.ts';
import { LANGUAGES, otherLangs, withLang } from '../../shared/languages.ts';

const stylesheets = () => [pagesCss(), versionedClientFile('/observatoire.css', 'observatory.css')];

const T = {
  title: { fr: 'Observatoire de la qualité des démarches', en: 'Quality of online procedures: observatory' },
  site: { fr: 'Je donne mon avis', en: 'Je donne mon avis' },
  description: {
    fr: 'La satisfaction des usagers de chaque démarche en ligne de l’État, mesurée par leurs avis des 12 derniers mois, avec la marge d’incertitude de chaque note.',
    en: 'How satisfied users are with each online public procedure, from their reviews of the last 12 months, with the margin of uncertainty of every score.',
  },
  procedureDescription: {
    fr: '{procedure} ({entity})\u00a0: satisfaction, clarté, aide obtenue et autonomie des usagers, et leur évolution mois par mois.',
    en: '{procedure} ({entity}): users’ satisfaction, clarity, help received and autonomy, and how they change month by month.',
  },
  intro: {
    fr: 'Avis des usagers à la fin de chaque démarche en ligne, du {from} au {to} (12 derniers mois).',
    en: 'What users said at the end of each online procedure, from {from} to {to} (last 12 months).',
  },
  threshold: {
    fr: 'Une note n’est publiée qu’à partir de {reviews} sur la période.',
    en: 'A score is published only from {reviews} in the period.',
  },
  fresh: {
    fr: 'Les chiffres comptent chaque avis dès qu’il est donné.',
    en: 'The figures count every review as soon as it is given.',
  },
  tableCaption: { fr: 'Satisfaction des usagers par démarche', en: 'User satisfaction per procedure' },
  procedure: { fr: 'Démarche', en: 'Procedure' },
  satisfaction: { fr: 'Satisfaction', en: 'Satisfaction' },
  reviews: { fr: 'Avis', en: 'Reviews' },
  reviews_one: { fr: '{n} avis', en: '{n} review' },
  reviews_other: { fr: '{n} avis', en: '{n} reviews' },
  none: { fr: 'Aucune démarche enregistrée.', en: 'No procedure registered yet.' },
  data: { fr: 'Données ouvertes\u00a0:', en: 'Open data:' },
  dataJson: { fr: 'flux JSON', en: 'JSON feed' },
  dataCsv: { fr: 'CSV', en: 'CSV' },
  dataSchema: { fr: 'schéma JSON', en: 'JSON Schema' },
  back: { fr: 'Toutes les démarches', en: 'All procedures' },
  reviewCount: { fr: '{reviews} du {from} au {to}', en: '{reviews} from {from} to {to}' },
  indicatorsHeading: { fr: 'Indicateurs', en: 'Indicators' },
  answersOf: { fr: 'sur {n} réponses', en: 'out of {n} answers' },
  trendHeading: { fr: 'Évolution mensuelle', en: 'Month by month' },
  trendThreshold: {
    fr: 'La satisfaction d’un mois est publiée à partir de {reviews} dans ce mois.',
    en: 'A month’s satisfaction is published from {reviews} in that month.',
  },
  notFoundTitle: { fr: 'Démarche introuvable', en: 'Procedure not found' },
  notFound: { fr: 'Aucune démarche n’est enregistrée sous cet identifiant.', en: 'No procedure is registered under this id.' },
} satisfies Record<string, Text>;

export const INDICATOR_NAMES: Record<keyof Indicators, Text> = {
  satisfaction: { fr: 'Satisfaction', en: 'Satisfaction' },
  clarity: { fr: 'Clarté des informations', en: 'Clarity of the information' },
  help_reachable: { fr: 'Administration joignable', en: 'Administration reachable' },
  help_quality: { fr: 'Qualité de l’aide obtenue', en: 'Quality of the help received' },
  autonomy: { fr: 'Autonomie', en: 'Autonomy' },
};

export const INDICATOR_HINTS: Record<keyof Indicators, Text> = {
  satisfaction: { fr: 'Note moyenne donnée à la démarche.', en: 'Average rating given to the procedure.' },
  clarity: { fr: 'Note moyenne de la clarté des informations et instructions.', en: 'Average rating of how clear the information was.' },
  help_reachable: {
    fr: 'Part des usagers qui ont réussi à joindre l’administration.',
    en: 'Share of users who managed to reach the administration.',
  },
  help_quality: {
    fr: 'Note moyenne de l’aide obtenue de l’administration.',
    en: 'Average rating of the help received from the administration.',
  },
  autonomy: { fr: 'Part des usagers qui n’ont pas eu besoin d’aide.', en: 'Share of users who needed no help.' },
};

const locale = (lang: Lang) => LANGUAGES[lang].locale;

/** « 74 % » in French, "74%" in English. */
export const formatRate = (rate: number, lang: Lang): string =>
  new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(rate);

/** « 1 avis », "1 review", "3 reviews": the noun agrees with the number. */
export const formatReviews = (n: number, lang: Lang): string =>
  fill((new Intl.PluralRules(locale(lang)).select(n) === 'one' ? T.reviews_one : T.reviews_other)[lang], { n: formatCount(n, lang) });

function badge(level: IndicatorLevel, lang: Lang): SafeHtml {
  return html`<span class="badge level-${level}">${LEVEL_LABELS[level][lang]}</span>`;
}

function chrome(lang: Lang, path: string, title: string, description: string, body: SafeHtml): HtmlPage {
  return page({
    lang,
    title,
    description,
    stylesheets: stylesheets(),
    body: html`<header class="site"><p><a href="/">${T.site[lang]}</a></p></header>
<main>
<p class="lang-switch">${otherLangs(lang).map((other) => html`<a href="${withLang(path, other)}" lang="${other}" hreflang="${other}">${LANGUAGES[other].name}</a>`)}</p>
${body}
</main>`,
  });
}

function windowText(window: FeedWindow, lang: Lang) {
  return { from: formatDay(lang, window.from), to: formatDay(lang, window.to) };
}

/** Folds case and accents, so that « securite sociale » finds « Sécurité sociale ». */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('fr');

const LIST_T = {
  search: { fr: 'Rechercher une démarche ou une administration', en: 'Search for a procedure or an administration' },
  level: { fr: 'Niveau de satisfaction', en: 'Satisfaction level' },
  anyLevel: { fr: 'Tous les niveaux', en: 'All levels' },
  sort: { fr: 'Trier par', en: 'Sort by' },
  sorts: {
    nom: { fr: 'nom', en: 'name' },
    note: { fr: 'satisfaction', en: 'satisfaction' },
    avis: { fr: 'nombre d’avis', en: 'number of reviews' },
  },
  submit: { fr: 'Afficher', en: 'Show' },
  reset: { fr: 'Toutes les démarches', en: 'All procedures' },
  shown: { fr: '{shown} sur {total}', en: '{shown} of {total}' },
  procedures_one: { fr: '{n} démarche', en: '{n} procedure' },
  procedures_other: { fr: '{n} démarches', en: '{n} procedures' },
  sortedBy: { fr: 'tri\u00a0: {sort}', en: 'sorted by {sort}' },
  empty: {
    fr: 'Aucune démarche ne correspond à cette recherche.',
    en: 'No procedure matches this search.',
  },
  ignored: {
    fr: 'La valeur «\u00a0{value}\u00a0» du paramètre «\u00a0{name}\u00a0» n’existe pas\u00a0: elle est ignorée.',
    en: 'The value “{value}” of the parameter “{name}” does not exist: it is ignored.',
  },
  interval: { fr: 'entre {low} et {high}', en: 'between {low} and {high}' },
  confidence: { fr: 'À 95 % de confiance, {range}', en: 'With 95% confidence, {range}' },
  intervalNote: {
    fr: 'Sous chaque note, l’intervalle où la vraie satisfaction se trouve avec 95 % de confiance\u00a0: plus il y a d’avis, plus il est étroit.',
    en: 'Under each score, the range where the true satisfaction lies with 95% confidence: the more reviews, the narrower it is.',
  },
} as const;

const formatProcedures = (n: number, lang: Lang): string =>
  fill((new Intl.PluralRules(locale(lang)).select(n) === 'one' ? LIST_T.procedures_one : LIST_T.procedures_other)[lang], {
    n: formatCount(n, lang),
  });

/** « entre 7,5 et 8,1 », a score's 95 % interval in words. */
export const formatScoreInterval = (interval: { low: number; high: number }, lang: Lang): string =>
  fill(LIST_T.interval[lang], { low: formatScore(interval.low, lang), high: formatScore(interval.high, lang) });

/** /observatoire's address for a query: only what differs from the defaults, so the plain address stays plain. */
function listHref(lang: Lang, query: Pick<ObservatoryQuery, 'q' | 'level' | 'sort'>): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.level) params.set('niveau', query.level);
  if (query.sort !== 'nom') params.set('tri', query.sort);
  if (lang !== 'fr') params.set('lang', lang);
  const search = params.toString();
  return search ? `/observatoire?${search}` : '/observatoire';
}

/**
 * The search and the level in a form (GET: it works without a script), the order as links beside
 * it: one control per choice, so that « Trier par » is read once. The form keeps the order chosen.
 */
function listControls(query: ObservatoryQuery, lang: Lang): SafeHtml {
  const selected = (on: boolean) => (on ? html` selected` : '');
  const sortLinks = OBSERVATORY_SORTS.map((sort) =>
    sort === query.sort
      ? html`<li><a href="${listHref(lang, { ...query, sort })}" aria-current="true">${LIST_T.sorts[sort][lang]}</a></li>`
      : html`<li><a href="${listHref(lang, { ...query, sort })}">${LIST_T.sorts[sort][lang]}</a></li>`,
  );
  return html`<form class="list-controls" method="get" action="/observatoire" role="search">
${lang === 'fr' ? '' : html`<input type="hidden" name="lang" value="${lang}">`}
<p><label for="recherche">${LIST_T.search[lang]}</label>
<input type="search" id="recherche" name="q" value="${query.q}" maxlength="100"></p>
<p><label for="niveau">${LIST_T.level[lang]}</label>
<select id="niveau" name="niveau"><option value=""${selected(!query.level)}>${LIST_T.anyLevel[lang]}</option>${LISTED_LEVELS.map(
    (level) => html`<option value="${level}"${selected(query.level === level)}>${LEVEL_LABELS[level][lang]}</option>`,
  )}</select></p>
${query.sort === 'nom' ? '' : html`<input type="hidden" name="tri" value="${query.sort}">`}
<p><button type="submit">${LIST_T.submit[lang]}</button></p>
</form>
<div class="sort-links"><p>${LIST_T.sort[lang]}</p><ul>${sortLinks}</ul></div>`;
}

/** /observatoire: every procedure (or those the query selects), its satisfaction score, interval and level, its review count. */
export function observatoryPage(feed: Feed, lang: Lang, query: ObservatoryQuery = observatoryQuery(undefined)): HtmlPage {
  // People look for a procedure by its name: alphabetical order in the page's language (the feed is by id).
  // Two columns, the administration under the procedure's name and the review count under its score:
  // the table then fits a 320-px screen without scrolling sideways, and reads the same on a wide one.
  const collator = new Intl.Collator(locale(lang), { sensitivity: 'base' });
  const byTitle = (a: FeedProcedure, b: FeedProcedure) => collator.compare(a.title, b.title) || (a.id < b.id ? -1 : 1);
  const order: Record<ObservatorySort, (a: FeedProcedure, b: FeedProcedure) => number> = {
    nom: byTitle,
    // Withheld scores last, as they say nothing yet; equal scores by volume, then by name.
    note: (a, b) =>
      (b.indicators.satisfaction.score ?? -1) - (a.indicators.satisfaction.score ?? -1) || b.reviews - a.reviews || byTitle(a, b),
    avis: (a, b) => b.reviews - a.reviews || byTitle(a, b),
  };
  const words = fold(query.q).split(/\s+/).filter(Boolean);
  const listed = feed.procedures
    .filter((procedure) => {
      if (query.level && procedure.indicators.satisfaction.level !== query.level) return false;
      const haystack = fold(`${procedure.title} ${procedure.entity}`);
      return words.every((word) => haystack.includes(word));
    })
    .sort(order[query.sort]);
  const rows = listed.map((procedure) => {
    const { score, level, interval } = procedure.indicators.satisfaction;
    return html`<tr>
<th scope="row"><a href="${withLang(`/observatoire/${procedure.id}`, lang)}">${procedure.title}</a><span class="administration">${procedure.entity}</span></th>
<td class="satisfaction">${score === null ? '' : html`<span class="score">${formatScore(score, lang)}</span> `}${badge(level, lang)}
${interval ? html`<span class="interval">${formatScoreInterval(interval, lang)}</span>` : ''}
<span class="review-count">${formatReviews(procedure.reviews, lang)}</span></td>
</tr>`;
  });
  const filtered = query.q !== '' || query.level !== undefined;
  const count = filtered
    ? fill(LIST_T.shown[lang], { shown: formatProcedures(listed.length, lang), total: formatCount(feed.procedures.length, lang) })
    : formatProcedures(listed.length, lang);
  const body = html`<h1>${T.title[lang]}</h1>
<p>${fill(T.intro[lang], windowText(feed.window, lang))} ${fill(T.threshold[lang], { reviews: formatReviews(feed.method.min_reviews, lang) })} ${T.fresh[lang]}</p>
${
  feed.procedures.length === 0
    ? html`<p>${T.none[lang]}</p>`
    : html`${query.ignored.map(({ name, value }) => html`<p class="notice">${fill(LIST_T.ignored[lang], { name, value })}</p>`)}
${listControls(query, lang)}
<p class="result-count" role="status">${count} (${fill(LIST_T.sortedBy[lang], { sort: LIST_T.sorts[query.sort][lang] })})</p>
${
  listed.length === 0
    ? html`<p class="notice">${LIST_T.empty[lang]} <a href="${withLang('/observatoire', lang)}">${LIST_T.reset[lang]}</a></p>`
    : html`<table class="procedures" aria-describedby="interval-note">
<caption>${T.tableCaption[lang]}</caption>
<thead><tr><th scope="col">${T.procedure[lang]}</th><th scope="col">${T.satisfaction[lang]}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="hint" id="interval-note">${LIST_T.intervalNote[lang]}</p>`
}`
}
${openData(lang)}`;
  return chrome(lang, listHref('fr', query), T.title[lang], T.description[lang], body);
}

function openData(lang: Lang): SafeHtml {
  return html`<p class="open-data">${T.data[lang]} <a href="/api/v1/feed">${T.dataJson[lang]}</a>,
<a href="/api/v1/feed.csv">${T.dataCsv[lang]}</a>, <a href="/api/v1/feed/schema.json">${T.dataSchema[lang]}</a>.</p>`;
}

function indicatorCard(name: keyof Indicators, procedure: FeedProcedure, lang: Lang): SafeHtml {
  const indicator = procedure.indicators[name];
  const value = 'score' in indicator ? indicator.score : indicator.rate;
  const shown = value === null ? '–' : 'score' in indicator ? formatScore(value, lang) : formatRate(value, lang);
  return html`<li class="card">
<h3>${INDICATOR_NAMES[name][lang]}</h3>
<p class="value">${shown}</p>
${indicator.level === null ? '' : html`<p>${badge(indicator.level, lang)}</p>`}
${
  indicator.interval === null
    ? ''
    : html`<p class="interval">${fill(LIST_T.confidence[lang], {
        range: fill(LIST_T.interval[lang], {
          low: 'score' in indicator ? formatScore(indicator.interval.low, lang) : formatRate(indicator.interval.low, lang),
          high: 'score' in indicator ? formatScore(indicator.interval.high, lang) : formatRate(indicator.interval.high, lang),
        }),
      })}</p>`
}
${indicator.answers ? html`<p class="answers">${fill(T.answersOf[lang], { n: formatCount(indicator.answers, lang) })}</p>` : ''}
<p class="hint">${INDICATOR_HINTS[name][lang]}</p>
</li>`;
}

/**
 * The monthly trend: the chart the agency's results draw (its satisfaction curve, its 95 % interval
 * as a band, the level thresholds, the reviews as bars), its text alternative and its data table.
 * A month's level is its published score's: rounding never crosses a threshold (SPEC §4).
 */
function monthlyTrend(procedure: FeedProcedure, minReviews: number, lang: Lang): SafeHtml {
  const periods = procedure.trend.map((point) => ({
    from: `${point.month}-01`,
    to: `${point.month}-01`,
    reviews: point.reviews,
    indicators: {
      satisfaction: {
        score: point.satisfaction,
        level: monthLevel(point.satisfaction),
        interval: point.satisfaction_interval,
      },
    },
  }));
  return html`${trendChart(periods, 'month', lang, 'tendance')}
<p class="hint">${fill(T.trendThreshold[lang], { reviews: formatReviews(minReviews, lang) })}</p>`;
}

function monthLevel(score: number | null): IndicatorLevel {
  if (score === null) return 'not_enough_data';
  return score >= LEVEL_THRESHOLDS.score.good ? 'good' : score >= LEVEL_THRESHOLDS.score.average ? 'average' : 'poor';
}

/** /observatoire/:procedure: the indicator cards and the monthly trend of one procedure. */
export function procedurePage(feed: Feed, procedure: FeedProcedure, lang: Lang): HtmlPage {
  const enough = procedure.indicators.satisfaction.level !== 'not_enough_data';
  const names = Object.keys(INDICATOR_NAMES) as (keyof Indicators)[];
  const body = html`<p><a href="${withLang('/observatoire', lang)}">${T.back[lang]}</a></p>
<h1>${procedure.title}</h1>
<p class="entity">${procedure.entity}</p>
<p>${fill(T.reviewCount[lang], { reviews: formatReviews(procedure.reviews, lang), ...windowText(feed.window, lang) })}. ${T.fresh[lang]}</p>
${enough ? '' : html`<p class="notice">${badge('not_enough_data', lang)} ${fill(T.threshold[lang], { reviews: formatReviews(feed.method.min_reviews, lang) })}</p>`}
<h2>${T.indicatorsHeading[lang]}</h2>
<ul class="cards">
${names.map((name) => indicatorCard(name, procedure, lang))}
</ul>
<h2>${T.trendHeading[lang]}</h2>
${monthlyTrend(procedure, feed.method.min_reviews, lang)}
${openData(lang)}`;
  return chrome(
    lang,
    `/observatoire/${procedure.id}`,
    `${procedure.title} – ${T.title[lang]}`,
    fill(T.procedureDescription[lang], { procedure: procedure.title, entity: procedure.entity }),
    body,
  );
}

export function procedureNotFoundPage(lang: Lang): HtmlPage {
  const body = html`<h1>${T.notFoundTitle[lang]}</h1>
<p>${T.notFound[lang]}</p>
<p><a href="${withLang('/observatoire', lang)}">${T.back[lang]}</a></p>`;
  return chrome(lang, '/observatoire', T.notFoundTitle[lang], T.description[lang], body);
}
