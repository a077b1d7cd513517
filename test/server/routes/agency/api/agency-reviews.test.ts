// The agency's own reviews over HTTP (SPEC §8): stats without threshold, the listing with its
// filters and search, the exports, moderation, and the refusals, each leaving the database unchanged.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FollowUpAnswers, SatisfactionAnswer } from '../../../../../shared/questionnaire.ts';
import { ADMIN_A, type AgencyWorld, agencyWorld, csrfTokenOf, ORIGIN_A, READER_A } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
let bearer: { authorization: string };
afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
  bearer = { authorization: `Bearer ${world.keys.all}` };
});

/** A review posted as the widget posts it, at the world's clock, with its follow-up when given. */
async function review(satisfaction: SatisfactionAnswer, answers?: FollowUpAnswers, placement = 'default'): Promise<number> {
  const rated = await world.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': 'application/json', origin: ORIGIN_A },
    payload: { procedure: 'demarche-a', placement, satisfaction },
  });
  expect(rated.statusCode, rated.body).toBe(201);
  const { id, token } = rated.json() as { id: number; token: string };
  if (answers) {
    const followed = await world.inject({
      method: 'POST',
      url: `/api/v1/reviews/${id}`,
      headers: { 'content-type': 'application/json', origin: ORIGIN_A },
      payload: { token, answers },
    });
    expect(followed.statusCode, followed.body).toBe(200);
  }
  return id;
}

const get = (url: string, headers: Record<string, string> = bearer) => world.inject({ method: 'GET', url, headers });

async function admin(): Promise<Record<string, string>> {
  const { cookie } = await world.session(ADMIN_A);
  return { cookie, 'x-csrf-token': await csrfTokenOf(world, cookie), 'content-type': 'application/json' };
}

