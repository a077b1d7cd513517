// The agency API's requests and replies (SPEC §8): accounts, procedures, members, keys, audit.
// Strict objects, like the public API: an unknown field is a 400 naming it, never silently dropped.
import { z } from 'zod';
import { DEFAULT_PLACEMENT, SLUG_PATTERN } from '../../shared/questionnaire.ts';
import { HttpError } from '../http-errors.ts';
import { issueDetails } from './review-schemas.ts';
import { line } from './text-fields.ts';

const slug = z.string().regex(SLUG_PATTERN, 'must be a lowercase slug: letters, digits and dashes, 2 to 64 characters');
const email = z
  .email('must be an e-mail address')
  .max(254)
  .transform((value) => value.toLowerCase());
const role = z.enum(['admin', 'reader']);

/** An allowed origin is scheme://host[:port], nothing more (SPEC §2). */
const origin = z.string().transform((value, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {}
  const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if (!url || !bare || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    ctx.addIssue({ code: 'custom', message: 'must be an origin: http(s)://host[:port], without a path' });
    return z.NEVER;
  }
  return url.origin;
});
/**
 * The page « ma situation personnelle » sends people to (SPEC §3 "Signaler un problème"): an https
 * address without credentials, at most 2,000 characters, as `new URL` writes it.
 */
export const contactUrl = line()
  .max(2000)
  .transform((value, ctx) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {}
    if (url?.protocol !== 'https:' || url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must be an https:// address without user name or password' });
      return z.NEVER;
    }
    return url.href;
  });

const unique = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .max(100)
    .refine((list) => new Set(list).size === list.length, 'must not repeat an item');

// ---- Parameters and queries

export const ProcedureParamsSchema = z.strictObject({ id: slug });
export const EntityParamsSchema = z.strictObject({ entity: slug });
export const MemberParamsSchema = z.strictObject({ entity: slug, email });
export const KeyParamsSchema = z.strictObject({ entity: slug, name: line().min(1).max(100) });

/** Fastify turns a repeated parameter into an array: each is expected once, as text. */
const once = z.string({ error: 'must be given once' });
export const SnippetQuerySchema = z.strictObject({ placement: once.regex(SLUG_PATTERN, 'must be a placement id').optional() });
/** Refused attempts are kept 90 days. */
export const HealthQuerySchema = z.strictObject({ days: once.pipe(z.coerce.number<string>().int().min(1).max(90)).default(30) });
export const AuditQuerySchema = z.strictObject({
  entity: once.regex(SLUG_PATTERN, 'must be an entity id'),
  before: once.pipe(z.coerce.number<string>().int().positive()).optional(),
  limit: once.pipe(z.coerce.number<string>().int().min(1).max(500)).default(100),
});

// ---- Bodies

export const NewProcedureSchema = z.strictObject({
  id: slug,
  title: line().trim().min(1).max(200),
  entity: slug,
  origins: unique(origin).min(1),
  placements: unique(slug).optional(),
});

/**
 * Origins and placements change by `add` and `remove`, not by replacing the list: two admins
 * editing at once cannot undo each other, and a page's origin is never dropped by a stale list.
 */
const listChange = <T extends z.ZodType>(item: T) => z.strictObject({ add: unique(item).optional(), remove: unique(item).optional() });
export const ProcedureChangeSchema = z.strictObject({
  title: line().trim().min(1).max(200).optional(),
  origins: listChange(origin).optional(),
  placements: listChange(slug)
    .refine(
      (change) => !change.remove?.includes(DEFAULT_PLACEMENT),
      `"${DEFAULT_PLACEMENT}" cannot be removed: ratings without a placement go there`,
    )
    .optional(),
  /** Placements marked test (`add`) or no longer (`remove`): it applies to the reviews to come (SPEC §2). */
  test_placements: listChange(slug).optional(),
  /**
   * The procedure's JDMA product id, so that the observatory's pipeline finds it under the number it
   * already has: JDMA's range only (1 to 999,999); the numbers from 1,000,000 are the collector's own.
   */
  product_id: z.int().min(1).max(999_999).optional(),
  /** The procedure's contact page, shown by the problem form to « ma situation personnelle »; null removes it. */
  contact_url: contactUrl.nullable().optional(),
});

