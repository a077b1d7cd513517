import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEFAULT_WINDOW_MONTHS, resolveWindow, utcDay, windowStart } from '../../../shared/feed-window.ts';
import type { FeedBuilder, FeedRequest, BuiltFeed } from '../../feed-builder.ts';
import { feedCsv } from '../../feed-csv.ts';
import { HttpError } from '../../http-errors.ts';
import { FeedQuerySchema, queryIssueDetails } from '../../schemas/feed-query-schema.ts';
import { FEED_JSON_SCHEMA, FeedSchema } from '../../schemas/feed-schema.ts';
import { NoQuerySchema, parseRequest } from '../../schemas/agency-schemas.ts';
import { apiRoute, errorReply, mediaReply, noBody, PUBLIC, STORAGE_UNAVAILABLE, type ApiRouteSchema } from '../../api-docs.ts';

// The public feed (SPEC §6). Public data: CORS is open to every origin (app.ts), and caches may
// keep a reply for a minute; past that they revalidate with If-None-Match and usually get a 304.
const CACHE_CONTROL = 'public, max-age=60';

interface Options {
  feeds: FeedBuilder;
  now: () => Date;
}

interface Representation {
  type: string;
  /** Kept apart from the JSON's ETag: both describe the same data, not the same bytes. */
  etagSuffix: string;
  serialise: (built: BuiltFeed) => string;
}

const JSON_FEED: Representation = {
  type: 'application/json; charset=utf-8',
  etagSuffix: '',
  serialise: (built) => built.json(),
};
const CSV_FEED: Representation = {
  type: 'text/csv; charset=utf-8; header=present',
  etagSuffix: '-csv',
  serialise: (built) => feedCsv(built.feed),
};

/** Validates the query (400 `invalid_query`, details naming each parameter) and resolves the window. */
export async function parseFeedQuery(query: unknown, feeds: FeedBuilder, today: string): Promise<FeedRequest> {
  const parsed = FeedQuerySchema.safeParse(query ?? {});
  if (!parsed.success) throw invalidQuery(queryIssueDetails(parsed.error));
  const window = resolveWindow(parsed.data, today);
  if (Array.isArray(window)) throw invalidQuery(window);
  const request: FeedRequest = { window, procedures: parsed.data.procedure, entity: parsed.data.entity, placement: parsed.data.placement };
  const unknown = await feeds.unknownProcedures(request);
  if (unknown.length > 0) {
    throw invalidQuery(unknown.map((id) => ({ field: 'procedure', message: `no procedure is registered as "${id}"` })));
  }
  return request;
}

const invalidQuery = (details: { field: string; message: string }[]) =>
  new HttpError(400, 'invalid_query', 'The query does not match the feed API.', details);

