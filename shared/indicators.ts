// The observatory method of SPEC §4, as pure functions over answer counts. The server builds the
// feed with them, the observatory pages display what they return; nothing else computes a score.
//
// Exactness: every mark is a multiple of 2.5, so a score times 10 is an integer sum divided by
// the number of answers. Scores and rates are therefore compared and rounded in integer arithmetic,
// never through a floating-point value that could sit a hair below 8 or 0.85.
import { meanInterval, publishedInterval, wilsonInterval, type Interval } from './intervals.ts';
import { MARKS, SATISFACTION_ANSWERS, type SatisfactionAnswer } from './questionnaire.ts';

export const DEFAULT_MIN_REVIEWS = 100;

/** SPEC §4 level thresholds: a /10 score and the `help_reachable` rate. */
export const LEVEL_THRESHOLDS = {
  score: { good: 8, average: 5 },
  help_reachable: { good: 0.85, average: 0.7 },
} as const;

export type Level = 'good' | 'average' | 'poor';
/** `not_enough_data`: the procedure is below the publication threshold; `no_answers`: nobody answered. */
export type IndicatorLevel = Level | 'not_enough_data' | 'no_answers';

export type SatisfactionCounts = Record<SatisfactionAnswer, number>;
export type ScaleCounts = Record<'1' | '2' | '3' | '4' | '5', number>;
export type ReachedCounts = Record<'yes' | 'no', number>;
/** Reviews that answered `help_sought`: `none` (needed no help) or `sought` (tried at least one way). */
export type AutonomyCounts = Record<'none' | 'sought', number>;

export interface ScoreIndicator<C> {
  score: number | null;
  /** The 95 % interval of the score (shared/intervals.ts), null wherever the score is. */
  interval: Interval | null;
  level: IndicatorLevel;
  answers: number | null;
  counts: C | null;
}

export interface RateIndicator<C> {
  rate: number | null;
  /** Wilson's 95 % interval of the rate, null wherever the rate is. */
  interval: Interval | null;
  /** The method defines no level for autonomy: `null` there whenever a rate is published. */
  level: IndicatorLevel | null;
  answers: number | null;
  counts: C | null;
}

export interface Indicators {
  satisfaction: ScoreIndicator<SatisfactionCounts>;
  clarity: ScoreIndicator<ScaleCounts>;
  help_reachable: RateIndicator<ReachedCounts>;
  help_quality: ScoreIndicator<ScaleCounts>;
  autonomy: RateIndicator<AutonomyCounts>;
}

/** The counts of one procedure over a window, as the rollups hold them (question → answer → count). */
export interface WindowCounts {
  satisfaction: SatisfactionCounts;
  clarity: ScaleCounts;
  help_reached: ReachedCounts;
  help_quality: ScaleCounts;
  autonomy: AutonomyCounts;
}

export const SCALE_KEYS = ['1', '2', '3', '4', '5'] as const;

export const emptyWindowCounts = (): WindowCounts => ({
  satisfaction: { good: 0, medium: 0, bad: 0 },
  clarity: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
  help_reached: { yes: 0, no: 0 },
  help_quality: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
  autonomy: { none: 0, sought: 0 },
});

/** A score as an exact fraction: tenths of a mark over answers (score = tenths / (10 × answers)). */
interface Fraction {
  numerator: number;
  denominator: number;
}

const total = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((sum, n) => sum + n, 0);

function satisfactionFraction(counts: SatisfactionCounts): Fraction {
  let tenths = 0;
  for (const answer of SATISFACTION_ANSWERS) tenths += MARKS.satisfaction[answer] * 10 * counts[answer];
  return { numerator: tenths, denominator: 10 * total(counts) };
}

function scaleFraction(counts: ScaleCounts): Fraction {
  let tenths = 0;
  SCALE_KEYS.forEach((key, i) => {
    tenths += MARKS.scale[i]! * 10 * counts[key];
  });
  return { numerator: tenths, denominator: 10 * total(counts) };
}

