import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

// The API reference (OpenAPI 3.1), generated from the routes themselves. A documented route declares,
// in its `schema` route option, the zod schemas it validates with and what it answers:
//
//   const schema = apiRoute({
//     summary: 'Lister les démarches', tags: ['Démarches'], security: AGENCY_AUTH,
//     params: ProcedureParams, querystring: ListQuery,            // the zod objects the handler parses
//     response: { 200: ProcedureList, 404: errorReply('…', ['not_found']) },
//   });
//   app.get('/api/v1/procedures/:id', { schema }, async (request) => { parse(schema.params, request.params) … });
//
// Fastify never validates or serialises with them (see `documentationOnly`): the handler keeps
// validating with the same zod object (STYLE rule 2), so a request meets one validator, ours, in
// the order the handler chooses (after the rate limit, say), and replies are serialised as before.
// @fastify/swagger collects the routes; `transform` turns their zod schemas into JSON Schema
// (z.toJSONSchema, draft 2020-12, the dialect of OpenAPI 3.1). A route with no `summary` or no
// `response` is left out of the document, and test/server/openapi.test.ts, which lists every route
// Fastify registered, fails until it is documented or named there as a page or an asset.

/** The document's tags, in the order the reference page shows them. A route's tags must be among them. */
export const API_TAGS = {
  Avis: 'Ce que le widget et le formulaire hébergé envoient\u00a0: la note, puis les réponses facultatives.',
  Flux: 'Les indicateurs publics de l’observatoire, par démarche.',
  Compte: 'Qui appelle\u00a0: session d’un agent ou clé d’API.',
  Démarches: 'Les démarches de mes entités et leur intégration.',
  Résultats: 'Indicateurs sans seuil, avis et commentaires, exports.',
  Tri: 'Le tri des avis par les agents\u00a0: statut, indésirable, doublon, étiquettes de l’entité.',
  Administration: 'Membres, clés d’API, modération et journal d’audit.',
  Exploitation: 'Sondes et mesures pour l’exploitant du service.',
  Documentation: 'Ce document.',
} as const;
type ApiTag = keyof typeof API_TAGS;

/** A route anyone may call: the widget's, the feed's. */
export const PUBLIC: [] = [];
/**
 * An agency route: an API key (`Authorization: Bearer jdma_…`) or an agent’s session cookie.
 * @public (the agency routes use it)
 */
export const AGENCY_AUTH: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
/** GET /metrics: the operator's METRICS_TOKEN. */
export const METRICS_AUTH = [{ metricsToken: [] }];

const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'jdma_…',
    description:
      'Clé d’API d’une entité (`jdma_` suivi de 128 bits aléatoires au moins), en lecture seule, montrée une fois à sa création.',
  },
  cookieAuth: {
    type: 'apiKey',
    in: 'cookie',
    name: 'jdma_session',
    description:
      'Session d’un agent, ouverte par ProConnect ou par un lien de connexion à usage unique. Le cookie s’appelle `__Host-jdma_session` quand le collecteur est servi en https. Toute requête qui modifie quelque chose par session porte aussi son jeton CSRF.',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'Le jeton d’accès aux mesures (METRICS_TOKEN) de l’exploitant.',
  },
} as const;

/**
 * The reply headers a route may send, documented once: a route names them per status in
 * `replyHeaders` (test/server/openapi.test.ts fails when a reply carries one its documentation
 * does not name).
 */
export const REPLY_HEADERS = {
  'Cache-Control': { description: 'Combien de temps, et par qui, la réponse peut être gardée', type: 'string' },
  ETag: {
    description: 'La version de la réponse\u00a0: la renvoyer dans `If-None-Match` donne 304 tant qu’elle n’a pas changé',
    type: 'string',
  },
  'Retry-After': { description: 'Dans combien de secondes recommencer', type: 'integer', minimum: 0 },
  'WWW-Authenticate': { description: 'Le schéma d’authentification attendu', type: 'string', const: 'Bearer' },
  'Content-Disposition': { description: 'Le nom du fichier à enregistrer', type: 'string' },
  Location: { description: 'L’adresse où continuer', type: 'string' },
  Vary: { description: 'Les en-têtes de la requête dont dépend la réponse', type: 'string' },
  'Access-Control-Allow-Origin': { description: 'L’origine autorisée à lire la réponse (CORS)', type: 'string' },
  'X-RateLimit-Limit': { description: 'Les requêtes permises par minute', type: 'integer', minimum: 0 },
  'X-RateLimit-Remaining': { description: 'Les requêtes qui restent dans la minute', type: 'integer', minimum: 0 },
  'X-RateLimit-Reset': { description: 'Dans combien de secondes le compte repart de zéro', type: 'integer', minimum: 0 },
} as const;
export type ReplyHeader = keyof typeof REPLY_HEADERS;

