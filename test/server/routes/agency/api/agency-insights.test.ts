// Comment insights over HTTP (SPEC §8): a corpus whose top, distinctive and rising terms are known
// by construction, the TERM_MIN_REVIEWS floor, and the refusals, each leaving the database unchanged.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { reviewWrites } from '../../../../../server/review-writes.ts';
import { countQueuedTerms } from '../../../../../server/term-counting.ts';
import type { SatisfactionAnswer } from '../../../../../shared/questionnaire.ts';
import { type AgencyWorld, agencyWorld } from '../../../../helpers/agency-world.ts';

let world: AgencyWorld;
let bearer: { authorization: string };
afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld();
  bearer = { authorization: `Bearer ${world.keys.all}` };
});

/** `n` reviews of demarche-a on `day` writing `comment`, through the write path (scrubbing, queue). */
async function reviews(n: number, day: string, satisfaction: SatisfactionAnswer, comment: string, placement = 'default') {
  const writes = reviewWrites(world.store, () => new Date(`${day}T12:00:00Z`));
  for (let i = 0; i < n; i++) {
    const { id } = await writes.rate({ procedureId: 'demarche-a', placementId: placement, satisfaction, lang: 'fr' }, 'api');
    await writes.replaceFollowUps((await writes.find(String(id)))!, { comment });
  }
}

/**
 * Earlier (September): unhappy reviews wait, happy ones praise the welcome; a name the scrubber
 * missed, in 4 reviews. Recent (the last 30 days): the same, and a server outage new to them.
 */
async function seedCorpus(): Promise<void> {
  await reviews(30, '2026-09-15', 'bad', "Délai d'attente interminable.");
  await reviews(30, '2026-09-15', 'good', 'Accueil aimable.');
  await reviews(4, '2026-09-16', 'medium', 'Merci à madame Zorglub');
  await reviews(10, '2026-11-20', 'bad', "Délai d'attente interminable.");
  await reviews(10, '2026-11-20', 'good', 'Accueil aimable.');
  await reviews(10, '2026-11-21', 'bad', 'Panne serveur.');
  await countQueuedTerms(world.store);
}

const get = (url: string, headers: Record<string, string> = bearer) => world.inject({ method: 'GET', url, headers });
const labels = (terms: { term: string }[]) => terms.map((t) => t.term);

test('top terms: a bigram takes the place of the words it holds ≥ 70 % of, and nothing under the floor shows', async () => {
  await seedCorpus();
  const response = await get('/api/v1/procedures/demarche-a/insights');
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['cache-control']).toBe('no-store');
  const body = response.json();
  expect(body.window).toEqual({ from: '2025-12-02', to: '2026-12-01' });
  expect(body.min_reviews).toBe(5);
  expect(body.reviews).toEqual({ all: 94, bad: 50, medium: 4, good: 40 });
  expect(body.top).toEqual([
    { term: 'accueil aimable', key: 'accueil aimabl', reviews: 40 },
    { term: 'attente interminable', key: 'attent interminabl', reviews: 40 },
    { term: "délai d'attente", key: 'delai attent', reviews: 40 },
    { term: 'panne serveur', key: 'pann serveur', reviews: 10 },
  ]);
  expect(response.body).not.toMatch(/zorglub|madame/i);
});

test('distinctive terms set « Pas bien » against « Très bien », with the counts behind them', async () => {
  await seedCorpus();
  const { distinctive } = (await get('/api/v1/procedures/demarche-a/insights')).json();
  expect(new Set(labels(distinctive.bad))).toEqual(
    new Set(['délai', 'attente', 'interminable', "délai d'attente", 'attente interminable', 'panne', 'serveur', 'panne serveur']),
  );
  expect(new Set(labels(distinctive.good))).toEqual(new Set(['accueil', 'aimable', 'accueil aimable']));
  const delai = distinctive.bad.find((t: { term: string }) => t.term === 'délai');
  expect(delai).toMatchObject({ reviews: 40, bad: 40, good: 0 });
  expect(delai.z).toBeGreaterThan(1.96);
  expect(distinctive.good.find((t: { term: string }) => t.term === 'accueil')).toMatchObject({ bad: 0, good: 40 });
  // Terms written by 30 bad reviews outrank those written by 10.
  expect(labels(distinctive.bad).indexOf('délai')).toBeLessThan(labels(distinctive.bad).indexOf('panne'));
});

