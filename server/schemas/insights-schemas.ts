import { z } from 'zod';
import { isDay } from '../../shared/feed-window.ts';
import { SLUG_PATTERN } from '../../shared/questionnaire.ts';

// Comment insights in the agency API (SPEC §8). The query is strict, as the other agency reads: a
// misspelt parameter is a 400 naming it, never an answer for another window.
const once = z.string({ error: 'must be given once' });
const day = once.refine(isDay, 'must be a UTC day written YYYY-MM-DD');

export const InsightsQuerySchema = z.strictObject({
  from: day.optional(),
  to: day.optional(),
  placement: once.regex(SLUG_PATTERN, 'must be a lowercase slug: letters, digits and dashes, 2 to 64 characters').optional(),
});

const window = z.strictObject({ from: z.string(), to: z.string() }).describe('inclusive UTC days');
const term = {
  term: z.string().describe('the form most reviews wrote it in (search the comments with it: `reviews?q=`)'),
  key: z.string().describe('the folded, lightly stemmed key its forms are counted under'),
  reviews: z.int().min(1).describe('distinct reviews that wrote it'),
};
const distinctive = z.strictObject({
  ...term,
  bad: z.int().min(0).describe('«\u00a0Pas bien\u00a0» reviews that wrote it'),
  good: z.int().min(0).describe('«\u00a0Très bien\u00a0» reviews that wrote it'),
  log_odds: z.number().describe('smoothed log-odds of «\u00a0Pas bien\u00a0» over «\u00a0Très bien\u00a0» (informative Dirichlet prior)'),
  z: z.number().describe('log_odds over its standard error; |z| ≥ 1.96'),
});

export const InsightsReplySchema = z.strictObject({
  procedure: z.string(),
  window,
  placement: z.string().nullable(),
  min_reviews: z.int().min(1).describe('TERM_MIN_REVIEWS: no term fewer reviews wrote in the window is listed'),
  reviews: z
    .strictObject({ all: z.int().min(0), bad: z.int().min(0), medium: z.int().min(0), good: z.int().min(0) })
    .describe('reviews whose comment had at least one term, per satisfaction answer'),
  top: z
    .array(z.strictObject(term))
    .describe('the most written terms; a word is left out when one of its bigrams holds ≥ 70 % of its reviews'),
  distinctive: z.strictObject({
    bad: z.array(distinctive).describe('terms of unhappy reviews, strongest first'),
    good: z.array(distinctive).describe('terms of happy reviews, strongest first'),
  }),
  rising: z.strictObject({
    recent: window.describe('the last 30 days of the window'),
    earlier: window.describe('the 90 days before'),
    reviews: z.strictObject({ recent: z.int().min(0), earlier: z.int().min(0) }),
    terms: z
      .array(
        z.strictObject({
          ...term,
          recent: z.int().min(0),
          earlier: z.int().min(0),
          g2: z.number().describe('log-likelihood G² of the change in share of reviews; ≥ 10.83 (p < 0.001)'),
        }),
      )
      .describe('terms whose share of reviews grew, most significant first'),
  }),
});
export type InsightsReply = z.infer<typeof InsightsReplySchema>;
