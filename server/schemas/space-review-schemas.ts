import { z } from 'zod';
import { LANGS } from '../../shared/questionnaire.ts';
import { TRIAGE_STATUSES } from '../store/store.ts';
import { ExportQuerySchema, HideBodySchema, ReviewParamsSchema, ReviewsQuerySchema } from './agency-review-schemas.ts';

// The comments page of the agency space (/espace/demarches/:id/avis): the same filters as the API's
// listing (agency-review-schemas.ts), as a GET form sends them, where a field left empty is no filter.
const blankIsAbsent = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema);

const reviewId = ReviewParamsSchema.shape.reviewId.optional();
const filters = ExportQuerySchema.shape;

export const ReviewsPageQuerySchema = z.strictObject({
  from: blankIsAbsent(filters.from),
  to: blankIsAbsent(filters.to),
  placement: blankIsAbsent(filters.placement),
  satisfaction: blankIsAbsent(filters.satisfaction),
  q: blankIsAbsent(filters.q),
  status: blankIsAbsent(filters.status),
  tag: blankIsAbsent(filters.tag),
  marked: blankIsAbsent(filters.marked),
  // « Seulement avec commentaire », checked by default: a checkbox left unchecked sends nothing, so
  // the form also sends `filters=1`, and links say `comments=all`.
  comments: z.enum(['only', 'all'], { error: 'must be only or all' }).optional(),
  filters: z.literal('1', { error: 'must be 1' }).optional(),
  cursor: ReviewsQuerySchema.shape.cursor,
  lang: z.enum(LANGS, { error: `must be one of ${LANGS.join(', ')}` }).optional(),
  /** The review whose comment was just hidden, or restored: the page says so beside it. */
  hidden: reviewId,
  restored: reviewId,
  /** The review one of whose held-back passages was just masked for good, or published. */
  confirmed: reviewId,
  released: reviewId,
  /** The review whose triage was just saved. */
  triaged: reviewId,
});
export type ReviewsPageQuery = z.output<typeof ReviewsPageQuerySchema>;

export const HideFormSchema = HideBodySchema.extend({ _csrf: z.string() });

/** A review's triage form: the whole of its state, as the form shows it (an unchecked box sends nothing). */
export const TriageFormSchema = z.strictObject({
  _csrf: z.string(),
  status: z.enum(TRIAGE_STATUSES),
  tag: z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^[1-9]\d{0,15}$/)
            .transform(Number),
        )
        .max(100),
    )
    .default([]),
  spam: z.literal('on').optional(),
  duplicate: z.enum(['', 'confirmed', 'cleared']).optional(),
});

/** « Appliquer » beside a suggested tag: the one tag to set. */
export const SuggestionFormSchema = z.strictObject({
  _csrf: z.string(),
  tag: z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .transform(Number),
});
