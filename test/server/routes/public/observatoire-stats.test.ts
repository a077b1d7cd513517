import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { MIGRATIONS as POSTGRES_MIGRATIONS } from '../../../../server/store/postgres/migrations.ts';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../../../../server/store/sqlite/migrations.ts';
import { testConfig, type Config } from '../../../../server/config.ts';
import { ProductIdTakenError, type Store } from '../../../../server/store/store.ts';
import type { FollowUpAnswers } from '../../../../shared/questionnaire.ts';
import { runCli } from '../../../helpers/cli-process.ts';
import { addProcedure } from '../../../helpers/procedures.ts';
import { TEST_ENGINE, testDatabase, type TestDatabase } from '../../../helpers/test-database.ts';

// The JDMA drop-in (README "The JDMA drop-in"): the observatory's pipeline calls JDMA's
// answer.getObservatoireStats twice per product, for the edition's 12 months and for the last 3
// months. These tests make the same two requests, built the way that pipeline builds them (dates
// as milliseconds at the day's first and last millisecond, the input as superjson in ?input=),
// against reviews posted through the API, and check every field against values worked by hand.

const TODAY = '2026-11-22';
let app: FastifyInstance;
let store: Store;
let db: TestDatabase;
let clock = new Date(`${TODAY}T10:00:00Z`);

async function start(overrides: Partial<Config> = {}): Promise<void> {
  db = await testDatabase();
  store = await db.open();
  const origins = ['https://service.example.gouv.fr'];
  await addProcedure(store, { id: 'passeport', title: 'Demande de passeport', entity: 'Ministère de l’Intérieur', origins });
  await addProcedure(store, { id: 'impots', title: 'Déclarer ses revenus', entity: 'DGFiP', origins });
  app = await buildApp({
    config: testConfig({ ...db.options, rateLimitPerMinute: 0, ratingsPerClientPerDay: 0, ...overrides }),
    store,
    now: () => clock,
  });
}

afterEach(async () => {
  await app?.close();
  await store?.close();
});

/** Posts a hot rating at noon (UTC) on `day`, then its follow-ups. */
async function review(day: string, procedure: string, satisfaction: string, answers?: FollowUpAnswers): Promise<void> {
  clock = new Date(`${day}T12:00:00Z`);
  const created = await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: { procedure, satisfaction } });
  expect(created.statusCode).toBe(201);
  if (answers) {
    const { id, token } = created.json() as { id: number; token: string };
    clock = new Date(`${day}T12:05:00Z`);
    const saved = await app.inject({ method: 'POST', url: `/api/v1/reviews/${id}`, payload: { token, answers } });
    expect(saved.statusCode).toBe(200);
  }
  clock = new Date(`${TODAY}T10:00:00Z`);
}

/**
 * The URL the pipeline requests (its runner is on UTC): the 12-month call from the edition's first
 * day to its last, or the 3-month call ending at the earlier of now and that last day.
 */
function pipelineUrl(productId: number, startDate: number, endDate: number, lastThreeMonths: boolean, formId?: number): string {
  let start: Date;
  let end: Date;
  if (lastThreeMonths) {
    end = new Date(Math.min(clock.getTime(), endDate));
    start = new Date(end);
    start.setUTCMonth(end.getUTCMonth() - 3);
  } else {
    start = new Date(startDate);
    end = new Date(endDate);
  }
  start.setUTCHours(0, 0, 0, 0);
  end.setUTCHours(23, 59, 59, 999);
  const json: Record<string, unknown> = { product_id: productId, start_date: String(start.getTime()), end_date: String(end.getTime()) };
  if (formId !== undefined) json.form_id = formId;
  return `/api/trpc/answer.getObservatoireStats?input=${encodeURIComponent(JSON.stringify({ json }))}`;
}

async function stats(url: string) {
  const reply = await app.inject({ method: 'GET', url });
  expect(reply.statusCode, reply.body).toBe(200);
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  return reply.json() as { result: { data: { json: { data: Record<string, number>; metadata: Record<string, number> } } } };
}

const EDITION_START = Date.UTC(2025, 10, 1); // 2025-11-01
const EDITION_END = Date.UTC(2026, 9, 31); // 2026-10-31