/** Whether an If-None-Match header names this ETag (weak comparison, RFC 9110 §13.1.2). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

const FEED_ERRORS = {
  304: noBody('Non modifié depuis l’ETag donné dans If-None-Match'),
  400: errorReply('Paramètre inconnu, répété ou invalide, fenêtre impossible ou démarche inconnue (`details` nomme chaque paramètre)', [
    'invalid_query',
  ]),
  503: STORAGE_UNAVAILABLE,
} satisfies ApiRouteSchema['response'];
const FEED_HEADERS = {
  everyReplyHeaders: ['Access-Control-Allow-Origin'],
  replyHeaders: { 200: ['ETag', 'Cache-Control'], 304: ['ETag', 'Cache-Control'] },
} as const satisfies Pick<ApiRouteSchema, 'everyReplyHeaders' | 'replyHeaders'>;
const FEED_DESCRIPTION =
  '`to` vaut par défaut aujourd’hui (UTC), `from` 12 mois plus tôt\u00a0; la fenêtre ne dépasse pas 5 ans. Sous le seuil de publication (`method.min_reviews`), une démarche ne montre que son nombre d’avis. CORS ouvert à toutes les origines\u00a0; `Cache-Control: public, max-age=60` et un ETag faible.';

export async function feedRoutes(app: FastifyInstance, { feeds, now }: Options): Promise<void> {
  // The default window moves at each UTC midnight: compute it ahead, at start and just after midnight.
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const warm = () => {
    const to = utcDay(now());
    feeds
      .warm({ from: windowStart(to, DEFAULT_WINDOW_MONTHS), to }, () => closed)
      .catch((error: unknown) => app.log.error({ err: error }, 'feed warm-up failed'));
    const nextMidnight = Date.UTC(now().getUTCFullYear(), now().getUTCMonth(), now().getUTCDate() + 1);
    timer = setTimeout(warm, Math.max(1000, nextMidnight - now().getTime() + 1000)).unref();
  };
  app.addHook('onReady', async () => warm());
  app.addHook('onClose', async () => {
    closed = true;
    clearTimeout(timer);
  });

  const serve = (representation: Representation) => async (request: FastifyRequest, reply: FastifyReply) => {
    const feedRequest = await parseFeedQuery(request.query, feeds, utcDay(now()));
    // Weak (W/): the ETag names the data; generated_at may differ if the same data is serialised again.
    const tagged = (etag: string) => `W/${etag.replace(/"$/, `${representation.etagSuffix}"`)}`;
    const ifNoneMatch = request.headers['if-none-match'];
    const { etag, built } = await feeds.build(feedRequest, (etag) => matchesEtag(ifNoneMatch, tagged(etag)));
    reply.header('etag', tagged(etag)).header('cache-control', CACHE_CONTROL);
    if (!built) return reply.code(304).send();
    let body = built.representations.get(representation.type);
    if (!body) {
      body = Buffer.from(representation.serialise(built));
      built.representations.set(representation.type, body);
    }
    if (representation === CSV_FEED) {
      reply.header('content-disposition', `attachment; filename="jdma-feed-${feedRequest.window.from}-${feedRequest.window.to}.csv"`);
    }
    return reply.type(representation.type).send(body);
  };

  const feedSchema = apiRoute({
    summary: 'Les indicateurs de l’observatoire, par démarche (JSON)',
    description: FEED_DESCRIPTION,
    tags: ['Flux'],
    security: PUBLIC,
    querystring: FeedQuerySchema,
    ...FEED_HEADERS,
    response: {
      200: FeedSchema.describe(
        'Le flux de l’observatoire\u00a0: fenêtre, méthode, et par démarche son nombre d’avis, ses indicateurs et leur évolution par mois',
      ),
      ...FEED_ERRORS,
    },
  });
  app.get('/api/v1/feed', { schema: feedSchema }, serve(JSON_FEED));
  const csvSchema = apiRoute({
    summary: 'Les mêmes indicateurs en CSV',
    description: `${FEED_DESCRIPTION} UTF-8 avec BOM, virgule, CRLF, une ligne par démarche\u00a0; une cellule qui commencerait par = + - @ est précédée d’une apostrophe.`,
    tags: ['Flux'],
    security: PUBLIC,
    querystring: FeedQuerySchema,
    ...FEED_HEADERS,
    replyHeaders: { ...FEED_HEADERS.replyHeaders, 200: [...FEED_HEADERS.replyHeaders[200], 'Content-Disposition'] },
    response: { 200: mediaReply('Le flux en CSV', { 'text/csv': z.string() }), ...FEED_ERRORS },
  });
  app.get('/api/v1/feed.csv', { schema: csvSchema }, serve(CSV_FEED));

  const schema = Buffer.from(JSON.stringify(FEED_JSON_SCHEMA, null, 2));
  const schemaSchema = apiRoute({
    summary: 'Le schéma JSON du flux',
    tags: ['Flux'],
    security: PUBLIC,
    querystring: NoQuerySchema,
    errors: ['invalid_query'],
    replyHeaders: { 200: ['Cache-Control'] },
    everyReplyHeaders: ['Access-Control-Allow-Origin'],
    response: {
      200: mediaReply('JSON Schema (draft 2020-12) du flux', { 'application/schema+json': z.looseObject({ $schema: z.string() }) }),
    },
  });
  app.get('/api/v1/feed/schema.json', { schema: schemaSchema }, async (request, reply) => {
    parseRequest(NoQuerySchema, request.query, 'query');
    return reply.type('application/schema+json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(schema);
  });
}
