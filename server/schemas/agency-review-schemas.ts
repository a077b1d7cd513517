import { z } from 'zod';
import { isDay } from '../../shared/feed-window.ts';
import {
  ADMIN_CHANNELS,
  HELP_CHANNELS,
  WIDGET_LANGS,
  REACHED_ANSWERS,
  SATISFACTION_ANSWERS,
  SCALE_VALUES,
  SLUG_PATTERN,
} from '../../shared/questionnaire.ts';
import type { ProcedureStats } from '../agency/procedure-stats.ts';
import { TRIAGE_STATUSES, type ReviewCursor } from '../store/store.ts';
import { IndicatorsSchema } from './feed-schema.ts';
import { line, text } from './text-fields.ts';

// The agency's review routes (SPEC §8): stats, listing, exports, moderation. Queries are strict, as
// the feed's: a misspelt filter is a 400 naming it, never an unfiltered answer. Fastify turns a
// repeated parameter into an array: every field is expected once, as text.
const once = z.string({ error: 'must be given once' });
const slug = once.regex(SLUG_PATTERN, 'must be a lowercase slug: letters, digits and dashes, 2 to 64 characters');
const day = once.refine(isDay, 'must be a UTC day written YYYY-MM-DD');

export const ProcedureParamsSchema = z.strictObject({ id: slug });
export const ReviewParamsSchema = z.strictObject({
  id: slug,
  reviewId: once.regex(/^[1-9]\d{0,15}$/, 'must be a review id').transform(Number),
});

/** A held-back span of a review, by its number (SPEC §8). */
export const SuspectParamsSchema = ReviewParamsSchema.extend({
  n: once.regex(/^[1-9]\d{0,5}$/, 'must be a span number').transform(Number),
});

export const StatsQuerySchema = z.strictObject({
  from: day.optional(),
  to: day.optional(),
  placement: slug.optional(),
  interval: z.enum(['day', 'week', 'month'], { error: 'must be day, week or month' }).default('month'),
});

/** A cursor is opaque to clients: the base64url of "day~id". */
export const encodeCursor = (cursor: ReviewCursor): string => Buffer.from(`${cursor.day}~${cursor.id}`).toString('base64url');

const cursor = once.transform((text, ctx): ReviewCursor => {
  const match = /^(\d{4}-\d{2}-\d{2})~([1-9]\d{0,15})$/.exec(Buffer.from(text, 'base64url').toString());
  if (!match || !isDay(match[1]!) || !Number.isSafeInteger(Number(match[2]))) {
    ctx.addIssue({ code: 'custom', message: 'must be a next_cursor returned by this listing' });
    return z.NEVER;
  }
  return { day: match[1]!, id: Number(match[2]) };
});

