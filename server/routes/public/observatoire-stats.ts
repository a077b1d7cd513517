import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addCount } from '../../../shared/feed.ts';
import { utcDay } from '../../../shared/feed-window.ts';
import { emptyWindowCounts, SCALE_KEYS, type ScaleCounts, type WindowCounts } from '../../../shared/indicators.ts';
import { MARKS } from '../../../shared/questionnaire.ts';
import { apiRoute, PUBLIC, STORAGE_UNAVAILABLE } from '../../api-docs.ts';
import { publishableSpan } from '../../publishable-span.ts';
import type { Store } from '../../store/store.ts';

// A drop-in for the observatory's pipeline (README "The JDMA drop-in"): the same path, query and
// reply as JDMA's public tRPC procedure answer.getObservatoireStats, so that a pipeline written
// for JDMA, pointed at this collector, reads our rollups with no other change. Its replies, errors
// included, are tRPC's (superjson envelope), not our error shape: that is what such clients parse.

export const OBSERVATOIRE_STATS_PATH = '/api/trpc/answer.getObservatoireStats';
const PROCEDURE_PATH = 'answer.getObservatoireStats';

/** What JDMA's procedure accepts (a loose object, as tRPC's zod input is): the keys we do not use are read and ignored. */
const InputSchema = z.object({
  product_id: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  form_id: z.int().optional(),
  button_id: z.int().optional(),
  start_date: z.string().max(40).optional(),
  end_date: z.string().max(40).optional(),
  isXWiki: z.boolean().optional(),
  needLogging: z.boolean().optional(),
});

const QuerySchema = z.object({
  input: z
    .string()
    .describe(
      'JSON superjson de tRPC\u00a0: `{"json":{"product_id":123,"start_date":"<ms>","end_date":"<ms>"}}` (dates en millisecondes depuis 1970, ou AAAA-MM-JJ)',
    ),
});

const StatsSchema = z.strictObject({
  data: z.strictObject({
    satisfaction: z.number().describe('/10\u00a0: bien 10, moyen 5, mauvais 0'),
    comprehension: z.number().describe('/10\u00a0: échelle 1..5 notée 0, 2.5, 5, 7.5, 10'),
    contact: z.number().describe('/10\u00a0: notes de la qualité de l’aide, une aide non obtenue comptant 0'),
    contact_reachability: z.number().describe('0..1\u00a0: aides obtenues / réponses'),
    contact_satisfaction: z.number().describe('/10\u00a0: qualité de l’aide obtenue'),
    autonomy: z.number().describe('/10\u00a0: 10 × sans besoin d’aide / réponses'),
  }),
  metadata: z.strictObject({
    satisfaction_count: z.int(),
    comprehension_count: z.int(),
    contact_count: z.int(),
    contactReachability_count: z.int(),
    contactSatisfaction_count: z.int(),
    autonomy_count: z.int(),
  }),
});
type Stats = z.infer<typeof StatsSchema>;

const TRPC_ERRORS = {
  BAD_REQUEST: { status: 400, rpcCode: -32600 },
  NOT_FOUND: { status: 404, rpcCode: -32004 },
} as const;

const trpcErrorReply = (description: string, code: keyof typeof TRPC_ERRORS) =>
  z
    .strictObject({
      error: z.strictObject({
        json: z.strictObject({
          message: z.string(),
          code: z.literal(TRPC_ERRORS[code].rpcCode),
          data: z.strictObject({
            code: z.literal(code),
            httpStatus: z.literal(TRPC_ERRORS[code].status),
            path: z.literal(PROCEDURE_PATH),
            zodError: z.looseObject({}).nullable(),
          }),
        }),
      }),
    })
    .describe(description);

/** tRPC's error reply, with JDMA's errorFormatter (`zodError`, the flattened validation error or null). */
function trpcError(code: keyof typeof TRPC_ERRORS, message: string, zodError: object | null = null) {
  const { status, rpcCode } = TRPC_ERRORS[code];
  return {
    status,
    body: { error: { json: { message, code: rpcCode, data: { code, httpStatus: status, path: PROCEDURE_PATH, zodError } } } },
  };
}

/**
 * A date as JDMA's Elasticsearch range takes it: milliseconds since 1970 (what the pipeline sends,
 * as a string) or a calendar day. Our rollups count whole UTC days, so it becomes the UTC day it falls in.
 */
function dayOf(value: string): string | undefined {
  const ms = /^\d{1,16}$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  const day = new Date(ms);
  if (Number.isNaN(day.getTime())) return undefined;
  const result = utcDay(day);
  // Years past 9999 are written +0YYYYY, and Date.parse moves 02-30 to March: neither is a day asked for.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(result) || (value.includes('-') && result !== value)) return undefined;
  return result;
}

const sumOf = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((sum, n) => sum + n, 0);
const scaleMarks = (counts: ScaleCounts): number => SCALE_KEYS.reduce((sum, key, i) => sum + MARKS.scale[i]! * counts[key], 0);
const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 0 : numerator / denominator);

