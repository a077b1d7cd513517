import { describe, expect, test } from 'vitest';
import { computeIndicators, emptyWindowCounts, trendPoint } from '../../shared/indicators.ts';
import { meanInterval, publishedInterval, tQuantile95, wilsonInterval } from '../../shared/intervals.ts';

// SPEC §4: a 95 % interval beside every published score. Worked values are checked against the
// formulas by hand; coverage is checked by simulation with a seeded generator, so every run draws
// the same samples and the test can only fail when the method changes.

const SATISFACTION_MARKS = [0, 5, 10];
const SCALE_MARKS = [0, 2.5, 5, 7.5, 10];

/** mulberry32: small, and the same sequence on every machine for a given seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts of `n` answers drawn from `probabilities` (one per mark). */
function draw(next: () => number, probabilities: readonly number[], n: number): number[] {
  const counts = probabilities.map(() => 0);
  for (let i = 0; i < n; i++) {
    let u = next();
    let k = 0;
    while (k < probabilities.length - 1 && u >= probabilities[k]!) u -= probabilities[k++]!;
    counts[k]!++;
  }
  return counts;
}

const SAMPLES = 2000;
const N = 100;

describe('coverage by simulation: ≥ 94 % of 2,000 samples of 100 answers hold the true value', () => {
  test.each([
    ['satisfaction, mostly good (true 8.25)', SATISFACTION_MARKS, [0.05, 0.25, 0.7]],
    ['satisfaction, split (true 5)', SATISFACTION_MARKS, [0.3, 0.4, 0.3]],
    ['satisfaction, nearly all good (true 9.7)', SATISFACTION_MARKS, [0.01, 0.04, 0.95]],
    ['satisfaction, mostly bad (true 2)', SATISFACTION_MARKS, [0.7, 0.2, 0.1]],
    ['5-point scale, skewed high (true 7.875)', SCALE_MARKS, [0.02, 0.05, 0.15, 0.35, 0.43]],
    ['5-point scale, flat (true 5)', SCALE_MARKS, [0.2, 0.2, 0.2, 0.2, 0.2]],
    ['5-point scale, nearly all top (true 9.8)', SCALE_MARKS, [0.005, 0.005, 0.01, 0.02, 0.96]],
  ])('mean of %s', (_name, marks, probabilities) => {
    const truth = probabilities.reduce((sum, p, i) => sum + p * marks[i]!, 0);
    const next = random(20_261_207);
    let covered = 0;
    for (let s = 0; s < SAMPLES; s++) {
      const { low, high } = publishedInterval(meanInterval(draw(next, probabilities, N), marks), 1);
      if (low <= truth && truth <= high) covered++;
    }
    expect(covered / SAMPLES).toBeGreaterThanOrEqual(0.94);
  });

  test.each([0.5, 0.7, 0.85, 0.95, 0.99])('Wilson, true rate %s', (truth) => {
    const next = random(20_261_208);
    let covered = 0;
    for (let s = 0; s < SAMPLES; s++) {
      const [no, yes] = draw(next, [1 - truth, truth], N);
      const { low, high } = publishedInterval(wilsonInterval(yes!, no! + yes!), 2);
      if (low <= truth && truth <= high) covered++;
    }
    expect(covered / SAMPLES).toBeGreaterThanOrEqual(0.94);
  });
});

