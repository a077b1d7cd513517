import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ADMIN_A, type AgencyWorld, agencyWorld, csrfTokenOf, ORIGIN_A, READER_A } from '../helpers/agency-world.ts';

// What the routes really answer, against what the OpenAPI document says they answer: every
// documented operation is sent its refusals (no credentials, a read-only key, a session without
// its CSRF token, unknown, repeated and malformed parameters, resources that do not exist, bodies
// that are not JSON, not an object, too large, of another media type), and a plain call. Every
// reply must be a status the operation documents; an error reply's code must be among the codes
// documented for that status (generated from server/error-codes.ts); and every header below that
// a reply carries must be documented for that status.

/** The reply headers a client acts on: each must be documented where it is sent. */
const CHECKED_HEADERS = [
  'cache-control',
  'etag',
  'retry-after',
  'www-authenticate',
  'content-disposition',
  'location',
  'vary',
  'access-control-allow-origin',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];
/** Replies at 4xx/5xx that are not the one error shape (as in openapi.test.ts). */
const NOT_ERROR_SHAPE = new Set([
  'get /healthz 503',
  'get /api/trpc/answer.getObservatoireStats 400',
  'get /api/trpc/answer.getObservatoireStats 404',
]);
const METRICS_TOKEN = 'a-metrics-token-long-enough-for-the-test';

interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: ErrorSchema }> }>;
}
interface ErrorSchema {
  properties?: { error?: { properties?: { code?: { enum?: string[] } } } };
}

let w: AgencyWorld;
let paths: Record<string, Record<string, Operation>>;

beforeAll(async () => {
  w = await agencyWorld({ metricsToken: METRICS_TOKEN });
  paths = (await w.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json().paths;
});
afterAll(async () => w?.close());

/** Values of the path parameters that name something of entity A, then that name nothing. */
const KNOWN: Record<string, string> = {
  id: 'demarche-a',
  procedure: 'demarche-a',
  entity: 'ministere-a',
  email: READER_A,
  name: 'limitee',
  reviewId: '1',
  n: '1',
  tagId: '1',
};
const UNKNOWN: Record<string, string> = {
  id: 'nulle-part',
  procedure: 'nulle-part',
  entity: 'ministere-z',
  email: 'personne@example.gouv.fr',
  name: 'aucune',
  reviewId: '999999',
  n: '999',
  tagId: '999999',
};
const fill = (path: string, values: Record<string, string>, broken?: string) =>
  path.replace(/\{([^}]+)\}/g, (_m, name: string) => (name === broken ? '%20X!' : encodeURIComponent(values[name] ?? 'x')));

/** Every request this test sends to one operation. */
async function refusalsOf(method: string, path: string, op: Operation): Promise<InjectOptions[]> {
  const url = fill(path, KNOWN);
  const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
  const key = { authorization: `Bearer ${w.keys.all}` };
  const session = await w.session(ADMIN_A);
  const csrf = { cookie: session.cookie, 'x-csrf-token': await csrfTokenOf(w, session.cookie) };
  const as = { method: method.toUpperCase() as InjectOptions['method'] };
  const requests: InjectOptions[] = [
    { ...as, url },
    { ...as, url, headers: key },
    { ...as, url, headers: { authorization: 'Bearer jdma_not-a-key' } },
    { ...as, url, headers: { authorization: `Bearer ${w.keys.limited}` } },
    { ...as, url, headers: { authorization: `Bearer ${w.keys.otherEntity}` } },
    { ...as, url, headers: { authorization: `Bearer ${METRICS_TOKEN}` } },
    { ...as, url, headers: { cookie: session.cookie } },
    { ...as, url: `${url}?zz=1`, headers: key },
    { ...as, url: fill(path, UNKNOWN), headers: key },
    ...pathParams.map((name) => ({ ...as, url: fill(path, KNOWN, name), headers: key })),
    ...query.flatMap((name) => [
      { ...as, url: `${url}?${name}=1&${name}=2`, headers: key },
      { ...as, url: `${url}?${name}=%21x`, headers: key },
      { ...as, url: `${url}?${name}=`, headers: key },
      { ...as, url: `${url}?${name}=0`, headers: key },
      { ...as, url: `${url}?${name}=2026-13-45`, headers: key },
    ]),
  ];
  if (op.requestBody) {
    for (const headers of [{ origin: ORIGIN_A }, csrf]) {
      requests.push(
        { ...as, url, headers: { ...headers, 'content-type': 'application/json' }, payload: '{' },
        { ...as, url, headers: { ...headers, 'content-type': 'application/json' }, payload: '[]' },
        { ...as, url, headers: { ...headers, 'content-type': 'application/json' }, payload: '{}' },
        { ...as, url, headers: { ...headers, 'content-type': 'application/xml' }, payload: '<a/>' },
        { ...as, url, headers: { ...headers, 'content-type': 'application/json' }, payload: `"${'x'.repeat(2 * 1024 * 1024)}"` },
      );
    }
  } else {
    requests.push({ ...as, url, headers: csrf });
  }
  return requests;
}

test('every reply of every documented operation, refusals included, is documented: status, error code, headers', async () => {
  const undocumented: string[] = [];
  let replies = 0;
  const observed = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      for (const request of await refusalsOf(method, path, op)) {
        const reply: LightMyRequestResponse = await w.inject(request);
        replies++;
        const where = `${method} ${path} ${reply.statusCode}`;
        observed.add(where);
        const documented = op.responses[String(reply.statusCode)];
        if (!documented) {
          undocumented.push(`${where}: status not documented (${request.method} ${request.url} → ${reply.body.slice(0, 120)})`);
          continue;
        }
        const headers = new Set(Object.keys(documented.headers ?? {}).map((name) => name.toLowerCase()));
        for (const name of CHECKED_HEADERS) {
          if (reply.headers[name] !== undefined && !headers.has(name)) undocumented.push(`${where}: header ${name} not documented`);
        }
        if (reply.statusCode >= 400 && !NOT_ERROR_SHAPE.has(where)) {
          const codes: string[] = documented.content?.['application/json']?.schema.properties?.error?.properties?.code?.enum ?? [];
          const code = reply.json().error?.code;
          if (!codes.includes(code)) undocumented.push(`${where}: code ${code} not documented (${request.method} ${request.url})`);
        }
      }
    }
  }
  expect([...new Set(undocumented)].sort()).toEqual([]);
  // The sweep reaches refusals, not only successes: many statuses of many operations.
  expect(replies).toBeGreaterThan(500);
  expect([...observed].filter((where) => / 4\d\d$/.test(where)).length).toBeGreaterThan(100);
}, 120_000);
