import { z } from 'zod';
import type { Feed } from '../../shared/feed.ts';
import { SCALE_KEYS } from '../../shared/indicators.ts';
import { SATISFACTION_ANSWERS } from '../../shared/questionnaire.ts';

// The JSON Schema of the feed (SPEC §6), published at /api/v1/feed/schema.json. Written once in
// zod, checked against the feed's TypeScript types (`satisfies` below), exported with z.toJSONSchema.
// Each indicator is one of three shapes, so a dashboard knows from `level` which fields are null.

const count = z.int().min(0);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const counts = <K extends string>(keys: readonly K[]) =>
  z.strictObject(Object.fromEntries(keys.map((key) => [key, count])) as Record<K, typeof count>);

const LEVEL = z.enum(['good', 'average', 'poor']).describe('SPEC §4 level, on the unrounded value');
const WITHHELD = {
  level: z.literal('not_enough_data').describe('fewer reviews than method.min_reviews in the window'),
  answers: z.null(),
  counts: z.null(),
};

/** A 95 % interval (SPEC §4): `low` ≤ the published value ≤ `high`, rounded outwards. */
const interval = (max: number, decimals: string) =>
  z
    .strictObject({ low: z.number().min(0).max(max), high: z.number().min(0).max(max) })
    .describe(`95 % interval, ${decimals}, rounded outwards (method.intervals)`);
const scoreInterval = interval(10, 'one decimal');
const rateInterval = interval(1, 'two decimals');

function scoreIndicator<K extends string>(keys: readonly K[]) {
  const answerCounts = counts(keys);
  return z.union([
    z.strictObject({
      score: z.number().min(0).max(10).describe('/10, one decimal; never rounded across a level threshold'),
      interval: scoreInterval,
      level: LEVEL,
      answers: z.int().min(1),
      counts: answerCounts,
    }),
    z.strictObject({ score: z.null(), interval: z.null(), level: z.literal('no_answers'), answers: z.literal(0), counts: answerCounts }),
    z.strictObject({ score: z.null(), interval: z.null(), ...WITHHELD }),
  ]);
}

function rateIndicator<K extends string, L extends z.ZodType>(keys: readonly K[], level: L) {
  const answerCounts = counts(keys);
  return z.union([
    z.strictObject({
      rate: z.number().min(0).max(1).describe('0..1, two decimals; never rounded across a level threshold'),
      interval: rateInterval,
      level,
      answers: z.int().min(1),
      counts: answerCounts,
    }),
    z.strictObject({ rate: z.null(), interval: z.null(), level: z.literal('no_answers'), answers: z.literal(0), counts: answerCounts }),
    z.strictObject({ rate: z.null(), interval: z.null(), ...WITHHELD }),
  ]);
}

/** The five indicators of SPEC §4; also the agency's stats, where they are never withheld. */
export const IndicatorsSchema = z.strictObject({
  satisfaction: scoreIndicator(SATISFACTION_ANSWERS),
  clarity: scoreIndicator(SCALE_KEYS),
  help_reachable: rateIndicator(['yes', 'no'], LEVEL),
  help_quality: scoreIndicator(SCALE_KEYS),
  autonomy: rateIndicator(['none', 'sought'], z.null().describe('the method defines no level for autonomy')),
});

export const FeedSchema = z
  .strictObject({
    generated_at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    window: z.strictObject({ from: day, to: day }).describe('inclusive UTC days'),
    method: z.strictObject({
      min_reviews: z.int().min(1),
      marks: z.strictObject({
        satisfaction: z.strictObject({ good: z.number(), medium: z.number(), bad: z.number() }),
        scale_1_5: z.array(z.number()).length(5),
      }),
      levels: z.strictObject({
        score: z.strictObject({ good: z.number(), average: z.number() }),
        help_reachable: z.strictObject({ good: z.number(), average: z.number() }),
      }),
      intervals: z.strictObject({
        confidence: z.literal(0.95),
        rates: z.literal('wilson').describe("Wilson's score interval"),
        scores: z.literal('student_t_sd_floor').describe('Student t-interval, standard deviation floored (SPEC §4)'),
      }),
    }),
    procedures: z.array(
      z.strictObject({
        id: z.string(),
        title: z.string(),
        entity: z.string(),
        reviews: count,
        indicators: IndicatorsSchema,
        trend: z.array(
          z.strictObject({
            month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
            reviews: count,
            satisfaction: z.number().min(0).max(10).nullable().describe('null unless that month alone reaches method.min_reviews'),
            satisfaction_interval: scoreInterval.nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({
    title: 'Je donne mon avis: observatory feed, version 1',
    description: 'Indicators per procedure over a window (SPEC §4, §6). Counts are published beside every score above the threshold.',
  }) satisfies z.ZodType<Feed>;

export const FEED_JSON_SCHEMA = z.toJSONSchema(FeedSchema);