describe('worked values', () => {
  test('Wilson 80 of 100: centre 0.78893, half 0.0777 → 0.7112 … 0.8666', () => {
    const { low, high } = wilsonInterval(80, 100);
    expect(low).toBeCloseTo(0.7112, 4);
    expect(high).toBeCloseTo(0.8666, 4);
  });

  test('Wilson is never zero-wide: 120 of 120 → 0.9690 … 1, 0 of 120 → 0 … 0.0310', () => {
    expect(wilsonInterval(120, 120).low).toBeCloseTo(0.969, 4);
    expect(wilsonInterval(120, 120).high).toBe(1);
    expect(wilsonInterval(0, 120).high).toBeCloseTo(0.031, 4);
  });

  test('t quantiles: the table, then the expansion within 1e-4 (t(40) = 2.0211, t(120) = 1.9799)', () => {
    expect(tQuantile95(1)).toBe(12.706);
    expect(tQuantile95(30)).toBe(2.042);
    expect(tQuantile95(40)).toBeCloseTo(2.0211, 4);
    expect(tQuantile95(120)).toBeCloseTo(1.9799, 4);
  });

  test('60 good, 30 medium, 10 bad: mean 7.5, t(99) = 1.9842, sd floored by one more bad answer → 6.818 … 8.182', () => {
    const { low, high } = meanInterval([10, 30, 60], SATISFACTION_MARKS);
    // The sample's own variance is 1125/99 = 11.36; with one more 0 (mean 750/101) it is 11.81.
    const m = 750 / 101;
    const floored = (10 * m ** 2 + 30 * (5 - m) ** 2 + 60 * (10 - m) ** 2 + m ** 2) / 100;
    expect(floored).toBeGreaterThan(1125 / 99);
    const half = (1.9842 * Math.sqrt(floored)) / 10;
    expect(low).toBeCloseTo(7.5 - half, 3);
    expect(high).toBeCloseTo(7.5 + half, 3);
  });

  test('the floor: 40 good of 40 is not 10–10 but as if one bad answer were added (sd √(400·40/41)/√40…)', () => {
    const { low, high } = meanInterval([0, 0, 40], SATISFACTION_MARKS);
    // 41 answers, mean 400/41; squares 40·(10 − m)² + m²; divided by 40, the floored variance.
    const m = 400 / 41;
    const sd = Math.sqrt((40 * (10 - m) ** 2 + m ** 2) / 40);
    expect(low).toBeCloseTo(10 - (tQuantile95(39) * sd) / Math.sqrt(40), 6);
    expect(low).toBeLessThan(10);
    expect(high).toBe(10);
  });

  test('one answer says nothing about the mean: the whole scale', () => {
    expect(meanInterval([0, 1, 0], SATISFACTION_MARKS)).toEqual({ low: 0, high: 10 });
  });

  test('published intervals are rounded outwards, never across a value they held', () => {
    expect(publishedInterval({ low: 6.831, high: 8.169 }, 1)).toEqual({ low: 6.8, high: 8.2 });
    expect(publishedInterval({ low: 7.000000000001, high: 7.999999999999 }, 1)).toEqual({ low: 7, high: 8 });
    expect(publishedInterval({ low: 0.71117, high: 0.86669 }, 2)).toEqual({ low: 0.71, high: 0.87 });
  });
});

describe('in the indicators', () => {
  test('every published score and rate has its interval, which holds it', () => {
    const counts = emptyWindowCounts();
    Object.assign(counts.satisfaction, { good: 60, medium: 30, bad: 10 });
    Object.assign(counts.clarity, { 1: 2, 2: 3, 3: 10, 4: 40, 5: 45 });
    Object.assign(counts.help_reached, { yes: 80, no: 20 });
    Object.assign(counts.autonomy, { none: 70, sought: 30 });
    const indicators = computeIndicators(counts);
    expect(indicators.satisfaction).toMatchObject({ score: 7.5, interval: { low: 6.8, high: 8.2 } });
    expect(indicators.help_reachable).toMatchObject({ rate: 0.8, interval: { low: 0.71, high: 0.87 } });
    expect(indicators.clarity.interval).not.toBeNull();
    expect(indicators.autonomy.interval).not.toBeNull();
    for (const indicator of [indicators.satisfaction, indicators.clarity]) {
      expect(indicator.interval!.low).toBeLessThanOrEqual(indicator.score!);
      expect(indicator.interval!.high).toBeGreaterThanOrEqual(indicator.score!);
    }
    expect(indicators.help_quality).toMatchObject({ score: null, interval: null, level: 'no_answers' });
  });

  test('withheld below the threshold, like the score', () => {
    const counts = emptyWindowCounts();
    counts.satisfaction.good = 99;
    expect(computeIndicators(counts).satisfaction.interval).toBeNull();
  });

  test('a trend month has an interval where it has a score', () => {
    expect(trendPoint('2026-11', { good: 60, medium: 30, bad: 10 })).toEqual({
      month: '2026-11',
      reviews: 100,
      satisfaction: 7.5,
      satisfaction_interval: { low: 6.8, high: 8.2 },
    });
    expect(trendPoint('2026-11', { good: 6, medium: 3, bad: 1 }).satisfaction_interval).toBeNull();
  });
});
