// Text fields refuse what no engine can store as sent (a NUL byte, a lone surrogate), and one-line
// names (titles, key names, reasons) also refuse control characters and bidi overrides: a 400 naming
// the field, on both engines, with nothing stored. PostgreSQL once answered a NUL byte with a 500.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADMIN_A, type AgencyWorld, agencyWorld, csrfTokenOf, ORIGIN_A } from '../../helpers/agency-world.ts';

let world: AgencyWorld;
let json: Record<string, string>;
let form: Record<string, string>;
let csrf: string;
let review: { id: number; token: string };

beforeAll(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
  const { cookie } = await world.session(ADMIN_A);
  csrf = await csrfTokenOf(world, cookie);
  json = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
  form = { cookie, 'content-type': 'application/x-www-form-urlencoded' };
  const rated = await world.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': 'application/json', origin: ORIGIN_A },
    payload: { procedure: 'demarche-a', satisfaction: 'good' },
  });
  expect(rated.statusCode).toBe(201);
  review = rated.json();
});
afterAll(async () => world?.close());

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\uD800b';
const q = encodeURIComponent;

interface Row {
  name: string;
  request: (value: string) => InjectOptions;
  code: string;
  field: string;
}

const followUp = (answers: Record<string, unknown>): InjectOptions => ({
  method: 'POST',
  url: `/api/v1/reviews/${review.id}`,
  headers: { 'content-type': 'application/json', origin: ORIGIN_A },
  payload: JSON.stringify({ token: review.token, answers }),
});

/** Every route where a person, an agency or a script sends free text, and where it goes. */
const FREE_TEXT: Row[] = [
  { name: 'a follow-up comment', request: (v) => followUp({ comment: v }), code: 'invalid_body', field: 'answers.comment' },
  {
    name: 'a follow-up help_other',
    request: (v) => followUp({ help_sought: ['other'], help_other: v }),
    code: 'invalid_body',
    field: 'answers.help_other',
  },
  {
    name: 'the search of the review listing',
    request: (v) => ({ url: `/api/v1/procedures/demarche-a/reviews?q=${q(v)}`, headers: json }),
    code: 'invalid_query',
    field: 'q',
  },
  {
    name: 'the search of the CSV export',
    request: (v) => ({ url: `/api/v1/procedures/demarche-a/reviews.csv?q=${q(v)}`, headers: json }),
    code: 'invalid_query',
    field: 'q',
  },
  {
    name: 'the search of the XLSX export',
    request: (v) => ({ url: `/api/v1/procedures/demarche-a/reviews.xlsx?q=${q(v)}`, headers: json }),
    code: 'invalid_query',
    field: 'q',
  },
  {
    name: 'a new procedure’s title',
    request: (v) => ({
      method: 'POST',
      url: '/api/v1/procedures',
      headers: json,
      payload: JSON.stringify({ id: 'nouvelle', title: v, entity: 'ministere-a', origins: [ORIGIN_A] }),
    }),
    code: 'invalid_body',
    field: 'title',
  },
  {
    name: 'a procedure’s new title',
    request: (v) => ({ method: 'PATCH', url: '/api/v1/procedures/demarche-a', headers: json, payload: JSON.stringify({ title: v }) }),
    code: 'invalid_body',
    field: 'title',
  },
  {
    name: 'a new API key’s name',
    request: (v) => ({ method: 'POST', url: '/api/v1/entities/ministere-a/keys', headers: json, payload: JSON.stringify({ name: v }) }),
    code: 'invalid_body',
    field: 'name',
  },
  {
    name: 'the reason for hiding a review',
    request: (v) => ({
      method: 'POST',
      url: `/api/v1/procedures/demarche-a/reviews/${review.id}/hide`,
      headers: json,
      payload: JSON.stringify({ reason: v }),
    }),
    code: 'invalid_body',
    field: 'reason',
  },
  {
    name: 'the entity filter of the feed',
    request: (v) => ({ url: `/api/v1/feed?entity=${q(v)}` }),
    code: 'invalid_query',
    field: 'entity',
  },
];