test('rising terms: only what grew in the last 30 days against the 90 before, with both counts', async () => {
  await seedCorpus();
  const { rising } = (await get('/api/v1/procedures/demarche-a/insights')).json();
  expect(rising.recent).toEqual({ from: '2026-11-02', to: '2026-12-01' });
  expect(rising.earlier).toEqual({ from: '2026-08-04', to: '2026-11-01' });
  expect(rising.reviews).toEqual({ recent: 30, earlier: 64 });
  expect(new Set(labels(rising.terms))).toEqual(new Set(['panne', 'serveur', 'panne serveur']));
  expect(rising.terms[0]).toMatchObject({ recent: 10, earlier: 0 });
  expect(rising.terms[0].g2).toBeGreaterThan(10.83);
});

test('a window and a placement narrow every list', async () => {
  await seedCorpus();
  await reviews(6, '2026-11-22', 'bad', 'Bouton invisible', 'site');
  await countQueuedTerms(world.store);
  const september = (await get('/api/v1/procedures/demarche-a/insights?from=2026-09-01&to=2026-09-30')).json();
  expect(september.reviews.all).toBe(64);
  expect(labels(september.top)).not.toContain('panne serveur');
  const site = (await get('/api/v1/procedures/demarche-a/insights?placement=site')).json();
  expect(site.placement).toBe('site');
  expect(labels(site.top)).toEqual(['bouton invisible']);
});

test('a term written by fewer than TERM_MIN_REVIEWS reviews never shows', async () => {
  await reviews(4, '2026-11-20', 'bad', 'Dossier Zorglub perdu');
  await reviews(5, '2026-11-20', 'bad', 'Dossier perdu');
  await countQueuedTerms(world.store);
  const body = (await get('/api/v1/procedures/demarche-a/insights')).json();
  // « dossier perdu » (5 reviews) holds under 70 % of « dossier » (9): both show; no « zorglub » (4).
  expect(labels(body.top)).toEqual(['dossier', 'perdu', 'dossier perdu']);
  expect(JSON.stringify(body)).not.toMatch(/zorglub/i);
});

test.each([
  ['an unknown parameter', '?satisfaction=bad', 400, 'invalid_query'],
  ['a day that is not one', '?from=2026-02-30', 400, 'invalid_query'],
  ['a backwards window', '?from=2026-10-01&to=2026-09-01', 400, 'invalid_query'],
  ['a repeated parameter', '?placement=site&placement=default', 400, 'invalid_query'],
  ['a placement that is no slug', '?placement=Site%20web', 400, 'invalid_query'],
  ['a placement the procedure has not', '?placement=email', 404, 'unknown_placement'],
])('%s is refused, and nothing is stored', async (_name, query, status, code) => {
  await reviews(5, '2026-11-20', 'bad', 'Dossier perdu');
  await countQueuedTerms(world.store);
  // The key's first use is recorded (last_used_at): once before the snapshot.
  expect((await get('/api/v1/procedures/demarche-a/insights')).statusCode).toBe(200);
  const before = await world.db.snapshot();
  const response = await get(`/api/v1/procedures/demarche-a/insights${query}`);
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json()).toMatchObject({ error: { code } });
  expect(await world.db.snapshot()).toEqual(before);
});

test('another entity’s procedure is not found, and a caller without key or session is not let in', async () => {
  expect((await get('/api/v1/procedures/demarche-a/insights')).statusCode).toBe(200);
  expect((await get('/api/v1/procedures/demarche-a/insights', { authorization: `Bearer ${world.keys.limited}` })).statusCode).toBe(404);
  const before = await world.db.snapshot();
  const other = await get('/api/v1/procedures/demarche-b/insights');
  expect(other.statusCode).toBe(404);
  expect(other.json().error.code).toBe('procedure_not_found');
  const limited = await get('/api/v1/procedures/demarche-a/insights', { authorization: `Bearer ${world.keys.limited}` });
  expect(limited.statusCode).toBe(404);
  const anonymous = await get('/api/v1/procedures/demarche-a/insights', {});
  expect(anonymous.statusCode).toBe(401);
  expect(anonymous.json().error.code).toBe('unauthenticated');
  expect(await world.db.snapshot()).toEqual(before);
});