/** A reply whose body is not JSON (CSV, Prometheus text…), or JSON under another media type. */
export interface MediaReply {
  description: string;
  content: Record<string, { schema: z.ZodType }>;
}

/** What a documented route declares as its `schema` route option. */
export interface ApiRouteSchema extends FastifySchema {
  summary: string;
  description?: string;
  tags: readonly ApiTag[];
  /** PUBLIC, AGENCY_AUTH or METRICS_AUTH. */
  security: readonly Record<string, readonly string[]>[];
  params?: z.ZodType;
  querystring?: z.ZodType;
  headers?: z.ZodType;
  body?: z.ZodType;
  /** Body media types, when not only application/json. */
  consumes?: readonly string[];
  /** Every status the route may answer (5xx aside from 503), each with its body: a zod schema (JSON), a MediaReply or noBody(). */
  response: Record<number, z.ZodType | MediaReply>;
  /**
   * The error codes the route may answer beside those of `response`, from the registry
   * (server/error-codes.ts): each is listed under the status the registry gives it.
   */
  errors?: readonly ErrorCode[];
  /** The headers each status's reply carries (REPLY_HEADERS). */
  replyHeaders?: Partial<Record<number, readonly ReplyHeader[]>>;
  /** The headers every reply carries, whatever its status (CORS of the feed's scope, say). */
  everyReplyHeaders?: readonly ReplyHeader[];
  /** Unique in the document; derived from the method and the path when not given (operationIdOf). */
  operationId?: string;
}

/**
 * Checks a route's documentation against ApiRouteSchema (the type). An agency route (AGENCY_AUTH)
 * gets what every agency reply shares (routes/agency/agency-scope.ts): 401 without a key or a
 * session, 429 past the rate limit with its headers, 503, and `Cache-Control: no-store` on every reply.
 */
export function apiRoute(schema: ApiRouteSchema): ApiRouteSchema {
  if (schema.security !== AGENCY_AUTH) return schema;
  const errors: ErrorCode[] = [...(schema.errors ?? []), 'unauthenticated', 'rate_limited', 'storage_unavailable'];
  const rateLimited: ReplyHeader[] = ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];
  return {
    ...schema,
    errors: [...new Set(errors)],
    everyReplyHeaders: [...new Set([...(schema.everyReplyHeaders ?? []), 'Cache-Control' as const])],
    replyHeaders: { ...schema.replyHeaders, 429: [...new Set([...(schema.replyHeaders?.[429] ?? []), ...rateLimited])] },
  };
}

const ErrorDetailSchema = z.strictObject({ field: z.string(), message: z.string() });

/** The one error shape (SPEC §6, server/http-errors.ts), with the codes this status may carry. */
export function errorReply(description: string, codes: readonly [ErrorCode, ...ErrorCode[]]): z.ZodType {
  return z
    .strictObject({
      error: z.strictObject({
        code: z.enum(codes),
        message: z.string().describe('une phrase pour la personne qui intègre\u00a0: l’erreur et la commande qui la corrige'),
        details: z.array(ErrorDetailSchema).optional().describe('les champs ou paramètres en cause, pour une erreur de validation'),
      }),
    })
    .describe(description);
}

/** A reply without a body (204, 304). */
export const noBody = (description: string): z.ZodType => z.null().describe(description);

/** A reply in other media types than JSON. */
export const mediaReply = (description: string, content: Record<string, z.ZodType>): MediaReply => ({
  description,
  content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])),
});

/** 503 of every route that reads or writes the database. */
export const STORAGE_UNAVAILABLE = errorReply('La base de données est injoignable\u00a0: rien n’a été enregistré, réessayez.', [
  'storage_unavailable',
]);

/**
 * 401 and 403 of every agency route (SPEC §8); a procedure outside the caller's scope is a 404 of the route's own.
 * @public (the agency routes use it)
 */
