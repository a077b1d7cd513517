import { z } from 'zod';
import { isDay } from '../../shared/feed-window.ts';
import { PROBLEM_KINDS, PROBLEM_TEXT_MAX, TEXT_KINDS, type ProblemKind } from '../../shared/problem-report.ts';
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

export const ProblemReportCreatedSchema = z
  .strictObject({
    id: z.int().min(1).describe('l’identifiant du signalement'),
    contact_url: z
      .string()
      .nullable()
      .describe('pour «\u00a0ma situation personnelle\u00a0»\u00a0: la page de contact de la démarche, ou null'),
  })
  .describe('Signalement enregistré (la réponse suit la validation en base)');

// ---- The agency's side: its reports, listed and exported apart from reviews (SPEC §8).
const once = z.string({ error: 'must be given once' });
const day = once.refine(isDay, 'must be a UTC day written YYYY-MM-DD');

export const ProblemReportsQuerySchema = z.strictObject({
  from: day.optional(),
  to: day.optional(),
  limit: once.pipe(z.coerce.number<string>().int().min(1).max(1000)).default(100),
});
export const ProblemReportsExportQuerySchema = z.strictObject({ from: day.optional(), to: day.optional() });

const counts = z.strictObject(Object.fromEntries(PROBLEM_KINDS.map((kind) => [kind, z.int().min(0)])) as Record<ProblemKind, z.ZodInt>);

export const AgencyProblemReportSchema = z.strictObject({
  id: z.int().min(1),
  created_at: z.iso.datetime(),
  day: z.string(),
  placement: z.string(),
  lang: z.enum(WIDGET_LANGS),
  kind: z.enum(PROBLEM_KINDS),
  text: z.string().nullable().describe('scrubbed of personal data; null for «\u00a0ma situation personnelle\u00a0»'),
});
export type AgencyProblemReport = z.infer<typeof AgencyProblemReportSchema>;

export const ProblemReportsReplySchema = z
  .strictObject({
    from: z.string(),
    to: z.string(),
    counts: counts.describe('reports of each kind over the window'),
    reports: z.array(AgencyProblemReportSchema).describe('the newest first, at most `limit`'),
  })
  .describe('Les signalements de la démarche sur la fenêtre');