/** Reviews around both windows' edges; each figure below is worked from these by hand. */
async function postWorkload(): Promise<void> {
  await review('2025-10-31', 'passeport', 'bad', { clarity: 1, help_sought: ['none'] }); // before the edition
  await review('2025-11-01', 'passeport', 'good', { clarity: 5, help_sought: ['none'] });
  await review('2026-03-10', 'passeport', 'medium', {
    clarity: 3,
    help_sought: ['phone', 'email'],
    help_reached: { phone: 'yes', email: 'no' },
    help_quality: { phone: 4 },
  });
  await review('2026-07-30', 'passeport', 'good'); // the day before the 3-month window
  await review('2026-08-01', 'passeport', 'good', { clarity: 4, help_sought: ['phone'], help_reached: { phone: 'no' } });
  await review('2026-10-31', 'passeport', 'bad', {
    clarity: 1,
    help_sought: ['counter', 'chat'],
    help_reached: { counter: 'yes', chat: 'yes' },
    help_quality: { counter: 2, chat: 5 },
  });
  await review('2026-11-01', 'passeport', 'good', { clarity: 5 }); // after the edition
  await review('2026-05-05', 'impots', 'bad', { clarity: 1 }); // another procedure
}

describe('the two requests of the observatory pipeline', () => {
  test('procedures are numbered from 1,000,000 in creation order', async () => {
    await start();
    expect(await store.procedures.productIdOf('passeport')).toBe(1_000_000);
    expect(await store.procedures.productIdOf('impots')).toBe(1_000_001);
    expect(await store.procedures.byProductId(1_000_001)).toBe('impots');
    expect(await store.procedures.productIdOf('nope')).toBeUndefined();
  });

  test('the edition’s 12 months: every field worked by hand', async () => {
    await start({ feedMinReviews: 1 });
    await postWorkload();
    const reply = await stats(pipelineUrl(1_000_000, EDITION_START, EDITION_END, false, 42));
    // 2025-11-01 … 2026-10-31: good, medium, good, good, bad.
    expect(reply).toEqual({
      result: {
        data: {
          json: {
            data: {
              satisfaction: 35 / 5, // 10 + 5 + 10 + 10 + 0
              comprehension: 22.5 / 4, // clarity 5, 3, 4, 1 → 10 + 5 + 7.5 + 0
              contact: 20 / 5, // quality marks 7.5 + 2.5 + 10, over 3 qualities + 2 « no »
              contact_reachability: 3 / 5, // yes: phone, counter, chat; no: email, phone
              contact_satisfaction: 20 / 3,
              autonomy: (10 * 1) / 4, // none once, of 4 reviews that answered help_sought
            },
            metadata: {
              satisfaction_count: 5,
              comprehension_count: 4,
              contact_count: 5,
              contactReachability_count: 5,
              contactSatisfaction_count: 3,
              autonomy_count: 4,
            },
          },
        },
      },
    });
  });

  test('the last 3 months (2026-07-31 … 2026-10-31): every field worked by hand', async () => {
    await start({ feedMinReviews: 1 });
    await postWorkload();
    const reply = await stats(pipelineUrl(1_000_000, EDITION_START, EDITION_END, true));
    // 2026-08-01 good, 2026-10-31 bad.
    expect(reply.result.data.json).toEqual({
      data: {
        satisfaction: 10 / 2,
        comprehension: 7.5 / 2, // clarity 4, 1
        contact: 12.5 / 3, // quality 2.5 + 10, over 2 qualities + 1 « no »
        contact_reachability: 2 / 3,
        contact_satisfaction: 12.5 / 2,
        autonomy: 0, // both sought help
      },
      metadata: {
        satisfaction_count: 2,
        comprehension_count: 2,
        contact_count: 3,
        contactReachability_count: 3,
        contactSatisfaction_count: 2,
        autonomy_count: 2,
      },
    });
  });

  test('below the publication threshold, zeros, which the pipeline reads as no data', async () => {
    await start();
    await postWorkload();
    const { data, metadata } = (await stats(pipelineUrl(1_000_000, EDITION_START, EDITION_END, false))).result.data.json;
    expect(Object.values(data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Object.values(metadata)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('an agency’s recorded JDMA product id answers, and only for its procedure', async () => {
    await start({ feedMinReviews: 1 });
    await postWorkload();
    expect(await store.procedures.setProductId('passeport', 1617)).toBe(true);
    expect(await store.procedures.setProductId('passeport', 1617)).toBe(false);
    await expect(store.procedures.setProductId('impots', 1617)).rejects.toBeInstanceOf(ProductIdTakenError);
    const { metadata } = (await stats(pipelineUrl(1617, EDITION_START, EDITION_END, false))).result.data.json;
    expect(metadata.satisfaction_count).toBe(5);
    const old = await app.inject({ method: 'GET', url: pipelineUrl(1_000_000, EDITION_START, EDITION_END, false) });
    expect(old.statusCode).toBe(404);
    // A procedure created afterwards still gets the next number of the assigned range.
    await addProcedure(store, { id: 'carte-grise', title: 'Carte grise', entity: 'ANTS', origins: ['https://a.fr'] });
    expect(await store.procedures.productIdOf('carte-grise')).toBe(1_000_002);
  });

  test('calendar days are taken too, and an absent start means from the beginning', async () => {
    await start({ feedMinReviews: 1 });
    await postWorkload();
    const input = (json: object) => `/api/trpc/answer.getObservatoireStats?input=${encodeURIComponent(JSON.stringify({ json }))}`;
    const days = await stats(input({ product_id: 1_000_000, start_date: '2025-11-01', end_date: '2026-10-31' }));
    expect(days.result.data.json.metadata.satisfaction_count).toBe(5);
    const all = await stats(input({ product_id: 1_000_000 }));
    expect(all.result.data.json.metadata.satisfaction_count).toBe(7);
  });
});

describe('differencing', () => {
  const input = (from: string, to: string) =>
    `/api/trpc/answer.getObservatoireStats?input=${encodeURIComponent(JSON.stringify({ json: { product_id: 1_000_000, start_date: from, end_date: to } }))}`;
  const count = async (from: string, to: string) => (await stats(input(from, to))).result.data.json.metadata.satisfaction_count!;

  test('12 months and 12 months and a day, subtracted, do not reveal the one review of that day', async () => {
    await start({ feedMinReviews: 3 });
    await review('2025-11-22', 'passeport', 'bad'); // the day 12 months and a day reach, and 12 months do not
    await review('2025-12-10', 'passeport', 'good');
    await review('2025-12-10', 'passeport', 'good');
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03']) await review(day, 'passeport', 'good');
    const twelveMonths = await count('2025-11-23', TODAY);
    const andADay = await count('2025-11-22', TODAY);
    // Each answer holds whole blocks of at least 3 reviews: the bad review is only ever counted with two others.
    expect(andADay - twelveMonths === 0 || andADay - twelveMonths >= 3, `${andADay} − ${twelveMonths}`).toBe(true);
    expect([twelveMonths, andADay]).toEqual([3, 6]);
    expect((await stats(input('2025-11-22', TODAY))).result.data.json.data.satisfaction).toBeCloseTo(50 / 6); // (0 + 5 × 10) / 6
  });

  test('any two windows’ counts differ by 0 or by at least the threshold, whatever days they start and end on', async () => {
    await start({ feedMinReviews: 3 });
    const days = ['2026-01-05', '2026-01-06', '2026-01-09', '2026-02-01', '2026-02-02', '2026-02-03', '2026-02-20', '2026-03-15'];
    for (const [i, day] of days.entries()) await review(day, 'passeport', i % 2 ? 'good' : 'medium');
    const bounds = ['2026-01-01', '2026-01-06', '2026-01-07', '2026-01-10', '2026-02-02', '2026-02-04', '2026-02-21', '2026-03-20'];
    const counts: number[] = [];
    for (const from of bounds) for (const to of bounds) if (from <= to) counts.push(await count(from, to));
    for (const a of counts) for (const b of counts) expect(Math.abs(a - b) === 0 || Math.abs(a - b) >= 3, `${a} vs ${b}`).toBe(true);
    // The last two reviews (2026-02-20, 2026-03-15) are fewer than 3: no window answers for them yet.
    expect(await count('2026-01-01', '2026-03-20')).toBe(6);
  });
});

describe('refusals have tRPC’s error shape and store nothing', () => {
  const input = (json: unknown) => `?input=${encodeURIComponent(JSON.stringify({ json }))}`;
  test.each([
    ['an unknown product', input({ product_id: 999 }), 404, 'NOT_FOUND', -32004],
    ['an archived procedure', input({ product_id: 1_000_001 }), 404, 'NOT_FOUND', -32004],
    ['no input', '', 400, 'BAD_REQUEST', -32600],
    ['input that is not JSON', '?input=%7Bnope', 400, 'BAD_REQUEST', -32600],
    ['input without the superjson wrapper', `?input=${encodeURIComponent('{"product_id":1000000}')}`, 400, 'BAD_REQUEST', -32600],
    ['product_id as a string', input({ product_id: '1000000' }), 400, 'BAD_REQUEST', -32600],
    ['a date that is not one', input({ product_id: 1_000_000, start_date: 'hier' }), 400, 'BAD_REQUEST', -32600],
    ['a timestamp beyond any date', input({ product_id: 1_000_000, end_date: '9000000000000000' }), 400, 'BAD_REQUEST', -32600],
    ['a day past the year 9999', input({ product_id: 1_000_000, end_date: '999999999999999' }), 400, 'BAD_REQUEST', -32600],
    ['a calendar day that does not exist', input({ product_id: 1_000_000, start_date: '2026-02-30' }), 400, 'BAD_REQUEST', -32600],
  ])('%s → %s', async (_name, query, status, code, rpcCode) => {
    await start({ feedMinReviews: 1 });
    await review('2026-11-01', 'impots', 'good');
    await store.procedures.setArchived('impots', true);
    const before = await db.snapshot();
    const reply = await app.inject({ method: 'GET', url: `/api/trpc/answer.getObservatoireStats${query}` });
    expect(reply.statusCode).toBe(status);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    const body = reply.json();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.json).toMatchObject({
      message: expect.any(String),
      code: rpcCode,
      data: { code, httpStatus: status, path: 'answer.getObservatoireStats' },
    });
    expect(await db.snapshot()).toEqual(before);
  });
});

describe('jdma procedure product-id: the operator records a JDMA product id', () => {
  test('shows the number, records a JDMA id, and refuses a taken or out-of-range one, changing nothing', async () => {
    const database = await testDatabase();
    const env = { ...database.env, PUBLIC_URL: 'https://avis.example.gouv.fr' };
    expect(runCli(['entity', 'add', 'dgfip', '--name', 'DGFiP'], env).status).toBe(0);
    for (const id of ['impots', 'cadastre']) {
      expect(runCli(['procedure', 'add', id, '--title', id, '--entity', 'dgfip', '--origin', 'https://a.gouv.fr'], env).status).toBe(0);
    }
    expect(runCli(['procedure', 'product-id', 'impots'], env).stdout).toContain('1000000');
    const recorded = runCli(['procedure', 'product-id', 'impots', '1617'], env);
    expect(recorded).toMatchObject({ status: 0, stderr: '' });
    expect(await database.rows('SELECT id, product_id FROM procedures ORDER BY id')).toEqual([
      { id: 'cadastre', product_id: 1_000_001 },
      { id: 'impots', product_id: 1617 },
    ]);
    const before = await database.snapshot();
    for (const [number, said] of [
      ['1617', 'impots'],
      ['0', '1 à 999999'],
      ['1000000', '1 à 999999'],
      ['16a', '1 à 999999'],
    ]) {
      const refused = runCli(['procedure', 'product-id', 'cadastre', number!], env);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain(said);
    }
    expect(await database.snapshot()).toEqual(before);
  });
});

test('procedures that existed before the numbers are numbered by the migration, in creation order', async () => {
  const database = await testDatabase();
  // The schema just before the product numbers' migration, with the procedures of that time.
  const productIdMigration = (migrations: readonly unknown[]) => migrations.findIndex((m) => String(m).includes('ADD COLUMN product_id'));
  const version = TEST_ENGINE === 'sqlite' ? productIdMigration(SQLITE_MIGRATIONS) : productIdMigration(POSTGRES_MIGRATIONS);
  expect(version).toBeGreaterThan(0);
  await database.migrateTo(version);
  await database.exec("INSERT INTO entities (id, name, created_at) VALUES ('dgfip', 'DGFiP', '2026-01-01T00:00:00.000Z')");
  // Creation times far apart and out of alphabetical order, so that the order is the creation's.
  for (const [id, day] of [
    ['zeta', '01'],
    ['alpha', '02'],
    ['mu', '03'],
  ]) {
    await database.exec(
      `INSERT INTO procedures (id, title, entity_id, created_at) VALUES ('${id}', '${id}', 'dgfip', '2026-01-${day}T00:00:00.000Z')`,
    );
  }

  const after = await database.open();
  expect(await database.rows('SELECT id, product_id FROM procedures ORDER BY product_id')).toEqual([
    { id: 'zeta', product_id: 1_000_000 },
    { id: 'alpha', product_id: 1_000_001 },
    { id: 'mu', product_id: 1_000_002 },
  ]);
  await addProcedure(after, { id: 'omega', title: 'omega', entity: 'DGFiP', origins: ['https://a.gouv.fr'] });
  expect(await after.procedures.productIdOf('omega')).toBe(1_000_003);
  await after.close();
});
