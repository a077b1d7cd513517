// The comments page of the agency space over HTTP (SPEC §8), on both engines: who may open it, the
// filters and their refusals, a page that follows the listing's cursor until it is full, the search
// words marked in the original text, and hiding and restoring a comment through its forms.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FollowUpAnswers, SatisfactionAnswer } from '../../shared/questionnaire.ts';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, ORIGIN_A, READER_A } from '../helpers/agency-world.ts';
import { seedReviews } from '../helpers/seed-reviews.ts';

let world: AgencyWorld;
afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
});

const PAGE = '/espace/demarches/demarche-a/avis';

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

async function member(email: string): Promise<{ cookie: string; csrf: string }> {
  const { cookie } = await world.session(email);
  return { cookie, csrf: await csrfTokenOf(world, cookie) };
}

const page = (url: string, cookie?: string) => world.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const post = (url: string, cookie: string, form: Record<string, string>) =>
  world.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });

const h1Of = (body: string) => /<h1[^>]*>([^<]*)</.exec(body)?.[1];
const marksOf = (body: string) => [...body.matchAll(/<mark>(.*?)<\/mark>/g)].map((match) => match[1]);
/** The reviews a page lists, by id, in order. */
const idsOf = (body: string) => [...body.matchAll(/<article id="avis-(\d+)"/g)].map((match) => Number(match[1]));
const olderLinkOf = (body: string) => /<a class="fr-btn" href="([^"]+)">Avis plus anciens<\/a>/.exec(body)?.[1]?.replaceAll('&amp;', '&');

describe('who may open the page and use its forms', () => {
  test('signed out, or with an API key: the sign-in page (401); out of scope or unknown: « Page introuvable » (404)', async () => {
    for (const headers of [{}, { authorization: `Bearer ${world.keys.all}` }]) {
      const reply = await world.inject({ method: 'GET', url: PAGE, headers });
      expect(reply.statusCode).toBe(401);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(h1Of(reply.body)).toBe('Vous n’êtes pas connecté');
    }
    const other = await member(ADMIN_B);
    for (const url of [PAGE, '/espace/demarches/inconnue/avis', '/espace/demarches/NOT%20A%20SLUG/avis']) {
      const reply = await page(url, other.cookie);
      expect(reply.statusCode, url).toBe(404);
      expect(h1Of(reply.body)).toBe('Page introuvable');
    }
  });

  test('a reader reads the comments but is offered no hide form, and posting one is « Page introuvable » with nothing changed', async () => {
    const id = await review('bad', { comment: 'Très lent' });
    const reader = await member(READER_A);
    const reply = await page(PAGE, reader.cookie);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body).toContain('<title>Avis – Démarche A – Je donne mon avis</title>');
    expect(reply.body).toContain('Très lent');
    expect(reply.body).not.toContain('/masquer');
    expect(reply.body).not.toContain('Raison du masquage');
    // Readers have no settings link either (procedureNav).
    expect(reply.body).not.toContain('/reglages');

    const before = await world.db.snapshot();
    const refused = await post(`${PAGE}/${id}/masquer`, reader.cookie, { _csrf: reader.csrf, reason: 'Injurieux' });
    expect(refused.statusCode).toBe(404);
    expect(h1Of(refused.body)).toBe('Page introuvable');
    expect(await world.db.snapshot()).toEqual(before);
  });

  test.each([
    ['no _csrf field', {}],
    ['a wrong _csrf', { _csrf: 'x'.repeat(43) }],
  ])('an admin’s form with %s is « Ce formulaire a expiré » (403), nothing changed', async (_name, extra) => {
    const id = await review('bad', { comment: 'Très lent' });
    const admin = await member(ADMIN_A);
    const before = await world.db.snapshot();
    for (const action of ['masquer', 'retablir']) {
      const reply = await post(`${PAGE}/${id}/${action}`, admin.cookie, { reason: 'Injurieux', ...extra });
      expect(reply.statusCode).toBe(403);
      expect(h1Of(reply.body)).toBe('Ce formulaire a expiré');
    }
    expect(await world.db.snapshot()).toEqual(before);
  });

  test.each([
    ['an empty reason', `${PAGE}/:id/masquer`, { reason: '   ' }, 400, 'Indiquez pourquoi le commentaire est masqué'],
    ['no reason', `${PAGE}/:id/masquer`, {}, 400, 'Indiquez pourquoi'],
    ['a reason over 500 characters', `${PAGE}/:id/masquer`, { reason: 'x'.repeat(501) }, 400, '500 caractères au plus'],
    ['a bad filter in the page address', `${PAGE}/:id/masquer?satisfaction=excellent`, { reason: 'Injurieux' }, 400, 'n’est pas valable'],
    ['an unknown review', `${PAGE}/999999/masquer`, { reason: 'Injurieux' }, 404, 'Page introuvable'],
    ['another procedure’s review', '/espace/demarches/demarche-a2/avis/:id/masquer', { reason: 'Injurieux' }, 404, 'Page introuvable'],
    ['a review id that is no number', `${PAGE}/abc/retablir`, {}, 404, 'Page introuvable'],
  ])('an admin’s form with %s is refused as a page, nothing changed', async (_name, url, form, status, text) => {
    const id = await review('bad', { comment: 'Très lent' });
    const admin = await member(ADMIN_A);
    const before = await world.db.snapshot();
    const reply = await post(url.replace(':id', String(id)), admin.cookie, { _csrf: admin.csrf, ...form });
    expect(reply.statusCode, reply.body).toBe(status);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.body).toContain(text);
    expect(await world.db.snapshot()).toEqual(before);
  });

  test.each([
    ['from=2026-13-01', 'Du : une date, sous la forme AAAA-MM-JJ.'],
    ['from=2026-12-01&to=2026-11-01', 'Du : le début ne doit pas être après la fin.'],
    ['from=2019-01-01&to=2026-11-01', 'Du : la période ne doit pas dépasser 5 ans.'],
    ['satisfaction=excellent', 'Satisfaction : Très bien, Moyen ou Pas bien.'],
    ['placement=Pas%20un%20emplacement', 'Emplacement : un des emplacements de la liste.'],
    [`q=${'x'.repeat(201)}`, 'Mots recherchés : 200 caractères au plus.'],
    ['q=a&q=b', 'Mots recherchés : '],
    ['cursor=nimporte-quoi', 'Page : ce lien n’est plus valable'],
    ['comments=peut-etre', 'Ce lien n’est pas valable : revenez aux avis les plus récents.'],
    ['tri=date', 'Paramètre inconnu « tri ».'],
  ])('a bad filter (%s) is a 400 page that says what is wrong, keeps the form, lists nothing, changes nothing', async (query, text) => {
    await review('bad', { comment: 'Très lent' });
    const reader = await member(READER_A);
    const before = await world.db.snapshot();
    const reply = await page(`${PAGE}?${query}`, reader.cookie);
    expect(reply.statusCode).toBe(400);
    expect(reply.body).toContain('Ces filtres ne peuvent pas être appliqués');
    expect(reply.body).toContain(text);
    expect(reply.body).toContain('<form method="get" action="/espace/demarches/demarche-a/avis">');
    expect(reply.body).not.toContain('Très lent');
    expect(await world.db.snapshot()).toEqual(before);
  });
});
