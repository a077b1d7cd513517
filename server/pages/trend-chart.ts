// A procedure's trend, for the agency space (SPEC §8) and the observatory: a server-rendered SVG chart, its text
// alternative, and the data table under it. The chart draws satisfaction per period above and the
// review count below. The stretched plot (viewBox, preserveAspectRatio="none") holds no text, which it
// would distort: the words are in unscaled SVG beside and under it, or HTML above it. No style
// attribute (the space's CSP): presentation attributes only, and currentColor so that the drawing
// follows DSFR's light and dark themes.
import type { StatsInterval } from '../agency/procedure-stats.ts';
import type { Lang } from '../../shared/questionnaire.ts';
import { html, type SafeHtml } from './html.ts';
import { formatCount, formatScore, LEVEL_LABELS } from './kit/figures.ts';
import { LANGUAGES } from '../../shared/languages.ts';
import { type IndicatorLevel, LEVEL_THRESHOLDS } from '../../shared/indicators.ts';
import { firstOfMonth, formatDayRange, formatMonth } from './kit/format.ts';
import { fill } from './kit/texts.ts';
import { table as tableOf } from './kit/dsfr.ts';

/** One period of a trend: the agency's stats series fit it as they are, the observatory's months once mapped. */
export interface TrendPeriod {
  from: string;
  to: string;
  reviews: number;
  indicators: { satisfaction: { score: number | null; level: IndicatorLevel; interval: { low: number; high: number } | null } };
}

const T = {
  month: { fr: 'Mois', en: 'Month' },
  week: { fr: 'Semaine', en: 'Week' },
  reviews: { fr: 'Avis', en: 'Reviews' },
  satisfaction: { fr: 'Satisfaction', en: 'Satisfaction' },
  range: { fr: '95 %\u00a0: {low} à {high}', en: '95%: {low} to {high}' },
  showTable: { fr: 'Voir le tableau des {n} semaines', en: 'Show the table of the {n} weeks' },
  caption: {
    month: { fr: 'Avis et satisfaction par mois', en: 'Reviews and satisfaction per month' },
    week: { fr: 'Avis et satisfaction par semaine', en: 'Reviews and satisfaction per week' },
  },
  legend: {
    fr: 'En haut, la courbe de la satisfaction sur 10, et en grisé l’intervalle où elle se trouve à 95 % de confiance\u00a0; pointillés\u00a0: 8, le seuil «\u00a0Très bien\u00a0», et 5, le seuil «\u00a0Moyen\u00a0» («\u00a0Critique\u00a0» en dessous). En bas, les barres du nombre d’avis (la plus haute\u00a0: {max}). Le tableau donne chaque valeur.',
    en: 'Above, the curve of satisfaction out of 10, and shaded the range where it lies with 95% confidence; dotted lines: 8, the “Very good” threshold, and 5, the “Average” threshold (“Critical” below). Below, the bars of the number of reviews (the highest: {max}). The table gives every value.',
  },
  /** The reviews' part of the summary; a week is named by its first day (« en 8–14 déc. » does not read). */
  reviewsSummary: {
    month: {
      fr: '{title}, de {first} à {last}\u00a0: {reviews} avis au total, le plus en {busiest} ({most}).',
      en: '{title}, from {first} to {last}: {reviews} reviews in all, the most in {busiest} ({most}).',
    },
    week: {
      fr: '{title}, de la semaine du {first} à celle du {last}\u00a0: {reviews} avis au total, le plus la semaine du {busiest} ({most}).',
      en: '{title}, from the week of {first} to the week of {last}: {reviews} reviews in all, the most in the week of {busiest} ({most}).',
    },
  },
  /** Satisfaction over two scored periods or more. */
  scoresSummary: {
    month: {
      fr: 'Satisfaction de {start} à {end}, au plus haut {high} en {highAt}, au plus bas {low} en {lowAt}.',
      en: 'Satisfaction from {start} to {end}, highest {high} in {highAt}, lowest {low} in {lowAt}.',
    },
    week: {
      fr: 'Satisfaction de {start} à {end}, au plus haut {high} la semaine du {highAt}, au plus bas {low} la semaine du {lowAt}.',
      en: 'Satisfaction from {start} to {end}, highest {high} in the week of {highAt}, lowest {low} in the week of {lowAt}.',
    },
  },
  /** Satisfaction when a single period has a score: said once. */
  oneScoreSummary: {
    month: {
      fr: 'Satisfaction\u00a0: {score} en {at}, seul mois avec assez d’avis pour une note.',
      en: 'Satisfaction: {score} in {at}, the only month with enough reviews for a score.',
    },
    week: {
      fr: 'Satisfaction\u00a0: {score} la semaine du {at}, seule semaine avec assez d’avis pour une note.',
      en: 'Satisfaction: {score} in the week of {at}, the only week with enough reviews for a score.',
    },
  },
  noScoreSummary: {
    month: {
      fr: 'Aucun mois n’a assez d’avis pour une note de satisfaction.',
      en: 'No month has enough reviews for a satisfaction score.',
    },
    week: {
      fr: 'Aucune semaine n’a assez d’avis pour une note de satisfaction.',
      en: 'No week has enough reviews for a satisfaction score.',
    },
  },
} as const;