export const AGENCY_ERRORS = {
  401: errorReply('Ni clé d’API valide ni session ouverte', ['unauthenticated']),
  403: errorReply('Connu, mais sans le droit de faire cela (un lecteur qui voudrait administrer, par exemple)', ['forbidden']),
};

/**
 * An operation's id from its method and path: `GET /api/v1/procedures/:id/reviews.csv` is
 * `getProceduresByIdReviewsCsv`. The path's version prefix is left out; a parameter is `By` and its name.
 */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .split('/')
    .filter((segment) => segment && segment !== 'api' && !/^v\d+$/.test(segment))
    .flatMap((segment) => (segment.startsWith(':') ? ['by', segment.slice(1)] : segment.split(/[^A-Za-z0-9]+/)))
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((word) => word[0]!.toUpperCase() + word.slice(1))].join('');
}

/** The `response` entries of a route's `errors`: one error reply per status, with the registry's labels. */
function errorReplies(errors: readonly ErrorCode[]): Record<number, z.ZodType> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errors) byStatus.set(ERROR_CODES[code].status, [...(byStatus.get(ERROR_CODES[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      status,
      errorReply(codes.map((code) => `\`${code}\`\u00a0: ${ERROR_CODES[code].fr}`).join('\u00a0; '), codes as [ErrorCode, ...ErrorCode[]]),
    ]),
  );
}

/** What any route that reads a body may be refused before its handler runs (http-errors.ts). */
const BODY_ERRORS: readonly ErrorCode[] = ['invalid_json', 'bad_request', 'body_too_large', 'unsupported_media_type'];
/** What an agency change may be refused: a reader or an API key (read-only), a session request without its CSRF token. */
const AGENCY_CHANGE_ERRORS: readonly ErrorCode[] = ['forbidden', 'csrf_invalid'];

/**
 * An operation's statuses and their bodies: the route's `response`, its `errors` grouped by status
 * (a code whose status `response` already lists is added to that status's codes), and the refusals
 * its method, body and security imply.
 */
export function repliesOf(
  route: Pick<ApiRouteSchema, 'response' | 'errors' | 'params' | 'body' | 'security'>,
  method: string,
): Record<number, z.ZodType | MediaReply> {
  const implied: ErrorCode[] = [
    // A path parameter that names no possible resource (parseRequest).
    ...(route.params ? (['not_found'] as const) : []),
    ...(route.body ? BODY_ERRORS : []),
    ...(route.security === AGENCY_AUTH && method.toUpperCase() !== 'GET' ? AGENCY_CHANGE_ERRORS : []),
  ];
  const replies: Record<number, z.ZodType | MediaReply> = { ...route.response };
  for (const [status, reply] of Object.entries(errorReplies([...(route.errors ?? []), ...implied]))) {
    const declared = replies[Number(status)];
    replies[Number(status)] = declared ? mergeErrorReplies(declared, reply) : reply;
  }
  return replies;
}

function mergeErrorReplies(declared: z.ZodType | MediaReply, added: z.ZodType): z.ZodType | MediaReply {
  const codesOf = (reply: z.ZodType | MediaReply): ErrorCode[] =>
    ((jsonSchemaOf(reply as z.ZodType, 'output').properties as Record<string, { properties?: { code?: { enum?: ErrorCode[] } } }>)?.error
      ?.properties?.code?.enum ?? []) as ErrorCode[];
  if (isMediaReply(declared)) throw new Error('an error status is the one error shape, not a MediaReply');
  const codes = [...new Set([...codesOf(declared), ...codesOf(added)])] as [ErrorCode, ...ErrorCode[]];
  return errorReply(declared.description ?? added.description ?? '', codes);
}

/**
 * A query, path or header parameter as the handler reads it: the text, or, when its schema turns
 * the text into a number or a boolean (`once.pipe(z.coerce.number().int().min(1))`), that number
 * or boolean with its bounds, which is what a client sends written out.
 */
function parametersSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const input = jsonSchemaOf(schema, 'input') as { properties?: Record<string, Record<string, unknown>> };
  // A transform to anything else (an object, a lower-cased text) has no JSON Schema: the text is documented.
  const output = jsonSchemaOf(schema, 'output', 'any') as { properties?: Record<string, Record<string, unknown>> };
  for (const [name, typed] of Object.entries(output.properties ?? {})) {
    if (input.properties?.[name] && ['integer', 'number', 'boolean'].includes(typed.type as string)) input.properties[name] = typed;
  }
  return input;
}

