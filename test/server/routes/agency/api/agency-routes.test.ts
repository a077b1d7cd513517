// What the agency API's routes do for those allowed (SPEC §8): procedures, members, keys, audit,
// each change in the audit log, each refusal a 4xx in the one shape with nothing changed.
import { MAX_DISTINCT_KEYS_PER_DAY } from '../../../../../server/refusal-counter.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, test } from 'vitest';
import { snippet } from '../../../../../server/snippet.ts';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, DAY, ORIGIN_A, READER_A } from '../../../../helpers/agency-world.ts';

// Opened by the test's first `as()`, closed after each test.
let world: AgencyWorld;
let opened = false;
afterEach(async () => {
  if (opened) await world.close();
  opened = false;
});

type Send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => ReturnType<AgencyWorld['inject']>;

/** A world, and a function sending requests as the given member (session and CSRF token). */
async function as(email: string): Promise<Send> {
  if (!opened) world = await agencyWorld();
  opened = true;
  const w = world;
  const { cookie } = await w.session(email);
  const csrf = await csrfTokenOf(w, cookie);
  return (method, url, body) =>
    w.inject({
      method,
      url,
      headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
}

const actions = async () => (await world.store.audit.list('ministere-a', { limit: 100 })).filter((e) => e.action !== 'login');

/** A refusal: its status and code, and every table unchanged. */
async function expectRefused(send: () => ReturnType<AgencyWorld['inject']>, status: number, code: string) {
  const before = await world.db.snapshot();
  const reply = await send();
  expect(reply.statusCode, reply.body).toBe(status);
  expect(reply.json().error.code).toBe(code);
  expect(await world.db.snapshot()).toEqual(before);
  return reply.json().error;
}

describe('procedures', () => {
  test('the list holds the caller’s procedures only, with their review counts', async () => {
    const admin = await as(ADMIN_A);
    const list = (await admin('GET', '/api/v1/procedures')).json();
    expect(list.procedures.map((p: { id: string }) => p.id).sort()).toEqual(['demarche-a', 'demarche-a2']);
    expect(list.procedures.find((p: { id: string }) => p.id === 'demarche-a')).toEqual({
      id: 'demarche-a',
      title: 'Démarche A',
      entity: { id: 'ministere-a', name: 'Ministère A' },
      origins: [ORIGIN_A],
      placements: ['default', 'site'],
      test_placements: [],
      archived_at: null,
      product_id: expect.any(Number),
      contact_url: null,
      reviews: 0,
    });
    const limited = await world.inject({
      method: 'GET',
      url: '/api/v1/procedures',
      headers: { authorization: `Bearer ${world.keys.limited}` },
    });
    expect(limited.json().procedures.map((p: { id: string }) => p.id)).toEqual(['demarche-a2']);
  });

  test('an admin creates a procedure in their entity; it is audited', async () => {
    const admin = await as(ADMIN_A);
    const reply = await admin('POST', '/api/v1/procedures', {
      id: 'nouvelle',
      title: ' Nouvelle démarche ',
      entity: 'ministere-a',
      origins: ['https://nouvelle.example.gouv.fr/'],
      placements: ['courriel'],
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json()).toMatchObject({
      id: 'nouvelle',
      title: 'Nouvelle démarche',
      entity: { id: 'ministere-a' },
      origins: ['https://nouvelle.example.gouv.fr'],
      placements: ['courriel', 'default'],
    });
    expect((await world.store.procedures.find('nouvelle'))?.entityId).toBe('ministere-a');
    expect((await actions()).map((e) => [e.actor, e.action, e.target])).toEqual([[ADMIN_A, 'procedure_created', 'nouvelle']]);
  });

  test.each([
    ['an id taken in this entity', { id: 'demarche-a2' }, 409, 'procedure_exists'],
    ['an id taken in another entity', { id: 'demarche-b' }, 409, 'procedure_exists'],
    ['another entity', { entity: 'ministere-b' }, 404, 'entity_not_found'],
    ['an origin with a path', { origins: ['https://a.example.gouv.fr/demarche'] }, 400, 'invalid_body'],
    ['no origin', { origins: [] }, 400, 'invalid_body'],
    ['an unknown field', { public: true }, 400, 'invalid_body'],
    ['an id that is not a slug', { id: 'Démarche' }, 400, 'invalid_body'],
  ])('creating a procedure with %s is refused', async (_name, change, status, code) => {
    const admin = await as(ADMIN_A);
    const body = { id: 'nouvelle', title: 'Nouvelle', entity: 'ministere-a', origins: ['https://n.example.gouv.fr'], ...change };
    await expectRefused(() => admin('POST', '/api/v1/procedures', body), status, code);
  });

  test('PATCH changes the title, adds and removes origins and placements, and audits what changed', async () => {
    const admin = await as(ADMIN_A);
    const reply = await admin('PATCH', '/api/v1/procedures/demarche-a', {
      title: 'Démarche A, nouveau titre',
      origins: { add: ['https://autre.example.gouv.fr'], remove: [ORIGIN_A] },
      placements: { add: ['courriel', 'site'], remove: ['site'] },
    });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json()).toMatchObject({
      title: 'Démarche A, nouveau titre',
      origins: ['https://autre.example.gouv.fr'],
      placements: ['courriel', 'default'],
    });
    const [entry] = await actions();
    expect(entry).toMatchObject({
      actor: ADMIN_A,
      action: 'procedure_updated',
      target: 'demarche-a',
      details: {
        title: 'Démarche A, nouveau titre',
        origins_added: ['https://autre.example.gouv.fr'],
        origins_removed: [ORIGIN_A],
        placements_added: ['courriel'],
        placements_removed: ['site'],
      },
    });
    // A change that changes nothing leaves no trace.
    expect(
      (await admin('PATCH', '/api/v1/procedures/demarche-a', { origins: { add: ['https://autre.example.gouv.fr'] } })).statusCode,
    ).toBe(200);
    expect(await actions()).toHaveLength(1);
  });

  test.each([
    ['removing the default placement', { placements: { remove: ['default'] } }],
    ['an empty title', { title: '  ' }],
    ['replacing the origins list', { origins: ['https://a.example.gouv.fr'] }],
    ['an unknown field', { entity: 'ministere-b' }],
  ])('PATCH with %s is refused: 400 invalid_body', async (_name, body) => {
    const admin = await as(ADMIN_A);
    await expectRefused(() => admin('PATCH', '/api/v1/procedures/demarche-a', body), 400, 'invalid_body');
  });

  test('archive and restore: the procedure stays visible to its agency, each change audited once', async () => {
    const admin = await as(ADMIN_A);
    const archived = await admin('POST', '/api/v1/procedures/demarche-a/archive');
    expect(archived.json().archived_at).toEqual(expect.any(String));
    expect((await admin('POST', '/api/v1/procedures/demarche-a/archive')).statusCode).toBe(200);
    expect((await admin('GET', '/api/v1/procedures/demarche-a')).json().archived_at).not.toBeNull();
    expect((await admin('POST', '/api/v1/procedures/demarche-a/restore')).json().archived_at).toBeNull();
    expect((await actions()).map((e) => e.action)).toEqual(['procedure_restored', 'procedure_archived']);
  });

  test('the snippet is what `jdma snippet` prints', async () => {
    const reader = await as(READER_A);
    expect((await reader('GET', '/api/v1/procedures/demarche-a/snippet')).json()).toEqual({
      procedure: 'demarche-a',
      placement: null,
      snippet: snippet(world.config, 'demarche-a', undefined),
    });
    expect((await reader('GET', '/api/v1/procedures/demarche-a/snippet?placement=site')).json().snippet).toBe(
      snippet(world.config, 'demarche-a', 'site'),
    );
    await expectRefused(() => reader('GET', '/api/v1/procedures/demarche-a/snippet?placement=ailleurs'), 404, 'unknown_placement');
    await expectRefused(() => reader('GET', '/api/v1/procedures/demarche-a/snippet?lang=en'), 400, 'invalid_query');
  });

  test('the health lists refused attempts per day, reason and origin, faults apart from limits, with the request that fixes each', async () => {
    const reader = await as(READER_A);
    const day = (ago: number) => new Date(world.clock.now.getTime() - ago * DAY).toISOString().slice(0, 10);
    const row = { procedureId: 'demarche-a', placementId: 'default', count: 1 };
    await world.store.refusedRatings.add(
      [
        { ...row, day: day(0), reason: 'origin_not_allowed', origin: 'https://copie.example.gouv.fr', count: 3 },
        { ...row, day: day(1), reason: 'origin_not_allowed', origin: 'https://copie.example.gouv.fr', count: 2 },
        { ...row, day: day(1), reason: 'unknown_placement', origin: ORIGIN_A, placementId: 'courriel' },
        { ...row, day: day(1), reason: 'rate_limited', origin: ORIGIN_A },
        { ...row, day: day(5), reason: 'procedure_archived', origin: ORIGIN_A },
        { ...row, procedureId: 'demarche-a2', day: day(0), reason: 'origin_not_allowed', origin: ORIGIN_A },
        { ...row, day: day(0), reason: 'placement_defaulted', origin: '', placementId: 'lettre', count: 4 },
        // A mistyped data-procedure on a page of demarche-a's origin, and one from a site nobody registered.
        { ...row, procedureId: 'demarche-aa', day: day(0), reason: 'unknown_procedure', origin: ORIGIN_A, count: 6 },
        { ...row, procedureId: 'demarche-zz', day: day(0), reason: 'unknown_procedure', origin: 'https://ailleurs.example.org' },
      ],
      day(80),
      MAX_DISTINCT_KEYS_PER_DAY,
    );
    const reply = await reader('GET', '/api/v1/procedures/demarche-a/health?days=2');
    expect(reply.statusCode, reply.body).toBe(200);
    const path = '/api/v1/procedures/demarche-a';
    expect(reply.json()).toEqual({
      procedure: 'demarche-a',
      from: day(1),
      totals: { integration_faults: 6, anti_abuse_limits: 1, stored_with_warning: 4 },
      refused: [
        {
          day: day(0),
          reason: 'placement_defaulted',
          kind: 'stored',
          origin: '',
          placement: 'lettre',
          count: 4,
          fix: { method: 'PATCH', path, body: { placements: { add: ['lettre'] } } },
        },
        {
          day: day(0),
          reason: 'origin_not_allowed',
          kind: 'fault',
          origin: 'https://copie.example.gouv.fr',
          placement: 'default',
          count: 3,
          fix: { method: 'PATCH', path, body: { origins: { add: ['https://copie.example.gouv.fr'] } } },
        },
        {
          day: day(1),
          reason: 'origin_not_allowed',
          kind: 'fault',
          origin: 'https://copie.example.gouv.fr',
          placement: 'default',
          count: 2,
          fix: { method: 'PATCH', path, body: { origins: { add: ['https://copie.example.gouv.fr'] } } },
        },
        { day: day(1), reason: 'rate_limited', kind: 'limit', origin: ORIGIN_A, placement: 'default', count: 1, fix: null },
        {
          day: day(1),
          reason: 'unknown_placement',
          kind: 'fault',
          origin: ORIGIN_A,
          placement: 'courriel',
          count: 1,
          fix: { method: 'PATCH', path, body: { placements: { add: ['courriel'] } } },
        },
      ],
      // The id tried from demarche-a's origin is shown; the one from an unregistered site is nobody's.
      unknown_procedures: [{ id: 'demarche-aa', origin: ORIGIN_A, count: 6 }],
    });
    const month = (await reader('GET', '/api/v1/procedures/demarche-a/health')).json();
    expect(month.refused.at(-1)).toMatchObject({ reason: 'procedure_archived', fix: { method: 'POST', path: `${path}/restore` } });
    for (const days of ['0', '91', 'trente', '1.5']) {
      await expectRefused(() => reader('GET', `/api/v1/procedures/demarche-a/health?days=${days}`), 400, 'invalid_query');
    }
  });
});

describe('members', () => {
  test('an admin lists, invites, changes and removes members; each change audited', async () => {
    const admin = await as(ADMIN_A);
    const list = await admin('GET', '/api/v1/entities/ministere-a/members');
    expect(
      list
        .json()
        .members.map((m: { email: string; role: string }) => [m.email, m.role])
        .sort(),
    ).toEqual([
      [ADMIN_A, 'admin'],
      [READER_A, 'reader'],
    ]);
    const invited = await admin('POST', '/api/v1/entities/ministere-a/members', { email: 'Nouvelle@A.example.gouv.fr', role: 'reader' });
    expect(invited.statusCode, invited.body).toBe(201);
    expect(invited.json()).toMatchObject({ email: 'nouvelle@a.example.gouv.fr', role: 'reader' });
    const changed = await admin('PATCH', '/api/v1/entities/ministere-a/members/nouvelle@a.example.gouv.fr', { role: 'admin' });
    expect(changed.json()).toMatchObject({ email: 'nouvelle@a.example.gouv.fr', role: 'admin' });
    expect((await admin('DELETE', '/api/v1/entities/ministere-a/members/nouvelle@a.example.gouv.fr')).statusCode).toBe(204);
    expect((await actions()).map((e) => [e.action, e.target, e.details])).toEqual([
      ['member_removed', 'nouvelle@a.example.gouv.fr', { role: 'admin' }],
      ['member_role_changed', 'nouvelle@a.example.gouv.fr', { from: 'reader', to: 'admin' }],
      ['member_added', 'nouvelle@a.example.gouv.fr', { role: 'reader' }],
    ]);
  });

  test('the last admin can be neither demoted nor removed: 409 last_admin, nothing changed', async () => {
    const admin = await as(ADMIN_A);
    await expectRefused(() => admin('PATCH', `/api/v1/entities/ministere-a/members/${ADMIN_A}`, { role: 'reader' }), 409, 'last_admin');
    await expectRefused(() => admin('DELETE', `/api/v1/entities/ministere-a/members/${ADMIN_A}`), 409, 'last_admin');
    // With a second admin, the first may step down.
    await admin('PATCH', `/api/v1/entities/ministere-a/members/${READER_A}`, { role: 'admin' });
    expect((await admin('PATCH', `/api/v1/entities/ministere-a/members/${ADMIN_A}`, { role: 'reader' })).statusCode).toBe(200);
  });

  test.each([
    ['inviting a member twice', 'POST', '/api/v1/entities/ministere-a/members', { email: READER_A, role: 'admin' }, 409, 'member_exists'],
    [
      'changing an unknown member',
      'PATCH',
      '/api/v1/entities/ministere-a/members/inconnu@a.example.gouv.fr',
      { role: 'admin' },
      404,
      'member_not_found',
    ],
    [
      'removing an unknown member',
      'DELETE',
      '/api/v1/entities/ministere-a/members/inconnu@a.example.gouv.fr',
      undefined,
      404,
      'member_not_found',
    ],
    [
      'an unknown role',
      'POST',
      '/api/v1/entities/ministere-a/members',
      { email: 'x@a.example.gouv.fr', role: 'owner' },
      400,
      'invalid_body',
    ],
    ['not an address', 'POST', '/api/v1/entities/ministere-a/members', { email: 'personne', role: 'reader' }, 400, 'invalid_body'],
    ['a member of another entity', 'DELETE', `/api/v1/entities/ministere-b/members/${ADMIN_B}`, undefined, 404, 'entity_not_found'],
  ] as const)('%s is refused', async (_name, method, url, body, status, code) => {
    const admin = await as(ADMIN_A);
    await expectRefused(() => admin(method, url, body), status, code);
  });

  test('a removed member loses access at once', async () => {
    const admin = await as(ADMIN_A);
    const { cookie } = await world.session(READER_A);
    expect((await world.inject({ method: 'GET', url: '/api/v1/procedures', headers: { cookie } })).statusCode).toBe(200);
    expect((await admin('DELETE', `/api/v1/entities/ministere-a/members/${READER_A}`)).statusCode).toBe(204);
    expect((await world.inject({ method: 'GET', url: '/api/v1/procedures', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('API keys', () => {
  test('a key is shown once at creation, works at once, is listed without its secret, and is revoked', async () => {
    const admin = await as(ADMIN_A);
    const created = await admin('POST', '/api/v1/entities/ministere-a/keys', { name: 'export nuit', procedures: ['demarche-a'] });
    expect(created.statusCode, created.body).toBe(201);
    const { key, ...rest } = created.json();
    expect(key).toMatch(/^jdma_[A-Za-z0-9_-]{43}$/);
    expect(rest).toEqual({
      name: 'export nuit',
      procedures: ['demarche-a'],
      created_at: expect.any(String),
      revoked_at: null,
      last_used_at: null,
    });
    expect(JSON.stringify(await world.db.snapshot())).not.toContain(key);
    const bearer = { authorization: `Bearer ${key}` };
    expect((await world.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a', headers: bearer })).statusCode).toBe(200);
    expect((await world.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a2', headers: bearer })).statusCode).toBe(404);
    const listed = (await admin('GET', '/api/v1/entities/ministere-a/keys')).json().keys;
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(listed.find((k: { name: string }) => k.name === 'export nuit').last_used_at).not.toBeNull();
    expect((await admin('DELETE', '/api/v1/entities/ministere-a/keys/export%20nuit')).statusCode).toBe(204);
    expect((await world.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
    expect((await actions()).map((e) => [e.action, e.target])).toEqual([
      ['key_revoked', 'export nuit'],
      ['key_created', 'export nuit'],
    ]);
  });

  test.each([
    ['a live key’s name', 'POST', '/api/v1/entities/ministere-a/keys', { name: 'tableau' }, 409, 'key_exists'],
    [
      'another entity’s procedure',
      'POST',
      '/api/v1/entities/ministere-a/keys',
      { name: 'x', procedures: ['demarche-b'] },
      404,
      'procedure_not_found',
    ],
    [
      'an unknown procedure',
      'POST',
      '/api/v1/entities/ministere-a/keys',
      { name: 'x', procedures: ['inconnue'] },
      404,
      'procedure_not_found',
    ],
    ['an empty name', 'POST', '/api/v1/entities/ministere-a/keys', { name: ' ' }, 400, 'invalid_body'],
    ['revoking an unknown key', 'DELETE', '/api/v1/entities/ministere-a/keys/inconnue', undefined, 404, 'key_not_found'],
    ['revoking a revoked key', 'DELETE', '/api/v1/entities/ministere-a/keys/ancienne', undefined, 404, 'key_not_found'],
    ['another entity’s key', 'DELETE', '/api/v1/entities/ministere-b/keys/tableau-b', undefined, 404, 'entity_not_found'],
  ] as const)('%s is refused', async (_name, method, url, body, status, code) => {
    const admin = await as(ADMIN_A);
    await expectRefused(() => admin(method, url, body), status, code);
  });
});

describe('audit log', () => {
  test('an admin reads their entity’s log, newest first, page by page', async () => {
    const admin = await as(ADMIN_A);
    for (const title of ['Un', 'Deux', 'Trois']) await admin('PATCH', '/api/v1/procedures/demarche-a', { title });
    const first = (await admin('GET', '/api/v1/audit?entity=ministere-a&limit=2')).json();
    expect(first.entries.map((e: { details: { title?: string } }) => e.details.title)).toEqual(['Trois', 'Deux']);
    expect(first.entries[0]).toMatchObject({
      at: world.clock.now.toISOString(),
      actor: ADMIN_A,
      action: 'procedure_updated',
      target: 'demarche-a',
    });
    const second = (await admin('GET', `/api/v1/audit?entity=ministere-a&limit=2&before=${first.next_before}`)).json();
    expect(second.entries.map((e: { details: { title?: string } }) => e.details.title)).toEqual(['Un']);
    expect(second.next_before).toBeNull();
    await expectRefused(() => admin('GET', '/api/v1/audit?entity=ministere-b'), 404, 'entity_not_found');
    await expectRefused(() => admin('GET', '/api/v1/audit?entity=ministere-a&limit=0'), 400, 'invalid_query');
    await expectRefused(() => admin('GET', '/api/v1/audit'), 400, 'invalid_query');
  });
});

describe('the OpenAPI document', () => {
  test('describes the agency routes’ real replies, successes and refusals', async () => {
    const admin = await as(ADMIN_A);
    const doc = (await world.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
    const check = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, path: string, status: number, body?: unknown) => {
      const reply = url.startsWith('key:')
        ? await world.inject({ method, url: url.slice(4), headers: { authorization: `Bearer ${world.keys.all}` } })
        : await admin(method, url, body);
      expect(reply.statusCode, `${method} ${url}: ${reply.body}`).toBe(status);
      const schema = doc.paths[path][method.toLowerCase()].responses[String(status)].content['application/json'].schema;
      const validate = ajv.compile(schema);
      expect(validate(reply.json()) ? [] : validate.errors, `${method} ${url}`).toEqual([]);
    };
    await check('GET', '/api/v1/me', '/api/v1/me', 200);
    await check('GET', 'key:/api/v1/me', '/api/v1/me', 200);
    await check('GET', '/api/v1/procedures', '/api/v1/procedures', 200);
    await check('PATCH', '/api/v1/procedures/demarche-a', '/api/v1/procedures/{id}', 200, { title: 'Titre' });
    await check('PATCH', '/api/v1/procedures/demarche-a', '/api/v1/procedures/{id}', 400, { titre: 'Titre' });
    await check('POST', 'key:/api/v1/procedures/demarche-a/archive', '/api/v1/procedures/{id}/archive', 403);
    await check('GET', '/api/v1/procedures/demarche-b', '/api/v1/procedures/{id}', 404);
    await check('GET', '/api/v1/procedures/demarche-a/snippet', '/api/v1/procedures/{id}/snippet', 200);
    await check('GET', '/api/v1/procedures/demarche-a/health', '/api/v1/procedures/{id}/health', 200);
    await check('GET', '/api/v1/entities/ministere-a/members', '/api/v1/entities/{entity}/members', 200);
    await check('DELETE', `/api/v1/entities/ministere-a/members/${ADMIN_A}`, '/api/v1/entities/{entity}/members/{email}', 409);
    await check('POST', '/api/v1/entities/ministere-a/keys', '/api/v1/entities/{entity}/keys', 201, { name: 'k' });
    await check('GET', '/api/v1/entities/ministere-a/keys', '/api/v1/entities/{entity}/keys', 200);
    await check('GET', '/api/v1/audit?entity=ministere-a', '/api/v1/audit', 200);
    await check('GET', '/api/v1/audit?entity=ministere-a&limit=x', '/api/v1/audit', 400);
  });
});