/** CSV text → rows of cells (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

test('stats of 3 reviews give exact scores with no threshold; the feed keeps them withheld', async () => {
  world.clock.now = new Date('2026-11-03T10:00:00Z');
  await review('good', { clarity: 5, help_sought: ['none'] }, 'site');
  await review('medium', { clarity: 3, help_sought: ['phone'], help_reached: { phone: 'yes' }, help_quality: { phone: 2 } });
  world.clock.now = new Date('2026-12-01T10:00:00Z');
  await review('bad');

  const reply = await get('/api/v1/procedures/demarche-a/stats?from=2026-11-01&to=2026-12-01');
  expect(reply.statusCode, reply.body).toBe(200);
  const stats = reply.json();
  expect(stats).toMatchObject({
    procedure: { id: 'demarche-a', title: 'Démarche A', entity: 'Ministère A' },
    window: { from: '2026-11-01', to: '2026-12-01' },
    interval: 'month',
    reviews: 3,
  });
  expect(stats.indicators).toEqual({
    satisfaction: { score: 5, interval: { low: 0, high: 10 }, level: 'average', answers: 3, counts: { good: 1, medium: 1, bad: 1 } },
    clarity: { score: 7.5, interval: { low: 0, high: 10 }, level: 'average', answers: 2, counts: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 1 } },
    help_reachable: { rate: 1, interval: { low: 0.2, high: 1 }, level: 'good', answers: 1, counts: { yes: 1, no: 0 } },
    help_quality: { score: 2.5, interval: { low: 0, high: 10 }, level: 'poor', answers: 1, counts: { 1: 0, 2: 1, 3: 0, 4: 0, 5: 0 } },
    autonomy: { rate: 0.5, interval: { low: 0.09, high: 0.91 }, level: null, answers: 2, counts: { none: 1, sought: 1 } },
  });
  expect(stats.series.map((p: { from: string; to: string; reviews: number }) => [p.from, p.to, p.reviews])).toEqual([
    ['2026-11-01', '2026-11-30', 2],
    ['2026-12-01', '2026-12-01', 1],
  ]);
  expect(stats.placements.map((p: { placement: string; reviews: number }) => [p.placement, p.reviews])).toEqual([
    ['default', 2],
    ['site', 1],
  ]);
  const daily = (await get('/api/v1/procedures/demarche-a/stats?from=2026-11-02&to=2026-11-04&interval=day&placement=site')).json();
  expect(daily.series.map((p: { from: string; reviews: number }) => [p.from, p.reviews])).toEqual([
    ['2026-11-02', 0],
    ['2026-11-03', 1],
    ['2026-11-04', 0],
  ]);

  const feed = (await world.inject({ url: '/api/v1/feed?procedure=demarche-a&from=2026-11-01&to=2026-12-01' })).json();
  expect(feed.procedures[0].reviews).toBe(3);
  expect(feed.procedures[0].indicators.satisfaction).toEqual({
    score: null,
    interval: null,
    level: 'not_enough_data',
    answers: null,
    counts: null,
  });
});

test('the listing pages newest first, filters, and finds « Démarche » when asked for « demarche »', async () => {
  const a = await review('good', { comment: 'Démarche très claire' }, 'site');
  const b = await review('bad', { help_sought: ['other'], help_other: 'Un forum', comment: '=HYPERLINK("x") la DEMARCHE a planté' });
  const c = await review('bad');
  const first = await get('/api/v1/procedures/demarche-a/reviews?limit=2');
  expect(first.statusCode, first.body).toBe(200);
  expect(first.headers['cache-control']).toBe('no-store');
  const page = first.json();
  expect(page.reviews.map((r: { id: number }) => r.id)).toEqual([c, b]);
  expect(page.reviews[1]).toEqual({
    id: b,
    created_at: '2026-12-01T10:00:00.000Z',
    day: '2026-12-01',
    placement: 'default',
    test: false,
    lang: 'fr',
    answers: { satisfaction: 'bad', clarity: null, help_sought: ['other'], help_reached: null, help_quality: null },
    form_version: null,
    comment: '=HYPERLINK("x") la DEMARCHE a planté',
    help_other: 'Un forum',
    hidden: null,
    pii_suspected: false,
    suspects: [],
    status: 'new',
    tags: [],
    suggested_tag: null,
    spam: null,
    duplicate: null,
  });
  const second = (await get(`/api/v1/procedures/demarche-a/reviews?limit=2&cursor=${page.next_cursor}`)).json();
  expect(second).toMatchObject({ reviews: [{ id: a }], next_cursor: null });

  const ids = async (query: string) =>
    (await get(`/api/v1/procedures/demarche-a/reviews?${query}`)).json().reviews.map((r: { id: number }) => r.id);
  expect(await ids(`q=${encodeURIComponent('demarche')}`)).toEqual([b, a]);
  expect(await ids(`q=${encodeURIComponent('DÉMARCHE très')}`)).toEqual([a]);
  expect(await ids('q=forum')).toEqual([b]);
  expect(await ids('satisfaction=bad&has_comment=true')).toEqual([b]);
  expect(await ids('has_comment=false')).toEqual([c]);
  expect(await ids('placement=site')).toEqual([a]);
  expect(await ids('from=2026-01-01&to=2026-11-30')).toEqual([]);
});

test('exports: every matching review, one row each, one column per answer, as CSV and XLSX; each export audited', async () => {
  await review('good', {
    clarity: 4,
    help_sought: ['phone'],
    help_reached: { phone: 'yes' },
    help_quality: { phone: 5 },
    comment: 'Très bien, merci',
  });
  await review('bad', { comment: '=SOMME(A1) "cité", ligne\nsuivante' });
  await review('medium');

  const csv = await get('/api/v1/procedures/demarche-a/reviews.csv?satisfaction=bad');
  expect(csv.statusCode, csv.body).toBe(200);
  expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
  expect(csv.headers['content-disposition']).toBe('attachment; filename="avis-demarche-a-2025-12-02-2026-12-01.csv"');
  expect(csv.body.startsWith('\uFEFF')).toBe(true);
  const rows = parseCsv(csv.body.slice(1));
  expect(rows[0]).toEqual([
    'id',
    'created_at',
    'day',
    'placement',
    'lang',
    'satisfaction',
    'clarity',
    'help_sought',
    'help_reached_counter',
    'help_reached_phone',
    'help_reached_email',
    'help_reached_chat',
    'help_quality_counter',
    'help_quality_phone',
    'help_quality_email',
    'help_quality_chat',
    'help_other',
    'comment',
    'hidden_at',
    'hidden_reason',
    'hidden_by',
    'test',
    'status',
    'tags',
    'spam_at',
    'duplicate_of',
    'form_version',
  ]);
  expect(rows).toHaveLength(2);
  expect(rows[1]![5]).toBe('bad');
  // Formula injection neutralised, quotes and line breaks kept.
  expect(rows[1]![17]).toBe('\'=SOMME(A1) "cité", ligne\nsuivante');

  const xlsx = await get('/api/v1/procedures/demarche-a/reviews.xlsx');
  expect(xlsx.statusCode).toBe(200);
  expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(xlsx.headers['content-disposition']).toBe('attachment; filename="avis-demarche-a-2025-12-02-2026-12-01.xlsx"');
  const workbook = new ExcelJS.Workbook();
  const bytes = xlsx.rawPayload;
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const sheet = workbook.getWorksheet('Avis')!;
  expect(sheet.rowCount).toBe(4);
  const good = sheet.getRow(4).values as unknown[];
  expect(good.slice(6, 19)).toEqual([
    'good',
    4,
    'phone',
    undefined,
    'yes',
    undefined,
    undefined,
    undefined,
    5,
    undefined,
    undefined,
    undefined,
    'Très bien, merci',
  ]);

  const audit = await world.store.audit.list('ministere-a', { limit: 10 });
  expect(audit.map(({ actor, action, target, details }) => ({ actor, action, target, format: details.format }))).toEqual([
    { actor: 'key:tableau', action: 'export', target: 'demarche-a', format: 'xlsx' },
    { actor: 'key:tableau', action: 'export', target: 'demarche-a', format: 'csv' },
  ]);
  expect(audit[1]!.details).toMatchObject({ satisfaction: 'bad', from: '2025-12-02', to: '2026-12-01' });
});

test('exports defuse every way a cell can start a formula, also after spaces, in CSV and XLSX alike', async () => {
  const starts = ['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', '  =', ' \u3000@', ' \n'];
  const harmless = ['a=b', '  texte', 'Très bien'];
  const comments = new Map<number, string>();
  // A bracket after the lead: « @HYPERLINK » would be taken for a social handle by the scrubber and replaced before storage.
  for (const start of starts) comments.set(await review('bad', { comment: `${start}(HYPERLINK("https://x.example"))` }), 'formula');
  for (const text of harmless) comments.set(await review('good', { comment: text }), 'text');
  // The comment as stored, read back through the API: the exports must show it with an apostrophe before, or as is.
  // The formulas differ by their first character only: flagged as duplicates, they are asked for with the others.
  const listed = (await get('/api/v1/procedures/demarche-a/reviews?limit=200&marked=show')).json().reviews as {
    id: number;
    comment: string;
  }[];
  const expected = new Map(listed.map((r) => [String(r.id), comments.get(r.id) === 'formula' ? `'${r.comment}` : r.comment]));
  expect(expected.size).toBe(starts.length + harmless.length);

  const csv = parseCsv((await get('/api/v1/procedures/demarche-a/reviews.csv?marked=show')).body.slice(1));
  const comment = csv[0]!.indexOf('comment');
  expect(new Map(csv.slice(1).map((cells) => [cells[0], cells[comment]]))).toEqual(expected);

  const workbook = new ExcelJS.Workbook();
  const bytes = (await get('/api/v1/procedures/demarche-a/reviews.xlsx?marked=show')).rawPayload;
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const rows: [string, unknown][] = [];
  workbook.getWorksheet('Avis')!.eachRow((row, n) => {
    if (n > 1) rows.push([String(row.getCell(1).value), row.getCell(comment + 1).value]);
  });
  // XML reads a bare carriage return back as a line feed (XML 1.0, end-of-line handling): exceljs writes it raw.
  expect(new Map(rows)).toEqual(new Map([...expected].map(([id, text]) => [id, text.replace(/\r/g, '\n')])));
});

test('an admin hides a comment: gone from the listing, search and exports, counts unchanged, audited; restore brings it back', async () => {
  const id = await review('bad', { help_sought: ['other'], help_other: 'Chez Dupont', comment: 'Propos injurieux' });
  const headers = await admin();
  const statsBefore = (await get('/api/v1/procedures/demarche-a/stats')).json();

  const hidden = await world.inject({
    method: 'POST',
    url: `/api/v1/procedures/demarche-a/reviews/${id}/hide`,
    headers,
    payload: { reason: 'Injurieux' },
  });
  expect(hidden.statusCode, hidden.body).toBe(200);
  expect(hidden.json()).toMatchObject({
    id,
    comment: null,
    help_other: null,
    hidden: { reason: 'Injurieux', by: ADMIN_A, at: '2026-12-01T10:00:00.000Z' },
  });
  const listed = (await get('/api/v1/procedures/demarche-a/reviews')).json().reviews;
  expect(listed).toMatchObject([
    { id, comment: null, help_other: null, answers: { satisfaction: 'bad' }, hidden: { reason: 'Injurieux' } },
  ]);
  expect((await get('/api/v1/procedures/demarche-a/reviews?q=injurieux')).json().reviews).toEqual([]);
  const csv = (await get('/api/v1/procedures/demarche-a/reviews.csv')).body;
  expect(csv).not.toContain('Propos injurieux');
  expect(csv).not.toContain('Dupont');
  expect(parseCsv(csv.slice(1))[1]!.slice(-9, -6)).toEqual(['2026-12-01T10:00:00.000Z', 'Injurieux', ADMIN_A]);
  expect((await get('/api/v1/procedures/demarche-a/stats')).json()).toEqual(statsBefore);
  const [entry] = await world.store.audit.list('ministere-a', { limit: 10 }).then((list) => list.filter((e) => e.action !== 'export'));
  expect(entry).toMatchObject({
    actor: ADMIN_A,
    action: 'review_hidden',
    target: String(id),
    details: { procedure: 'demarche-a', reason: 'Injurieux' },
  });

  const { 'content-type': _json, ...bodyless } = headers;
  const restored = await world.inject({ method: 'POST', url: `/api/v1/procedures/demarche-a/reviews/${id}/restore`, headers: bodyless });
  expect(restored.statusCode, restored.body).toBe(200);
  expect(restored.json()).toMatchObject({ id, comment: 'Propos injurieux', help_other: 'Chez Dupont', hidden: null });
  expect((await get('/api/v1/procedures/demarche-a/reviews?q=injurieux')).json().reviews).toHaveLength(1);
  const actions = (await world.store.audit.list('ministere-a', { limit: 10 })).map((e) => e.action);
  expect(actions.filter((action) => action !== 'export')).toEqual(['review_restored', 'review_hidden']);
});

describe('refusals change nothing', () => {
  interface Refusal {
    name: string;
    method?: 'GET' | 'POST';
    url: string;
    as?: 'key' | 'reader' | 'admin' | 'limited key' | 'none';
    payload?: unknown;
    status: number;
    code: string;
    details?: { field: string; message: string }[];
  }
  const REFUSALS: Refusal[] = [
    {
      name: 'unknown filter',
      url: '/api/v1/procedures/demarche-a/reviews?satisfacton=bad',
      status: 400,
      code: 'invalid_query',
      details: [{ field: 'satisfacton', message: 'unknown query parameter' }],
    },
    {
      name: 'bad satisfaction',
      url: '/api/v1/procedures/demarche-a/reviews?satisfaction=great',
      status: 400,
      code: 'invalid_query',
      details: [{ field: 'satisfaction', message: 'must be one of bad, medium, good' }],
    },
    {
      name: 'bad cursor',
      url: '/api/v1/procedures/demarche-a/reviews?cursor=abc',
      status: 400,
      code: 'invalid_query',
      details: [{ field: 'cursor', message: 'must be a next_cursor returned by this listing' }],
    },
    {
      name: 'limit too large',
      url: '/api/v1/procedures/demarche-a/reviews?limit=500',
      status: 400,
      code: 'invalid_query',
      details: [{ field: 'limit', message: 'must be an integer from 1 to 200' }],
    },
    {
      name: 'repeated q',
      url: '/api/v1/procedures/demarche-a/reviews?q=a&q=b',
      status: 400,
      code: 'invalid_query',
      details: [{ field: 'q', message: 'must be given once' }],
    },
    {
      name: 'inverted window',
      url: '/api/v1/procedures/demarche-a/reviews.csv?from=2026-12-01&to=2026-01-01',
      status: 400,
      code: 'invalid_query',
      details: [{ field: 'from', message: 'must not be after "to" (2026-01-01)' }],
    },
    {
      name: 'impossible day in an export',
      url: '/api/v1/procedures/demarche-a/reviews.xlsx?to=2026-02-30',
      status: 400,
      code: 'invalid_query',
      details: [{ field: 'to', message: 'must be a UTC day written YYYY-MM-DD' }],
    },
    {
      name: 'bad interval',
      url: '/api/v1/procedures/demarche-a/stats?interval=year',
      status: 400,
      code: 'invalid_query',
      details: [{ field: 'interval', message: 'must be day, week or month' }],
    },
    { name: 'unknown procedure', url: '/api/v1/procedures/inconnue/reviews', status: 404, code: 'procedure_not_found' },
    { name: "another entity's procedure", url: '/api/v1/procedures/demarche-b/reviews.csv', status: 404, code: 'procedure_not_found' },
    {
      name: 'a key limited to another procedure',
      url: '/api/v1/procedures/demarche-a/stats',
      as: 'limited key',
      status: 404,
      code: 'procedure_not_found',
    },
    { name: 'no credentials', url: '/api/v1/procedures/demarche-a/reviews', as: 'none', status: 401, code: 'unauthenticated' },
    {
      name: 'a reader hiding',
      method: 'POST',
      url: '/api/v1/procedures/demarche-a/reviews/REVIEW/hide',
      as: 'reader',
      payload: { reason: 'x' },
      status: 403,
      code: 'forbidden',
    },
    {
      name: 'a key hiding',
      method: 'POST',
      url: '/api/v1/procedures/demarche-a/reviews/REVIEW/hide',
      as: 'key',
      payload: { reason: 'x' },
      status: 403,
      code: 'forbidden',
    },
    {
      name: 'hiding without a reason',
      method: 'POST',
      url: '/api/v1/procedures/demarche-a/reviews/REVIEW/hide',
      as: 'admin',
      payload: { reason: ' ' },
      status: 400,
      code: 'invalid_body',
      details: [{ field: 'reason', message: 'must say why' }],
    },
    {
      name: 'hiding an unknown review',
      method: 'POST',
      url: '/api/v1/procedures/demarche-a/reviews/999999/hide',
      as: 'admin',
      payload: { reason: 'x' },
      status: 404,
      code: 'review_not_found',
    },
    {
      name: "hiding another procedure's review",
      method: 'POST',
      url: '/api/v1/procedures/demarche-a2/reviews/REVIEW/hide',
      as: 'admin',
      payload: { reason: 'x' },
      status: 404,
      code: 'review_not_found',
    },
    {
      name: 'restoring in another entity',
      method: 'POST',
      url: '/api/v1/procedures/demarche-b/reviews/REVIEW/restore',
      as: 'admin',
      status: 404,
      code: 'procedure_not_found',
    },
  ];

  test.each(REFUSALS)('$name: $status $code', async (refusal) => {
    const id = await review('bad', { comment: 'Un commentaire' });
    const headers: Record<string, string> =
      refusal.as === 'none'
        ? {}
        : refusal.as === 'limited key'
          ? { authorization: `Bearer ${world.keys.limited}` }
          : refusal.as === 'admin' || refusal.as === 'reader'
            ? await (async () => {
                const { cookie } = await world.session(refusal.as === 'admin' ? ADMIN_A : READER_A);
                return { cookie, 'x-csrf-token': await csrfTokenOf(world, cookie) };
              })()
            : bearer;
    // A key's use is recorded (last_used_at): use it once first, so that "nothing changed" is about the data.
    if (headers.authorization) await get('/api/v1/me', headers);
    const before = await world.db.snapshot();
    const reply = await world.inject({
      method: refusal.method ?? 'GET',
      url: refusal.url.replace('REVIEW', String(id)),
      headers: { ...headers, ...(refusal.payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(refusal.payload === undefined ? {} : { payload: JSON.stringify(refusal.payload) }),
    });
    expect(reply.statusCode, reply.body).toBe(refusal.status);
    expect(reply.json().error.code).toBe(refusal.code);
    if (refusal.details) expect(reply.json().error.details).toEqual(refusal.details);
    expect(await world.db.snapshot()).toEqual(before);
  });
});
