// The trend chart's text alternative, read from the chart as a page gets it: the reviews over the
// window, then what satisfaction did, said in as many words as the scored periods allow.
import { describe, expect, test } from 'vitest';
import { type TrendPeriod, trendChart } from '../../../server/pages/trend-chart.ts';

/** A month of the trend; a scored one is « Moyen » whatever its figure, since the summary reads only the figure. */
function month(from: string, reviews: number, score: number | null): TrendPeriod {
  const last = new Date(Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5, 7)), 0)).toISOString().slice(0, 10);
  return {
    from,
    to: last,
    reviews,
    indicators: { satisfaction: { score, level: score === null ? 'not_enough_data' : 'average', interval: null } },
  };
}

const week = (from: string, to: string, reviews: number, score: number | null): TrendPeriod => ({
  ...month(from, reviews, score),
  from,
  to,
});

/** The summary paragraph's text. */
function summaryOf(periods: TrendPeriod[], interval: 'month' | 'week', lang: 'fr' | 'en'): string {
  const page = String(trendChart(periods, interval, lang, 'trend'));
  return page.match(/<p id="trend-summary"[^>]*>([^<]*)<\/p>/)![1]!;
}

describe('the trend summary', () => {
  test('with no scored month it says that no month has enough reviews, in French and English', () => {
    const periods = [month('2026-10-01', 3, null), month('2026-11-01', 0, null), month('2026-12-01', 2, null)];
    expect(summaryOf(periods, 'month', 'fr')).toBe(
      'Avis et satisfaction par mois, de octobre 2026 à décembre 2026\u00a0: 5 avis au total, le plus en octobre 2026 (3). Aucun mois n’a assez d’avis pour une note de satisfaction.',
    );
    expect(summaryOf(periods, 'month', 'en')).toBe(
      'Reviews and satisfaction per month, from October 2026 to December 2026: 5 reviews in all, the most in October 2026 (3). No month has enough reviews for a satisfaction score.',
    );
  });

  test('with no scored week it says that no week has enough reviews', () => {
    const periods = [week('2026-11-30', '2026-12-06', 1, null), week('2026-12-07', '2026-12-13', 4, null)];
    expect(summaryOf(periods, 'week', 'fr')).toMatch(/\(4\)\. Aucune semaine n’a assez d’avis pour une note de satisfaction\.$/);
    expect(summaryOf(periods, 'week', 'en')).toMatch(/\(4\)\. No week has enough reviews for a satisfaction score\.$/);
    expect(summaryOf(periods, 'week', 'fr')).not.toContain('–');
  });

  test('with a single scored month it gives the score once, with its month', () => {
    const periods = [month('2026-10-01', 3, null), month('2026-11-01', 0, null), month('2026-12-01', 40, 6.3)];
    expect(summaryOf(periods, 'month', 'fr')).toBe(
      'Avis et satisfaction par mois, de octobre 2026 à décembre 2026\u00a0: 43 avis au total, le plus en décembre 2026 (40). Satisfaction\u00a0: 6,3\u00a0/\u00a010 en décembre 2026, seul mois avec assez d’avis pour une note.',
    );
    expect(summaryOf(periods, 'month', 'en')).toMatch(
      /\(40\)\. Satisfaction: 6\.3\u00a0\/\u00a010 in December 2026, the only month with enough reviews for a score\.$/,
    );
  });

  test('with a single scored week it names the week by its first day', () => {
    const periods = [week('2026-11-30', '2026-12-06', 35, 8.1), week('2026-12-07', '2026-12-13', 4, null)];
    const fr = summaryOf(periods, 'week', 'fr');
    expect(fr).toMatch(
      /\. Satisfaction\u00a0: 8,1\u00a0\/\u00a010 la semaine du 30 nov\. 2026, seule semaine avec assez d’avis pour une note\.$/,
    );
    expect(fr.match(/8,1/g)).toHaveLength(1);
  });

  test('with several scored months it tells the start, the end, the highest and the lowest', () => {
    const periods = [
      month('2026-09-01', 30, 7.2),
      month('2026-10-01', 3, null),
      month('2026-11-01', 50, 5.1),
      month('2026-12-01', 40, 8.4),
    ];
    expect(summaryOf(periods, 'month', 'fr')).toMatch(
      /\. Satisfaction de 7,2\u00a0\/\u00a010 à 8,4\u00a0\/\u00a010, au plus haut 8,4\u00a0\/\u00a010 en décembre 2026, au plus bas 5,1\u00a0\/\u00a010 en novembre 2026\.$/,
    );
  });
});
