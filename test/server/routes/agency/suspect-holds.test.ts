// What the scrubber is only unsure of is held back, not published (SPEC §8): stored as written but
// marked, read masked by every agency reader (listing, search, exports, the space), and checked by an
// admin, who confirms a span (masked for good) or releases it (published); counts never move.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ADMIN_A, type AgencyWorld, agencyWorld, csrfTokenOf, ORIGIN_A, READER_A } from '../../../helpers/agency-world.ts';

let world: AgencyWorld;
let bearer: { authorization: string };
afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
  bearer = { authorization: `Bearer ${world.keys.all}` };
});

// Two given names guessed from the list (unsure) and a phone number (sure).
const COMMENT = "Très bien reçue, Sandrine m'a aidée puis Gérard aussi. Tél. 06 12 34 56 78";
const STORED = "Très bien reçue, Sandrine m'a aidée puis Gérard aussi. Tél. [numéro de téléphone]";
const MASKED = "Très bien reçue, [à vérifier] m'a aidée puis [à vérifier] aussi. Tél. [numéro de téléphone]";

/** A review posted as the widget posts it, with its follow-up. */
async function review(comment = COMMENT, lang: 'fr' | 'en' = 'fr'): Promise<number> {
  const rated = await world.inject({
    method: 'POST',
    url: '/api/v1/reviews',
    headers: { 'content-type': 'application/json', origin: ORIGIN_A },
    payload: { procedure: 'demarche-a', placement: 'default', satisfaction: 'good', lang },
  });
  expect(rated.statusCode, rated.body).toBe(201);
  const { id, token } = rated.json() as { id: number; token: string };
  const followed = await world.inject({
    method: 'POST',
    url: `/api/v1/reviews/${id}`,
    headers: { 'content-type': 'application/json', origin: ORIGIN_A },
    payload: { token, answers: { clarity: 4, comment } },
  });
  expect(followed.statusCode, followed.body).toBe(200);
  return id;
}

const get = (url: string) => world.inject({ method: 'GET', url, headers: bearer });

async function sessionHeaders(email: string): Promise<Record<string, string>> {
  const { cookie } = await world.session(email);
  return { cookie, 'x-csrf-token': await csrfTokenOf(world, cookie) };
}

const stored = async (id: number) =>
  (
    await world.db.rows<{ comment: string; search_text: string; pii_suspects: string | null }>(
      'SELECT comment, search_text, pii_suspects FROM reviews WHERE id = ?',
      id,
    )
  )[0]!;

test('an unsure item is stored as written with its span, and every agency reader sees it masked', async () => {
  const id = await review();
  const row = await stored(id);
  expect(row.comment).toBe(STORED);
  expect(JSON.parse(row.pii_suspects!)).toEqual([
    { n: 1, field: 'comment', start: 17, end: 25, category: 'name' },
    { n: 2, field: 'comment', start: 41, end: 47, category: 'name' },
  ]);
  // The search column holds the masked text: the raw names cannot be found.
  expect(row.search_text).not.toContain('sandrine');
  expect(row.search_text).toContain('[a verifier]');

  const listed = (await get('/api/v1/procedures/demarche-a/reviews')).json().reviews;
  expect(listed).toMatchObject([
    {
      id,
      comment: MASKED,
      pii_suspected: true,
      suspects: [
        { n: 1, field: 'comment', category: 'name' },
        { n: 2, field: 'comment', category: 'name' },
      ],
    },
  ]);
  expect(JSON.stringify(listed)).not.toContain('Sandrine');
  expect((await get('/api/v1/procedures/demarche-a/reviews?q=sandrine')).json().reviews).toEqual([]);
  expect((await get('/api/v1/procedures/demarche-a/reviews?q=aidee')).json().reviews).toHaveLength(1);
  const csv = (await get('/api/v1/procedures/demarche-a/reviews.csv')).body;
  expect(csv).toContain(MASKED);
  expect(csv).not.toContain('Sandrine');
  const xlsx = await get('/api/v1/procedures/demarche-a/reviews.xlsx');
  expect(xlsx.statusCode).toBe(200);
  const workbook = new ExcelJS.Workbook();
  const bytes = xlsx.rawPayload;
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const cells = workbook.getWorksheet('Avis')!.getRow(2).values as unknown[];
  expect(cells).toContain(MASKED);
  expect(JSON.stringify(cells)).not.toContain('Sandrine');

  // A reader's page: masked, with the badge, and no form to check.
  const page = await world.inject({ method: 'GET', url: '/espace/demarches/demarche-a/avis', headers: await sessionHeaders(READER_A) });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('[à vérifier] m&#39;a aidée');
  expect(page.body).toContain('À vérifier');
  expect(page.body).not.toContain('Sandrine');
  expect(page.body).not.toContain('/passages/');
});