const jsonSchemaOf = (schema: z.ZodType, io: 'input' | 'output', unrepresentable: 'throw' | 'any' = 'throw'): Record<string, unknown> => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable });
  return json;
};

const isMediaReply = (reply: z.ZodType | MediaReply): reply is MediaReply => !(reply instanceof z.ZodType);

/** A reply's description when its schema gives none (@fastify/swagger would write "Default Response"). */
const STATUS_WORDS: Record<string, string> = { '200': 'Succès', '201': 'Créé' };

const headersOf = (names: readonly ReplyHeader[]) =>
  names.length ? { headers: Object.fromEntries([...new Set(names)].sort().map((name) => [name, REPLY_HEADERS[name]])) } : {};

/** @fastify/swagger's `transform`: a documented route's zod schemas as JSON Schema; any other route hidden. */
function transform({ schema, url, route: registered }: { schema: FastifySchema; url: string; route: { method: string | string[] } }): {
  schema: FastifySchema;
  url: string;
} {
  const route = schema as Partial<ApiRouteSchema> | undefined;
  if (!route?.summary || !route.response) return { schema: { hide: true }, url };
  const { params, querystring, headers, body, response, errors, replyHeaders, everyReplyHeaders, operationId, ...operation } = route;
  const headersAt = (status: string) => headersOf([...(everyReplyHeaders ?? []), ...(replyHeaders?.[Number(status)] ?? [])]);
  const method = [registered.method].flat()[0]!;
  const request = { params, querystring, headers };
  return {
    url,
    schema: {
      ...operation,
      operationId: operationId ?? operationIdOf(method, url),
      ...Object.fromEntries(Object.entries(request).flatMap(([part, zod]) => (zod ? [[part, parametersSchemaOf(zod)]] : []))),
      ...(body ? { body: jsonSchemaOf(body, 'input') } : {}),
      response: Object.fromEntries(
        Object.entries(repliesOf({ response, errors, params, body, security: route.security ?? [] }, method)).map(([status, reply]) => [
          status,
          isMediaReply(reply)
            ? {
                description: reply.description,
                ...headersAt(status),
                content: Object.fromEntries(
                  Object.entries(reply.content).map(([type, { schema }]) => [type, { schema: jsonSchemaOf(schema, 'output') }]),
                ),
              }
            : {
                description: STATUS_WORDS[status] ?? 'Réponse',
                ...jsonSchemaOf(reply, 'output'),
                ...headersAt(status),
              },
        ]),
      ),
    },
  };
}

/**
 * Fastify compiles route schemas with ajv (requests) and fast-json-stringify (replies). Ours are zod
 * objects that the handlers parse themselves: compiling nothing keeps requests untouched until the
 * handler (and off the hot path), and replies serialised by JSON.stringify, as before. A JSON Schema
 * here would be a second validator beside the handler's: it is refused at start-up.
 */
const documentationOnly = ({ schema, method, url }: { schema: unknown; method?: string; url?: string }): never => {
  if (!(schema instanceof z.ZodType)) {
    throw new Error(`${method} ${url}: route schemas are zod objects that the handler validates with (server/api-docs.ts)`);
  }
  // Fastify skips a request part, or a reply, whose compiled function is undefined.
  return undefined as never;
};

/**
 * Registers the generator (its document and reference page are served by routes/public/api-docs.ts).
 * Call it before any route is registered: the generator sees the routes registered after it.
 */
export async function registerApiDocs(app: FastifyInstance, { publicUrl }: { publicUrl: string }): Promise<void> {
  app.setValidatorCompiler(documentationOnly);
  app.setSerializerCompiler(documentationOnly);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Je donne mon avis\u00a0: API du collecteur',
        version: '1',
        license: { name: 'MIT', identifier: 'MIT' },
        description:
          'Le collecteur reçoit les avis des usagers (widget et formulaire hébergé), publie le flux de l’observatoire et sert aux agences leurs propres résultats. Toutes les erreurs ont une seule forme\u00a0: `{"error": {"code", "message", "details"?}}`.',
      },
      servers: [{ url: publicUrl, description: 'Ce collecteur' }],
      tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    // OpenAPI 3.1 knows `const`; turning it into `enum` would only lose the intent.
    convertConstToEnum: false,
    transform,
  });
}
