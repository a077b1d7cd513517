import { describe, expect, test } from 'vitest';
import {
  computeIndicators,
  emptyWindowCounts,
  feedMethod,
  publishedValue,
  reachableLevel,
  scoreLevel,
  trendPoint,
  type WindowCounts,
} from '../../shared/indicators.ts';

// SPEC §4, worked by hand. Marks: satisfaction bad 0 / medium 5 / good 10; scale 1..5 → 0, 2.5, 5, 7.5, 10.

const counts = (overrides: Partial<{ [K in keyof WindowCounts]: Partial<WindowCounts[K]> }>): WindowCounts => {
  const base = emptyWindowCounts();
  for (const [question, table] of Object.entries(overrides)) Object.assign(base[question as keyof WindowCounts], table);
  return base;
};

/** A score as the exact fraction the functions take: score × 10 × answers tenths over 10 × answers. */
const score = (value: number, answers = 1000) => ({ numerator: Math.round(value * 10 * answers), denominator: 10 * answers });
const rate = (yes: number, answers: number) => ({ numerator: yes, denominator: answers });

describe('satisfaction (SPEC §4 worked example)', () => {
  test('60 good, 30 medium, 10 bad → (60×10 + 30×5) / 100 = 7.5, average', () => {
    const { satisfaction } = computeIndicators(counts({ satisfaction: { good: 60, medium: 30, bad: 10 } }));
    expect(satisfaction).toEqual({
      score: 7.5,
      interval: { low: 6.8, high: 8.2 },
      level: 'average',
      answers: 100,
      counts: { good: 60, medium: 30, bad: 10 },
    });
  });

  test('a procedure with 99 reviews publishes no score, no counts, level not_enough_data', () => {
    const indicators = computeIndicators(counts({ satisfaction: { good: 99 }, clarity: { 5: 50 } }));
    const withheld = { interval: null, level: 'not_enough_data', answers: null, counts: null };
    expect(indicators).toEqual({
      satisfaction: { score: null, ...withheld },
      clarity: { score: null, ...withheld },
      help_reachable: { rate: null, ...withheld },
      help_quality: { score: null, ...withheld },
      autonomy: { rate: null, ...withheld },
    });
  });

  test('a procedure with exactly 100 reviews publishes its score', () => {
    expect(computeIndicators(counts({ satisfaction: { good: 100 } })).satisfaction.score).toBe(10);
  });

  test('the threshold is the configured one', () => {
    const few = counts({ satisfaction: { good: 3 } });
    expect(computeIndicators(few, 3).satisfaction.level).toBe('good');
    expect(computeIndicators(few, 4).satisfaction.level).toBe('not_enough_data');
  });
});

describe('score levels on the unrounded value: ≥ 8 good, ≥ 5 average, < 5 poor', () => {
  test.each([
    [10, 'good'],
    [8, 'good'],
    [7.999, 'average'],
    [5, 'average'],
    [4.999, 'poor'],
    [0, 'poor'],
  ] as const)('%s → %s', (value, level) => {
    expect(scoreLevel(score(value))).toBe(level);
  });

  test('exactly 8.0 from counts: 60 good + 40 medium = 8.0 → good', () => {
    expect(computeIndicators(counts({ satisfaction: { good: 60, medium: 40 } })).satisfaction).toMatchObject({ score: 8, level: 'good' });
  });

  test('exactly 5.0 from counts: 50 good + 50 bad = 5.0 → average', () => {
    expect(computeIndicators(counts({ satisfaction: { good: 50, bad: 50 } })).satisfaction).toMatchObject({ score: 5, level: 'average' });
  });
});

describe('help_reachable: yes / answers, ≥ 0.85 good, ≥ 0.70 average, else poor', () => {
  test.each([
    [85, 100, 'good'],
    [84, 100, 'average'],
    [70, 100, 'average'],
    [69, 100, 'poor'],
    [17, 20, 'good'], // 0.85 exactly, from a fraction that is not 0.85 in binary floating point
    [7, 10, 'average'], // 0.70 exactly
  ] as const)('%s yes out of %s → %s', (yes, answers, level) => {
    expect(reachableLevel(rate(yes, answers))).toBe(level);
  });

  test('counted across channels, published with two decimals and its counts', () => {
    const indicators = computeIndicators(counts({ satisfaction: { good: 100 }, help_reached: { yes: 67, no: 23 } }));
    expect(indicators.help_reachable).toEqual({
      rate: 0.74,
      interval: { low: 0.64, high: 0.83 },
      level: 'average',
      answers: 90,
      counts: { yes: 67, no: 23 },
    });
  });
});

describe('clarity and help_quality: the 1..5 scale marked 0, 2.5, 5, 7.5, 10', () => {
  // SPEC §6's example prints 8.1 for these counts; the method gives 7.9 (its example figures are illustrative).
  test('clarity 10/20/60/130/200 → (0 + 50 + 300 + 975 + 2000) / 420 = 7.916… → 7.9, average', () => {
    const clarity = { 1: 10, 2: 20, 3: 60, 4: 130, 5: 200 };
    expect(computeIndicators(counts({ satisfaction: { good: 100 }, clarity })).clarity).toEqual({
      score: 7.9,
      interval: { low: 7.6, high: 8.2 },
      level: 'average',
      answers: 420,
      counts: clarity,
    });
  });

  test('help_quality 5/8/20/20/14 → (0 + 20 + 100 + 150 + 140) / 67 = 6.119… → 6.1, average', () => {
    const helpQuality = { 1: 5, 2: 8, 3: 20, 4: 20, 5: 14 };
    expect(computeIndicators(counts({ satisfaction: { good: 100 }, help_quality: helpQuality })).help_quality).toMatchObject({
      score: 6.1,
      level: 'average',
      answers: 67,
    });
  });
});

