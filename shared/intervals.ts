// 95 % intervals beside every published score and rate (SPEC §4): how sure a 7.9 from 110 reviews
// is, next to a 7.9 from 40,000. Pure functions over answer counts, like shared/indicators.ts.

export interface Interval {
  low: number;
  high: number;
}

/** The two-sided 95 % quantile of the standard normal distribution. */
const Z95 = 1.959963984540054;

/** Student's t 97.5 % quantiles for 1 … 30 degrees of freedom (beyond, the expansion in tQuantile95). */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * Student's t 97.5 % quantile: the table up to 30 degrees of freedom, then the Cornish-Fisher
 * expansion around the normal quantile, within 1e-4 of the exact value from 30 on.
 */
export function tQuantile95(degrees: number): number {
  if (degrees <= T95.length) return T95[Math.max(1, degrees) - 1]!;
  const z = Z95;
  const v = degrees;
  return (
    z +
    (z ** 3 + z) / (4 * v) +
    (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * v ** 2) +
    (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * v ** 3)
  );
}

/**
 * Wilson's score interval for `successes` out of `n`: unlike the textbook p ± 1.96·√(p(1−p)/n), it
 * stays inside 0..1 and is not zero-wide when every answer is the same (0/120 or 120/120), which is
 * common for the reachability of help.
 */
export function wilsonInterval(successes: number, n: number): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * A t-interval for the mean mark of a 3- or 5-point scale, with a floor on the standard deviation:
 * never below the one the sample would have with one more answer at the mark farthest from its
 * mean. Without the floor, 40 « good » out of 40 gives a zero-wide 10–10 although a bad answer
 * remains plausible; with it, the interval is about as wide as Wilson's for the same sample, and at
 * large n the floor no longer matters. Clipped to the scale. SPEC §4 gives the reasons and the
 * coverage measured by simulation (test/shared/intervals.test.ts).
 */
export function meanInterval(counts: readonly number[], marks: readonly number[]): Interval {
  const min = Math.min(...marks);
  const max = Math.max(...marks);
  const n = counts.reduce((sum, c) => sum + c, 0);
  if (n < 2) return { low: min, high: max };
  const mean = counts.reduce((sum, c, i) => sum + c * marks[i]!, 0) / n;
  const squares = counts.reduce((sum, c, i) => sum + c * (marks[i]! - mean) ** 2, 0);
  const variance = squares / (n - 1);
  // One more answer at the far end: its own mean and variance (n + 1 answers, n degrees of freedom).
  const far = mean - min >= max - mean ? min : max;
  const flooredMean = (mean * n + far) / (n + 1);
  const flooredSquares = counts.reduce((sum, c, i) => sum + c * (marks[i]! - flooredMean) ** 2, 0) + (far - flooredMean) ** 2;
  const sd = Math.sqrt(Math.max(variance, flooredSquares / n));
  const half = (tQuantile95(n - 1) * sd) / Math.sqrt(n);
  return { low: Math.max(min, mean - half), high: Math.min(max, mean + half) };
}

/**
 * An interval as published: rounded outwards to `decimals` decimals, so that it still holds
 * everything the exact one does (and so the published score, which is never rounded upwards
 * across a threshold). The tolerance keeps 7.0000000001 from becoming 7.1.
 */
export function publishedInterval({ low, high }: Interval, decimals: number): Interval {
  const scale = 10 ** decimals;
  return { low: Math.floor(low * scale + 1e-9) / scale, high: Math.ceil(high * scale - 1e-9) / scale };
}
