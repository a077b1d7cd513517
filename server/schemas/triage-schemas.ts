import { z } from 'zod';
import { SLUG_PATTERN } from '../../shared/questionnaire.ts';
import { TRIAGE_STATUSES } from '../store/store.ts';
import { line } from './text-fields.ts';

// Comment triage (SPEC §8): one change of a review per request, and an entity's tags.
const once = z.string({ error: 'must be given once' });
const tagId = z.int('must be a tag id').min(1, 'must be a tag id').max(Number.MAX_SAFE_INTEGER, 'must be a tag id');

export const TriageBodySchema = z
  .union([
    z.strictObject({ status: z.enum(TRIAGE_STATUSES, { error: `must be one of ${TRIAGE_STATUSES.join(', ')}` }) }),
    z.strictObject({ spam: z.boolean('must be true or false') }),
    z.strictObject({ duplicate: z.enum(['confirmed', 'cleared'], { error: 'must be confirmed or cleared' }) }),
    z.strictObject({ tag: tagId, on: z.boolean('must be true or false') }),
  ])
  .describe(
    'Un seul changement\u00a0: `status` (new, seen, handled), `spam` (true ou false), `duplicate` (confirmed ou cleared, pour un avis signalé comme doublon), ou `tag` (le numéro d’une étiquette de l’entité) avec `on`',
  );

export const TagParamsSchema = z.strictObject({
  entity: once.regex(SLUG_PATTERN),
  tagId: once.regex(/^[1-9]\d{0,15}$/, 'must be a tag id').transform(Number),
});

export const TagBodySchema = z.strictObject({
  name: line().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters'),
});

export const TagSchema = z.object({ id: z.int(), name: z.string(), reviews: z.int().min(0).describe('avis qui la portent') });
export const TagListSchema = z.object({ tags: z.array(TagSchema).describe('par nom') });
