// Self-service procedure creation (SPEC §8), through the app on both engines: an admin creates a
// procedure on a form of the space (CSRF, as a browser posts it) and lands on its settings with its
// snippet; the API creates one alike; the entity's cap, a taken id and every bad field are refused
// with the form saying why, and nothing stored.
import { afterEach, describe, expect, test } from 'vitest';
import type { Config } from '../../../../../server/config.ts';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, READER_A } from '../../../../helpers/agency-world.ts';

const worlds: AgencyWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

async function newWorld(overrides: Partial<Config> = {}): Promise<AgencyWorld> {
  const w = await agencyWorld(overrides);
  worlds.push(w);
  return w;
}

async function as(w: AgencyWorld, email: string) {
  const { cookie } = await w.session(email);
  const csrf = await csrfTokenOf(w, cookie);
  return {
    cookie,
    csrf,
    get: (url: string) => w.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url: string, fields: Record<string, string>) =>
      w.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      }),
  };
}

const FORM = '/espace/entites/ministere-a/demarches';
const GOOD = {
  id: 'inscription-cantine',
  title: 'Inscription à la cantine',
  origins: 'https://cantine.example.gouv.fr\r\nhttps://www.example.gouv.fr',
  placements: 'fin-de-demarche',
};

describe('an admin creates a procedure in the space', () => {
  test('the home links to the form; created, it is stored, audited procedure_created, and its settings show its snippet', async () => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    expect((await admin.get('/espace')).body).toContain('href="/espace/entites/ministere-a/demarches/nouvelle"');
    const page = await admin.get('/espace/entites/ministere-a/demarches/nouvelle');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<label class="fr-label" for="demarche-origines">Origines');
    const created = await admin.post(FORM, GOOD);
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/espace/demarches/inscription-cantine/reglages?fait=creee');
    expect(await w.db.rows('SELECT id, title, entity_id FROM procedures WHERE id = ?', GOOD.id)).toEqual([
      { id: GOOD.id, title: GOOD.title, entity_id: 'ministere-a' },
    ]);
    expect(await w.store.procedures.find(GOOD.id)).toMatchObject({
      origins: ['https://cantine.example.gouv.fr', 'https://www.example.gouv.fr'],
      placements: expect.arrayContaining(['default', 'fin-de-demarche']),
    });
    expect(await w.db.rows("SELECT actor, target FROM audit_log WHERE action = 'procedure_created'")).toEqual([
      { actor: ADMIN_A, target: GOOD.id },
    ]);
    const settings = await admin.get(created.headers.location!);
    expect(settings.body).toContain('Démarche créée\u00a0: collez le code ci-dessous dans vos pages');
    expect(settings.body).toContain('data-procedure=&quot;inscription-cantine&quot;');
  });

  test('the API creates one too (POST /api/v1/procedures), under the same cap', async () => {
    const w = await newWorld({ maxProceduresPerEntity: 3 });
    const { cookie } = await w.session(ADMIN_A);
    const headers = { cookie, 'x-csrf-token': await csrfTokenOf(w, cookie) };
    const body = { id: 'par-api', title: 'Par l’API', entity: 'ministere-a', origins: ['https://api.example.gouv.fr'] };
    expect((await w.inject({ method: 'POST', url: '/api/v1/procedures', headers, payload: body })).statusCode).toBe(201);
    const before = await w.db.snapshot();
    const full = await w.inject({ method: 'POST', url: '/api/v1/procedures', headers, payload: { ...body, id: 'de-trop' } });
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({ error: { code: 'procedure_limit_reached' } });
    expect(await w.db.snapshot()).toEqual(before);
  });
});

describe('refusals: the form again, saying why; nothing stored', () => {
  test('the entity’s cap: 409 and a notice naming it (the world’s entity has 2 procedures)', async () => {
    const w = await newWorld({ maxProceduresPerEntity: 2 });
    const admin = await as(w, ADMIN_A);
    const before = await w.db.snapshot();
    const reply = await admin.post(FORM, GOOD);
    expect(reply.statusCode).toBe(409);
    expect(reply.body).toContain('Votre entité a déjà 2 démarches, archivées comprises');
    expect(reply.body).toContain('value="inscription-cantine"');
    expect(await w.db.snapshot()).toEqual(before);
  });

  test.each([
    ['an id taken by another entity', { id: 'demarche-b' }, 409, 'Une démarche porte déjà cet identifiant'],
    ['an id with capitals', { id: 'Cantine' }, 400, 'Saisissez un identifiant de 2 à 64 caractères'],
    ['no title', { title: '  ' }, 400, 'Saisissez un titre de 1 à 200 caractères.'],
    ['no origin', { origins: '' }, 400, 'Saisissez au moins une origine'],
    ['an origin with a path', { origins: 'https://a.example.gouv.fr/page' }, 400, 'Saisissez au moins une origine'],
    ['a bad placement', { placements: 'Fin de démarche' }, 400, 'Saisissez des emplacements de 2 à 64 caractères'],
  ])('%s: %i', async (_name, change, status, message) => {
    const w = await newWorld();
    const admin = await as(w, ADMIN_A);
    const before = await w.db.snapshot();
    const reply = await admin.post(FORM, { ...GOOD, ...change });
    expect(reply.statusCode).toBe(status);
    expect(reply.headers['content-type']).toContain('text/html');
    expect(reply.body).toContain(message);
    expect(reply.body).toContain('aria-invalid="true"');
    expect(await w.db.snapshot()).toEqual(before);
  });

  test('a reader, another entity’s admin, or a form without its CSRF token: refused, nothing stored', async () => {
    const w = await newWorld();
    const [reader, other, admin] = [await as(w, READER_A), await as(w, ADMIN_B), await as(w, ADMIN_A)];
    const before = await w.db.snapshot();
    expect((await reader.get('/espace/entites/ministere-a/demarches/nouvelle')).statusCode).toBe(404);
    expect((await reader.post(FORM, GOOD)).statusCode).toBe(404);
    expect((await other.post(FORM, GOOD)).statusCode).toBe(404);
    const forged = await w.inject({
      method: 'POST',
      url: FORM,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(GOOD).toString(),
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('Ce formulaire a expiré');
    expect(await w.db.snapshot()).toEqual(before);
  });
});
