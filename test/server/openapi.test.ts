import type { FastifyInstance, RouteOptions } from 'fastify';
import Fastify from 'fastify';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { type ApiRouteSchema, registerApiDocs, repliesOf } from '../../server/api-docs.ts';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { ensureDemoProcedure } from '../../server/demo-procedure.ts';
import { ERROR_CODES, type ErrorCode } from '../../server/error-codes.ts';
import type { Store } from '../../server/store/store.ts';
import { testDatabase, type TestDatabase } from '../helpers/test-database.ts';

// The API reference (server/api-docs.ts): a valid OpenAPI 3.1 document in which every route Fastify
// registered is documented, with its parameters and replies, and whose schemas the real requests
// and replies match. A new route fails here until it is documented, or listed below as not API.

/** Routes for people (pages) and the files those pages or agencies' pages load: not API. */
const NOT_API = new Set([
  'GET /',
  'GET /pages.css',
  'GET /favicon.ico',
  'GET /confidentialite',
  'GET /accessibilite',
  'GET /demo',
  'GET /demo/hostile',
  'GET /demo/hostile.css',
  'GET /demo/demo.js',
  'GET /observatoire',
  'GET /observatoire/:procedure',
  'GET /observatoire.css',
  'GET /hosted-form.css',
  'GET /avis/:procedure',
  'POST /avis/:procedure',
  'POST /avis/:procedure/:review',
  'GET /probleme/:procedure',
  'POST /probleme/:procedure',
  'GET /widget.js',
  'GET /widget/:file',
  'GET /button.svg',
  'GET /button.png',
  'GET /logos/:entity',
  'GET /api/docs',
  'GET /api/docs/:group',
  'GET /espace',
  'GET /espace/lien/:token',
  'POST /espace/lien/:token',
  'POST /espace/deconnexion',
  'GET /espace/connexion',
  'POST /espace/connexion',
  'GET /espace/connexion/proconnect',
  'GET /espace/connexion/retour',
  'GET /espace/demarches/:id',
  'GET /espace/demarches/:id/avis',
  'GET /espace/demarches/:id/analyse',
  'POST /espace/demarches/:id/avis/:reviewId/masquer',
  'POST /espace/demarches/:id/avis/:reviewId/retablir',
  'POST /espace/demarches/:id/avis/:reviewId/passages/:n/masquer',
  'POST /espace/demarches/:id/avis/:reviewId/passages/:n/publier',
  'POST /espace/demarches/:id/avis/:reviewId/tri',
  'POST /espace/demarches/:id/avis/:reviewId/suggestion',
  'GET /espace/demarches/:id/comparer',
  'GET /espace/demarches/:id/analyse',
  'GET /espace/admin.js',
  'GET /espace/admin.css',
  'GET /espace/demarches/:id/reglages',
  'POST /espace/demarches/:id/reglages/titre',
  'POST /espace/demarches/:id/reglages/numero-jdma',
  'POST /espace/demarches/:id/reglages/contact',
  'POST /espace/demarches/:id/reglages/origines',
  'POST /espace/demarches/:id/reglages/origines/retirer',
  'POST /espace/demarches/:id/reglages/emplacements',
  'POST /espace/demarches/:id/reglages/emplacements/retirer',
  'POST /espace/demarches/:id/reglages/emplacements/test',
  'POST /espace/demarches/:id/reglages/emplacements/compter',
  'POST /espace/demarches/:id/reglages/formulaire',
  'POST /espace/demarches/:id/reglages/formulaire/publier',
  'POST /espace/demarches/:id/reglages/formulaire/archiver',
  'POST /espace/demarches/:id/reglages/archiver',
  'POST /espace/demarches/:id/reglages/reactiver',
  'GET /espace/entites/:entity/membres',
  'POST /espace/entites/:entity/membres',
  'POST /espace/entites/:entity/membres/role',
  'POST /espace/entites/:entity/membres/retirer',
  'POST /espace/entites/:entity/logo',
  'POST /espace/entites/:entity/logo/retirer',
  'POST /espace/entites/:entity/cles',
  'POST /espace/entites/:entity/cles/revoquer',
  'GET /espace/entites/:entity/journal',
  'POST /espace/entites/:entity/demandes/:id/accepter',
  'POST /espace/entites/:entity/demandes/:id/refuser',
  'GET /espace/entites/:entity/demarches/nouvelle',
  'POST /espace/entites/:entity/demarches',
  'GET /espace/compte',
  'POST /espace/compte/langue',
  'GET /espace/preferences',
  'POST /espace/preferences',
  'GET /espace/desabonnement',
  'POST /espace/desabonnement',
]);
/** The design system's files (routes/public/dsfr-assets.ts), under an address that names their version. */
const isDsfrFile = (url: string) => url.startsWith('/dsfr/');
/** CORS preflights, which browsers send on their own (the last one is @fastify/cors's, in the feed's scope). */
const PREFLIGHTS = new Set(['OPTIONS /api/v1/reviews', 'OPTIONS /api/v1/reviews/:id', 'OPTIONS /api/v1/problem-reports', 'OPTIONS *']);
/** Replies at 4xx/5xx that are not the one error shape: the load balancer's probe says why it is down. */
const NOT_ERROR_SHAPE = new Set([
  'GET /healthz 503',
  // The JDMA drop-in answers as tRPC does, for the clients written for JDMA (routes/observatoire-stats.ts).
  'GET /api/trpc/answer.getObservatoireStats 400',
  'GET /api/trpc/answer.getObservatoireStats 404',
]);

