// A procedure's trend for the agency space (SPEC §8): a server-rendered SVG chart, its text
// alternative, and the data table under it. The chart draws satisfaction per period above and the
// review count below; it holds no text, since a drawing stretched to the page's width (viewBox,
// preserveAspectRatio="none") would shrink or distort it: every word is HTML around it, which the
// reader's font size and 320-px screens follow. No style attribute (the space's CSP): presentation
// attributes only, and currentColor so that the drawing follows DSFR's light and dark themes.
import type { StatsFigures, StatsInterval } from '../agency/procedure-stats.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { html, type SafeHtml } from './html.ts';
import { formatCount, formatScore, LEVEL_LABELS } from './observatory-pages.ts';
import { formatDayRange, formatMonth } from './kit/format.ts';
import { fill } from './kit/texts.ts';

export type TrendPeriod = StatsFigures & { from: string; to: string };

const T = {
  month: { fr: 'Mois', en: 'Month' },
  week: { fr: 'Semaine', en: 'Week' },
  reviews: { fr: 'Avis', en: 'Reviews' },
  satisfaction: { fr: 'Satisfaction', en: 'Satisfaction' },
  caption: {
    month: { fr: 'Avis et satisfaction par mois', en: 'Reviews and satisfaction per month' },
    week: { fr: 'Avis et satisfaction par semaine', en: 'Reviews and satisfaction per week' },
  },
  legend: {
    fr: 'En haut, la courbe de la satisfaction sur 10 (de 0 à 10 ; pointillés : 5 et 8, les seuils des niveaux) ; en bas, les barres du nombre d’avis (la plus haute : {max}). Le tableau ci-dessous donne chaque valeur.',
    en: 'Above, the curve of satisfaction out of 10 (from 0 to 10; dotted lines: 5 and 8, the level thresholds); below, the bars of the number of reviews (the highest: {max}). The table below gives every value.',
  },
  summary: {
    fr: '{title}, de {first} à {last} : {reviews} avis au total, le plus en {busiest} ({most}). Satisfaction de {start} à {end}, au plus haut {high} en {highAt}, au plus bas {low} en {lowAt}.',
    en: '{title}, from {first} to {last}: {reviews} reviews in all, the most in {busiest} ({most}). Satisfaction from {start} to {end}, highest {high} in {highAt}, lowest {low} in {lowAt}.',
  },
} as const;

/** « janvier 2026 », or a week as « 5–11 janv. 2026 » (a window's first and last weeks may be shorter). */
export function periodLabel(period: { from: string; to: string }, interval: StatsInterval, lang: Lang): string {
  if (interval === 'month') return formatMonth(lang, period.from.slice(0, 7));
  return formatDayRange(lang, period.from, period.to);
}

const WIDTH = 10;
const SCORE_TOP = 8;
const SCORE_BOTTOM = 128;
const COUNT_TOP = 144;
const COUNT_BOTTOM = 216;
const HEIGHT = 220;
/** DSFR's blue-france 525: at least 3:1 against both the light and the dark theme's background. */
const REVIEWS_FILL = '#6a6af4';

const scoreY = (score: number) => SCORE_BOTTOM - (score / 10) * (SCORE_BOTTOM - SCORE_TOP);

/**
 * Satisfaction is a line through the periods' middles, broken where a period has no review, with a
 * dot on each period; reviews are bars. The drawing is stretched to the page's width: strokes keep
 * their width (vector-effect), and a dot is a zero-length stroke with round caps, which stays round.
 */