/** Is numerator/denominator ≥ threshold? Thresholds have at most two decimals, so ×100 makes them integers. */
const atLeast = ({ numerator, denominator }: Fraction, threshold: number): boolean =>
  numerator * 100 >= Math.round(threshold * 100) * denominator;

/** SPEC §4 level of a /10 score, on the unrounded value. */
export function scoreLevel(fraction: Fraction): Level {
  if (atLeast(fraction, LEVEL_THRESHOLDS.score.good)) return 'good';
  if (atLeast(fraction, LEVEL_THRESHOLDS.score.average)) return 'average';
  return 'poor';
}

/** SPEC §4 level of the `help_reachable` rate, on the unrounded value. */
export function reachableLevel(fraction: Fraction): Level {
  if (atLeast(fraction, LEVEL_THRESHOLDS.help_reachable.good)) return 'good';
  if (atLeast(fraction, LEVEL_THRESHOLDS.help_reachable.average)) return 'average';
  return 'poor';
}

/**
 * Rounds numerator/denominator half up to `decimals` decimals, exactly. When `thresholds` are given,
 * the rounded value never crosses one of them upwards: a value just below a threshold is rounded
 * down instead (7.96 → 7.9, not 8.0), so a published number always agrees with its level, which
 * SPEC §4 computes on the unrounded value. The counts published beside it give the exact value.
 */
export function publishedValue({ numerator, denominator }: Fraction, decimals: number, thresholds: readonly number[] = []): number {
  const scale = 10 ** decimals;
  // round(n/d × scale) half up, in integers: floor((2·n·scale + d) / (2·d)).
  let units = Math.floor((2 * numerator * scale + denominator) / (2 * denominator));
  for (const threshold of thresholds) {
    const thresholdUnits = Math.round(threshold * scale);
    const below = numerator * scale < thresholdUnits * denominator;
    if (below && units >= thresholdUnits) units = thresholdUnits - 1;
  }
  return units / scale;
}

/** Scores are published with one decimal (SPEC §4), rates with two (0.74, as in SPEC §6). */
export const SCORE_DECIMALS = 1;
export const RATE_DECIMALS = 2;

const withheld = { interval: null, level: 'not_enough_data', answers: null, counts: null } as const;

/** The published 95 % interval of a mean mark, `counts` in the order of `marks`. */
const scoreInterval = (counts: readonly number[], marks: readonly number[]): Interval =>
  publishedInterval(meanInterval(counts, marks), SCORE_DECIMALS);

const satisfactionInterval = (counts: SatisfactionCounts): Interval =>
  scoreInterval(
    SATISFACTION_ANSWERS.map((answer) => counts[answer]),
    SATISFACTION_ANSWERS.map((answer) => MARKS.satisfaction[answer]),
  );

const rateInterval = (successes: number, answers: number): Interval => publishedInterval(wilsonInterval(successes, answers), RATE_DECIMALS);

function scoreIndicator<C extends Record<string, number>>(counts: C, fraction: Fraction, interval: Interval): ScoreIndicator<C> {
  const answers = total(counts);
  if (answers === 0) return { score: null, interval: null, level: 'no_answers', answers: 0, counts };
  const thresholds = [LEVEL_THRESHOLDS.score.good, LEVEL_THRESHOLDS.score.average];
  return { score: publishedValue(fraction, SCORE_DECIMALS, thresholds), interval, level: scoreLevel(fraction), answers, counts };
}

const scaleIndicator = (counts: ScaleCounts): ScoreIndicator<ScaleCounts> =>
  scoreIndicator(
    { ...counts },
    scaleFraction(counts),
    scoreInterval(
      SCALE_KEYS.map((key) => counts[key]),
      MARKS.scale,
    ),
  );