/** « janvier 2026 », or a week as « 5–11 janv. 2026 » (a window's first and last weeks may be shorter). */
export function periodLabel(period: { from: string; to: string }, interval: StatsInterval, lang: Lang): string {
  if (interval === 'month') return formatMonth(lang, period.from.slice(0, 7));
  return formatDayRange(lang, period.from, period.to);
}

const WIDTH = 10;
const SCORE_TOP = 22;
const SCORE_BOTTOM = 142;
const COUNT_TOP = 172;
const COUNT_BOTTOM = 232;
const LABELS_Y = 250;
const HEIGHT = 258;
/** DSFR's blue-france 525: at least 3:1 against both the light and the dark theme's background. */
const REVIEWS_FILL = '#6a6af4';
/** The axis labels' size in CSS pixels: the drawing is never scaled, only its inner plot is. */
const LABEL_SIZE = 12;
/** The left gutter, in CSS pixels, where the scale's values stand beside the plot rather than on it. */
const GUTTER = 24;

const scoreY = (score: number) => SCORE_BOTTOM - (score / 10) * (SCORE_BOTTOM - SCORE_TOP);

/** « janv. 26 », or a week by its first day, « 5 janv. », « 1er juin »: short enough for four or five of them on a 320-px screen. */
function tickLabel(period: TrendPeriod, interval: StatsInterval, lang: Lang): string {
  const day = new Date(`${period.from}T00:00:00Z`);
  const options: Intl.DateTimeFormatOptions =
    interval === 'month' ? { month: 'short', year: '2-digit', timeZone: 'UTC' } : { day: 'numeric', month: 'short', timeZone: 'UTC' };
  return firstOfMonth(lang, new Intl.DateTimeFormat(LANGUAGES[lang].locale, options).format(day));
}

/**
 * Three layers. The plot is an inner SVG stretched to the width (viewBox, preserveAspectRatio="none"):
 * satisfaction as a line through the periods' middles, broken where a period has no score, a dot on
 * each period and its 95 % interval as a shaded band behind it; the reviews as bars. Strokes keep
 * their width (vector-effect), and a dot is a zero-length stroke with round caps, which stays round.
 * The words are in SVGs that are never scaled (x in percentages of the width, y in pixels), so they
 * keep their size on a phone as on a wide screen: the scale's values in a gutter on the left, the plot
 * and its period labels after it, so that no word lies under the curve. The level thresholds are
 * dotted lines, named in the key above the drawing. Every label repeats what the data table says.
 */
