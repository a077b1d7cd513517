import type { FastifyInstance } from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig } from '../../../../server/config.ts';
import { ensureDemoProcedure } from '../../../../server/demo-procedure.ts';
import { FORM_LIFETIME_MS } from '../../../../server/hosted-form-guard.ts';
import { purge } from '../../../../server/retention.ts';
import type { Store } from '../../../../server/store/store.ts';
import { formBody, formFields, type FormFields } from '../../../helpers/hosted-form.ts';
import { testDatabase, type TestDatabase } from '../../../helpers/test-database.ts';

// Two collectors on one database (one PostgreSQL database, or one SQLite file), as behind the
// README's load balancer: a hosted form rendered by one and posted to the other is one form. Each
// collector is a whole app on a store of its own; they share only the database and a clock.

const PUBLIC_URL = 'http://127.0.0.1:8080';
let clock = new Date('2026-11-22T10:00:00Z');
const later = (ms: number) => void (clock = new Date(clock.getTime() + ms));

const opened: { app: FastifyInstance; store: Store }[] = [];
afterEach(async () => {
  for (const { app, store } of opened.splice(0)) {
    await app.close();
    await store.close();
  }
});

async function collector(db: TestDatabase, hostedFormSecret?: string): Promise<FastifyInstance> {
  const store = await db.open();
  const config = testConfig({ ...db.options, rateLimitPerMinute: 0, ratingsPerClientPerDay: 0, publicUrl: PUBLIC_URL, hostedFormSecret });
  await ensureDemoProcedure(store, config);
  const app = await buildApp({ config, store, now: () => clock });
  opened.push({ app, store });
  return app;
}

const shown = async (app: FastifyInstance, url = '/avis/demo?placement=email') => formFields((await app.inject({ url })).body).fields;

const post = (app: FastifyInstance, fields: FormFields) =>
  app.inject({
    method: 'POST',
    url: '/avis/demo',
    payload: formBody(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: PUBLIC_URL },
  });

const reviews = (db: TestDatabase) => db.rows('SELECT placement_id, satisfaction FROM reviews ORDER BY id');

test('a form rendered by one collector and sent to the other is accepted at once; reloaded on the first, it does not count twice', async () => {
  const db = await testDatabase();
  const a = await collector(db);
  const b = await collector(db);
  const fields = await shown(a);
  later(3000);
  const sent = await post(b, { ...fields, satisfaction: 'good' });
  expect(sent.statusCode).toBe(201);
  expect(await reviews(db)).toEqual([{ placement_id: 'email', satisfaction: 'good' }]);

  const reload = await post(a, { ...fields, satisfaction: 'good' });
  expect(reload.statusCode).toBe(200);
  expect(reload.body).toContain('Votre avis a déjà été enregistré');
  expect(await reviews(db)).toEqual([{ placement_id: 'email', satisfaction: 'good' }]);
});

test('the widget’s fallback link, opened on one collector, is sent in one tap through the other', async () => {
  const db = await testDatabase();
  const a = await collector(db);
  const b = await collector(db);
  const fields = await shown(a, '/avis/demo?placement=site&lang=fr&satisfaction=bad');
  const sent = await post(b, { ...fields, satisfaction: 'bad' });
  expect(sent.statusCode).toBe(201);
  expect(await reviews(db)).toEqual([{ placement_id: 'site', satisfaction: 'bad' }]);
});

test('one form sent to both collectors at the same moment is stored once', async () => {
  const db = await testDatabase();
  const a = await collector(db);
  const b = await collector(db);
  const fields = await shown(a);
  later(3000);
  const replies = await Promise.all([post(a, { ...fields, satisfaction: 'medium' }), post(b, { ...fields, satisfaction: 'medium' })]);
  expect(replies.map((reply) => reply.statusCode).sort()).toEqual([200, 201]);
  expect(await reviews(db)).toEqual([{ placement_id: 'email', satisfaction: 'medium' }]);
  expect(await db.rows('SELECT count(*) AS n FROM hosted_form_keys')).toEqual([{ n: 1 }]);
});

test('collectors opening one database find one signing key, made once by its migration', async () => {
  const db = await testDatabase();
  await Promise.all([collector(db), collector(db)]);
  // One key per purpose (the hosted form's, the unsubscribe links'), each made once.
  const keys = await db.rows<{ name: string; secret: Buffer }>('SELECT name, secret FROM collector_secrets ORDER BY name');
  expect(keys.map((key) => key.name)).toEqual(['hosted_form', 'unsubscribe']);
  for (const key of keys) expect(key.secret).toHaveLength(32);
});

test('with HOSTED_FORM_SECRET, collectors sign with it, not with the key in the database', async () => {
  const db = await testDatabase();
  const secret = 'a'.repeat(64);
  const a = await collector(db, secret);
  const b = await collector(db, secret);
  const withDatabaseKey = await collector(db);
  const fields = await shown(a);
  later(3000);
  const before = await db.snapshot();
  const refused = await post(withDatabaseKey, { ...fields, satisfaction: 'good' });
  expect(refused.statusCode).toBe(400);
  expect(refused.body).toContain('Merci de confirmer votre avis');
  expect(await db.snapshot()).toEqual(before);
  expect((await post(b, { ...fields, satisfaction: 'good' })).statusCode).toBe(201);
  expect(await reviews(db)).toEqual([{ placement_id: 'email', satisfaction: 'good' }]);
});

test('a form kept open longer than its lifetime is asked to confirm; its key is purged by then, and the confirmation counts once', async () => {
  const db = await testDatabase();
  const a = await collector(db);
  const b = await collector(db);
  const old = await shown(a);
  later(3000);
  expect((await post(a, { ...old, satisfaction: 'good' })).statusCode).toBe(201);
  later(FORM_LIFETIME_MS);
  const store = opened[0]!.store;
  expect((await purge(store, 730, clock)).formKeys).toBe(1);
  expect(await db.rows('SELECT count(*) AS n FROM hosted_form_keys')).toEqual([{ n: 0 }]);

  // The same page posted again a day later: no longer counted as new, nor stored.
  const before = await db.snapshot();
  const resent = await post(b, { ...old, satisfaction: 'good' });
  expect(resent.statusCode).toBe(400);
  expect(resent.body).toContain('Merci de confirmer votre avis');
  expect(await db.snapshot()).toEqual(before);
  // What it sends back is a fresh form, of the same key: confirmed, it is a new rating, once.
  const confirmation = formFields(resent.body).fields;
  expect(confirmation.form_key).toBe(old.form_key);
  expect((await post(a, { ...confirmation, satisfaction: 'good' })).statusCode).toBe(201);
  expect((await post(b, { ...confirmation, satisfaction: 'good' })).statusCode).toBe(200);
  expect(await reviews(db)).toHaveLength(2);
});
