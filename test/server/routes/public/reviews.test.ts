import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../../server/app.ts';
import { testConfig, type Config } from '../../../../server/config.ts';
import type { Store } from '../../../../server/store/store.ts';
import { testDatabase, type TestDatabase } from '../../../helpers/test-database.ts';
import { postRatingForm } from '../../../helpers/hosted-form.ts';
import { addProcedure } from '../../../helpers/procedures.ts';

const COLLECTOR = 'http://127.0.0.1:8080';
const AGENCY = 'https://passeport.example.gouv.fr';
const ELSEWHERE = 'https://evil.example.com';
const HOUR = 60 * 60 * 1000;

let store: Store;
let app: FastifyInstance;
let clock: Date;
let db: TestDatabase;

async function openApp(): Promise<void> {
  store = await db.open();
  app = await buildApp({ config: testConfig({ ...db.options, publicUrl: COLLECTOR }), store, now: () => clock });
}

beforeEach(async () => {
  db = await testDatabase();
  clock = new Date('2026-11-22T10:00:00Z');
  await openApp();
  await addProcedure(store, {
    id: 'demande-passeport',
    title: 'Demande de passeport',
    entity: 'Ministère de l’Intérieur',
    origins: [AGENCY],
    placements: ['site'],
  });
  await addProcedure(store, { id: 'autre-demarche', title: 'Autre', entity: 'Autre', origins: [ELSEWHERE] });
});

afterEach(async () => {
  await app.close();
  await store.close();
});

type Headers = Record<string, string>;