function drawing(periods: readonly TrendPeriod[], interval: StatsInterval, lang: Lang, labelledBy: string): SafeHtml {
  const most = Math.max(1, ...periods.map((p) => p.reviews));
  const n = Math.max(1, periods.length);
  const width = n * WIDTH;
  const stroke = html`stroke="currentColor" vector-effect="non-scaling-stroke" fill="none"`;
  const line = (y: number, dashed: boolean) =>
    html`<path d="M0 ${y}H${width}" ${stroke} stroke-width="1"${dashed ? html` stroke-dasharray="4 4"` : ''}></path>`;
  let path = '';
  let dots = '';
  const band: SafeHtml[] = [];
  periods.forEach((p, i) => {
    const { score, interval: range } = p.indicators.satisfaction;
    if (score === null) return;
    const point = `${i * WIDTH + WIDTH / 2} ${scoreY(score).toFixed(2)}`;
    const previous = periods[i - 1]?.indicators.satisfaction.score ?? null;
    path += `${previous === null ? 'M' : 'L'}${point}`;
    dots += `M${point}h0`;
    if (range) {
      band.push(
        html`<rect x="${i * WIDTH}" y="${scoreY(range.high).toFixed(2)}" width="${WIDTH}" height="${(scoreY(range.low) - scoreY(range.high)).toFixed(2)}" fill="currentColor" fill-opacity="0.16"></rect>`,
      );
    }
  });
  const bars = periods.map((p, i) => {
    const height = (p.reviews / most) * (COUNT_BOTTOM - COUNT_TOP);
    return p.reviews === 0
      ? ''
      : html`<rect x="${i * WIDTH + 1.5}" y="${(COUNT_BOTTOM - height).toFixed(2)}" width="7" height="${height.toFixed(2)}" fill="${REVIEWS_FILL}"></rect>`;
  });
  const label = (x: string | number, anchor: 'start' | 'middle' | 'end', y: number, text: string) =>
    html`<text x="${x}" y="${y}" font-size="${LABEL_SIZE}" fill="currentColor" text-anchor="${anchor}">${text}</text>`;
  // A value's digits sit centred on its line: their baseline a third of the font size below it.
  const value = (score: number) => label(GUTTER - 4, 'end', scoreY(score) + LABEL_SIZE / 3, String(score));
  // At most four period labels, the first one on the left edge: five run into each other on a 320-px
  // screen, whose plot is some 265 px wide beside the gutter. One centred in the last sixth of the width would overflow the right edge there (a 320-px
  // screen cut « déc. 26 » in half): it ends at its period's right edge instead.
  const step = Math.max(1, Math.ceil(n / 4));
  const tick = (i: number): [string, 'start' | 'middle' | 'end'] => {
    if (i === 0) return ['0%', 'start'];
    const middle = (i + 0.5) / n;
    return middle > 5 / 6 ? [`${((i + 1) / n) * 100}%`, 'end'] : [`${middle * 100}%`, 'middle'];
  };
  const ticks = periods.flatMap((p, i) => (i % step === 0 ? [label(...tick(i), LABELS_Y, tickLabel(p, interval, lang))] : []));
  return html`<svg role="img" aria-labelledby="${labelledBy}" focusable="false" width="100%" height="${HEIGHT}" class="trend-drawing">
<g aria-hidden="true" class="trend-scale">
${value(10)}${value(LEVEL_THRESHOLDS.score.good)}${value(LEVEL_THRESHOLDS.score.average)}${value(0)}
</g>
<svg x="${GUTTER}" width="calc(100% - ${GUTTER}px)" height="${HEIGHT}" aria-hidden="true">
<svg width="100%" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" preserveAspectRatio="none" class="trend-plot">
${band}
${line(scoreY(LEVEL_THRESHOLDS.score.average), true)}${line(scoreY(LEVEL_THRESHOLDS.score.good), true)}${line(scoreY(10), false)}${line(SCORE_BOTTOM, false)}${line(COUNT_BOTTOM, false)}
${path && html`<path d="${path}" ${stroke} stroke-width="2" stroke-linejoin="round"></path><path d="${dots}" ${stroke} stroke-width="${periods.length > 30 ? 5 : 8}" stroke-linecap="round"></path>`}
${bars}
</svg>
${label('0%', 'start', COUNT_TOP - 6, fill(AXIS[lang].reviews, { max: formatCount(most, lang) }))}
${ticks}
</svg>
</svg>`;
}

const AXIS = {
  fr: {
    key: 'Satisfaction sur 10, pointillés aux seuils «\u00a0{good}\u00a0» (8) et «\u00a0{average}\u00a0» (5).',
    reviews: 'Nombre d’avis (jusqu’à {max})',
  },
  en: {
    key: 'Satisfaction out of 10, dotted lines at the “{good}” (8) and “{average}” (5) thresholds.',
    reviews: 'Number of reviews (up to {max})',
  },
} as const;

/** The line above the drawing that names its scale and thresholds: the summary and the caption say it to a screen reader. */
function key(lang: Lang): SafeHtml {
  return html`<p class="fr-text--xs fr-mb-1v" aria-hidden="true">${fill(AXIS[lang].key, { good: LEVEL_LABELS.good[lang], average: LEVEL_LABELS.average[lang] })}</p>`;
}

