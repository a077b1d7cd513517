import { z } from 'zod';
import { isDay } from '../../shared/feed-window.ts';
import { SLUG_PATTERN } from '../../shared/questionnaire.ts';
import type { ErrorDetail } from '../http-errors.ts';
import { line } from './text-fields.ts';

// Query of GET /api/v1/feed and /api/v1/feed.csv (SPEC §6). Strict: a misspelt filter is a 400
// naming it, never silently ignored (a dashboard would otherwise publish unfiltered numbers).
// Fastify turns a repeated parameter into an array: every field is expected once, as text.
const once = z.string({ error: 'must be given once' });
const slug = once.regex(SLUG_PATTERN, 'must be a lowercase slug: letters, digits and dashes, 2 to 64 characters');
const day = once.refine(isDay, 'must be a UTC day written YYYY-MM-DD');

export const FeedQuerySchema = z.strictObject({
  procedure: once
    .transform((list) => list.split(','))
    .pipe(z.array(z.string().regex(SLUG_PATTERN, 'must be procedure ids separated by commas')).max(1000))
    .optional()
    .describe('identifiants de démarches séparés par des virgules (1\u00a0000 au plus)'),
  entity: line({ error: 'must be given once' }).min(1, 'must not be empty').max(200).optional().describe('le nom d’une entité'),
  placement: slug.optional().describe('un emplacement (`site`, `email`…)'),
  from: day.optional().describe('premier jour inclus, AAAA-MM-JJ (UTC)'),
  to: day.optional().describe('dernier jour inclus, AAAA-MM-JJ (UTC)'),
});

/** zod issues as `details` (SPEC §6), naming query parameters rather than body fields. */
export function queryIssueDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: key, message: 'unknown query parameter' }));
    }
    return [{ field: String(issue.path[0] ?? '(query)'), message: issue.message }];
  });
}
