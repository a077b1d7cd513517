import type { FastifyInstance } from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import type { Store } from '../../server/store/store.ts';
import { runCli } from '../helpers/cli-process.ts';
import { testDatabase, type TestDatabase } from '../helpers/test-database.ts';
import { addProcedure } from '../helpers/procedures.ts';

// Free text is kept FREE_TEXT_RETENTION_DAYS, then erased; follow-up token hashes are erased once
// their hour is over. Counts and indicators never change.

const AGENCY = 'https://passeport.example.gouv.fr';
let db: TestDatabase;
let store: Store;
let app: FastifyInstance;
let clock: Date;

afterEach(async () => {
  await app?.close();
  await store?.close();
});

async function start(at: string, retentionDays = 30): Promise<void> {
  clock = new Date(at);
  db ??= await testDatabase();
  store = await db.open();
  const config = testConfig({
    ...db.options,
    rateLimitPerMinute: 0,
    ratingsPerClientPerDay: 0,
    feedMinReviews: 1,
    freeTextRetentionDays: retentionDays,
  });
  app = await buildApp({ config, store, now: () => clock });
  await app.ready();
}

async function rateWithComment(comment: string): Promise<{ id: number; token: string }> {
  const rated = await app.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': 'application/json', origin: AGENCY },
    payload: { procedure: 'passeport', satisfaction: 'good' },
  });
  const { id, token } = rated.json() as { id: number; token: string };
  const followed = await app.inject({
    method: 'POST',
    url: `/api/v1/reviews/${id}`,
    headers: { 'content-type': 'application/json', origin: AGENCY },
    payload: { token, answers: { clarity: 4, help_sought: ['other'], help_other: 'Un forum', comment } },
  });
  expect(followed.statusCode).toBe(200);
  return { id, token };
}

const feedIndicators = async () =>
  (await app.inject({ url: '/api/v1/feed?procedure=passeport&from=2026-01-01&to=2026-12-31' })).json().procedures[0].indicators;

test('with the clock moved past the retention, old free text is erased at the next start and by jdma purge; indicators identical', async () => {
  db = await testDatabase();
  await start('2026-06-01T10:00:00Z');
  await addProcedure(store, { id: 'passeport', title: 'Passeport', entity: 'Intérieur', origins: [AGENCY] });
  const old = await rateWithComment('Trop long.');
  clock = new Date('2026-06-25T10:00:00Z');
  const recent = await rateWithComment('Très bien.');
  const before = await feedIndicators();
  await app.close();
  await store.close();

  // 40 days after the first review: it is past the 30-day retention, the other one is not.
  await start('2026-07-11T10:00:00Z');
  await expect
    .poll(() => db.rows('SELECT id, comment, help_other FROM reviews ORDER BY id'))
    .toEqual([
      { id: old.id, comment: null, help_other: null },
      { id: recent.id, comment: 'Très bien.', help_other: 'Un forum' },
    ]);
  expect(await feedIndicators()).toEqual(before);
  expect(await db.rows('SELECT count(*) AS n FROM review_answers')).toEqual([{ n: 4 }]); // answers stay: clarity and help_sought of both reviews

  // jdma purge does the same on demand, with the operator's retention.
  const cli = runCli(['purge'], { ...db.env, FREE_TEXT_RETENTION_DAYS: '1' });
  expect(cli.status).toBe(0);
  expect(cli.stdout).toMatch(/Texte libre effacé dans 1 avis \(plus de 1 jours\)/);
  expect(await db.rows('SELECT count(*) AS n FROM reviews WHERE comment IS NOT NULL')).toEqual([{ n: 0 }]);
  expect(await feedIndicators()).toEqual(before);
});

test("a problem report's text is erased past the same retention as comments; its kind still counts", async () => {
  db = await testDatabase();
  await start('2026-06-01T10:00:00Z');
  await addProcedure(store, { id: 'passeport', title: 'Passeport', entity: 'Intérieur', origins: [AGENCY] });
  const report = (text: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/problem-reports',
      headers: { 'content-type': 'application/json', origin: AGENCY },
      payload: { procedure: 'passeport', kind: 'technical', text },
    });
  expect((await report('Le bouton Valider ne répond pas.')).statusCode).toBe(201);
  clock = new Date('2026-06-25T10:00:00Z');
  expect((await report('La page 3 reste blanche.')).statusCode).toBe(201);
  await app.close();
  await store.close();

  // 40 days after the first report: past the 30-day retention; the other one is not.
  await start('2026-07-11T10:00:00Z');
  await expect
    .poll(() => db.rows('SELECT kind, text FROM problem_reports ORDER BY id'))
    .toEqual([
      { kind: 'technical', text: null },
      { kind: 'technical', text: 'La page 3 reste blanche.' },
    ]);
  expect(await store.problemReports.countsByKind('passeport', '2026-01-01', '2026-12-31')).toEqual({ technical: 2 });
});

test('a token hash is erased once its follow-up hour is over; a late follow-up is still told 410', async () => {
  db = await testDatabase();
  await start('2026-06-01T10:00:00Z');
  await addProcedure(store, { id: 'passeport', title: 'Passeport', entity: 'Intérieur', origins: [AGENCY] });
  const { id, token } = await rateWithComment('Bien.');
  await app.close();
  await store.close();

  await start('2026-06-01T11:30:00Z', 730);
  await expect.poll(async () => (await db.rows<{ n: number }>('SELECT length(token_hash) AS n FROM reviews'))[0]!.n).toBe(0);
  const late = await app.inject({
    method: 'POST',
    url: `/api/v1/reviews/${id}`,
    headers: { 'content-type': 'application/json', origin: AGENCY },
    payload: { token, answers: { clarity: 1 } },
  });
  expect(late.statusCode).toBe(410);
  expect(late.json().error.code).toBe('follow_up_expired');
  expect(await db.rows('SELECT comment FROM reviews')).toEqual([{ comment: 'Bien.' }]);
});
