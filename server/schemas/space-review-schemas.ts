import { z } from 'zod';
import { LANGS } from '../../shared/questionnaire.ts';
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
});
export type ReviewsPageQuery = z.output<typeof ReviewsPageQuerySchema>;

export const HideFormSchema = HideBodySchema.extend({ _csrf: z.string() });
