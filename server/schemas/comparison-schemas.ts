import { z } from 'zod';
import { isDay } from '../../shared/feed-window.ts';
import { SLUG_PATTERN } from '../../shared/questionnaire.ts';
import { COMPARED, type Comparison } from '../agency/procedure-comparison.ts';

// Comparisons (SPEC §8): side a is a procedure over a window of UTC days; side b another procedure
// of its entity, or the same, over its own window (by default a's). Strict, as every agency query.
const once = z.string({ error: 'must be given once' });
const slug = once.regex(SLUG_PATTERN, 'must be a lowercase slug: letters, digits and dashes, 2 to 64 characters');
const day = once.refine(isDay, 'must be a UTC day written YYYY-MM-DD');

export const ComparisonQuerySchema = z.strictObject({
  a: slug.describe('la démarche comparée'),
  from: day.optional().describe('début de la période de a (par défaut, 12 mois avant `to`)'),
  to: day.optional().describe('fin de la période de a (par défaut, aujourd’hui)'),
  b: slug.optional().describe('l’autre démarche, de la même entité (par défaut, a)'),
  b_from: day.optional().describe('début de la période de b (par défaut, celui de a)'),
  b_to: day.optional().describe('fin de la période de b (par défaut, celle de a)'),
});

const value = z.strictObject({
  value: z.number().nullable().describe('note sur 10, ou taux de 0 à 1 (help_reachable, autonomy)\u00a0; null sans réponse'),
  interval: z.strictObject({ low: z.number(), high: z.number() }).nullable().describe('intervalle à 95 %'),
  answers: z.int().min(0),
});
const side = z.strictObject({
  procedure: z.strictObject({ id: z.string(), title: z.string() }),
  window: z.strictObject({ from: z.string(), to: z.string() }),
  reviews: z.int().min(0),
});
const indicator = z.strictObject({
  a: value,
  b: value,
  difference: z.number().nullable().describe('b − a'),
  beyond_intervals: z
    .boolean()
    .nullable()
    .describe('vrai quand les deux intervalles à 95 % ne se chevauchent pas\u00a0: l’écart dépasse les intervalles'),
});

export const ComparisonSchema = z.strictObject({
  a: side,
  b: side,
  indicators: z.strictObject(
    Object.fromEntries(COMPARED.map((name) => [name, indicator])) as Record<(typeof COMPARED)[number], typeof indicator>,
  ),
}) satisfies z.ZodType<Comparison>;