function drawing(periods: readonly TrendPeriod[], label: string): SafeHtml {
  const most = Math.max(1, ...periods.map((p) => p.reviews));
  const width = Math.max(1, periods.length) * WIDTH;
  const stroke = html`stroke="currentColor" vector-effect="non-scaling-stroke" fill="none"`;
  const line = (y: number, dashed: boolean) =>
    html`<path d="M0 ${y}H${width}" ${stroke} stroke-width="1"${dashed ? html` stroke-dasharray="4 4"` : ''}></path>`;
  let path = '';
  let dots = '';
  periods.forEach((p, i) => {
    const score = p.indicators.satisfaction.score;
    if (score === null) return;
    const point = `${i * WIDTH + WIDTH / 2} ${scoreY(score).toFixed(2)}`;
    const previous = periods[i - 1]?.indicators.satisfaction.score ?? null;
    path += `${previous === null ? 'M' : 'L'}${point}`;
    dots += `M${point}h0`;
  });
  const bars = periods.map((p, i) => {
    const height = (p.reviews / most) * (COUNT_BOTTOM - COUNT_TOP);
    return p.reviews === 0
      ? ''
      : html`<rect x="${i * WIDTH + 1.5}" y="${(COUNT_BOTTOM - height).toFixed(2)}" width="7" height="${height.toFixed(2)}" fill="${REVIEWS_FILL}"></rect>`;
  });
  return html`<svg role="img" aria-label="${label}" focusable="false" viewBox="0 0 ${width} ${HEIGHT}" preserveAspectRatio="none" width="100%" height="${HEIGHT}">
${line(scoreY(5), true)}${line(scoreY(8), true)}${line(SCORE_BOTTOM, false)}${line(COUNT_BOTTOM, false)}
${path && html`<path d="${path}" ${stroke} stroke-width="2" stroke-linejoin="round"></path><path d="${dots}" ${stroke} stroke-width="${periods.length > 30 ? 5 : 8}" stroke-linecap="round"></path>`}
${bars}
</svg>`;
}

/** The chart's text alternative: the range, the busiest period, and where satisfaction started, ended, peaked and fell. */
function summary(periods: readonly TrendPeriod[], interval: StatsInterval, lang: Lang): string {
  const label = (p: TrendPeriod) => periodLabel(p, interval, lang);
  const scored = periods.filter((p) => p.indicators.satisfaction.score !== null);
  const score = (p: TrendPeriod | undefined) => (p ? formatScore(p.indicators.satisfaction.score!, lang) : '–');
  const busiest = periods.reduce((a, b) => (b.reviews > a.reviews ? b : a), periods[0]!);
  const by = (better: (a: number, b: number) => boolean) =>
    scored.reduce<TrendPeriod | undefined>(
      (a, b) => (a === undefined || better(b.indicators.satisfaction.score!, a.indicators.satisfaction.score!) ? b : a),
      undefined,
    );
  const high = by((a, b) => a > b);
  const low = by((a, b) => a < b);
  return fill(T.summary[lang], {
    title: T.caption[interval === 'week' ? 'week' : 'month'][lang],
    first: label(periods[0]!),
    last: label(periods.at(-1)!),
    reviews: formatCount(
      periods.reduce((sum, p) => sum + p.reviews, 0),
      lang,
    ),
    busiest: label(busiest),
    most: formatCount(busiest.reviews, lang),
    start: score(scored[0]),
    end: score(scored.at(-1)),
    high: score(high),
    highAt: high ? label(high) : '–',
    low: score(low),
    lowAt: low ? label(low) : '–',
  });
}

/**
 * The chart, its legend and its data table; `id` makes their ids unique in the page. The table's
 * container scrolls sideways on a narrow screen: it takes the focus, so a keyboard can scroll it.
 */
export function trendChart(periods: readonly TrendPeriod[], interval: StatsInterval, lang: Lang, id: string): SafeHtml {
  const kind = interval === 'week' ? 'week' : 'month';
  const most = Math.max(0, ...periods.map((p) => p.reviews));
  const rows = periods.map((p) => {
    const { score, level } = p.indicators.satisfaction;
    // The level under the score, not in a column of its own: the table then fits a 320-px screen.
    return html`<tr><th scope="row">${periodLabel(p, interval, lang)}</th><td>${formatCount(p.reviews, lang)}</td><td>${
      score === null ? '–' : html`${formatScore(score, lang)}<br><span class="fr-text--xs">${LEVEL_LABELS[level][lang]}</span>`
    }</td></tr>`;
  });
  return html`<figure class="fr-mx-0 fr-my-2w" aria-describedby="${id}-legend">
${drawing(periods, summary(periods, interval, lang))}
<figcaption id="${id}-legend" class="fr-text--sm fr-mt-1w">${fill(T.legend[lang], { max: formatCount(most, lang) })}</figcaption>
</figure>
<div class="fr-table fr-table--sm">
<div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0" role="region" aria-labelledby="${id}-caption"><div class="fr-table__content">
<table>
<caption id="${id}-caption">${T.caption[kind][lang]}</caption>
<thead><tr><th scope="col">${T[kind][lang]}</th><th scope="col">${T.reviews[lang]}</th><th scope="col">${T.satisfaction[lang]}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div></div></div>
</div>`;
}
