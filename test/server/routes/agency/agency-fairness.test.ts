// Agencies share the collector fairly: each API key, session or anonymous client has its own rate
// limit on the agency API and space, an entity's admins create a bounded number of procedures, and
// a request repeated in a loop is one audit entry with a count, not one row per request.
import { afterEach, describe, expect, test } from 'vitest';
import type { Config } from '../../../../server/config.ts';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, DAY, READER_A } from '../../../helpers/agency-world.ts';
import { runCli } from '../../../helpers/cli-process.ts';

let world: AgencyWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function open(overrides: Partial<Config>): Promise<AgencyWorld> {
  world = await agencyWorld(overrides);
  return world;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('the agency API and space are rate-limited per key, per session, and per client without either', () => {
  test('the 4th request of one API key in a minute is a 429 rate_limited with Retry-After, writes nothing, and no other key is slowed', async () => {
    const w = await open({ agencyRateLimitPerMinute: 3 });
    const exportCsv = (key: string) => w.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a/reviews.csv', headers: bearer(key) });
    for (let i = 0; i < 3; i++) expect((await exportCsv(w.keys.all)).statusCode).toBe(200);

    const before = await w.db.snapshot();
    const refused = await exportCsv(w.keys.all);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/try again in \d+ \w+\.$/) } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The export it asked for was not audited, nor anything else written.
    expect(await w.db.snapshot()).toEqual(before);

    expect((await exportCsv(w.keys.limited)).statusCode).toBe(404); // its scope is demarche-a2: reached, and answered
    expect((await w.inject({ method: 'GET', url: '/api/v1/procedures', headers: bearer(w.keys.otherEntity) })).statusCode).toBe(200);
    const { cookie } = await w.session(ADMIN_A);
    expect((await w.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
  });

  test('a session past its limit gets the space’s own page, in French or English, and another session is not slowed', async () => {
    const w = await open({ agencyRateLimitPerMinute: 3 });
    for (const [email, lang, title] of [
      [ADMIN_A, 'fr', 'Trop de demandes'],
      [READER_A, 'en', 'Too many requests'],
    ] as const) {
      const { cookie } = await w.session(email);
      for (let i = 0; i < 3; i++) expect((await w.inject({ method: 'GET', url: '/espace', headers: { cookie } })).statusCode).toBe(200);
      const refused = await w.inject({ method: 'GET', url: `/espace?lang=${lang}`, headers: { cookie } });
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body).toContain(`<h1 class="fr-mt-4w">${title}</h1>`);
    }
    const { cookie } = await w.session(ADMIN_B);
    expect((await w.inject({ method: 'GET', url: '/espace', headers: { cookie } })).statusCode).toBe(200);
  });

  test('a state-changing request past the limit is refused before it changes anything', async () => {
    const w = await open({ agencyRateLimitPerMinute: 3 });
    const { cookie } = await w.session(ADMIN_A);
    const csrf = await csrfTokenOf(w, cookie); // the 1st request
    const rename = (title: string) =>
      w.inject({
        method: 'PATCH',
        url: '/api/v1/procedures/demarche-a',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        payload: JSON.stringify({ title }),
      });
    expect((await rename('Deux')).statusCode).toBe(200);
    expect((await rename('Trois')).statusCode).toBe(200);
    const before = await w.db.snapshot();
    const refused = await rename('Quatre');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('without a key or a session, requests are counted per client: the sign-in page too', async () => {
    const w = await open({ agencyRateLimitPerMinute: 3, trustProxy: 1 });
    const signIn = (address: string) =>
      w.inject({ method: 'GET', url: '/espace/lien/inconnu', headers: { 'x-forwarded-for': address, accept: 'text/html' } });
    for (let i = 0; i < 3; i++) expect((await signIn('203.0.113.1')).statusCode).not.toBe(429);
    const refused = await signIn('203.0.113.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await signIn('203.0.113.2')).statusCode).not.toBe(429);
    const api = await w.inject({ method: 'GET', url: '/api/v1/me', headers: { 'x-forwarded-for': '203.0.113.1' } });
    expect(api.statusCode).toBe(429);
    expect(api.json().error.code).toBe('rate_limited');
  });

  test('wrong keys are counted against their client: guessing keys is limited too', async () => {
    const w = await open({ agencyRateLimitPerMinute: 3, trustProxy: 1 });
    const guess = (authorization: string, address = '203.0.113.1') =>
      w.inject({ method: 'GET', url: '/api/v1/procedures', headers: { authorization, 'x-forwarded-for': address } });
    expect((await guess('Bearer jdma_unknownunknownunknown')).json().error.code).toBe('unauthenticated');
    expect((await guess('Basic abc')).json().error.code).toBe('unauthenticated');
    expect((await guess(`Bearer ${w.keys.revoked}`)).statusCode).toBe(401);
    const before = await w.db.snapshot();
    const refused = await guess('Bearer jdma_anotheranotheranother');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(await w.db.snapshot()).toEqual(before);
    expect((await guess('Bearer jdma_unknownunknownunknown', '203.0.113.2')).statusCode).toBe(401);
    // A valid key from the same address has a count of its own.
    expect((await guess(`Bearer ${w.keys.all}`)).statusCode).toBe(200);
  });
});

describe('an entity’s admins create at most MAX_PROCEDURES_PER_ENTITY procedures', () => {
  const newProcedure = (id: string, entity = 'ministere-a') => ({
    id,
    title: `Démarche ${id}`,
    entity,
    origins: ['https://x.example.gouv.fr'],
  });

  test('one more than the cap is a 409 procedure_limit_reached that stores nothing; archived ones count; other entities are not affected', async () => {
    const w = await open({ maxProceduresPerEntity: 3, agencyRateLimitPerMinute: 0 });
    const { cookie } = await w.session(ADMIN_A);
    const csrf = await csrfTokenOf(w, cookie);
    const send = (method: 'POST', url: string, body?: unknown) =>
      w.inject({
        method,
        url,
        headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
    // ministere-a has demarche-a and demarche-a2: one more reaches the cap.
    expect((await send('POST', '/api/v1/procedures', newProcedure('demarche-a3'))).statusCode).toBe(201);
    expect((await send('POST', '/api/v1/procedures/demarche-a3/archive')).statusCode).toBe(200);

    const before = await w.db.snapshot();
    const refused = await send('POST', '/api/v1/procedures', newProcedure('demarche-a4'));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('procedure_limit_reached');
    expect(refused.json().error.message).toMatch(/3 procedures/);
    expect(await w.db.snapshot()).toEqual(before);

    const { cookie: cookieB } = await w.session(ADMIN_B);
    const csrfB = await csrfTokenOf(w, cookieB);
    const created = await w.inject({
      method: 'POST',
      url: '/api/v1/procedures',
      headers: { cookie: cookieB, 'x-csrf-token': csrfB, 'content-type': 'application/json' },
      payload: JSON.stringify(newProcedure('demarche-b2', 'ministere-b')),
    });
    expect(created.statusCode).toBe(201);
  });

  test('creations sent at once cannot pass the cap together: one is created, the others get 409', async () => {
    const w = await open({ maxProceduresPerEntity: 3, agencyRateLimitPerMinute: 0 });
    const { cookie } = await w.session(ADMIN_A);
    const csrf = await csrfTokenOf(w, cookie);
    // ministere-a has two: one place left, six asking for it at once.
    const replies = await Promise.all(
      ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'].map((id) =>
        w.inject({
          method: 'POST',
          url: '/api/v1/procedures',
          headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
          payload: JSON.stringify(newProcedure(`demarche-${id}`)),
        }),
      ),
    );
    expect(replies.map((reply) => reply.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const reply of replies.filter((r) => r.statusCode === 409)) expect(reply.json().error.code).toBe('procedure_limit_reached');
    expect(await w.db.rows("SELECT count(*) AS n FROM procedures WHERE entity_id = 'ministere-a'")).toEqual([{ n: 3 }]);
  });

  test('the operator’s command line may go past the cap, and warns that it did', async () => {
    const w = await open({ maxProceduresPerEntity: 2 });
    await w.close(); // the command line writes to the same database
    world = undefined;
    const env = { ...w.db.env, MAX_PROCEDURES_PER_ENTITY: '2' };
    const added = runCli(
      ['procedure', 'add', 'demarche-a3', '--title', 'Troisième', '--entity', 'ministere-a', '--origin', 'https://x.example.gouv.fr'],
      env,
    );
    expect(added.status, added.stderr).toBe(0);
    expect(added.stderr).toContain('« ministere-a » a maintenant 3 démarches, au-delà de MAX_PROCEDURES_PER_ENTITY (2)');
    expect(await w.db.rows('SELECT id FROM procedures WHERE id = ?', 'demarche-a3')).toEqual([{ id: 'demarche-a3' }]);
    // Below the cap, no warning.
    const quiet = runCli(
      ['procedure', 'add', 'demarche-b2', '--title', 'Deuxième', '--entity', 'ministere-b', '--origin', 'https://x.example.gouv.fr'],
      env,
    );
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});

describe('identical audit events within a minute are one entry with a count', () => {
  const exportsOf = (w: AgencyWorld) =>
    w.db.rows<{ actor: string; target: string; count: number }>(
      "SELECT actor, target, count FROM audit_log WHERE action = 'export' ORDER BY id",
    );

  test('50 empty exports in a loop are one audit row with count 50, shown ×50 by the API and the space', async () => {
    const w = await open({ agencyRateLimitPerMinute: 0 });
    for (let i = 0; i < 50; i++) {
      const reply = await w.inject({ method: 'GET', url: '/api/v1/procedures/demarche-a2/reviews.csv', headers: bearer(w.keys.all) });
      expect(reply.statusCode).toBe(200);
      // Spread over the minute, not at one instant.
      w.clock.now = new Date(w.clock.now.getTime() + 1000);
    }
    expect((await exportsOf(w)).map((row) => ({ ...row, count: Number(row.count) }))).toEqual([
      { actor: 'key:tableau', target: 'demarche-a2', count: 50 },
    ]);

    const { cookie } = await w.session(ADMIN_A);
    const api = await w.inject({ method: 'GET', url: '/api/v1/audit?entity=ministere-a', headers: { cookie } });
    expect(api.json().entries.filter((e: { action: string }) => e.action === 'export')).toMatchObject([
      { actor: 'key:tableau', target: 'demarche-a2', count: 50 },
    ]);
    const page = await w.inject({ method: 'GET', url: '/espace/entites/ministere-a/journal', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Export <abbr title="50 fois">×50</abbr>');
    const english = await w.inject({ method: 'GET', url: '/espace/entites/ministere-a/journal?lang=en', headers: { cookie } });
    expect(english.body).toContain('Export <abbr title="50 times">×50</abbr>');
  });

  test('another actor, other details, or the same export past the minute is an entry of its own', async () => {
    const w = await open({ agencyRateLimitPerMinute: 0 });
    const exportCsv = (key: string, query = '') =>
      w.inject({ method: 'GET', url: `/api/v1/procedures/demarche-a2/reviews.csv${query}`, headers: bearer(key) });
    await exportCsv(w.keys.all);
    await exportCsv(w.keys.limited);
    await exportCsv(w.keys.all, '?satisfaction=bad');
    await exportCsv(w.keys.all);
    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    await exportCsv(w.keys.all);
    w.clock.now = new Date(w.clock.now.getTime() + DAY);
    await exportCsv(w.keys.all);
    expect((await exportsOf(w)).map((row) => [row.actor, Number(row.count)])).toEqual([
      ['key:tableau', 2],
      ['key:limitee', 1],
      ['key:tableau', 1],
      ['key:tableau', 1],
      ['key:tableau', 1],
    ]);
  });
});