const COLLECTOR = 'http://127.0.0.1:8080';
const METRICS_TOKEN = 'a-metrics-token-long-enough-for-the-test';

interface Registered {
  key: string;
  method: string;
  url: string;
  schema: RouteOptions['schema'];
}
interface Schema {
  [key: string]: unknown;
}
interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: Schema }> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string }> };
}

let db: TestDatabase;
let store: Store;
let app: FastifyInstance;
let doc: Document;
const registered: Registered[] = [];

const ajv = new Ajv2020({ strict: true, allErrors: true });
// The formats zod writes here (z.iso.datetime, z.email); ajv-formats is not a dependency of ours.
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
const validator = (schema: Schema) => ajv.compile(schema);

beforeAll(async () => {
  db = await testDatabase();
  store = await db.open();
  // With an OpenID Connect provider, so that its sign-in pages are registered too (nothing asks it anything here).
  const oidc = { issuer: 'https://proconnect.example.gouv.fr/api/v2', clientId: 'jdma', clientSecret: 'secret' };
  const config = testConfig({ ...db.options, publicUrl: COLLECTOR, metricsToken: METRICS_TOKEN, oidc });
  await ensureDemoProcedure(store, config);
  app = await buildApp({
    config,
    store,
    onRoute: (route) => {
      for (const method of [route.method].flat()) {
        registered.push({ key: `${method} ${route.url}`, method, url: route.url, schema: route.schema });
      }
    },
  });
  const reply = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  expect(reply.statusCode).toBe(200);
  expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
  doc = reply.json();
});

afterAll(async () => {
  await app?.close();
  await store?.close();
});

/** Fastify's `/a/:b` as OpenAPI's `/a/{b}`. */
const openapiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** The routes that must be in the document: every one registered, less HEAD twins of GETs, preflights and pages. */
function apiRoutes(): Registered[] {
  const keys = new Set(registered.map((route) => route.key));
  return registered.filter(
    (route) =>
      !(route.method === 'HEAD' && keys.has(`GET ${route.url}`)) &&
      !PREFLIGHTS.has(route.key) &&
      !NOT_API.has(route.key) &&
      !isDsfrFile(route.url),
  );
}