const reviewFilters = {
  from: day.optional(),
  to: day.optional(),
  placement: slug.optional(),
  satisfaction: z.enum(SATISFACTION_ANSWERS, { error: `must be one of ${SATISFACTION_ANSWERS.join(', ')}` }).optional(),
  has_comment: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .pipe(z.boolean())
    .optional(),
  q: text({ error: 'must be given once' }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  status: z.enum(TRIAGE_STATUSES, { error: `must be one of ${TRIAGE_STATUSES.join(', ')}` }).optional(),
  tag: once
    .regex(/^[1-9]\d{0,15}$/, 'must be a tag id')
    .transform(Number)
    .pipe(z.number().min(1))
    .optional(),
  marked: z.enum(['hide', 'show', 'only'], { error: 'must be hide, show or only' }).optional(),
};

export const ExportQuerySchema = z.strictObject(reviewFilters);

export const ReviewsQuerySchema = z.strictObject({
  ...reviewFilters,
  cursor: cursor.optional(),
  limit: once
    .regex(/^\d{1,3}$/, 'must be an integer from 1 to 200')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be an integer from 1 to 200').max(200, 'must be an integer from 1 to 200'))
    .default(50),
});

export const HideBodySchema = z.strictObject({
  reason: line().trim().min(1, 'must say why').max(500, 'must be at most 500 characters'),
});

// ---- Replies (documented; the routes build them from store records).

const scale = z.literal(SCALE_VALUES);
export const AgencyReviewSchema = z.object({
  id: z.number().int(),
  created_at: z.string().describe('ISO time of the hot rating'),
  day: z.string().describe('UTC day of the hot rating'),
  placement: z.string(),
  test: z.boolean().describe('given on a test placement: listed, never counted in the indicators, the feed or the observatory'),
  lang: z.enum(WIDGET_LANGS),
  answers: z.object({
    satisfaction: z.enum(SATISFACTION_ANSWERS),
    clarity: scale.nullable(),
    help_sought: z.array(z.enum(HELP_CHANNELS)).nullable(),
    help_reached: z.partialRecord(z.enum(ADMIN_CHANNELS), z.enum(REACHED_ANSWERS)).nullable(),
    help_quality: z.partialRecord(z.enum(ADMIN_CHANNELS), scale).nullable(),
  }),
  form_version: z
    .int()
    .nullable()
    .describe('la version publiée du formulaire donnée à l’usager\u00a0; null\u00a0: le formulaire par défaut'),
  comment: z.string().nullable().describe('null when not written, erased by retention, or hidden'),
  help_other: z.string().nullable(),
  hidden: z.object({ reason: z.string(), at: z.string(), by: z.string() }).nullable(),
  pii_suspected: z
    .boolean()
    .describe('des passages du texte libre sont retenus, masqués «\u00a0[à vérifier]\u00a0» / "[to check]", jusqu’à leur vérification'),
  suspects: z
    .array(z.object({ n: z.int().min(1), field: z.enum(['comment', 'help_other']), category: z.string() }))
    .describe('les passages retenus, dans l’ordre du texte\u00a0; vide si le texte est masqué'),
  status: z.enum(TRIAGE_STATUSES).describe('new «\u00a0nouveau\u00a0», seen «\u00a0lu\u00a0», handled «\u00a0traité\u00a0»'),
  tags: z.array(z.object({ id: z.int(), name: z.string() })).describe('les étiquettes de l’entité posées sur l’avis, par nom'),
  suggested_tag: z
    .object({ id: z.int(), name: z.string(), precision: z.number().min(0).max(1) })
    .nullable()
    .describe(
      'dans une liste, l’étiquette que le modèle de l’entité propose pour un avis commenté sans étiquette, et la part de ses propositions justes sur les avis mis de côté\u00a0; jamais posée sans qu’un membre la pose (POST …/triage)',
    ),
  spam: z.object({ at: z.string(), by: z.string() }).nullable().describe('marqué indésirable\u00a0: quand, par qui'),
  duplicate: z
    .object({ of: z.int().describe('l’avis antérieur qu’il répète'), state: z.enum(['flagged', 'confirmed', 'cleared']) })
    .nullable()
    .describe('signalé à l’arrivée de son texte (flagged), puis confirmé ou écarté par un membre'),
});
export type AgencyReview = z.infer<typeof AgencyReviewSchema>;

export const ReviewsPageSchema = z.object({
  reviews: z.array(AgencyReviewSchema),
  next_cursor: z.string().nullable().describe('null at the end; a page may hold fewer reviews than `limit` and still go on'),
});

const figures = { reviews: z.int().min(0), indicators: IndicatorsSchema };
const statsDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const ProcedureStatsSchema = z.strictObject({
  procedure: z.strictObject({ id: z.string(), title: z.string(), entity: z.string() }),
  window: z.strictObject({ from: statsDay, to: statsDay }).describe('inclusive UTC days'),
  interval: z.enum(['day', 'week', 'month']),
  ...figures,
  series: z
    .array(z.strictObject({ from: statsDay, to: statsDay, ...figures }))
    .describe('one point per day, week (from Monday) or month the window touches, clipped to the window'),
  placements: z.array(z.strictObject({ placement: z.string(), ...figures })),
  marked: z
    .strictObject({ spam: z.int().min(0), duplicates: z.int().min(0) })
    .describe(
      'avis de la fenêtre (tous emplacements) marqués indésirables, ou doublons signalés ou confirmés\u00a0: comptés dans les indicateurs, écartés des listes par défaut',
    ),
}) satisfies z.ZodType<ProcedureStats>;