/** The chart's text alternative: the range, the busiest period, and where satisfaction started, ended, peaked and fell. */
function summary(periods: readonly TrendPeriod[], interval: StatsInterval, lang: Lang): string {
  const kind = interval === 'week' ? 'week' : 'month';
  const label = (p: TrendPeriod) => (kind === 'week' ? formatDayRange(lang, p.from, p.from) : periodLabel(p, interval, lang));
  const scoreOf = (p: TrendPeriod) => p.indicators.satisfaction.score!;
  const score = (p: TrendPeriod) => formatScore(scoreOf(p), lang);
  const scored = periods.filter((p) => p.indicators.satisfaction.score !== null);
  const busiest = periods.reduce((a, b) => (b.reviews > a.reviews ? b : a), periods[0]!);
  const reviews = fill(T.reviewsSummary[kind][lang], {
    title: T.caption[kind][lang],
    first: label(periods[0]!),
    last: label(periods.at(-1)!),
    reviews: formatCount(
      periods.reduce((sum, p) => sum + p.reviews, 0),
      lang,
    ),
    busiest: label(busiest),
    most: formatCount(busiest.reviews, lang),
  });
  const [first, ...others] = scored;
  if (!first) return `${reviews} ${T.noScoreSummary[kind][lang]}`;
  if (others.length === 0) return `${reviews} ${fill(T.oneScoreSummary[kind][lang], { score: score(first), at: label(first) })}`;
  const high = scored.reduce((a, b) => (scoreOf(b) > scoreOf(a) ? b : a));
  const low = scored.reduce((a, b) => (scoreOf(b) < scoreOf(a) ? b : a));
  return `${reviews} ${fill(T.scoresSummary[kind][lang], {
    start: score(first),
    end: score(scored.at(-1)!),
    high: score(high),
    highAt: label(high),
    low: score(low),
    lowAt: label(low),
  })}`;
}

/**
 * The chart, its summary, its legend and its data table; `id` makes their ids unique in the page.
 * The monthly table is shown; the weekly one (up to 53 rows) is folded in a <details>, which opens
 * without script: the chart and its summary say what the weeks did, the table is one click away.
 * The table is the page kit's: on a narrow screen it scrolls sideways in a frame that says so.
 */
export function trendChart(periods: readonly TrendPeriod[], interval: StatsInterval, lang: Lang, id: string): SafeHtml {
  const kind = interval === 'week' ? 'week' : 'month';
  const most = Math.max(0, ...periods.map((p) => p.reviews));
  const rows = periods.map((p) => {
    const { score, level, interval: range } = p.indicators.satisfaction;
    // The level under the score, not in a column of its own: the table then fits a 320-px screen.
    return html`<tr><th scope="row">${periodLabel(p, interval, lang)}</th><td>${formatCount(p.reviews, lang)}</td><td>${
      score === null
        ? '–'
        : html`${formatScore(score, lang)}<br><span class="fr-text--xs">${LEVEL_LABELS[level][lang]}${
            range ? html`<br>${fill(T.range[lang], { low: formatScore(range.low, lang), high: formatScore(range.high, lang) })}` : ''
          }</span>`
    }</td></tr>`;
  });
  const table = tableOf(T.caption[kind][lang], [T[kind][lang], T.reviews[lang], T.satisfaction[lang]], rows, {
    small: true,
    captionId: `${id}-caption`,
    scrollHint: lang,
  });
  return html`<figure class="fr-mx-0 fr-my-2w" aria-describedby="${id}-legend">
<p id="${id}-summary" class="fr-text--sm fr-mb-1w">${summary(periods, interval, lang)}</p>
${key(lang)}
${drawing(periods, interval, lang, `${id}-summary`)}
<figcaption id="${id}-legend" class="fr-text--sm fr-mt-1w">${fill(T.legend[lang], { max: formatCount(most, lang) })}</figcaption>
</figure>
${
  kind === 'week'
    ? html`<details class="fr-mb-2w"><summary>${fill(T.showTable[lang], { n: formatCount(periods.length, lang) })}</summary>
${table}
</details>`
    : table
}`;
}
