// The comparison page of the agency space (SPEC §8): a GET form (the other procedure of the entity,
// or the same, and two periods) and the indicators side by side, with the difference and whether it
// is beyond the 95 % intervals. Server-rendered DSFR markup through the page kit; no JavaScript.
import type { Lang } from '../../shared/questionnaire.ts';
import type { Comparison, COMPARED } from '../agency/procedure-comparison.ts';
import { withLang } from '../../shared/languages.ts';
import { procedureNav } from './agency-layout.ts';
import { html, type SafeHtml } from './html.ts';
import { alert, breadcrumb, table } from './kit/dsfr.ts';
import { formatDayRange } from './kit/format.ts';
import { procedurePath } from './space-home-pages.ts';

const TEXT = {
  fr: {
    title: 'Comparer',
    breadcrumb: 'Vous êtes ici\u00a0:',
    breadcrumbButton: 'Voir le fil d’Ariane',
    space: 'Espace agence',
    heading: 'Comparer deux périodes ou deux démarches',
    intro:
      'Les indicateurs de chaque côté, avec leur intervalle de confiance à 95 %. Un écart est dit au-delà des intervalles quand les deux intervalles ne se chevauchent pas\u00a0: il est alors peu probable qu’il tienne au hasard.',
    form: 'Ce qui est comparé',
    from: 'Du',
    to: 'Au',
    other: 'Démarche comparée',
    bFrom: 'Comparée du',
    bTo: 'au',
    dateHint: 'Par défaut, la même période.',
    apply: 'Comparer',
    indicator: 'Indicateur',
    difference: 'Écart',
    verdict: 'Au-delà des intervalles\u00a0?',
    yes: 'Oui',
    no: 'Non',
    none: '—',
    reviews: (n: number) => `${n} avis`,
    problems: 'Cette comparaison ne peut pas être faite',
    caption: 'Indicateurs comparés',
    names: {
      satisfaction: 'Satisfaction (sur 10)',
      clarity: 'Clarté des informations (sur 10)',
      help_reachable: 'Administration joignable (en\u00a0%)',
      help_quality: 'Qualité de l’aide obtenue (sur 10)',
      autonomy: 'Autonomie (en\u00a0%)',
    },
  },
  en: {
    title: 'Compare',
    breadcrumb: 'You are here:',
    breadcrumbButton: 'Show the breadcrumb',
    space: 'Agency space',
    heading: 'Compare two periods or two procedures',
    intro:
      'Each side’s indicators, with their 95% confidence interval. A difference is beyond the intervals when the two intervals do not overlap: it is then unlikely to be chance.',
    form: 'What is compared',
    from: 'From',
    to: 'To',
    other: 'Procedure compared',
    bFrom: 'Compared from',
    bTo: 'to',
    dateHint: 'By default, the same period.',
    apply: 'Compare',
    indicator: 'Indicator',
    difference: 'Difference',
    verdict: 'Beyond the intervals?',
    yes: 'Yes',
    no: 'No',
    none: '—',
    reviews: (n: number) => `${n} review${n === 1 ? '' : 's'}`,
    problems: 'This comparison cannot be made',
    caption: 'Indicators compared',
    names: {
      satisfaction: 'Satisfaction (out of 10)',
      clarity: 'Clarity of the information (out of 10)',
      help_reachable: 'Administration reachable (%)',
      help_quality: 'Quality of the help received (out of 10)',
      autonomy: 'Autonomy (%)',
    },
  },
} as const;

export interface ComparisonView {
  lang: Lang;
  procedure: { id: string; title: string };
  isAdmin: boolean;
  /** The entity's procedures, for the other side. */
  procedures: readonly { id: string; title: string }[];
  form: { from: string; to: string; b: string; b_from: string; b_to: string };
  comparison?: Comparison;
  problems?: readonly string[];
}

const number = (lang: Lang, value: number | null) =>
  value === null ? TEXT[lang].none : value.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 });

/** The two rates are compared in percent, as every other page shows them: « 14 », not « 0,14 ». */
const RATES: readonly (typeof COMPARED)[number][] = ['help_reachable', 'autonomy'];
const inPercent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);