describe('the document is OpenAPI 3.1', () => {
  test('its structure: version, info, tags, paths, operations, responses, security', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toMatch(/\S/);
    expect(doc.info.version).toMatch(/\S/);
    const tagNames = doc.tags.map((tag) => tag.name);
    expect(new Set(tagNames).size).toBe(tagNames.length);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerAuth', 'cookieAuth', 'metricsToken']);
    expect(doc.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer' },
      cookieAuth: { type: 'apiKey', in: 'cookie', name: 'jdma_session' },
    });
    const allowedOperationKeys = new Set([
      'summary',
      'description',
      'tags',
      'security',
      'parameters',
      'requestBody',
      'responses',
      'operationId',
    ]);
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/[^:]*$/);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(['get', 'put', 'post', 'delete', 'patch'], where).toContain(method);
        expect(
          Object.keys(op).filter((key) => !allowedOperationKeys.has(key)),
          where,
        ).toEqual([]);
        expect(op.summary, where).toMatch(/\S/);
        expect(op.tags?.length, where).toBeGreaterThan(0);
        for (const tag of op.tags ?? []) expect(tagNames, where).toContain(tag);
        expect(Array.isArray(op.security), where).toBe(true);
        for (const requirement of op.security ?? []) {
          for (const [scheme, scopes] of Object.entries(requirement)) {
            expect(doc.components.securitySchemes, where).toHaveProperty(scheme);
            expect(scopes, where).toEqual([]);
          }
        }
        const parameters = op.parameters ?? [];
        expect(
          parameters
            .filter((p) => p.in === 'path')
            .map((p) => p.name)
            .sort(),
          where,
        ).toEqual([...templated].sort());
        for (const parameter of parameters) {
          expect(['path', 'query', 'header', 'cookie'], where).toContain(parameter.in);
          if (parameter.in === 'path') expect(parameter.required, where).toBe(true);
          expect(typeof parameter.required, where).toBe('boolean');
          expect(parameter.schema, where).toBeTypeOf('object');
        }
        expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
        for (const [status, response] of Object.entries(op.responses)) {
          expect(status, where).toMatch(/^[1-5]\d\d$/);
          expect(response.description, `${where} ${status}`).toMatch(/\S/);
          for (const media of Object.values(response.content ?? {})) expect(media.schema, `${where} ${status}`).toBeTypeOf('object');
        }
      }
    }
  });

  test('every schema in it compiles as JSON Schema 2020-12 (strict ajv)', () => {
    let count = 0;
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) {
        const schemas = [
          ...(op.parameters ?? []).map((p) => p.schema),
          ...Object.values(op.requestBody?.content ?? {}).map((m) => m.schema),
          ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {}).map((m) => m.schema)),
        ];
        for (const schema of schemas) {
          expect(() => validator(schema as Schema)).not.toThrow();
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(30);
  });
});

