// The agency space's home (SPEC §8), in the DSFR frame: each procedure at a glance. Every figure
// comes from procedure-stats.ts, as the API's /stats gives it; these functions only word it.
import { withLang } from '../../shared/languages.ts';
import { isOtherOrigin, type TriedId } from '../agency/integration-health.ts';
import type { TrendDirection } from '../../shared/indicators.ts';
import type { ProcedureOverview } from '../agency/procedure-overview.ts';
import { REFUSAL_DAYS, TREND_MONTHS, TREND_STEP } from '../agency/procedure-overview.ts';
import type { IndicatorLevel } from '../../shared/indicators.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { html, type SafeHtml } from './html.ts';
import { formatDay } from './kit/format.ts';
import { fill } from './kit/texts.ts';
import { formatCount, formatScore, LEVEL_LABELS } from './kit/figures.ts';

export const procedurePath = (id: string) => `/espace/demarches/${encodeURIComponent(id)}`;

export const LEVEL_BADGES: Record<IndicatorLevel, string> = {
  good: 'fr-badge--success',
  average: 'fr-badge--warning',
  poor: 'fr-badge--error',
  not_enough_data: 'fr-badge--info',
  no_answers: '',
};

export const levelBadge = (level: IndicatorLevel, lang: Lang, context?: string) =>
  html`<p class="fr-badge fr-badge--sm ${LEVEL_BADGES[level]}">${context && html`<span class="fr-sr-only">${context}</span>`}${LEVEL_LABELS[level][lang]}</p>`;

