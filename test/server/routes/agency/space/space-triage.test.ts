// Comment triage on the space's comments page (SPEC §8): a member's form sets status, tags and
// spam, the filters by status, tag and marks, and every refusal is a page that changes nothing.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { FollowUpAnswers, SatisfactionAnswer } from '../../../../../shared/questionnaire.ts';
import { ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, ORIGIN_A, READER_A } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
});

const PAGE = '/espace/demarches/demarche-a/avis';

async function review(satisfaction: SatisfactionAnswer, answers: FollowUpAnswers): Promise<number> {
  const headers = { 'content-type': 'application/json', origin: ORIGIN_A };
  const rated = await world.inject({ method: 'POST', url: '/api/v1/reviews', headers, payload: { procedure: 'demarche-a', satisfaction } });
  const { id, token } = rated.json() as { id: number; token: string };
  const followed = await world.inject({ method: 'POST', url: `/api/v1/reviews/${id}`, headers, payload: { token, answers } });
  expect(followed.statusCode, followed.body).toBe(200);
  return id;
}

async function member(email: string): Promise<{ cookie: string; csrf: string }> {
  const { cookie } = await world.session(email);
  return { cookie, csrf: await csrfTokenOf(world, cookie) };
}

const post = (url: string, cookie: string, form: string) =>
  world.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
const idsOf = (body: string) => [...body.matchAll(/<article id="avis-(\d+)"/g)].map((match) => Number(match[1]));

async function expectUnchanged(before: Record<string, unknown>): Promise<void> {
  const { sessions: _s, ...after } = await world.db.snapshot();
  const { sessions: _b, ...was } = before;
  expect(after).toEqual(was);
}

test('a reader marks a review handled, tags it and marks another as spam; the filters find them', async () => {
  const delays = (await world.store.tags.add('ministere-a', 'Délais', 0))!;
  await world.store.tags.add('ministere-a', 'Accueil', 0);
  const slow = await review('bad', { comment: 'Le dossier a mis trois mois à être instruit.' });
  const spam = await review('bad', { comment: 'Gagnez de l’argent facilement sur notre site.' });
  const reader = await member(READER_A);

  const shown = await world.inject({ method: 'GET', url: `${PAGE}?status=new`, headers: { cookie: reader.cookie } });
  expect(shown.statusCode).toBe(200);
  expect(shown.body).toContain(`<form method="post" action="${PAGE}/${slow}/tri?status=new"`);
  expect(shown.body).toContain('<label class="fr-label" for="filtre-statut">Statut</label>');

  const saved = await post(`${PAGE}/${slow}/tri?status=new`, reader.cookie, `_csrf=${reader.csrf}&status=handled&tag=${delays.id}`);
  expect(saved.statusCode, saved.body).toBe(303);
  expect(saved.headers.location).toBe(`${PAGE}?status=new&triaged=${slow}#avis-${slow}`);
  expect((await post(`${PAGE}/${spam}/tri`, reader.cookie, `_csrf=${reader.csrf}&status=new&spam=on`)).statusCode).toBe(303);

  const rows = await world.db.rows<{ id: number; triage_status: string; spam_by: string | null }>(
    'SELECT id, triage_status, spam_by FROM reviews ORDER BY id',
  );
  expect(rows.map((r) => [Number(r.id), r.triage_status, r.spam_by])).toEqual([
    [slow, 'handled', null],
    [spam, 'new', READER_A],
  ]);
  const list = (query: string) => world.inject({ method: 'GET', url: `${PAGE}?${query}`, headers: { cookie: reader.cookie } });
  expect(idsOf((await list('')).body)).toEqual([slow]);
  expect(idsOf((await list('status=handled')).body)).toEqual([slow]);
  expect(idsOf((await list(`tag=${delays.id}`)).body)).toEqual([slow]);
  expect(idsOf((await list('marked=only')).body)).toEqual([spam]);
  const back = await list(`status=new&triaged=${slow}`);
  expect(back.body).toContain('Le tri de l’avis est enregistré.');
  const all = await list('marked=show');
  expect(idsOf(all.body)).toEqual([spam, slow]);
  expect(all.body).toContain('>Traité</p>');
  expect(all.body).toContain('>Délais</p>');
  expect(all.body).toContain(`href="/api/v1/procedures/demarche-a/reviews-excel.csv?has_comment=true&amp;marked=show"`);
  const results = await world.inject({ method: 'GET', url: '/espace/demarches/demarche-a', headers: { cookie: reader.cookie } });
  expect(results.body).toMatch(/<p class="fr-text--lead">Du [^<]+\u00a0: 2 avis\.<\/p>/);
  expect(results.body).toContain('Marqués indésirables\u00a0: 1\u00a0; en doublon\u00a0: 0.');
});

test.each([
  ['no _csrf', (id: number) => [`${PAGE}/${id}/tri`, 'status=seen'], 403, 'Ce formulaire a expiré'],
  ['an unknown status', (id: number) => [`${PAGE}/${id}/tri`, '_csrf=:csrf&status=closed'], 400, 'Ce formulaire n’est pas valable'],
  ['a tag that is no id', (id: number) => [`${PAGE}/${id}/tri`, '_csrf=:csrf&status=seen&tag=x'], 400, 'Ce formulaire n’est pas valable'],
  ['a tag of no entity', (id: number) => [`${PAGE}/${id}/tri`, '_csrf=:csrf&status=new&tag=999'], 404, 'Page introuvable'],
  ['a verdict on no duplicate', (id: number) => [`${PAGE}/${id}/tri`, '_csrf=:csrf&status=new&duplicate=confirmed'], 409, ''],
  ['an unknown review', () => [`${PAGE}/999999/tri`, '_csrf=:csrf&status=seen'], 404, 'Page introuvable'],
])('a form with %s is refused as a page, nothing changed', async (_name, make, status, text) => {
  const id = await review('bad', { comment: 'Un commentaire assez long pour être comparé.' });
  const reader = await member(READER_A);
  const [url, form] = make(id) as [string, string];
  const before = await world.db.snapshot();
  const reply = await post(url, reader.cookie, form.replace(':csrf', reader.csrf));
  expect(reply.statusCode, reply.body).toBe(status);
  expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(reply.body).toContain(text);
  await expectUnchanged(before);
});

test('another entity’s member cannot triage: « Page introuvable », nothing changed', async () => {
  const id = await review('bad', { comment: 'Un commentaire assez long pour être comparé.' });
  const other = await member(ADMIN_B);
  const before = await world.db.snapshot();
  const reply = await post(`${PAGE}/${id}/tri`, other.cookie, `_csrf=${other.csrf}&status=seen`);
  expect(reply.statusCode).toBe(404);
  await expectUnchanged(before);
});
