// The access table (SPEC §8): every agency route × every kind of caller, with the status and code
// each must get, and, for every refusal, every table of the database unchanged.
import { afterEach, describe, expect, test } from 'vitest';
import { ADMIN_A, type AgencyWorld, agencyWorld, csrfTokenOf, DAY, READER_A } from '../../../helpers/agency-world.ts';

const CALLERS = [
  'no credentials',
  'expired session',
  'revoked key',
  'key of another entity',
  'key limited to another procedure',
  'reader',
  'admin',
] as const;
type Caller = (typeof CALLERS)[number];

interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  /** Status per caller, in CALLERS' order. */
  expected: readonly number[];
  /** The code of a 404 (which resource is not found). */
  notFound?: string;
  /** A page: refusals are pages, not the JSON error shape. */
  page?: boolean;
}

// Out of scope 404 (nothing of another entity is visible), in scope but not for this role 403.
const readProcedure = [401, 401, 401, 404, 404, 200, 200];
const adminProcedure = (ok: number) => [401, 401, 401, 404, 404, 403, ok];
const adminEntity = (ok: number) => [401, 401, 401, 404, 403, 403, ok];
const anyone = [401, 401, 401, 200, 200, 200, 200];

const ROUTES: Route[] = [
  { method: 'GET', url: '/api/v1/me', expected: anyone },
  { method: 'POST', url: '/api/v1/logout', expected: [401, 401, 401, 403, 403, 204, 204] },
  { method: 'GET', url: '/api/v1/procedures', expected: anyone },
  {
    method: 'POST',
    url: '/api/v1/procedures',
    body: { id: 'nouvelle', title: 'Nouvelle', entity: 'ministere-a', origins: ['https://nouvelle.example.gouv.fr'] },
    expected: adminEntity(201),
    notFound: 'entity_not_found',
  },
  { method: 'GET', url: '/api/v1/procedures/demarche-a', expected: readProcedure, notFound: 'procedure_not_found' },
  {
    method: 'PATCH',
    url: '/api/v1/procedures/demarche-a',
    body: { title: 'Nouveau titre', origins: { add: ['https://autre.example.gouv.fr'] } },
    expected: adminProcedure(200),
    notFound: 'procedure_not_found',
  },
  { method: 'POST', url: '/api/v1/procedures/demarche-a/archive', expected: adminProcedure(200), notFound: 'procedure_not_found' },
  { method: 'POST', url: '/api/v1/procedures/demarche-a/restore', expected: adminProcedure(200), notFound: 'procedure_not_found' },
  { method: 'GET', url: '/api/v1/procedures/demarche-a/snippet', expected: readProcedure, notFound: 'procedure_not_found' },
  { method: 'GET', url: '/api/v1/procedures/demarche-a/health?days=30', expected: readProcedure, notFound: 'procedure_not_found' },
  { method: 'GET', url: '/api/v1/entities/ministere-a/members', expected: adminEntity(200), notFound: 'entity_not_found' },
  {
    method: 'POST',
    url: '/api/v1/entities/ministere-a/members',
    body: { email: 'nouveau@a.example.gouv.fr', role: 'reader' },
    expected: adminEntity(201),
    notFound: 'entity_not_found',
  },
  {
    method: 'PATCH',
    url: `/api/v1/entities/ministere-a/members/${READER_A}`,
    body: { role: 'admin' },
    expected: adminEntity(200),
    notFound: 'entity_not_found',
  },
  { method: 'DELETE', url: `/api/v1/entities/ministere-a/members/${READER_A}`, expected: adminEntity(204), notFound: 'entity_not_found' },
  { method: 'GET', url: '/api/v1/entities/ministere-a/keys', expected: adminEntity(200), notFound: 'entity_not_found' },
  {
    method: 'POST',
    url: '/api/v1/entities/ministere-a/keys',
    body: { name: 'nouvelle', procedures: ['demarche-a'] },
    expected: adminEntity(201),
    notFound: 'entity_not_found',
  },
  { method: 'DELETE', url: '/api/v1/entities/ministere-a/keys/tableau', expected: adminEntity(204), notFound: 'entity_not_found' },
  { method: 'GET', url: '/api/v1/audit?entity=ministere-a', expected: adminEntity(200), notFound: 'entity_not_found' },
  // The pages are for members: a key, valid or not, is not signed in there.
  { method: 'GET', url: '/espace', expected: [401, 401, 401, 401, 401, 200, 200], page: true },
  { method: 'POST', url: '/espace/deconnexion', expected: [401, 401, 401, 401, 401, 200, 200], page: true },
  // A page's refusals for a reader are "not found", as pages: a reader is not told what admins may do.
  { method: 'GET', url: '/espace/demarches/demarche-a/avis', expected: [401, 401, 401, 401, 401, 200, 200], page: true },
];

const CODES: Record<number, string> = { 401: 'unauthenticated', 403: 'forbidden' };

let world: AgencyWorld;
afterEach(async () => world?.close());

/** The headers each caller sends; a session sends its CSRF token, so that only access is tested here. */
async function credentials(w: AgencyWorld): Promise<Record<Caller, Record<string, string>>> {
  const member = async (email: string) => {
    const { cookie } = await w.session(email);
    return { cookie, 'x-csrf-token': await csrfTokenOf(w, cookie) };
  };
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  // The app's purge ran when it became ready; a day later this session, then 6.5 days old, is past 7 days.
  w.clock.now = new Date(w.clock.now.getTime() + DAY);
  const expired = await w.session(ADMIN_A, 7.5 * DAY, 1000);
  const headers = {
    'no credentials': {},
    'expired session': { cookie: expired.cookie, 'x-csrf-token': 'whatever' },
    'revoked key': bearer(w.keys.revoked),
    'key of another entity': bearer(w.keys.otherEntity),
    'key limited to another procedure': bearer(w.keys.limited),
    reader: await member(READER_A),
    admin: await member(ADMIN_A),
  };
  // A key's use is recorded (last_used_at): use each once at the test's fixed time, so that a
  // refused request's "nothing changed" is about the data, not about the key's last use.
  for (const key of [w.keys.otherEntity, w.keys.limited]) await w.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(key) });
  return headers;
}

describe('the access table', () => {
  test.each(ROUTES)('$method $url', async (route) => {
    world = await agencyWorld();
    const headers = await credentials(world);
    for (const [i, caller] of CALLERS.entries()) {
      const status = route.expected[i]!;
      const before = await world.db.snapshot();
      const reply = await world.inject({
        method: route.method,
        url: route.url,
        headers: { ...headers[caller], ...(route.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(route.body === undefined ? {} : { payload: JSON.stringify(route.body) }),
      });
      expect({ caller, status: reply.statusCode }, reply.body).toEqual({ caller, status });
      if (status < 400) continue;
      if (!route.page || reply.headers['content-type']?.toString().startsWith('application/json')) {
        expect({ caller, code: reply.json().error.code }).toEqual({ caller, code: status === 404 ? route.notFound : CODES[status] });
      }
      const after = await world.db.snapshot();
      if (caller === 'expired session') {
        // An expired session is removed when it is next presented; nothing else changes.
        expect(after.sessions!.length).toBe(before.sessions!.length - 1);
        expect(before.sessions).toEqual(expect.arrayContaining(after.sessions!));
        expect({ ...after, sessions: [] }).toEqual({ ...before, sessions: [] });
      } else {
        expect(after, `${caller}: nothing changed`).toEqual(before);
      }
    }
  });
});