const T = {
  home: { fr: 'Espace agence', en: 'Agency space' },
  signedInAs: { fr: 'Connecté avec l’adresse', en: 'Signed in as' },
  homeIntro: {
    fr: 'Vos démarches et leurs chiffres des 12 derniers mois, du {from} au {to}, sans seuil de publication. Ouvrez une démarche pour ses résultats détaillés et ses avis.',
    en: 'Your procedures and their figures for the last 12 months, from {from} to {to}, with no publication threshold. Open a procedure for its detailed results and reviews.',
  },
  role: { fr: 'Votre rôle\u00a0: {role}.', en: 'Your role: {role}.' },
  admin: { fr: 'administrateur', en: 'admin' },
  reader: { fr: 'lecteur', en: 'reader' },
  members: { fr: 'Membres et clés d’API', en: 'Members and API keys' },
  journal: { fr: 'Journal des actions', en: 'Audit log' },
  entityLinks: { fr: 'Gérer {entity}', en: 'Manage {entity}' },
  archived: { fr: 'Archivée', en: 'Archived' },
  levelOf: { fr: 'Niveau de satisfaction\u00a0: ', en: 'Satisfaction level: ' },
  satisfaction12: { fr: 'de satisfaction sur 12 mois', en: 'satisfaction over 12 months' },
  noReviews12: { fr: 'Aucun avis sur les 12 derniers mois.', en: 'No review in the last 12 months.' },
  counts: {
    fr: 'Avis\u00a0: {recent} sur les 30 derniers jours, {year} sur 12 mois.',
    en: 'Reviews: {recent} in the last 30 days, {year} over 12 months.',
  },
  trendLabel: { fr: 'Tendance\u00a0:', en: 'Trend:' },
  trend: {
    up: { fr: 'en hausse', en: 'rising' },
    down: { fr: 'en baisse', en: 'falling' },
    stable: { fr: 'stable', en: 'stable' },
    unknown: { fr: 'pas encore mesurable', en: 'not measurable yet' },
  },
  trendDetail: {
    fr: '{current} ces {months} derniers mois, contre {previous} les {months} mois d’avant.',
    en: '{current} in the last {months} months, against {previous} in the {months} months before.',
  },
  trendUnknown: {
    fr: 'faute d’avis sur les {months} derniers mois ou sur les {months} mois d’avant.',
    en: 'for want of reviews in the last {months} months or in the {months} months before.',
  },
  trendNote: {
    fr: 'La tendance compare la satisfaction des {months} derniers mois à celle des {months} mois d’avant\u00a0: «\u00a0en hausse\u00a0» ou «\u00a0en baisse\u00a0» à partir de {step} point d’écart, «\u00a0stable\u00a0» en deçà.',
    en: 'The trend compares satisfaction over the last {months} months with the {months} months before: “rising” or “falling” from a {step}-point difference, “stable” below.',
  },
  refused: {
    fr: '{n} notes refusées ces {days} derniers jours par des problèmes d’intégration\u00a0: des pages n’arrivent pas à envoyer leurs notes.',
    en: '{n} ratings refused in the last {days} days by integration problems: some pages cannot send their ratings.',
  },
  refusedOne: {
    fr: '1 note refusée ces {days} derniers jours par un problème d’intégration\u00a0: une page n’arrive pas à envoyer ses notes.',
    en: '1 rating refused in the last {days} days by an integration problem: a page cannot send its ratings.',
  },
  stored: {
    fr: '{n} notes enregistrées sous l’emplacement par défaut (default) ces {days} derniers jours\u00a0: un lien vise un emplacement que la démarche ne connaît pas.',
    en: '{n} ratings stored under the default placement in the last {days} days: a link names a placement the procedure does not know.',
  },
  storedOne: {
    fr: '1 note enregistrée sous l’emplacement par défaut (default) ces {days} derniers jours\u00a0: un lien vise un emplacement que la démarche ne connaît pas.',
    en: '1 rating stored under the default placement in the last {days} days: a link names a placement the procedure does not know.',
  },
  limited: {
    fr: 'Limites anti-abus\u00a0: {n} envois refusés ces {days} derniers jours (trop d’envois, robots)\u00a0; ce n’est pas une erreur de vos pages.',
    en: 'Anti-abuse limits: {n} attempts refused in the last {days} days (too many ratings, robots); not a fault of your pages.',
  },
  tried: {
    fr: 'Des pages de vos sites envoient des notes à une démarche inconnue ({n} ces {days} derniers jours)\u00a0: l’attribut data-procedure de leur code est sans doute mal recopié.',
    en: 'Pages of your sites send ratings to an unknown procedure ({n} in the last {days} days): the data-procedure attribute of their code is probably mistyped.',
  },
  triedId: { fr: '«\u00a0{id}\u00a0» depuis {origin}\u00a0: {n}', en: '“{id}” from {origin}: {n}' },
  triedOther: { fr: 'd’autres identifiants depuis {origin}\u00a0: {n}', en: 'other ids from {origin}: {n}' },
  triedMore: { fr: 'et {n} autres notes', en: 'and {n} more ratings' },
  triedHint: {
    fr: 'Comparez-le aux identifiants de vos démarches ci-dessous (leurs réglages donnent le code exact).',
    en: 'Compare it with the ids of your procedures below (their settings give the exact code).',
  },
  refusedFix: { fr: 'Voir la santé de l’intégration de «\u00a0{title}\u00a0»', en: 'See the integration health of “{title}”' },
  otherOrigins: { fr: 'autres origines', en: 'other origins' },
  refusedReader: {
    fr: 'Un administrateur de l’entité peut la corriger dans les réglages de la démarche.',
    en: 'An admin of the entity can fix it in the procedure’s settings.',
  },
  emptyTitle: { fr: 'Aucune démarche pour l’instant', en: 'No procedure yet' },
  emptyAdmin: {
    fr: html`Pour recueillir les avis d’une démarche, créez-la d’abord\u00a0: ici, avec l’API (<code>POST /api/v1/procedures</code>, voir sa documentation), ou avec l’exploitant du service (commande <code>jdma procedure add</code>). Vous obtiendrez aussitôt le code à coller dans vos pages.`,
    en: html`To collect a procedure’s reviews, create it first: here, with the API (<code>POST /api/v1/procedures</code>, see its documentation), or with the service’s operator (command <code>jdma procedure add</code>). You then get the code to paste into your pages at once.`,
  },
  emptyReader: {
    fr: 'Un administrateur de votre entité peut en enregistrer une\u00a0; elle apparaîtra ici avec ses résultats.',
    en: 'An admin of your entity can register one; it will appear here with its results.',
  },
  apiDocs: { fr: 'Documentation de l’API', en: 'API documentation' },
  newProcedure: { fr: 'Créer une démarche', en: 'Create a procedure' },
} as const;