/** JDMA's figures from our counts (README "The JDMA drop-in" maps them one by one); 0 where nobody answered, as JDMA. */
export function observatoireStats(counts: WindowCounts): Stats {
  const s = counts.satisfaction;
  const satisfactionCount = s.good + s.medium + s.bad;
  const comprehensionCount = sumOf(counts.clarity);
  const reached = counts.help_reached;
  const reachabilityCount = reached.yes + reached.no;
  const qualityCount = sumOf(counts.help_quality);
  const qualityMarks = scaleMarks(counts.help_quality);
  const contactCount = qualityCount + reached.no;
  const autonomyCount = counts.autonomy.none + counts.autonomy.sought;
  return {
    data: {
      satisfaction: ratio(
        MARKS.satisfaction.good * s.good + MARKS.satisfaction.medium * s.medium + MARKS.satisfaction.bad * s.bad,
        satisfactionCount,
      ),
      comprehension: ratio(scaleMarks(counts.clarity), comprehensionCount),
      contact: ratio(qualityMarks, contactCount),
      contact_reachability: ratio(reached.yes, reachabilityCount),
      contact_satisfaction: ratio(qualityMarks, qualityCount),
      autonomy: ratio(10 * counts.autonomy.none, autonomyCount),
    },
    metadata: {
      satisfaction_count: satisfactionCount,
      comprehension_count: comprehensionCount,
      contact_count: contactCount,
      contactReachability_count: reachabilityCount,
      contactSatisfaction_count: qualityCount,
      autonomy_count: autonomyCount,
    },
  };
}

interface Options {
  store: Store;
  minReviews: number;
  now: () => Date;
}

export async function observatoireStatsRoutes(app: FastifyInstance, { store, minReviews, now }: Options): Promise<void> {
  const schema = apiRoute({
    summary: 'Compatibilité JDMA\u00a0: answer.getObservatoireStats (tRPC)',
    description:
      'Le même chemin, la même requête et la même réponse que la procédure publique de JDMA, pour la chaîne de l’observatoire\u00a0: `product_id` est le numéro de la démarche (ou l’identifiant JDMA enregistré pour elle). Les erreurs ont la forme de tRPC, pas celle du reste de l’API. Sous le seuil de publication, toutes les valeurs et tous les nombres sont 0.',
    tags: ['Flux'],
    security: PUBLIC,
    querystring: QuerySchema,
    everyReplyHeaders: ['Access-Control-Allow-Origin', 'Cache-Control'],
    response: {
      200: z
        .strictObject({ result: z.strictObject({ data: z.strictObject({ json: StatsSchema }) }) })
        .describe('Les indicateurs, aux échelles de JDMA'),
      400: trpcErrorReply('`input` absent, pas du JSON, ou invalide (`zodError` le détaille)', 'BAD_REQUEST'),
      404: trpcErrorReply('Aucune démarche publiée ne porte ce numéro', 'NOT_FOUND'),
      503: STORAGE_UNAVAILABLE,
    },
  });

  app.get(OBSERVATOIRE_STATS_PATH, { schema }, async (request, reply) => {
    const fail = ({ status, body }: ReturnType<typeof trpcError>) => reply.code(status).header('cache-control', 'no-store').send(body);
    const { input } = (request.query ?? {}) as { input?: unknown };
    let parsedJson: unknown;
    try {
      parsedJson = typeof input === 'string' ? JSON.parse(input) : undefined;
    } catch {
      parsedJson = undefined;
    }
    const wrapped = (parsedJson as { json?: unknown } | null | undefined)?.json;
    if (wrapped === undefined) return fail(trpcError('BAD_REQUEST', 'The input is missing or is not superjson: ?input={"json":{…}}'));
    const parsed = InputSchema.safeParse(wrapped);
    if (!parsed.success) return fail(trpcError('BAD_REQUEST', parsed.error.message, z.flattenError(parsed.error)));
    const today = utcDay(now());
    const from = parsed.data.start_date === undefined ? '1970-01-01' : dayOf(parsed.data.start_date);
    const to = parsed.data.end_date === undefined ? today : dayOf(parsed.data.end_date);
    if (from === undefined || to === undefined)
      return fail(trpcError('BAD_REQUEST', 'start_date and end_date are milliseconds since 1970 or YYYY-MM-DD.'));

    const procedureId = await store.procedures.byProductId(parsed.data.product_id);
    // Archived procedures have left the feed and the observatory: here too they are not found.
    const procedure = procedureId === undefined ? undefined : await store.procedures.find(procedureId);
    if (!procedure || procedure.archivedAt !== null) return fail(trpcError('NOT_FOUND', 'Product not found'));

    const counts = emptyWindowCounts();
    // An inverted range holds no answer, as in JDMA's range query. Otherwise only the whole blocks
    // of reviews the window holds are answered for (server/publishable-span.ts): two overlapping
    // windows subtracted never reveal fewer reviews than the publication threshold.
    const span = from <= to ? publishableSpan(await store.rollups.reviewDays(procedure.id), minReviews, from, to) : undefined;
    if (span) {
      for (const { question, answer, count } of await store.rollups.monthCounts(procedure.id, span, null, today)) {
        addCount(counts, question, answer, count);
      }
    }
    // The publication threshold of SPEC §4 holds here too: below it, nothing but zeros, which the
    // pipeline reads as "no answers" (it writes no mark where a count is 0).
    const withheld = sumOf(counts.satisfaction) < minReviews;
    const stats = observatoireStats(withheld ? emptyWindowCounts() : counts);
    return reply.header('cache-control', 'public, max-age=60').send({ result: { data: { json: stats } } });
  });
}
