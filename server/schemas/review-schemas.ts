import { z } from 'zod';
import {
  ADMIN_CHANNELS,
  HELP_CHANNELS,
  WIDGET_LANGS,
  LIMITS,
  NO_HELP,
  REACHED_ANSWERS,
  SATISFACTION_ANSWERS,
  SCALE_VALUES,
  SLUG_PATTERN,
  type FollowUpAnswers,
  type HotRating,
  type ReviewCreated,
} from '../../shared/questionnaire.ts';
import type { ErrorDetail } from '../http-errors.ts';
import { text } from './text-fields.ts';

// Derived from the questionnaire data (shared/questionnaire.ts), never written twice.
// Strict objects everywhere: an unknown field is an error, not silently dropped (SPEC §7).
const slug = z.string().regex(SLUG_PATTERN, 'must be a lowercase slug: letters, digits and dashes, 2 to 64 characters');
const scale = z.literal(SCALE_VALUES, { error: 'must be an integer from 1 to 5' });

export const HotRatingSchema = z.strictObject({
  procedure: slug,
  placement: slug.optional(),
  satisfaction: z.enum(SATISFACTION_ANSWERS),
  lang: z.enum(WIDGET_LANGS).optional(),
  /** The published form version the rater was shown (GET /api/v1/forms/:procedure); absent: the default form. */
  form_version: z.int().min(1).max(2_147_483_647).optional(),
}) satisfies z.ZodType<HotRating>;

export const FollowUpAnswersSchema = z
  .strictObject({
    clarity: scale.optional(),
    help_sought: z
      .array(z.enum(HELP_CHANNELS))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'must not repeat a channel')
      .refine((list) => !list.includes(NO_HELP) || list.length === 1, `"${NO_HELP}" excludes every other channel`)
      .optional(),
    help_other: text().max(LIMITS.helpOther).optional(),
    help_reached: z.partialRecord(z.enum(ADMIN_CHANNELS), z.enum(REACHED_ANSWERS)).optional(),
    help_quality: z.partialRecord(z.enum(ADMIN_CHANNELS), scale).optional(),
    comment: text().max(LIMITS.comment).optional(),
  })
  .superRefine((answers, ctx) => {
    // SPEC §6: inconsistent answers are a 400, never silently dropped.
    const sought = new Set<string>(answers.help_sought ?? []);
    if (answers.help_other !== undefined && !sought.has('other')) {
      ctx.addIssue({ code: 'custom', path: ['help_other'], message: 'only allowed when help_sought includes "other"' });
    }
    for (const channel of Object.keys(answers.help_reached ?? {})) {
      if (!sought.has(channel)) {
        ctx.addIssue({ code: 'custom', path: ['help_reached', channel], message: 'channel not in help_sought' });
      }
    }
    for (const channel of Object.keys(answers.help_quality ?? {})) {
      if (answers.help_reached?.[channel as keyof typeof answers.help_reached] !== 'yes') {
        ctx.addIssue({ code: 'custom', path: ['help_quality', channel], message: 'channel not reached ("yes") in help_reached' });
      }
    }
  }) satisfies z.ZodType<FollowUpAnswers>;

export const FollowUpSchema = z.strictObject({
  token: z.string().min(1).max(256),
  answers: FollowUpAnswersSchema,
});

/** The replies of the two review routes, for the API reference (server/api-docs.ts). */
export const ReviewCreatedSchema = z
  .strictObject({
    id: z.int().min(1).describe('l’identifiant de l’avis, pour POST /api/v1/reviews/{id}'),
    token: z.string().describe('le jeton qui seul permet d’ajouter les réponses (256 bits, base64url)\u00a0: seul son hachage est gardé'),
    expires_at: z.iso.datetime().describe('jusqu’à quand les réponses sont acceptées (la note plus une heure)'),
  })
  .describe('Avis enregistré (la réponse suit la validation en base)') satisfies z.ZodType<ReviewCreated>;

export const FollowUpSavedSchema = z
  .strictObject({ id: z.int().min(1) })
  .describe('Réponses enregistrées (elles remplacent les précédentes)');

/** Turns zod issues into `details` naming each offending field (dotted path; unknown keys named one by one). */
export function issueDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: base ? `${base}.${key}` : key, message: 'unknown field' }));
    }
    return [{ field: base || '(body)', message: issue.message }];
  });
}