describe('autonomy: reviews whose help_sought is none / reviews that answered help_sought', () => {
  test('232 none out of 380 → 0.61, with its counts and no level (SPEC §4 defines none)', () => {
    const indicators = computeIndicators(counts({ satisfaction: { good: 100 }, autonomy: { none: 232, sought: 148 } }));
    expect(indicators.autonomy).toEqual({
      rate: 0.61,
      interval: { low: 0.56, high: 0.66 },
      level: null,
      answers: 380,
      counts: { none: 232, sought: 148 },
    });
  });
});

describe('no answers at all', () => {
  test('above the threshold, an indicator nobody answered is null with level no_answers and 0 answers', () => {
    const indicators = computeIndicators(counts({ satisfaction: { medium: 120 } }));
    expect(indicators.clarity).toEqual({
      score: null,
      interval: null,
      level: 'no_answers',
      answers: 0,
      counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
    });
    expect(indicators.help_quality).toMatchObject({ score: null, level: 'no_answers', answers: 0 });
    expect(indicators.help_reachable).toEqual({ rate: null, interval: null, level: 'no_answers', answers: 0, counts: { yes: 0, no: 0 } });
    expect(indicators.autonomy).toEqual({ rate: null, interval: null, level: 'no_answers', answers: 0, counts: { none: 0, sought: 0 } });
  });

  test('a procedure with no review at all is below any threshold', () => {
    expect(computeIndicators(emptyWindowCounts()).satisfaction).toEqual({
      score: null,
      interval: null,
      level: 'not_enough_data',
      answers: null,
      counts: null,
    });
  });
});

describe('publication rounding: half up, one decimal for scores, two for rates, never across a level threshold', () => {
  test.each([
    // [numerator, denominator, decimals, thresholds, published]
    [745, 100, 1, [], 7.5], // 7.45 exactly → 7.5 (half up, computed in integers: no 7.4499… drift)
    [744, 100, 1, [], 7.4],
    [796, 100, 1, [], 8.0], // without thresholds, 7.96 would show as 8.0…
    [796, 100, 1, [8, 5], 7.9], // …so the published score stays below the threshold its level is computed on
    [499, 100, 1, [8, 5], 4.9], // 4.99 is poor: published 4.9, not 5.0
    [800, 100, 1, [8, 5], 8.0], // a value on the threshold keeps it
    [849, 1000, 2, [0.85, 0.7], 0.84], // 0.849 is average: 0.84, not 0.85
    [6999, 10000, 2, [0.85, 0.7], 0.69],
    [745, 1000, 2, [0.85, 0.7], 0.75], // 0.745 → 0.75 (no threshold crossed)
  ] as const)('%s / %s → %s', (numerator, denominator, decimals, thresholds, published) => {
    expect(publishedValue({ numerator, denominator }, decimals, thresholds)).toBe(published);
  });

  test('7.96 from real counts (74 good, 51 medium: 995 / 125) is average and published as 7.9', () => {
    const { satisfaction } = computeIndicators(counts({ satisfaction: { good: 74, medium: 51 } }));
    expect(satisfaction).toMatchObject({ score: 7.9, level: 'average', answers: 125 });
  });
});

describe('monthly trend point', () => {
  test('a month below the threshold publishes its review count only', () => {
    expect(trendPoint('2026-10', { good: 50, medium: 20, bad: 10 }, 100)).toEqual({
      month: '2026-10',
      reviews: 80,
      satisfaction: null,
      satisfaction_interval: null,
    });
  });

  test('a month that alone reaches the threshold publishes its satisfaction', () => {
    expect(trendPoint('2026-11', { good: 60, medium: 30, bad: 10 }, 100)).toEqual({
      month: '2026-11',
      reviews: 100,
      satisfaction: 7.5,
      satisfaction_interval: { low: 6.8, high: 8.2 },
    });
  });

  test('an empty month has no satisfaction', () => {
    expect(trendPoint('2026-09', { good: 0, medium: 0, bad: 0 }, 1)).toEqual({
      month: '2026-09',
      reviews: 0,
      satisfaction: null,
      satisfaction_interval: null,
    });
  });
});

test('the method object carries marks, level thresholds and the publication threshold (SPEC §6)', () => {
  expect(feedMethod(100)).toEqual({
    min_reviews: 100,
    marks: { satisfaction: { good: 10, medium: 5, bad: 0 }, scale_1_5: [0, 2.5, 5, 7.5, 10] },
    levels: { score: { good: 8, average: 5 }, help_reachable: { good: 0.85, average: 0.7 } },
    intervals: { confidence: 0.95, rates: 'wilson', scores: 'student_t_sd_floor' },
  });
});
