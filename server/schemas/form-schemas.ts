// A procedure's form (SPEC §3 "Customisation"): the draft an admin sends, and what the agency API
// and the widget's route answer. The limits come from shared/form-config.ts, never written twice.
import { z } from 'zod';
import { LABEL_MAX, LABEL_PATHS, OPTIONAL_STEPS } from '../../shared/form-config.ts';
import { WIDGET_LANGS } from '../../shared/questionnaire.ts';
import { line } from './text-fields.ts';

const label = line().trim().min(1).max(LABEL_MAX);
const labels = z.record(z.string(), label).superRefine((entries, ctx) => {
  for (const path of Object.keys(entries)) {
    if (!LABEL_PATHS.includes(path)) ctx.addIssue({ code: 'custom', path: [path], message: 'not a question or an answer of the form' });
  }
});

export const FormChangesSchema = z.strictObject({
  hidden: z
    .array(z.enum(OPTIONAL_STEPS))
    .refine((list) => new Set(list).size === list.length, 'must not repeat a step')
    .default([]),
  /** Per language, the new words of a question or an answer, by its path (`clarity.question`, `help_sought.answers.phone`…). */
  labels: z.partialRecord(z.enum(WIDGET_LANGS), labels).default({}),
});

const changes = z.object({
  hidden: z.array(z.enum(OPTIONAL_STEPS)),
  labels: z.partialRecord(z.enum(WIDGET_LANGS), z.record(z.string(), z.string())),
});

export const FormReplySchema = z.object({
  draft: changes.extend({ updated_at: z.string(), updated_by: z.string() }).nullable(),
  published: changes.extend({ version: z.int(), published_at: z.string(), published_by: z.string() }).nullable(),
  versions: z.array(z.object({ version: z.int(), published_at: z.string(), archived_at: z.string().nullable() })),
  /** Whether the observatory publishes the procedure: its indicator steps may not be hidden. */
  in_observatory: z.boolean(),
});

export const FormConfigQuerySchema = z.strictObject({ lang: z.enum(WIDGET_LANGS).default('fr') });
export const FormConfigReplySchema = z.object({
  version: z.int().nullable().describe('la version publiée\u00a0; null\u00a0: le formulaire par défaut'),
  hidden: z.array(z.enum(OPTIONAL_STEPS)),
  labels: z.record(z.string(), z.string()).describe('les libellés de la langue demandée, par chemin de question ou de réponse'),
});
