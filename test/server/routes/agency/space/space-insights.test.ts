// The comment analysis page of the agency space over HTTP (SPEC §8): the API's insights in words,
// each term a link to the comments page's search, and its refusals as pages that change nothing.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { reviewWrites } from '../../../../../server/review-writes.ts';
import { countQueuedTerms } from '../../../../../server/term-counting.ts';
import type { SatisfactionAnswer } from '../../../../../shared/questionnaire.ts';
import { ADMIN_A, ADMIN_B, type AgencyWorld, agencyWorld, READER_A } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld();
});

async function reviews(n: number, day: string, satisfaction: SatisfactionAnswer, comment: string) {
  const writes = reviewWrites(world.store, () => new Date(`${day}T12:00:00Z`));
  for (let i = 0; i < n; i++) {
    const { id } = await writes.rate({ procedureId: 'demarche-a', placementId: 'default', satisfaction, lang: 'fr' }, 'api');
    await writes.replaceFollowUps((await writes.find(String(id)))!, { comment });
  }
}

const page = async (url: string, email = READER_A) =>
  world.inject({ method: 'GET', url, headers: { cookie: (await world.session(email)).cookie } });

test('the page lists top, distinctive and rising terms, each linked to its comments over the same period', async () => {
  await reviews(6, '2026-09-15', 'bad', "Délai d'attente trop long");
  await reviews(6, '2026-09-15', 'good', 'Accueil aimable');
  await reviews(6, '2026-11-25', 'bad', 'Panne serveur');
  await reviews(3, '2026-11-25', 'good', 'Madame Zorglub merci');
  await countQueuedTerms(world.store);
  const reply = await page('/espace/demarches/demarche-a/analyse?from=2026-06-01&to=2026-12-01');
  expect(reply.statusCode, reply.body.slice(0, 300)).toBe(200);
  expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(reply.body).toContain('<title>Analyse des commentaires – Démarche A – Je donne mon avis</title>');
  expect(reply.body).toContain('href="/espace/demarches/demarche-a/analyse" aria-current="page">Analyse des commentaires</a>');
  expect(reply.body).toContain(`href="/espace/demarches/demarche-a/avis?q=d%C3%A9lai+d%27attente&amp;from=2026-06-01&amp;to=2026-12-01"`);
  expect(reply.body).toContain(
    `href="/espace/demarches/demarche-a/avis?q=accueil+aimable&amp;from=2026-06-01&amp;to=2026-12-01&amp;satisfaction=good"`,
  );
  // Rising terms link to the last 30 days.
  expect(reply.body).toContain(`href="/espace/demarches/demarche-a/avis?q=panne+serveur&amp;from=2026-11-02&amp;to=2026-12-01"`);
  expect(reply.body).not.toMatch(/zorglub|madame/i);
  expect(reply.body).toContain('21 avis avec un commentaire analysé');
});

test('in English, and with no comment yet, it says there is nothing to show', async () => {
  const reply = await page('/espace/demarches/demarche-a/analyse?lang=en', ADMIN_A);
  expect(reply.statusCode).toBe(200);
  expect(reply.body).toContain('<title>Comment analysis – Démarche A – Je donne mon avis</title>');
  expect(reply.body).toContain('No term in this period.');
  expect(reply.body).toContain('<input type="hidden" name="lang" value="en">');
});

test('the results page links to it', async () => {
  const reply = await page('/espace/demarches/demarche-a');
  expect(reply.body).toContain('href="/espace/demarches/demarche-a/analyse"');
});

test.each([
  ['a day that does not exist', '?from=2026-02-30', 400, 'La date de début n’est pas valide'],
  ['a start after the end', '?from=2026-11-01&to=2026-10-01', 400, 'La date de début doit précéder la date de fin.'],
  ['a placement that is no slug', '?placement=Site%20web', 400, 'L’emplacement n’est pas valide.'],
])('%s is a %i page that changes nothing', async (_name, query, status, message) => {
  const { cookie } = await world.session(READER_A);
  const before = await world.db.snapshot();
  const reply = await world.inject({ method: 'GET', url: `/espace/demarches/demarche-a/analyse${query}`, headers: { cookie } });
  expect(reply.statusCode).toBe(status);
  expect(reply.body).toContain(message);
  expect(await world.db.snapshot()).toEqual(before);
});

test('another entity’s procedure is not found, and nobody signed in gets the sign-in page', async () => {
  const { cookie } = await world.session(ADMIN_B);
  const before = await world.db.snapshot();
  const other = await world.inject({ method: 'GET', url: '/espace/demarches/demarche-a/analyse', headers: { cookie } });
  expect(other.statusCode).toBe(404);
  const anonymous = await world.inject({ method: 'GET', url: '/espace/demarches/demarche-a/analyse' });
  expect(anonymous.statusCode).toBe(401);
  expect(await world.db.snapshot()).toEqual(before);
});