describe('every route Fastify registered is in the document', () => {
  test('the exclusions name routes that exist (a stale entry would hide a new route)', () => {
    const keys = new Set(registered.map((route) => route.key));
    expect([...NOT_API, ...PREFLIGHTS].filter((key) => !keys.has(key))).toEqual([]);
  });

  test('each API route: its method and path, its path, query and header parameters, its body and every reply it declares', () => {
    const routes = apiRoutes();
    expect(routes.map((route) => route.key).sort()).toEqual(
      expect.arrayContaining(['GET /api/v1/feed', 'POST /api/v1/reviews', 'GET /api/v1/openapi.json', 'GET /metrics']),
    );
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // A route missing here: declare its schema with apiRoute() (server/api-docs.ts), or list it in NOT_API.
    expect(documented.sort(), 'documented operations = registered API routes').toEqual(
      routes.map((route) => `${route.method} ${openapiPath(route.url)}`).sort(),
    );

    for (const route of routes) {
      const op = doc.paths[openapiPath(route.url)]?.[route.method.toLowerCase()];
      expect(op, route.key).toBeDefined();
      const declared = route.schema as Record<string, unknown> | undefined;
      expect(declared?.summary, `${route.key} has no summary`).toBeTypeOf('string');
      const parameters = op!.parameters ?? [];
      for (const [part, where] of [
        ['querystring', 'query'],
        ['params', 'path'],
        ['headers', 'header'],
      ] as const) {
        const zod = declared?.[part];
        const names = zod instanceof z.ZodObject ? Object.keys(zod.shape) : [];
        expect(
          parameters
            .filter((p) => p.in === where)
            .map((p) => p.name)
            .sort(),
          `${route.key} ${part}`,
        ).toEqual(where === 'path' ? [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]).sort() : names.sort());
      }
      expect(op!.requestBody !== undefined, `${route.key} body`).toBe(declared?.body !== undefined);
      const statuses = Object.keys(repliesOf(declared as unknown as ApiRouteSchema, route.method));
      expect(Object.keys(op!.responses).sort(), `${route.key} replies`).toEqual(statuses.sort());
      for (const [status, response] of Object.entries(op!.responses)) {
        if (Number(status) < 400 || NOT_ERROR_SHAPE.has(`${route.key} ${status}`)) continue;
        const schema = response.content?.['application/json']?.schema as
          | { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } }
          | undefined;
        // The one error shape, with the codes this status may carry: codes of the registry
        // (server/error-codes.ts), each at the status the registry gives it (bad_request stands
        // for Fastify's other 4xx too).
        const codes = schema?.properties?.error?.properties?.code?.enum ?? [];
        expect(codes.length, `${route.key} ${status}`).toBeGreaterThan(0);
        for (const code of codes) {
          expect(Object.hasOwn(ERROR_CODES, code), `${route.key} ${status} ${code}`).toBe(true);
          if (code !== 'bad_request') expect(ERROR_CODES[code as ErrorCode].status, `${route.key} ${status} ${code}`).toBe(Number(status));
        }
      }
    }
  });

  test('a route schema that is not zod is refused at start-up: no second validator beside the handler’s', async () => {
    const bare = Fastify();
    await registerApiDocs(bare, { publicUrl: COLLECTOR });
    bare.post('/api/v1/json-schema', { schema: { body: { type: 'object' } } }, async () => ({}));
    await expect(bare.ready()).rejects.toThrow(/route schemas are zod objects/);
  });
});

describe('real requests and replies match the document', () => {
  const operation = (method: string, path: string) => doc.paths[path]![method]!;
  const bodySchema = (method: string, path: string, type = 'application/json') =>
    operation(method, path).requestBody!.content[type]!.schema;
  const replySchema = (method: string, path: string, status: number) =>
    operation(method, path).responses[String(status)]!.content!['application/json']!.schema;
  const matches = (schema: Schema, value: unknown) => {
    const validate = validator(schema);
    return validate(value) ? [] : validate.errors;
  };

  test('a valid rating, then its follow-up answers: both bodies and both replies', async () => {
    const rating = { procedure: 'demo', satisfaction: 'good', placement: 'site', lang: 'fr' };
    expect(matches(bodySchema('post', '/api/v1/reviews'), rating)).toEqual([]);
    expect(matches(bodySchema('post', '/api/v1/reviews', 'text/plain'), rating)).toEqual([]);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/reviews',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify(rating),
    });
    expect(created.statusCode).toBe(201);
    expect(matches(replySchema('post', '/api/v1/reviews', 201), created.json())).toEqual([]);

    const { id, token } = created.json<{ id: number; token: string }>();
    const followUp = { token, answers: { clarity: 4, help_sought: ['phone'], help_reached: { phone: 'yes' }, comment: 'Clair.' } };
    expect(matches(bodySchema('post', '/api/v1/reviews/{id}'), followUp)).toEqual([]);
    const saved = await app.inject({ method: 'POST', url: `/api/v1/reviews/${id}`, payload: followUp });
    expect(saved.statusCode).toBe(200);
    expect(matches(replySchema('post', '/api/v1/reviews/{id}', 200), saved.json())).toEqual([]);
  });

  test('an invalid rating: the document refuses its body too, and the 400 matches the error shape; nothing stored', async () => {
    const before = await db.snapshot();
    const rating = { procedure: 'demo', satisfaction: 'great' };
    expect(matches(bodySchema('post', '/api/v1/reviews'), rating)).not.toEqual([]);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: rating });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('invalid_body');
    expect(matches(replySchema('post', '/api/v1/reviews', 400), refused.json())).toEqual([]);

    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/reviews',
      payload: { procedure: 'nulle-part', satisfaction: 'good' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('unknown_procedure');
    expect(matches(replySchema('post', '/api/v1/reviews', 404), unknown.json())).toEqual([]);
    expect(await db.snapshot()).toEqual(before);
  });

  test('the feed: its 200 and its 400 match; an unknown parameter is refused by the document as by the route', async () => {
    const feed = await app.inject({ method: 'GET', url: '/api/v1/feed?procedure=demo' });
    expect(feed.statusCode).toBe(200);
    expect(matches(replySchema('get', '/api/v1/feed', 200), feed.json())).toEqual([]);
    expect(feed.json().procedures).toHaveLength(1);

    const before = await db.snapshot();
    const refused = await app.inject({ method: 'GET', url: '/api/v1/feed?frm=2026-01-01' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'invalid_query', details: [{ field: 'frm', message: 'unknown query parameter' }] });
    expect(matches(replySchema('get', '/api/v1/feed', 400), refused.json())).toEqual([]);
    expect(operation('get', '/api/v1/feed').parameters?.map((p) => p.name)).not.toContain('frm');
    expect(await db.snapshot()).toEqual(before);
  });

  test('/metrics without its token: the 401 matches', async () => {
    const refused = await app.inject({ method: 'GET', url: '/metrics' });
    expect(refused.statusCode).toBe(401);
    expect(matches(replySchema('get', '/metrics', 401), refused.json())).toEqual([]);
  });
});