test("an English review's spans read in its own language, as its placeholders do", async () => {
  await review('Very kind, Sandrine called me back. Tel. 06 12 34 56 78', 'en');
  const [listed] = (await get('/api/v1/procedures/demarche-a/reviews')).json().reviews;
  expect(listed).toMatchObject({ lang: 'en', comment: 'Very kind, [to check] called me back. Tel. [phone number]', pii_suspected: true });
});

test('an admin confirms one span and releases the other: the text settles, the hold clears, both audited, counts unchanged', async () => {
  const id = await review();
  const headers = await sessionHeaders(ADMIN_A);
  const statsBefore = (await get('/api/v1/procedures/demarche-a/stats')).json();

  const confirmed = await world.inject({ method: 'POST', url: `/api/v1/procedures/demarche-a/reviews/${id}/suspects/1/confirm`, headers });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  expect(confirmed.json()).toMatchObject({
    comment: "Très bien reçue, [nom] m'a aidée puis [à vérifier] aussi. Tél. [numéro de téléphone]",
    pii_suspected: true,
    suspects: [{ n: 2 }],
  });
  // The later span moved with the shorter text.
  expect(JSON.parse((await stored(id)).pii_suspects!)).toEqual([{ n: 2, field: 'comment', start: 38, end: 44, category: 'name' }]);

  const released = await world.inject({ method: 'POST', url: `/api/v1/procedures/demarche-a/reviews/${id}/suspects/2/release`, headers });
  expect(released.statusCode, released.body).toBe(200);
  const settled = "Très bien reçue, [nom] m'a aidée puis Gérard aussi. Tél. [numéro de téléphone]";
  expect(released.json()).toMatchObject({ comment: settled, pii_suspected: false, suspects: [] });
  const row = await stored(id);
  expect(row).toMatchObject({ comment: settled, pii_suspects: null });
  expect((await get('/api/v1/procedures/demarche-a/reviews?q=gerard')).json().reviews).toHaveLength(1);
  expect((await get('/api/v1/procedures/demarche-a/reviews?q=sandrine')).json().reviews).toEqual([]);
  expect((await get('/api/v1/procedures/demarche-a/reviews.csv')).body).toContain(settled);
  expect((await get('/api/v1/procedures/demarche-a/stats')).json()).toEqual(statsBefore);

  const entries = (await world.store.audit.list('ministere-a', { limit: 10 })).filter((e) => e.action.startsWith('suspect_'));
  expect(entries).toMatchObject([
    { actor: ADMIN_A, action: 'suspect_released', target: String(id), details: { procedure: 'demarche-a', span: 2, category: 'name' } },
    { actor: ADMIN_A, action: 'suspect_confirmed', target: String(id), details: { procedure: 'demarche-a', span: 1, category: 'name' } },
  ]);
  const audit = await world.inject({ method: 'GET', url: '/espace/entites/ministere-a/journal', headers });
  expect(audit.statusCode).toBe(200);
  expect(audit.body).toContain('Passage retenu masqué');
  expect(audit.body).toContain('Passage retenu publié');
  expect(audit.body).toMatch(/catégorie\s:\snom/);
});

test('a held review counts like any other in the indicators', async () => {
  await review('Rien à signaler, tout était clair.');
  const clear = (await get('/api/v1/procedures/demarche-a/stats')).json();
  await world.close();
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
  bearer = { authorization: `Bearer ${world.keys.all}` };
  await review();
  expect((await get('/api/v1/procedures/demarche-a/stats')).json()).toEqual(clear);
});

test('the free-text purge erases the held spans with the text', async () => {
  const id = await review();
  await world.store.reviews.purge(world.clock.now.getTime() + 1, 0);
  expect(await stored(id)).toEqual({ comment: null, search_text: null, pii_suspects: null });
});