export const NewMemberSchema = z.strictObject({ email, role });
export const MemberChangeSchema = z.strictObject({ role });
export const NewKeySchema = z.strictObject({
  name: line()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\s/]+( [^\s/]+)*$/, 'must be words without slashes'),
  /** Omitted or null: every procedure of the entity. */
  procedures: unique(slug).min(1).nullable().optional(),
});

// ---- Replies

export const ProcedureReplySchema = z.object({
  id: z.string(),
  title: z.string(),
  entity: z.object({ id: z.string(), name: z.string() }),
  origins: z.array(z.string()),
  placements: z.array(z.string()),
  /** The placements marked test: their reviews are listed, never counted (SPEC §2). */
  test_placements: z.array(z.string()),
  archived_at: z.string().nullable(),
  /** Its number for the JDMA drop-in (answer.getObservatoireStats): assigned, or the JDMA product id recorded. */
  product_id: z.int().min(1),
  /** The contact page « ma situation personnelle » sends people to (problem form), or null. */
  contact_url: z.string().nullable(),
});
export const ProcedureListReplySchema = z.object({
  procedures: z.array(ProcedureReplySchema.extend({ reviews: z.number().int() })),
});

export const MeReplySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('member'),
    email: z.string(),
    entities: z.array(z.object({ id: z.string(), name: z.string(), role })),
    csrf_token: z.string(),
  }),
  z.object({
    kind: z.literal('key'),
    name: z.string(),
    entity: z.object({ id: z.string(), name: z.string() }),
    /** null: every procedure of the entity. */
    procedures: z.array(z.string()).nullable(),
  }),
]);

export const SnippetReplySchema = z.object({ procedure: z.string(), placement: z.string().nullable(), snippet: z.string() });

const fix = z
  .object({ method: z.enum(['PATCH', 'POST']), path: z.string(), body: z.record(z.string(), z.unknown()).optional() })
  .nullable();
export const HealthReplySchema = z.object({
  procedure: z.string(),
  from: z.string(),
  totals: z.object({ integration_faults: z.number().int(), anti_abuse_limits: z.number().int(), stored_with_warning: z.number().int() }),
  refused: z.array(
    z.object({
      day: z.string(),
      reason: z.string(),
      kind: z.enum(['fault', 'limit', 'stored']),
      origin: z.string(),
      placement: z.string(),
      count: z.number().int(),
      fix,
    }),
  ),
  unknown_procedures: z.array(z.object({ id: z.string().nullable(), origin: z.string(), count: z.number().int() })),
});

const member = z.object({ email: z.string(), role, created_at: z.string() });
export const MemberReplySchema = member;
export const MemberListReplySchema = z.object({ members: z.array(member) });

const key = z.object({
  name: z.string(),
  procedures: z.array(z.string()).nullable(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});
export const KeyListReplySchema = z.object({ keys: z.array(key) });
/** The key itself is in this reply only: only its hash is stored. */
export const NewKeyReplySchema = key.extend({ key: z.string() });

export const AuditReplySchema = z.object({
  entries: z.array(
    z.object({
      id: z.number().int(),
      at: z.string(),
      actor: z.string(),
      action: z.string(),
      target: z.string(),
      details: z.record(z.string(), z.unknown()),
      /** Identical events within a minute are one entry: how many it stands for (1 or more). */
      count: z.number().int().min(1),
    }),
  ),
  /** Pass as `before` for the next (older) page; null on the last page. */
  next_before: z.number().int().nullable(),
});

/** The query of a route that takes no parameter: any parameter is a 400 naming it. */
export const NoQuerySchema = z.strictObject({});

/**
 * Parses a request's query or body: a 400 `invalid_query` / `invalid_body` naming each wrong field.
 * A path that names no possible resource is a 404, as one that names another entity's is.
 */
export function parseRequest<T extends z.ZodType>(schema: T, value: unknown, part: 'body' | 'query' | 'params'): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  if (part === 'params') throw new HttpError(404, 'not_found', 'No such resource.');
  throw new HttpError(400, `invalid_${part}`, `The request ${part} does not match the API.`, issueDetails(result.error));
}