export function comparisonPage(view: ComparisonView): { title: string; main: SafeHtml } {
  const { lang, procedure, form } = view;
  const t = TEXT[lang];
  const action = `/espace/demarches/${encodeURIComponent(procedure.id)}/comparer`;
  const dateField = (name: keyof ComparisonView['form'], label: string, hint: string | null) =>
    html`<div class="fr-col-12 fr-col-sm-6 fr-col-lg-3"><div class="fr-input-group">
      <label class="fr-label" for="comparer-${name}">${label}${hint ? html`<span class="fr-hint-text">${hint}</span>` : ''}</label>
      <input class="fr-input" type="date" id="comparer-${name}" name="${name}" value="${form[name]}">
    </div></div>`;
  const main = html`${breadcrumb(t.breadcrumb, t.breadcrumbButton, [
    { label: t.space, href: withLang('/espace', lang) },
    { label: procedure.title, href: withLang(procedurePath(procedure.id), lang) },
    { label: t.title, href: withLang(`${procedurePath(procedure.id)}/comparer`, lang) },
  ])}
<h1 class="fr-mb-1w">${t.heading}</h1>
<p class="fr-text--lead fr-mb-3w">${procedure.title}</p>
${procedureNav(lang, procedure.id, 'compare', view.isAdmin)}
<p>${t.intro}</p>
${view.problems ? alert('error', view.problems.join(' '), { title: t.problems, titleLevel: 2, role: 'alert' }) : ''}
<section aria-labelledby="comparer-form" class="fr-mb-4w">
<h2 id="comparer-form" class="fr-h4">${t.form}</h2>
<form method="get" action="${action}">
  ${lang === 'fr' ? '' : html`<input type="hidden" name="lang" value="${lang}">`}
  <div class="fr-grid-row fr-grid-row--gutters">
    ${dateField('from', t.from, null)}
    ${dateField('to', t.to, null)}
    <div class="fr-col-12 fr-col-lg-6"><div class="fr-select-group">
      <label class="fr-label" for="comparer-b">${t.other}</label>
      <select class="fr-select" id="comparer-b" name="b">
        ${view.procedures.map((other) => html`<option value="${other.id}"${other.id === (form.b || procedure.id) ? html` selected` : ''}>${other.title}</option>`)}
      </select>
    </div></div>
    ${dateField('b_from', t.bFrom, t.dateHint)}
    ${dateField('b_to', t.bTo, t.dateHint)}
  </div>
  <button type="submit" class="fr-btn fr-mt-3w">${t.apply}</button>
</form>
</section>
${view.comparison ? results(lang, view.comparison) : ''}`;
  return { title: `${t.title} – ${procedure.title}`, main };
}

function results(lang: Lang, comparison: Comparison): SafeHtml {
  const t = TEXT[lang];
  const side = (s: Comparison['a']) =>
    html`${s.procedure.title}<br><span class="fr-text--sm">${formatDayRange(lang, s.window.from, s.window.to)} · ${t.reviews(s.reviews)}</span>`;
  const cell = (value: Comparison['indicators']['satisfaction']['a'], scale: (v: number | null) => number | null) =>
    value.interval === null
      ? number(lang, scale(value.value))
      : `${number(lang, scale(value.value))} [${number(lang, scale(value.interval.low))} – ${number(lang, scale(value.interval.high))}]`;
  const rows = (Object.entries(comparison.indicators) as [(typeof COMPARED)[number], Comparison['indicators']['satisfaction']][]).map(
    ([name, indicator]) => {
      const scale = RATES.includes(name) ? inPercent : (v: number | null) => v;
      return html`<tr>
    <th scope="row">${t.names[name]}</th>
    <td>${cell(indicator.a, scale)}</td>
    <td>${cell(indicator.b, scale)}</td>
    <td>${indicator.difference === null ? t.none : `${indicator.difference > 0 ? '+' : ''}${number(lang, scale(indicator.difference))}`}</td>
    <td>${indicator.beyond_intervals === null ? t.none : indicator.beyond_intervals ? html`<strong>${t.yes}</strong>` : t.no}</td>
  </tr>`;
    },
  );
  // Not a landmark: the table's scrolling region already is one, under the same name.
  return html`<div>
<h2 class="fr-h4">${t.caption}</h2>
${table(t.caption, [t.indicator, side(comparison.a), side(comparison.b), t.difference, t.verdict], rows, { hiddenCaption: true, multiline: true })}
</div>`;
}
