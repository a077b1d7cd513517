import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { z } from 'zod';
import type { ErrorCode } from './error-codes.ts';

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
  Avis: 'Ce que le widget et le formulaire hébergé envoient : la note, puis les réponses facultatives.',
  Flux: 'Les indicateurs publics de l’observatoire, par démarche.',
  Compte: 'Qui appelle : session d’un agent ou clé d’API.',
  Démarches: 'Les démarches de mes entités et leur intégration.',
  Résultats: 'Indicateurs sans seuil, avis et commentaires, exports.',
  Administration: 'Membres, clés d’API, modération et journal d’audit.',
  Exploitation: 'Sondes et mesures pour l’opérateur du collecteur.',
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
    description: 'Le jeton METRICS_TOKEN de l’opérateur.',
  },
} as const;

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
}

/** Checks a route's documentation against ApiRouteSchema (the type), and returns it unchanged. */
export const apiRoute = (schema: ApiRouteSchema): ApiRouteSchema => schema;

const ErrorDetailSchema = z.strictObject({ field: z.string(), message: z.string() });

/** The one error shape (SPEC §6, server/http-errors.ts), with the codes this status may carry. */
export function errorReply(description: string, codes: readonly [ErrorCode, ...ErrorCode[]]): z.ZodType {
  return z
    .strictObject({
      error: z.strictObject({
        code: z.enum(codes),
        message: z.string().describe('une phrase pour la personne qui intègre : l’erreur et la commande qui la corrige'),
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
export const STORAGE_UNAVAILABLE = errorReply('La base de données est injoignable : rien n’a été enregistré, réessayez.', [
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

const jsonSchemaOf = (schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, target: 'draft-2020-12' });
  return json;
};

const isMediaReply = (reply: z.ZodType | MediaReply): reply is MediaReply => !(reply instanceof z.ZodType);

/** A reply's description when its schema gives none (@fastify/swagger would write "Default Response"). */
const STATUS_WORDS: Record<string, string> = { '200': 'Succès', '201': 'Créé' };

/** @fastify/swagger's `transform`: a documented route's zod schemas as JSON Schema; any other route hidden. */
function transform({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  const route = schema as Partial<ApiRouteSchema> | undefined;
  if (!route?.summary || !route.response) return { schema: { hide: true }, url };
  const { params, querystring, headers, body, response, ...operation } = route;
  const request = { params, querystring, headers, body };
  return {
    url,
    schema: {
      ...operation,
      ...Object.fromEntries(Object.entries(request).flatMap(([part, zod]) => (zod ? [[part, jsonSchemaOf(zod, 'input')]] : []))),
      response: Object.fromEntries(
        Object.entries(response).map(([status, reply]) => [
          status,
          isMediaReply(reply)
            ? {
                description: reply.description,
                content: Object.fromEntries(
                  Object.entries(reply.content).map(([type, { schema }]) => [type, { schema: jsonSchemaOf(schema, 'output') }]),
                ),
              }
            : { description: STATUS_WORDS[status] ?? 'Réponse', ...jsonSchemaOf(reply, 'output') },
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
export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  app.setValidatorCompiler(documentationOnly);
  app.setSerializerCompiler(documentationOnly);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Je donne mon avis : API du collecteur',
        version: '1',
        description:
          'Le collecteur reçoit les avis des usagers (widget et formulaire hébergé), publie le flux de l’observatoire et sert aux agences leurs propres résultats. Toutes les erreurs ont une seule forme : `{"error": {"code", "message", "details"?}}`.',
      },
      tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    // OpenAPI 3.1 knows `const`; turning it into `enum` would only lose the intent.
    convertConstToEnum: false,
    transform,
  });
}
