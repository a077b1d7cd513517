// An agency records its procedure's JDMA product id (PATCH on the procedure, or the space's
// settings), so that the observatory's pipeline, which asks for products by their JDMA number,
// finds it with its list unchanged. Validated (1 to 999999, JDMA's range), unique (409), audited.
import { afterEach, describe, expect, test } from 'vitest';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, READER_A } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
afterEach(async () => {
  await world?.close();
});

type Send = (method: 'GET' | 'PATCH', url: string, body?: unknown) => ReturnType<AgencyWorld['inject']>;

async function as(email: string): Promise<Send> {
  const { cookie } = await world.session(email);
  const csrf = await csrfTokenOf(world, cookie);
  return (method, url, body) =>
    world.inject({
      method,
      url,
      headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
}

async function expectRefused(send: () => ReturnType<AgencyWorld['inject']>, status: number, code: string) {
  const before = await world.db.snapshot();
  const reply = await send();
  expect(reply.statusCode, reply.body).toBe(status);
  expect(reply.json().error.code).toBe(code);
  expect(await world.db.snapshot()).toEqual(before);
}

/** The drop-in's answer for a JDMA product id, as the pipeline asks for it. */
const dropIn = (productId: number) =>
  world.inject({
    url: `/api/trpc/answer.getObservatoireStats?input=${encodeURIComponent(JSON.stringify({ json: { product_id: productId, start_date: '2026-01-01', end_date: '2026-11-30' } }))}`,
  });

describe('through the API', () => {
  test('an admin records a JDMA product id: the reply and the list show it, the drop-in answers to it, the audit log has it', async () => {
    world = await agencyWorld();
    const admin = await as(ADMIN_A);
    const assigned = (await admin('GET', '/api/v1/procedures/demarche-a')).json().product_id as number;
    expect(assigned).toBeGreaterThanOrEqual(1_000_000);
    expect((await dropIn(1617)).statusCode).toBe(404);

    const changed = await admin('PATCH', '/api/v1/procedures/demarche-a', { product_id: 1617 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ id: 'demarche-a', product_id: 1617 });
    const list = (await admin('GET', '/api/v1/procedures')).json() as { procedures: { id: string; product_id: number }[] };
    expect(list.procedures.find((p) => p.id === 'demarche-a')!.product_id).toBe(1617);
    expect((await dropIn(1617)).statusCode).toBe(200);
    expect((await dropIn(assigned)).statusCode).toBe(404);
    const audit = (await world.store.audit.list('ministere-a', { limit: 10 })).filter((e) => e.action === 'procedure_updated');
    expect(audit.map((e) => e.details)).toEqual([{ product_id: { from: assigned, to: 1617 } }]);

    // The same number again changes nothing, and logs nothing.
    const before = await world.db.snapshot();
    expect((await admin('PATCH', '/api/v1/procedures/demarche-a', { product_id: 1617 })).statusCode).toBe(200);
    expect(await world.db.snapshot()).toEqual(before);
  });

  test.each([
    ['zero', 0],
    ['a negative number', -5],
    ['the collector’s own range', 1_000_000],
    ['a decimal', 16.5],
    ['a string', '1617'],
    ['null', null],
  ])('%s is refused (400 invalid_body), and nothing changes', async (_name, productId) => {
    world = await agencyWorld();
    const admin = await as(ADMIN_A);
    await expectRefused(() => admin('PATCH', '/api/v1/procedures/demarche-a', { product_id: productId }), 400, 'invalid_body');
  });

  test('a number another procedure holds is 409 product_id_taken, in its entity or another, and nothing of the change is made', async () => {
    world = await agencyWorld();
    const admin = await as(ADMIN_A);
    expect((await admin('PATCH', '/api/v1/procedures/demarche-a2', { product_id: 1617 })).statusCode).toBe(200);
    await expectRefused(
      () => admin('PATCH', '/api/v1/procedures/demarche-a', { title: 'Autre titre', product_id: 1617 }),
      409,
      'product_id_taken',
    );
    const other = await as(ADMIN_B);
    await expectRefused(() => other('PATCH', '/api/v1/procedures/demarche-b', { product_id: 1617 }), 409, 'product_id_taken');
    // A number the collector assigned to another procedure is out of the range an agency may record.
    const assignedToB = (await other('GET', '/api/v1/procedures/demarche-b')).json().product_id as number;
    await expectRefused(() => admin('PATCH', '/api/v1/procedures/demarche-a', { product_id: assignedToB }), 400, 'invalid_body');
  });

  test('a reader may not record one', async () => {
    world = await agencyWorld();
    const reader = await as(READER_A);
    await expectRefused(() => reader('PATCH', '/api/v1/procedures/demarche-a', { product_id: 1617 }), 403, 'forbidden');
  });
});

describe('in the space', () => {
  test('the settings page records the number; a wrong or taken one is the page again with its message, nothing stored', async () => {
    world = await agencyWorld();
    const { cookie } = await world.session(ADMIN_A);
    const csrf = await csrfTokenOf(world, cookie);
    const post = (procedure: string, productId: string) =>
      world.inject({
        method: 'POST',
        url: `/espace/demarches/${procedure}/reglages/numero-jdma`,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, product_id: productId }).toString(),
      });
    const page = (await world.inject({ url: '/espace/demarches/demarche-a/reglages', headers: { cookie } })).body;
    expect(page).toContain('Numéro JDMA de la démarche');
    // The field shows the assigned number, so its hint says both ranges: ours, and JDMA's.
    expect(page).toMatch(/value="1\d{6}"/);
    expect(page).toContain('Le collecteur en attribue un à chaque démarche (à partir de 1\u00a0000\u00a0000)');
    expect(page).toContain('(de 1 à 999\u00a0999)');
    const english = (await world.inject({ url: '/espace/demarches/demarche-a/reglages?lang=en', headers: { cookie } })).body;
    expect(english).toContain('The collector assigns one to every procedure (from 1,000,000 up)');

    const saved = await post('demarche-a', ' 1617 ');
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toContain('fait=numero-jdma');
    expect((await world.store.procedures.find('demarche-a'))!.productId).toBe(1617);
    expect((await world.inject({ url: saved.headers.location as string, headers: { cookie } })).body).toContain('value="1617"');

    for (const [value, status, message] of [
      ['abc', 400, 'un entier de 1 à 999\u00a0999'],
      ['0', 400, 'un entier de 1 à 999\u00a0999'],
      ['1617', 409, 'déjà celui d’une autre démarche'],
    ] as const) {
      const before = await world.db.snapshot();
      const refused = await post('demarche-a2', value);
      expect(refused.statusCode, value).toBe(status);
      expect(refused.body).toContain(message);
      expect(refused.body).toContain('aria-invalid="true"');
      expect(await world.db.snapshot()).toEqual(before);
    }
  });
});