export interface HomeFacts {
  email: string;
  window: { from: string; to: string };
  entities: { id: string; name: string; role: 'admin' | 'reader'; procedures: ProcedureOverview[]; tried: TriedId[] }[];
}

const ARROWS: Record<TrendDirection, string> = { up: '↗', down: '↘', stable: '→', unknown: '' };

function trendText(overview: ProcedureOverview, lang: Lang): SafeHtml {
  const { direction, current, previous } = overview.trend;
  const months = String(TREND_MONTHS);
  // The arrow repeats the words beside it: assistive technologies read the words only.
  return html`<p class="fr-mb-1w"><strong>${T.trendLabel[lang]} ${
    ARROWS[direction] ? html`<span aria-hidden="true">${ARROWS[direction]}</span> ` : ''
  }${T.trend[direction][lang]}</strong>, ${
    direction === 'unknown'
      ? fill(T.trendUnknown[lang], { months })
      : fill(T.trendDetail[lang], { months, current: formatScore(current.score!, lang), previous: formatScore(previous.score!, lang) })
  }</p>`;
}

function procedureCard(overview: ProcedureOverview, isAdmin: boolean, lang: Lang): SafeHtml {
  const { procedure, satisfaction } = overview;
  const days = String(REFUSAL_DAYS);
  const { faults, limits, stored } = overview.refused;
  const count = (one: Record<Lang, string>, many: Record<Lang, string>, n: number) =>
    fill((n === 1 ? one : many)[lang], { n: formatCount(n, lang), days });
  // Only the integration's own faults (and ratings stored elsewhere than asked) are a warning: the
  // anti-abuse limits are told apart, as nothing the agency's pages did.
  const warning =
    (faults > 0 || stored > 0) &&
    html`<div class="fr-card__footer"><div class="fr-alert fr-alert--warning fr-alert--sm">
${faults > 0 && html`<p>${count(T.refusedOne, T.refused, faults)}</p>`}
${stored > 0 && html`<p>${count(T.storedOne, T.stored, stored)}</p>`}
<p>${
      isAdmin
        ? html`<a href="${withLang(`${procedurePath(procedure.id)}/reglages`, lang)}">${fill(T.refusedFix[lang], { title: procedure.title })}</a>`
        : T.refusedReader[lang]
    }</p>
</div></div>`;
  return html`<li class="fr-col-12 fr-col-lg-6">
<div class="fr-card">
<div class="fr-card__body">
<div class="fr-card__content">
<h3 class="fr-card__title"><a href="${withLang(procedurePath(procedure.id), lang)}">${procedure.title}</a></h3>
<div class="fr-card__desc">
${
  satisfaction.score === null
    ? html`<p class="fr-mb-1w">${T.noReviews12[lang]}</p>`
    : html`<p class="fr-mb-1w"><strong class="fr-text--lg">${formatScore(satisfaction.score, lang)}</strong> ${T.satisfaction12[lang]}</p>`
}
<p class="fr-mb-1w">${fill(T.counts[lang], { recent: formatCount(overview.recent.reviews, lang), year: formatCount(overview.reviews, lang) })}</p>
${trendText(overview, lang)}
${limits > 0 && html`<p class="fr-text--sm fr-mb-1w">${fill(T.limited[lang], { n: formatCount(limits, lang), days })}</p>`}
</div>
<div class="fr-card__start">
<ul class="fr-badges-group">
<li>${levelBadge(satisfaction.level, lang, T.levelOf[lang])}</li>
${procedure.archivedAt !== null && html`<li><p class="fr-badge fr-badge--sm">${T.archived[lang]}</p></li>`}
</ul>
</div>
</div>
${warning}
</div>
</div>
</li>`;
}

/** Ids tried that the home names one by one; the others are summed, however many a flood invents. */
const TRIED_SHOWN = 5;