/** One-line names: control characters and bidi overrides are refused too; free text keeps its line breaks. */
const ONE_LINE = FREE_TEXT.filter((row) => !/follow-up|search/.test(row.name));
const CONTROLS = ['a\nb', 'a\tb', 'a\u001b[2Jb', 'a\u0085b', 'a\u009bb', 'a\u202eb', 'a\u2067b', 'a\u2028b', 'a\u007fb'];

async function expectRefused(request: InjectOptions, code: string, field: string) {
  const before = await world.db.snapshot();
  const reply = await world.inject(request);
  expect(reply.statusCode, reply.body).toBe(400);
  expect(reply.json().error).toMatchObject({ code, details: expect.arrayContaining([expect.objectContaining({ field })]) });
  expect(await world.db.snapshot()).toEqual(before);
}

describe('a NUL byte or a lone surrogate is a 400 naming the field, nothing stored', () => {
  for (const row of FREE_TEXT) {
    test(`${row.name}: a NUL byte`, async () => expectRefused(row.request(NUL), row.code, row.field));
    // A query's bytes are decoded as UTF-8, where a lone surrogate cannot be written: JSON bodies only.
    if (row.code === 'invalid_body') {
      test(`${row.name}: a lone surrogate`, async () => expectRefused(row.request(LONE_SURROGATE), row.code, row.field));
    }
  }
});

describe('a one-line name refuses control characters and bidi overrides', () => {
  for (const row of ONE_LINE) {
    test(row.name, async () => {
      for (const value of CONTROLS) await expectRefused(row.request(value), row.code, row.field);
    });
  }
});

test('a comment keeps its line breaks and tabs, and its emoji', async () => {
  const reply = await world.inject(followUp({ comment: 'Ligne 1\nLigne 2\r\n\tfin 😀' }));
  expect(reply.statusCode, reply.body).toBe(200);
  const [row] = await world.db.rows<{ comment: string }>('SELECT comment FROM reviews WHERE id = ?', review.id);
  expect(row!.comment).toBe('Ligne 1\nLigne 2\r\n\tfin 😀');
});

describe('the agency space’s forms and pages refuse them too, nothing stored', () => {
  const ROWS: { name: string; request: (value: string) => InjectOptions }[] = [
    {
      name: 'a procedure’s title',
      request: (v) => ({
        method: 'POST',
        url: '/espace/demarches/demarche-a/reglages/titre',
        headers: form,
        payload: new URLSearchParams({ _csrf: csrf, title: v }).toString(),
      }),
    },
    {
      name: 'a new key’s name',
      request: (v) => ({
        method: 'POST',
        url: '/espace/entites/ministere-a/cles',
        headers: form,
        payload: new URLSearchParams({ _csrf: csrf, name: v }).toString(),
      }),
    },
    {
      name: 'the name of a key to revoke',
      request: (v) => ({
        method: 'POST',
        url: '/espace/entites/ministere-a/cles/revoquer',
        headers: form,
        payload: new URLSearchParams({ _csrf: csrf, name: v }).toString(),
      }),
    },
    {
      name: 'the reason for hiding a review',
      request: (v) => ({
        method: 'POST',
        url: `/espace/demarches/demarche-a/avis/${review.id}/masquer`,
        headers: form,
        payload: new URLSearchParams({ _csrf: csrf, reason: v }).toString(),
      }),
    },
    { name: 'the search of the comments page', request: (v) => ({ url: `/espace/demarches/demarche-a/avis?q=${q(v)}`, headers: form }) },
  ];
  for (const row of ROWS) {
    test(row.name, async () => {
      for (const value of [NUL, 'a\u0000', ...(row.name.includes('search') ? [] : CONTROLS)]) {
        const before = await world.db.snapshot();
        const reply = await world.inject(row.request(value));
        expect([reply.statusCode, reply.headers['content-type']], `${JSON.stringify(value)}: ${reply.body.slice(0, 300)}`).toEqual([
          400,
          'text/html; charset=utf-8',
        ]);
        expect(await world.db.snapshot()).toEqual(before);
      }
    });
  }
});