const postRating = (body: unknown, headers: Headers = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: AGENCY, ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

const postFollowUp = (id: number | string, body: unknown, headers: Headers = {}) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/reviews/${id}`,
    headers: { 'content-type': 'application/json', origin: AGENCY, ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function rate(satisfaction = 'good'): Promise<{ id: number; token: string; expires_at: string }> {
  const reply = await postRating({ procedure: 'demande-passeport', placement: 'site', satisfaction });
  expect(reply.statusCode).toBe(201);
  return reply.json();
}

/** The app's clock, moved by a person's thinking time between a page and its POST. */
const thinking = { advance: (ms: number) => void (clock = new Date(clock.getTime() + ms)) };

const refusedRows = () =>
  db.rows('SELECT procedure_id, reason, origin, placement_id, count FROM refused_ratings ORDER BY procedure_id, reason, origin');
const reviewRows = () => db.rows('SELECT * FROM reviews ORDER BY id');
const answerRows = (id: number) =>
  db.rows('SELECT question, channel, answer FROM review_answers WHERE review_id = ? ORDER BY question, channel, answer', id);

describe('POST /api/v1/reviews: the hot rating', () => {
  test('a hot rating is stored before any follow-up, with its token hashed', async () => {
    const created = await rate('medium');
    expect(created.id).toBeGreaterThan(0);
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits
    expect(created.expires_at).toBe('2026-11-22T11:00:00.000Z');

    const [row] = await reviewRows();
    expect(row).toMatchObject({
      id: created.id,
      procedure_id: 'demande-passeport',
      placement_id: 'site',
      day: '2026-11-22',
      satisfaction: 'medium',
      lang: 'fr',
      followed_up_at: null,
      comment: null,
    });
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(await answerRows(created.id)).toEqual([]);
  });

  test('placement defaults to "default" and lang is kept', async () => {
    const reply = await postRating(
      { procedure: 'demande-passeport', satisfaction: 'bad', lang: 'en' },
      { 'content-type': 'application/json' },
    );
    expect(reply.statusCode).toBe(201);
    expect((await reviewRows())[0]).toMatchObject({ placement_id: 'default', satisfaction: 'bad', lang: 'en' });
  });

  test('each of the widget’s languages is stored as given, and a comment is scrubbed with placeholders in it', async () => {
    const placeholders = {
      es: '[número de teléfono]',
      pt: '[número de telefone]',
      de: '[Telefonnummer]',
      it: '[numero di telefono]',
      ar: '[رقم هاتف]',
    };
    for (const lang of Object.keys(placeholders)) {
      const rated = await postRating({ procedure: 'demande-passeport', satisfaction: 'medium', lang });
      expect(rated.statusCode).toBe(201);
      const { id, token } = rated.json();
      const followed = await postFollowUp(id, { token, answers: { comment: 'Appelez le 06 12 34 56 78' } });
      expect(followed.statusCode).toBe(200);
    }
    expect((await reviewRows()).map((row) => [row.lang, row.comment])).toEqual(
      Object.entries(placeholders).map(([lang, placeholder]) => [lang, `Appelez le ${placeholder}`]),
    );
  });

  test('a request without Origin (not a browser) and the collector’s own pages may post', async () => {
    expect((await postRating({ procedure: 'demande-passeport', satisfaction: 'good' }, { origin: '' })).statusCode).toBe(403);
    const noOrigin = await app.inject({
      method: 'POST',
      url: '/api/v1/reviews',
      headers: { 'content-type': 'application/json' },
      payload: { procedure: 'demande-passeport', satisfaction: 'good' },
    });
    expect(noOrigin.statusCode).toBe(201);
    expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
    expect((await postRating({ procedure: 'demande-passeport', satisfaction: 'good' }, { origin: COLLECTOR })).statusCode).toBe(201);
  });

  test('a reply of 201 survives closing and reopening the app on the same file', async () => {
    const created = await rate('good');
    await app.close();
    await store.close();
    await openApp();
    expect((await reviewRows()).map((r) => [r.id, r.satisfaction])).toEqual([[created.id, 'good']]);
  });

  const tooBig = JSON.stringify({ procedure: 'demande-passeport', satisfaction: 'good', lang: 'x'.repeat(17 * 1024) });
  // `counted`: what the integration health records for it (procedure, reason, origin, placement).
  const badRatings: {
    name: string;
    body: unknown;
    headers?: Headers;
    status: number;
    code: string;
    fields?: string[];
    counted?: string[];
  }[] = [
    { name: 'missing satisfaction', body: { procedure: 'demande-passeport' }, status: 400, code: 'invalid_body', fields: ['satisfaction'] },
    {
      name: 'unknown satisfaction',
      body: { procedure: 'demande-passeport', satisfaction: 'great' },
      status: 400,
      code: 'invalid_body',
      fields: ['satisfaction'],
    },
    {
      name: 'satisfaction as a mark',
      body: { procedure: 'demande-passeport', satisfaction: 10 },
      status: 400,
      code: 'invalid_body',
      fields: ['satisfaction'],
    },
    {
      name: 'unknown field',
      body: { procedure: 'demande-passeport', satisfaction: 'good', email: 'a@b.fr' },
      status: 400,
      code: 'invalid_body',
      fields: ['email'],
    },
    {
      name: 'unsupported lang',
      body: { procedure: 'demande-passeport', satisfaction: 'good', lang: 'nl' },
      status: 400,
      code: 'invalid_body',
      fields: ['lang'],
    },
    {
      name: 'a language with its region (the widget sends the bare language)',
      body: { procedure: 'demande-passeport', satisfaction: 'good', lang: 'de-DE' },
      status: 400,
      code: 'invalid_body',
      fields: ['lang'],
    },
    {
      name: 'procedure not a slug',
      body: { procedure: 'Demande Passeport', satisfaction: 'good' },
      status: 400,
      code: 'invalid_body',
      fields: ['procedure'],
    },
    {
      name: 'placement of the wrong type',
      body: { procedure: 'demande-passeport', placement: 3, satisfaction: 'good' },
      status: 400,
      code: 'invalid_body',
      fields: ['placement'],
    },
    {
      name: 'body is an array',
      body: [{ procedure: 'demande-passeport', satisfaction: 'good' }],
      status: 400,
      code: 'invalid_body',
      fields: ['(body)'],
    },
    { name: 'malformed JSON', body: '{"procedure": "demande-passeport",', status: 400, code: 'invalid_json' },
    {
      name: 'prototype poisoning',
      body: '{"procedure":"demande-passeport","satisfaction":"good","__proto__":{"x":1}}',
      status: 400,
      code: 'invalid_json',
    },
    { name: 'empty JSON body', body: '', headers: { 'content-type': 'application/json' }, status: 400, code: 'invalid_json' },
    {
      name: 'unknown procedure',
      body: { procedure: 'inconnue', satisfaction: 'good' },
      status: 404,
      code: 'unknown_procedure',
      counted: ['inconnue', 'unknown_procedure', AGENCY, 'default'],
    },
    {
      name: 'unknown placement',
      body: { procedure: 'demande-passeport', placement: 'nulle-part', satisfaction: 'good' },
      status: 404,
      code: 'unknown_placement',
      counted: ['demande-passeport', 'unknown_placement', AGENCY, 'nulle-part'],
    },
    {
      name: 'origin of another procedure',
      body: { procedure: 'demande-passeport', satisfaction: 'good' },
      headers: { origin: ELSEWHERE },
      status: 403,
      code: 'origin_not_allowed',
      counted: ['demande-passeport', 'origin_not_allowed', ELSEWHERE, 'default'],
    },
    {
      name: 'opaque origin',
      body: { procedure: 'demande-passeport', satisfaction: 'good' },
      headers: { origin: 'null' },
      status: 403,
      code: 'origin_not_allowed',
      counted: ['demande-passeport', 'origin_not_allowed', '*', 'default'],
    },
    {
      name: 'archived procedure',
      body: { procedure: 'archivee', satisfaction: 'good' },
      status: 410,
      code: 'procedure_archived',
      counted: ['archivee', 'procedure_archived', AGENCY, 'default'],
    },
    { name: 'body over 16 KiB', body: tooBig, status: 413, code: 'body_too_large' },
    {
      name: 'form encoding',
      body: 'procedure=demande-passeport&satisfaction=good',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
      code: 'unsupported_media_type',
    },
    { name: 'XML', body: '<review/>', headers: { 'content-type': 'application/xml' }, status: 415, code: 'unsupported_media_type' },
  ];

  test.each(badRatings)(
    '$name → $status $code, readable by the page, counted, nothing stored',
    async ({ body, headers, status, code, fields, counted }) => {
      await addProcedure(store, { id: 'archivee', title: 'Archivée', entity: 'Autre', origins: [AGENCY] });
      await store.procedures.setArchived('archivee', true);
      const before = await db.snapshot();
      const reply = await postRating(body, headers);
      expect(reply.statusCode).toBe(status);
      const { error } = reply.json();
      expect(error.code).toBe(code);
      expect(error.message).toEqual(expect.any(String));
      if (fields) expect(error.details.map((d: { field: string }) => d.field)).toEqual(fields);
      // Readable whatever the origin: a reply the browser hides looks like a network failure to the widget.
      expect(reply.headers['access-control-allow-origin']).toBe(headers?.origin ?? AGENCY);
      expect(await db.snapshot()).toEqual(before);
      await app.close(); // writes the pending refusal counts
      const [procedureId, reason, origin, placementId] = counted ?? [expect.any(String), code, expect.any(String), expect.any(String)];
      expect(await refusedRows()).toEqual([{ procedure_id: procedureId, reason, origin, placement_id: placementId, count: 1 }]);
    },
  );

  test('the console of a page with data-debug gets the mistake and its fix in the error message', async () => {
    const reply = await postRating(
      { procedure: 'demande-passeport', satisfaction: 'good' },
      { origin: 'https://www.passeport.example.gouv.fr' },
    );
    expect(reply.json().error.message).toBe(
      'https://www.passeport.example.gouv.fr is not an origin of procedure "demande-passeport" (jdma origin add demande-passeport https://www.passeport.example.gouv.fr).',
    );
  });
});

describe('POST /api/v1/reviews/:id: follow-ups', () => {
  const fullAnswers = {
    clarity: 4,
    help_sought: ['phone', 'email', 'other'],
    help_other: 'Un forum',
    help_reached: { phone: 'yes', email: 'no' },
    help_quality: { phone: 5 },
    comment: 'Rapide.',
  };

  test('follow-ups are stored as one row per answer, free text in its own columns', async () => {
    const { id, token } = await rate();
    clock = new Date(clock.getTime() + 5 * 60 * 1000);
    const reply = await postFollowUp(id, { token, answers: fullAnswers });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ id });
    expect(reply.headers['access-control-allow-origin']).toBe(AGENCY);
    expect(await answerRows(id)).toEqual([
      { question: 'clarity', channel: '', answer: '4' },
      { question: 'help_quality', channel: 'phone', answer: '5' },
      { question: 'help_reached', channel: 'email', answer: 'no' },
      { question: 'help_reached', channel: 'phone', answer: 'yes' },
      { question: 'help_sought', channel: '', answer: 'email' },
      { question: 'help_sought', channel: '', answer: 'other' },
      { question: 'help_sought', channel: '', answer: 'phone' },
    ]);
    expect((await reviewRows())[0]).toMatchObject({
      satisfaction: 'good',
      help_other: 'Un forum',
      comment: 'Rapide.',
      followed_up_at: clock.getTime(),
    });
  });

  test('follow-ups may come as text/plain too, like the hot rating (no preflight)', async () => {
    const { id, token } = await rate();
    const reply = await postFollowUp(id, JSON.stringify({ token, answers: { clarity: 2 } }), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(reply.statusCode).toBe(200);
    expect(await answerRows(id)).toEqual([{ question: 'clarity', channel: '', answer: '2' }]);
  });

  test('follow-ups replace earlier follow-ups; the hot rating stays', async () => {
    const { id, token } = await rate('bad');
    expect((await postFollowUp(id, { token, answers: fullAnswers })).statusCode).toBe(200);
    expect((await postFollowUp(id, { token, answers: { help_sought: ['none'] } })).statusCode).toBe(200);
    expect(await answerRows(id)).toEqual([{ question: 'help_sought', channel: '', answer: 'none' }]);
    expect((await reviewRows())[0]).toMatchObject({ satisfaction: 'bad', help_other: null, comment: null });
  });

  test('follow-ups are accepted up to one hour after the rating, then 410', async () => {
    const { id, token } = await rate();
    clock = new Date(clock.getTime() + HOUR);
    expect((await postFollowUp(id, { token, answers: { clarity: 5 } })).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 1);
    const before = await db.snapshot();
    const late = await postFollowUp(id, { token, answers: { clarity: 1 } });
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe('follow_up_expired');
    expect(await db.snapshot()).toEqual(before);
  });

  const badFollowUps: {
    name: string;
    body: (token: string) => unknown;
    id?: string;
    headers?: Headers;
    status: number;
    code: string;
    fields?: string[];
  }[] = [
    { name: 'malformed JSON', body: () => '{"token": ', status: 400, code: 'invalid_json' },
    { name: 'empty body', body: () => '', status: 400, code: 'invalid_json' },
    { name: 'missing token', body: () => ({ answers: { clarity: 3 } }), status: 400, code: 'invalid_body', fields: ['token'] },
    {
      name: 'no channel at all',
      body: (token) => ({ token, answers: { help_sought: [] } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.help_sought'],
    },
    { name: 'missing answers', body: (token) => ({ token }), status: 400, code: 'invalid_body', fields: ['answers'] },
    {
      name: 'unknown field',
      body: (token) => ({ token, answers: {}, satisfaction: 'good' }),
      status: 400,
      code: 'invalid_body',
      fields: ['satisfaction'],
    },
    {
      name: 'unknown answer',
      body: (token) => ({ token, answers: { age: 40 } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.age'],
    },
    {
      name: 'clarity out of range',
      body: (token) => ({ token, answers: { clarity: 6 } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.clarity'],
    },
    {
      name: 'clarity not an integer',
      body: (token) => ({ token, answers: { clarity: 2.5 } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.clarity'],
    },
    {
      name: 'unknown channel',
      body: (token) => ({ token, answers: { help_sought: ['pigeon'] } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.help_sought.0'],
    },
    {
      name: '"none" with another channel',
      body: (token) => ({ token, answers: { help_sought: ['none', 'phone'] } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.help_sought'],
    },
    {
      name: 'repeated channel',
      body: (token) => ({ token, answers: { help_sought: ['phone', 'phone'] } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.help_sought'],
    },
    {
      name: 'help_reached for a channel not sought',
      body: (token) => ({ token, answers: { help_sought: ['phone'], help_reached: { email: 'yes' } } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.help_reached.email'],
    },
    {
      name: 'help_reached for a non-administration channel',
      body: (token) => ({ token, answers: { help_sought: ['relative'], help_reached: { relative: 'yes' } } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.help_reached.relative'],
    },
    {
      name: 'help_quality for a channel not reached',
      body: (token) => ({ token, answers: { help_sought: ['phone'], help_reached: { phone: 'no' }, help_quality: { phone: 4 } } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.help_quality.phone'],
    },
    {
      name: 'help_other without "other"',
      body: (token) => ({ token, answers: { help_sought: ['phone'], help_other: 'x' } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.help_other'],
    },
    {
      name: 'help_other over 250 characters',
      body: (token) => ({ token, answers: { help_sought: ['other'], help_other: 'x'.repeat(251) } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.help_other'],
    },
    {
      name: 'comment over 3,000 characters',
      body: (token) => ({ token, answers: { comment: 'x'.repeat(3001) } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.comment'],
    },
    {
      name: 'comment of the wrong type',
      body: (token) => ({ token, answers: { comment: ['x'] } }),
      status: 400,
      code: 'invalid_body',
      fields: ['answers.comment'],
    },
    { name: 'wrong token', body: () => ({ token: 'A'.repeat(43), answers: { clarity: 3 } }), status: 403, code: 'invalid_token' },
    {
      name: 'origin not allowed',
      body: (token) => ({ token, answers: { clarity: 3 } }),
      headers: { origin: ELSEWHERE },
      status: 403,
      code: 'origin_not_allowed',
    },
    { name: 'unknown review', id: '999999', body: (token) => ({ token, answers: { clarity: 3 } }), status: 404, code: 'unknown_review' },
    {
      name: 'review id not a number',
      id: 'abc',
      body: (token) => ({ token, answers: { clarity: 3 } }),
      status: 404,
      code: 'unknown_review',
    },
    { name: 'XML', body: () => '<answers/>', headers: { 'content-type': 'application/xml' }, status: 415, code: 'unsupported_media_type' },
    {
      name: 'body over 16 KiB',
      body: (token) => ({ token, answers: { comment: 'x'.repeat(17 * 1024) } }),
      status: 413,
      code: 'body_too_large',
    },
  ];

  test.each(badFollowUps)('$name → $status $code, nothing changed', async ({ body, id, headers, status, code, fields }) => {
    const created = await rate();
    const before = await db.snapshot();
    const reply = await postFollowUp(id ?? created.id, body(created.token), headers);
    expect(reply.statusCode).toBe(status);
    expect(reply.json().error.code).toBe(code);
    expect(reply.headers['access-control-allow-origin']).toBe(headers?.origin ?? AGENCY);
    if (fields) expect(reply.json().error.details.map((d: { field: string }) => d.field)).toEqual(fields);
    expect(await db.snapshot()).toEqual(before);
  });

  test('a token only opens its own review', async () => {
    const first = await rate();
    const second = await rate();
    const reply = await postFollowUp(second.id, { token: first.token, answers: { clarity: 1 } });
    expect(reply.statusCode).toBe(403);
    expect(await answerRows(second.id)).toEqual([]);
  });
});

describe('CORS', () => {
  test('a preflight-free text/plain POST from an allowed origin gets Access-Control-Allow-Origin for that origin', async () => {
    const reply = await postRating({ procedure: 'demande-passeport', satisfaction: 'good' });
    expect(reply.statusCode).toBe(201);
    expect(reply.headers['access-control-allow-origin']).toBe(AGENCY);
    expect(reply.headers.vary).toContain('Origin');
  });

  test('another origin gets a readable 403, even one registered for another procedure, and nothing is stored', async () => {
    const reply = await postRating({ procedure: 'demande-passeport', satisfaction: 'good' }, { origin: ELSEWHERE });
    expect(reply.statusCode).toBe(403);
    expect(reply.json().error.code).toBe('origin_not_allowed');
    expect(reply.headers['access-control-allow-origin']).toBe(ELSEWHERE);
    expect(await reviewRows()).toEqual([]);
  });

  test.each(['/api/v1/reviews', '/api/v1/reviews/1'])(
    'a preflight (for application/json) to %s is answered for every origin: the POST then says what is wrong',
    async (url) => {
      const preflight = (origin: string) =>
        app.inject({
          method: 'OPTIONS',
          url,
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        });
      const allowed = await preflight(AGENCY);
      expect(allowed.statusCode).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe(AGENCY);
      expect(allowed.headers['access-control-allow-methods']).toBe('POST');
      const unknown = await preflight('https://unknown.example.org');
      expect(unknown.headers['access-control-allow-origin']).toBe('https://unknown.example.org');
      const refused = await postRating(
        { procedure: 'demande-passeport', satisfaction: 'good' },
        { origin: 'https://unknown.example.org', 'content-type': 'application/json' },
      );
      expect(refused.json().error.code).toBe('origin_not_allowed');
    },
  );
});

describe('abuse and health', () => {
  async function reopenWith(overrides: Partial<Config>): Promise<void> {
    await app.close();
    await store.close();
    store = await db.open();
    app = await buildApp({ config: testConfig({ ...db.options, publicUrl: COLLECTOR, ...overrides }), store, now: () => clock });
  }

  /** A person rates through the hosted form: loads it, chooses, sends it a few seconds later. */
  const rateThroughForm = (fields: Record<string, string> = { satisfaction: 'good' }) =>
    postRatingForm(app, thinking, '/avis/demande-passeport', fields, { origin: COLLECTOR });

  test('over the per-client limit a rating gets 429 rate_limited, readable by the widget, and is not stored', async () => {
    await reopenWith({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) await rate();
    const before = await db.snapshot();
    const reply = await postRating({ procedure: 'demande-passeport', satisfaction: 'good' });
    expect(reply.statusCode).toBe(429);
    expect(reply.json().error.code).toBe('rate_limited');
    expect(reply.headers['access-control-allow-origin']).toBe(AGENCY);
    const stranger = await postRating({ procedure: 'demande-passeport', satisfaction: 'good' }, { origin: 'https://unknown.example.org' });
    expect(stranger.statusCode).toBe(429);
    expect(stranger.headers['access-control-allow-origin']).toBe('https://unknown.example.org');
    expect(await db.snapshot()).toEqual(before);
    await app.close();
    expect(await refusedRows()).toEqual([
      { procedure_id: 'demande-passeport', reason: 'rate_limited', origin: AGENCY, placement_id: 'default', count: 1 },
      {
        procedure_id: 'demande-passeport',
        reason: 'rate_limited',
        origin: 'https://unknown.example.org',
        placement_id: 'default',
        count: 1,
      },
    ]);
  });

  test('the API and the hosted form share one limit per client', async () => {
    await reopenWith({ rateLimitPerMinute: 3 });
    await rate();
    await rate();
    const hosted = await rateThroughForm();
    expect(hosted.statusCode).toBe(201);
    expect((await postRating({ procedure: 'demande-passeport', satisfaction: 'good' })).statusCode).toBe(429);
    // People without JavaScript are told in a page, not in the API's JSON.
    const refused = await rateThroughForm();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('text/html');
    expect(refused.body).toContain('réessayez dans une minute');
  });

  test.each([
    { trustProxy: false as const, statuses: [201, 429] },
    { trustProxy: '127.0.0.1', statuses: [201, 201] },
  ])('behind a proxy (TRUST_PROXY=$trustProxy), clients are told apart by X-Forwarded-For: $statuses', async ({ trustProxy, statuses }) => {
    await reopenWith({ rateLimitPerMinute: 1, trustProxy });
    const from = (client: string) => postRating({ procedure: 'demande-passeport', satisfaction: 'good' }, { 'x-forwarded-for': client });
    expect([(await from('203.0.113.7')).statusCode, (await from('198.51.100.9')).statusCode]).toEqual(statuses);
  });

  test('follow-ups have their own per-client limit (API and hosted form together): 429 rate_limited, readable, counted, nothing changed', async () => {
    await reopenWith({ rateLimitPerMinute: 3 });
    const { id, token } = await rate();
    for (let i = 0; i < 3; i++) expect((await postFollowUp(id, { token, answers: { clarity: 4 } })).statusCode).toBe(200);
    const before = await db.snapshot();
    const refused = await postFollowUp(id, { token, answers: { clarity: 1 } });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(refused.headers['access-control-allow-origin']).toBe(AGENCY);
    const hosted = await app.inject({
      method: 'POST',
      url: `/avis/demande-passeport/${id}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: COLLECTOR },
      payload: `token=${token}&clarity=1&action=send`,
    });
    expect(hosted.statusCode).toBe(429);
    expect(hosted.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(hosted.body).toContain('réessayez dans une minute');
    expect(await db.snapshot()).toEqual(before);
    // A separate count: the client's follow-ups did not use up its ratings.
    await rate();
    await app.close();
    expect(await refusedRows()).toEqual([
      { procedure_id: 'demande-passeport', reason: 'rate_limited', origin: COLLECTOR, placement_id: 'default', count: 1 },
      { procedure_id: 'demande-passeport', reason: 'rate_limited', origin: AGENCY, placement_id: '', count: 1 },
    ]);
  });

  test('past RATINGS_PER_CLIENT_PER_DAY ratings of one procedure, a client gets 429 too_many_ratings until the next UTC day', async () => {
    await reopenWith({ ratingsPerClientPerDay: 2 });
    await rate();
    await rate();
    const before = await db.snapshot();
    const refused = await postRating({ procedure: 'demande-passeport', placement: 'site', satisfaction: 'bad' });
    expect(refused.statusCode).toBe(429);
    const { error } = refused.json();
    expect(error.code).toBe('too_many_ratings');
    expect(error.message).toContain('accepted again from 2026-11-23T00:00:00.000Z (midnight UTC)');
    expect(refused.headers['retry-after']).toBe(String(14 * 3600)); // 10:00 UTC → midnight
    expect(refused.headers['access-control-allow-origin']).toBe(AGENCY);
    expect(await db.snapshot()).toEqual(before);
    // Per procedure: the same client may still rate another one.
    expect((await postRating({ procedure: 'autre-demarche', satisfaction: 'good' }, { origin: ELSEWHERE })).statusCode).toBe(201);
    await app.close(); // writes the refusal counts of this day
    expect(await refusedRows()).toEqual([
      { procedure_id: 'demande-passeport', reason: 'too_many_ratings', origin: AGENCY, placement_id: 'site', count: 1 },
    ]);
    await reopenWith({ ratingsPerClientPerDay: 2 });
    clock = new Date('2026-11-23T00:00:01Z');
    await rate();
  });

  test('the count is per client: another address is not held back by the first one', async () => {
    await reopenWith({ ratingsPerClientPerDay: 1, trustProxy: '127.0.0.1' });
    const from = (client: string) => postRating({ procedure: 'demande-passeport', satisfaction: 'good' }, { 'x-forwarded-for': client });
    expect([
      (await from('203.0.113.7')).statusCode,
      (await from('203.0.113.7')).statusCode,
      (await from('198.51.100.9')).statusCode,
    ]).toEqual([201, 429, 201]);
  });

  test('the hosted form shares the daily count with the API, and says so in a page (429)', async () => {
    await reopenWith({ ratingsPerClientPerDay: 2 });
    await rate();
    expect((await rateThroughForm()).statusCode).toBe(201);
    const before = await db.snapshot();
    const refused = await rateThroughForm();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(refused.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/));
    // In the words of the person's day, with what they can do now.
    expect(refused.body).toContain('Vous pourrez donner le vôtre demain, ou dès maintenant depuis une autre connexion');
    expect(refused.body).not.toContain('UTC');
    const english = await postRatingForm(app, thinking, '/avis/demande-passeport?lang=en', { satisfaction: 'good' }, { origin: COLLECTOR });
    expect(english.statusCode).toBe(429);
    expect(english.body).toContain('You can give yours tomorrow, or right now from another connection');
    expect((await postRating({ procedure: 'demande-passeport', satisfaction: 'good' })).json().error.code).toBe('too_many_ratings');
    expect(await db.snapshot()).toEqual(before);
    await app.close();
    expect(await refusedRows()).toEqual([
      { procedure_id: 'demande-passeport', reason: 'too_many_ratings', origin: COLLECTOR, placement_id: 'default', count: 2 },
      { procedure_id: 'demande-passeport', reason: 'too_many_ratings', origin: AGENCY, placement_id: 'default', count: 1 },
    ]);
  });

  test('by default one connection may give a procedure 200 ratings a day, above the busiest public access point', async () => {
    await reopenWith({ rateLimitPerMinute: 0 });
    for (let i = 0; i < 200; i++) expect((await postRating({ procedure: 'demande-passeport', satisfaction: 'good' })).statusCode).toBe(201);
    expect(await reviewRows()).toHaveLength(200);
    const refused = await postRating({ procedure: 'demande-passeport', satisfaction: 'good' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_ratings');
    expect(await reviewRows()).toHaveLength(200);
  });

  test('RATINGS_PER_CLIENT_PER_DAY=0 turns the daily limit off', async () => {
    await reopenWith({ ratingsPerClientPerDay: 0 });
    for (let i = 0; i < 12; i++) await rate();
    expect(await reviewRows()).toHaveLength(12);
  });

  test('GET /healthz answers ok', async () => {
    const reply = await app.inject('/healthz');
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ status: 'ok' });
  });

  test('an unknown path gets the one error shape', async () => {
    const reply = await app.inject('/api/v1/nothing');
    expect(reply.statusCode).toBe(404);
    expect(reply.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });
});