/** The five indicators of SPEC §4 for one procedure, withheld below the publication threshold. */
export function computeIndicators(counts: WindowCounts, minReviews: number = DEFAULT_MIN_REVIEWS): Indicators {
  const reviews = total(counts.satisfaction);
  if (reviews < minReviews) {
    return {
      satisfaction: { score: null, ...withheld },
      clarity: { score: null, ...withheld },
      help_reachable: { rate: null, ...withheld },
      help_quality: { score: null, ...withheld },
      autonomy: { rate: null, ...withheld },
    };
  }

  const reached = counts.help_reached;
  const reachedAnswers = reached.yes + reached.no;
  const reachedFraction = { numerator: reached.yes, denominator: reachedAnswers };
  const reachableThresholds = [LEVEL_THRESHOLDS.help_reachable.good, LEVEL_THRESHOLDS.help_reachable.average];

  const autonomy = counts.autonomy;
  const autonomyAnswers = autonomy.none + autonomy.sought;

  return {
    satisfaction: scoreIndicator(
      { ...counts.satisfaction },
      satisfactionFraction(counts.satisfaction),
      satisfactionInterval(counts.satisfaction),
    ),
    clarity: scaleIndicator(counts.clarity),
    help_reachable:
      reachedAnswers === 0
        ? { rate: null, interval: null, level: 'no_answers', answers: 0, counts: { ...reached } }
        : {
            rate: publishedValue(reachedFraction, RATE_DECIMALS, reachableThresholds),
            interval: rateInterval(reached.yes, reachedAnswers),
            level: reachableLevel(reachedFraction),
            answers: reachedAnswers,
            counts: { ...reached },
          },
    help_quality: scaleIndicator(counts.help_quality),
    autonomy:
      autonomyAnswers === 0
        ? { rate: null, interval: null, level: 'no_answers', answers: 0, counts: { ...autonomy } }
        : {
            rate: publishedValue({ numerator: autonomy.none, denominator: autonomyAnswers }, RATE_DECIMALS),
            interval: rateInterval(autonomy.none, autonomyAnswers),
            level: null,
            answers: autonomyAnswers,
            counts: { ...autonomy },
          },
  };
}

export interface TrendPoint {
  /** YYYY-MM, UTC. */
  month: string;
  reviews: number;
  /** Published only where that month alone reaches the publication threshold. */
  satisfaction: number | null;
  /** Its 95 % interval, null wherever `satisfaction` is. */
  satisfaction_interval: Interval | null;
}

/** One month of the trend: its review count, and its satisfaction when the month alone has enough reviews. */
export function trendPoint(month: string, satisfaction: SatisfactionCounts, minReviews: number = DEFAULT_MIN_REVIEWS): TrendPoint {
  const reviews = total(satisfaction);
  if (reviews === 0 || reviews < minReviews) return { month, reviews, satisfaction: null, satisfaction_interval: null };
  const thresholds = [LEVEL_THRESHOLDS.score.good, LEVEL_THRESHOLDS.score.average];
  return {
    month,
    reviews,
    satisfaction: publishedValue(satisfactionFraction(satisfaction), SCORE_DECIMALS, thresholds),
    satisfaction_interval: satisfactionInterval(satisfaction),
  };
}

/** The `method` object of the feed (SPEC §6): everything a dashboard needs to recompute the numbers. */
export interface FeedMethod {
  min_reviews: number;
  marks: { satisfaction: Record<SatisfactionAnswer, number>; scale_1_5: number[] };
  levels: { score: { good: number; average: number }; help_reachable: { good: number; average: number } };
  /** How every `interval` is computed (SPEC §4). */
  intervals: { confidence: 0.95; rates: 'wilson'; scores: 'student_t_sd_floor' };
}

export function feedMethod(minReviews: number = DEFAULT_MIN_REVIEWS): FeedMethod {
  return {
    min_reviews: minReviews,
    marks: {
      satisfaction: { good: MARKS.satisfaction.good, medium: MARKS.satisfaction.medium, bad: MARKS.satisfaction.bad },
      scale_1_5: [...MARKS.scale] as number[],
    },
    levels: {
      score: { ...LEVEL_THRESHOLDS.score },
      help_reachable: { ...LEVEL_THRESHOLDS.help_reachable },
    },
    intervals: { confidence: 0.95, rates: 'wilson', scores: 'student_t_sd_floor' },
  };
}

/** Which way a score went between two periods (`unknown` when either side has too few reviews). */
export type TrendDirection = 'up' | 'down' | 'stable' | 'unknown';
