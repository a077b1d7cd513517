import { z } from 'zod';
import { PROBLEM_KINDS, PROBLEM_TEXT_MAX, TEXT_KINDS } from '../../shared/problem-report.ts';
import { SLUG_PATTERN, WIDGET_LANGS } from '../../shared/questionnaire.ts';
import { text } from './text-fields.ts';

const slug = z.string().regex(SLUG_PATTERN, 'must be a lowercase slug: letters, digits and dashes, 2 to 64 characters');

/**
 * A report of the problem form. A technical problem and a suggestion need their text; « my own
 * situation » must come without one: the form never collects a person's case (SPEC §3).
 */
export const ProblemReportSchema = z
  .strictObject({
    procedure: slug,
    placement: slug.optional(),
    kind: z.enum(PROBLEM_KINDS),
    text: text().trim().min(1).max(PROBLEM_TEXT_MAX).optional(),
    lang: z.enum(WIDGET_LANGS).optional(),
  })
  .superRefine((report, ctx) => {
    const wantsText = TEXT_KINDS.includes(report.kind);
    if (wantsText && report.text === undefined)
      ctx.addIssue({ code: 'custom', path: ['text'], message: `required when kind is "${report.kind}"` });
    if (!wantsText && report.text !== undefined)
      ctx.addIssue({ code: 'custom', path: ['text'], message: `not allowed when kind is "${report.kind}"` });
  });
export type ProblemReportBody = z.infer<typeof ProblemReportSchema>;

export const ProblemReportCreatedSchema = z
  .strictObject({
    id: z.int().min(1).describe('l’identifiant du signalement'),
    contact_url: z.string().nullable().describe('pour « ma situation personnelle » : la page de contact de la démarche, ou null'),
  })
  .describe('Signalement enregistré (la réponse suit la validation en base)');