test('the space form checks a span with its CSRF token and comes back to the review', async () => {
  const id = await review();
  const { cookie } = await world.session(ADMIN_A);
  const csrf = await csrfTokenOf(world, cookie);
  const page = await world.inject({ method: 'GET', url: '/espace/demarches/demarche-a/avis', headers: { cookie } });
  expect(page.body).toContain(`/espace/demarches/demarche-a/avis/${id}/passages/1/masquer`);
  expect(page.body).toContain('«\u00a0Sandrine\u00a0» (nom)');

  const before = await world.db.snapshot();
  const forged = await world.inject({
    method: 'POST',
    url: `/espace/demarches/demarche-a/avis/${id}/passages/1/publier`,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: '_csrf=faux',
  });
  expect(forged.statusCode).toBe(403);
  expect(await world.db.snapshot()).toEqual(before);

  const posted = await world.inject({
    method: 'POST',
    url: `/espace/demarches/demarche-a/avis/${id}/passages/1/publier?q=aid`,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `_csrf=${encodeURIComponent(csrf)}`,
  });
  expect(posted.statusCode, posted.body).toBe(303);
  expect(posted.headers.location).toBe(`/espace/demarches/demarche-a/avis?q=aid&released=${id}#avis-${id}`);
  expect((await stored(id)).comment).toBe(STORED);
  expect(JSON.parse((await stored(id)).pii_suspects!)).toHaveLength(1);
  const back = await world.inject({ method: 'GET', url: posted.headers.location as string, headers: { cookie } });
  expect(back.body).toContain('Le passage est publié tel qu’écrit.');
  const english = await world.inject({ method: 'GET', url: '/espace/demarches/demarche-a/avis?lang=en', headers: { cookie } });
  expect(english.body).toContain('“Gérard” (name)');
  expect(english.body).toContain('Mask for good');
  expect(english.body).toContain('To check');
});

describe('refusals change nothing', () => {
  const REFUSALS: { name: string; url: string; as: 'admin' | 'reader' | 'key' | 'space reader'; status: number; code: string }[] = [
    {
      name: 'a reader confirming',
      url: '/api/v1/procedures/demarche-a/reviews/REVIEW/suspects/1/confirm',
      as: 'reader',
      status: 403,
      code: 'forbidden',
    },
    {
      name: 'a key releasing',
      url: '/api/v1/procedures/demarche-a/reviews/REVIEW/suspects/1/release',
      as: 'key',
      status: 403,
      code: 'forbidden',
    },
    {
      name: 'an unknown review',
      url: '/api/v1/procedures/demarche-a/reviews/999999/suspects/1/confirm',
      as: 'admin',
      status: 404,
      code: 'review_not_found',
    },
    {
      name: "another procedure's review",
      url: '/api/v1/procedures/demarche-a2/reviews/REVIEW/suspects/1/release',
      as: 'admin',
      status: 404,
      code: 'review_not_found',
    },
    {
      name: 'another entity',
      url: '/api/v1/procedures/demarche-b/reviews/REVIEW/suspects/1/confirm',
      as: 'admin',
      status: 404,
      code: 'procedure_not_found',
    },
    {
      name: 'an unknown span',
      url: '/api/v1/procedures/demarche-a/reviews/REVIEW/suspects/3/confirm',
      as: 'admin',
      status: 404,
      code: 'suspect_not_found',
    },
    {
      name: 'a span number that is none',
      url: '/api/v1/procedures/demarche-a/reviews/REVIEW/suspects/0/release',
      as: 'admin',
      status: 400,
      code: 'invalid_query',
    },
    {
      name: 'a reader through the space',
      url: '/espace/demarches/demarche-a/avis/REVIEW/passages/1/masquer',
      as: 'space reader',
      status: 404,
      code: 'forbidden',
    },
  ];

  test.each(REFUSALS)('$name: $status $code', async (refusal) => {
    const id = await review();
    const headers = refusal.as === 'key' ? bearer : await sessionHeaders(refusal.as === 'admin' ? ADMIN_A : READER_A);
    if (refusal.as === 'key') await get('/api/v1/me');
    const before = await world.db.snapshot();
    const reply = await world.inject({ method: 'POST', url: refusal.url.replace('REVIEW', String(id)), headers });
    expect(reply.statusCode, reply.body).toBe(refusal.status);
    // The space answers a page: a reader is told the form is not theirs as "not found" (space-pages.ts).
    if (refusal.as === 'space reader') expect(reply.body).toContain('Page introuvable');
    else expect(reply.json().error.code).toBe(refusal.code);
    expect(await world.db.snapshot()).toEqual(before);
  });

  test('a span already checked is not there any more: 404 suspect_not_found', async () => {
    const id = await review();
    const headers = await sessionHeaders(ADMIN_A);
    const url = `/api/v1/procedures/demarche-a/reviews/${id}/suspects/1/release`;
    expect((await world.inject({ method: 'POST', url, headers })).statusCode).toBe(200);
    const before = await world.db.snapshot();
    const again = await world.inject({ method: 'POST', url, headers });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('suspect_not_found');
    expect(await world.db.snapshot()).toEqual(before);
  });
});