/** The unknown procedure ids the entity's origins sent: its pages' mistake, though no procedure of it was named. */
function triedWarning(tried: readonly TriedId[], lang: Lang): SafeHtml | '' {
  if (tried.length === 0) return '';
  const days = String(REFUSAL_DAYS);
  const total = tried.reduce((sum, row) => sum + row.count, 0);
  const origin = (value: string) => (isOtherOrigin(value) ? T.otherOrigins[lang] : value || '—');
  const shown = tried.slice(0, TRIED_SHOWN);
  const rest = tried.slice(TRIED_SHOWN).reduce((sum, row) => sum + row.count, 0);
  return html`<div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w">
<p>${fill(T.tried[lang], { n: formatCount(total, lang), days })}</p>
<ul>${shown.map(
    (row) =>
      html`<li>${
        row.procedureId
          ? fill(T.triedId[lang], { id: row.procedureId, origin: origin(row.origin), n: formatCount(row.count, lang) })
          : fill(T.triedOther[lang], { origin: origin(row.origin), n: formatCount(row.count, lang) })
      }</li>`,
  )}${rest > 0 && html`<li>${fill(T.triedMore[lang], { n: formatCount(rest, lang) })}</li>`}</ul>
<p>${T.triedHint[lang]}</p>
</div>`;
}

/** /espace signed in: the member's procedures, by entity, with their headline figures. */
export function homePage(lang: Lang, facts: HomeFacts): { title: string; main: SafeHtml } {
  const months = String(TREND_MONTHS);
  const step = formatScore(TREND_STEP, lang).replace(/\s\/\s10$/, '');
  const entities = facts.entities.map((entity) => {
    const isAdmin = entity.role === 'admin';
    const entityPath = `/espace/entites/${encodeURIComponent(entity.id)}`;
    return html`<section class="fr-mt-6w" aria-labelledby="entite-${entity.id}">
<h2 id="entite-${entity.id}">${entity.name}</h2>
<p>${fill(T.role[lang], { role: T[entity.role][lang] })}${
      isAdmin
        ? html` <a class="fr-link" href="${withLang(`${entityPath}/membres`, lang)}">${T.members[lang]}</a> · <a class="fr-link" href="${withLang(`${entityPath}/journal`, lang)}">${T.journal[lang]}</a> · <a class="fr-link" href="${withLang(`${entityPath}/demarches/nouvelle`, lang)}">${T.newProcedure[lang]}</a>`
        : ''
    }</p>
${triedWarning(entity.tried, lang)}
${
  entity.procedures.length === 0
    ? html`<div class="fr-callout">
<h3 class="fr-callout__title">${T.emptyTitle[lang]}</h3>
<p class="fr-callout__text">${isAdmin ? T.emptyAdmin[lang] : T.emptyReader[lang]}</p>
${isAdmin && html`<ul class="fr-btns-group fr-btns-group--inline-sm"><li><a class="fr-btn" href="${withLang(`${entityPath}/demarches/nouvelle`, lang)}">${T.newProcedure[lang]}</a></li><li><a class="fr-btn fr-btn--secondary" href="/api/docs">${T.apiDocs[lang]}</a></li></ul>`}
</div>`
    : html`<ul class="fr-grid-row fr-grid-row--gutters fr-raw-list">
${entity.procedures.map((overview) => procedureCard(overview, isAdmin, lang))}
</ul>`
}
</section>`;
  });
  const hasProcedures = facts.entities.some((entity) => entity.procedures.length > 0);
  return {
    title: T.home[lang],
    main: html`<h1 class="fr-mt-4w">${T.home[lang]}</h1>
<p>${T.signedInAs[lang]} <strong>${facts.email}</strong>.</p>
${
  hasProcedures &&
  html`<p>${fill(T.homeIntro[lang], { from: formatDay(lang, facts.window.from), to: formatDay(lang, facts.window.to) })}</p>
<p class="fr-text--sm">${fill(T.trendNote[lang], { months, step })}</p>`
}
${entities}`,
  };
}