describe('parameters are typed and bounded as the handlers validate them', () => {
  const parameter = (path: string, name: string) => doc.paths[path]!.get!.parameters!.find((p) => p.name === name)!;

  test('numbers and booleans are numbers and booleans, with the bounds the schemas hold', () => {
    expect(parameter('/api/v1/procedures/{id}/reviews', 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });
    expect(parameter('/api/v1/procedures/{id}/reviews', 'has_comment').schema).toMatchObject({ type: 'boolean' });
    expect(parameter('/api/v1/procedures/{id}/reviews', 'tag').schema).toMatchObject({ type: 'number', minimum: 1 });
    expect(parameter('/api/v1/procedures/{id}/health', 'days').schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 90,
      default: 30,
    });
    expect(parameter('/api/v1/audit', 'before').schema).toMatchObject({ type: 'integer', exclusiveMinimum: 0 });
    expect(parameter('/api/v1/audit', 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    // A text that stays a text keeps its input schema (a cursor is decoded to an object, never shown).
    expect(parameter('/api/v1/procedures/{id}/reviews', 'cursor').schema).toMatchObject({ type: 'string' });
  });

  test('the bounds are the server’s: one past each is refused by the route, with nothing stored', async () => {
    const before = await db.snapshot();
    const refused = await app.inject({ method: 'GET', url: '/api/v1/feed/schema.json?limit=1' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'invalid_query', details: [{ field: 'limit' }] });
    expect(await db.snapshot()).toEqual(before);
  });

  test('the feed’s months are YYYY-MM with a month from 01 to 12, in the document and in the published schema', async () => {
    const published = (await app.inject({ method: 'GET', url: '/api/v1/feed/schema.json' })).json();
    const documented = doc.paths['/api/v1/feed']!.get!.responses['200']!.content!['application/json']!.schema;
    for (const schema of [published, documented]) {
      const month = (
        schema as { properties: { procedures: { items: { properties: { trend: { items: { properties: { month: Schema } } } } } } } }
      ).properties.procedures.items.properties.trend.items.properties.month;
      const valid = validator(month);
      expect(['2026-01', '2026-12'].map((value) => valid(value))).toEqual([true, true]);
      expect(['2026-13', '2026-00', '2026-1', '202612'].map((value) => valid(value))).toEqual([false, false, false, false]);
    }
  });
});

describe('operation ids', () => {
  test('one per operation, unique, derived from the method and the path unless a route names its own', () => {
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => (op as { operationId?: string }).operationId));
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect((doc.paths['/api/v1/procedures/{id}/reviews.csv']!.get as { operationId?: string }).operationId).toBe(
      'getProceduresByIdReviewsCsv',
    );
  });
});
