// Suggested tags on both engines (SPEC §8 "Triage"): the nightly training is one leased job that
// two collectors run once a day between them; a review without a tag is listed with the model's
// suggestion and its precision (API and comments page), and only a member's click sets it, audited
// as a manual tag.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { tagModelJob } from '../../../../server/agency/tag-suggestions.ts';
import { reviewWrites } from '../../../../server/review-writes.ts';
import type { Tag } from '../../../../server/store/store.ts';
import { countQueuedTerms } from '../../../../server/term-counting.ts';
import { ADMIN_B, type AgencyWorld, agencyWorld, csrfTokenOf, DAY, READER_A } from '../../../helpers/agency-world.ts';

let world: AgencyWorld;
let delays: Tag;
let rare: Tag;
const ids: { fresh: number; thanks: number; tagged: number } = { fresh: 0, thanks: 0, tagged: 0 };

const WAITING = ['délai', 'attente', 'relances', 'lenteur', 'interminable', 'patienter'];
const THANKS = ['merci', 'simple', 'rapide', 'parfait', 'clair', 'efficace'];
const PLACES = ['mairie', 'préfecture', 'consulat', 'internet', 'téléphone', 'courrier', 'agence'];
/** Comments of one theme that differ enough not to be flagged as each other's duplicates. */
const said = (words: readonly string[], i: number) =>
  `${words[i % 6]} ${words[(i + 2) % 6]}, ${PLACES[i % 7]} ${words[(i + 3) % 6]} ${PLACES[(i + 3) % 7]} ${'!'.repeat(1 + (i % 4))}`;

async function comment(text: string): Promise<number> {
  const writes = reviewWrites(world.store, () => world.clock.now);
  const { id } = await writes.rate({ procedureId: 'demarche-a', placementId: 'default', satisfaction: 'bad', lang: 'fr' }, 'api');
  await writes.replaceFollowUps((await writes.find(String(id)))!, { comment: text });
  return Number(id);
}

afterEach(async () => world?.close());
beforeEach(async () => {
  world = await agencyWorld({ rateLimitPerMinute: 0, ratingsPerClientPerDay: 0 });
  delays = (await world.store.tags.add('ministere-a', 'Délais', 0))!;
  rare = (await world.store.tags.add('ministere-a', 'Rare', 0))!;
  // 24 reviews tagged « Délais », 12 read and left untagged, in turn; a rarer tag on 3 of them.
  for (let i = 0; i < 36; i++) {
    const id = await comment(said(i % 3 === 2 ? THANKS : WAITING, i));
    if (i % 3 === 2) await world.store.reviews.triage('demarche-a', id, { status: 'seen' });
    else await world.store.reviews.triage('demarche-a', id, { tagId: delays.id, on: true });
    if (i < 3) await world.store.reviews.triage('demarche-a', id, { tagId: rare.id, on: true });
  }
  ids.tagged = await comment('Un délai interminable, trop de relances.');
  await world.store.reviews.triage('demarche-a', ids.tagged, { tagId: rare.id, on: true });
  ids.fresh = await comment('Quelle attente ! Un délai interminable pour mon passeport.');
  ids.thanks = await comment('Merci, parfait et efficace.');
  await countQueuedTerms(world.store);
});

const train = () => tagModelJob({ store: world.store, now: () => world.clock.now, termMinReviews: 5 })();

async function listed(): Promise<Map<number, { tags: { id: number }[]; suggested_tag: unknown }>> {
  const reply = await world.inject({
    method: 'GET',
    url: '/api/v1/procedures/demarche-a/reviews?marked=show&limit=100',
    headers: { authorization: `Bearer ${world.keys.all}` },
  });
  expect(reply.statusCode, reply.body).toBe(200);
  return new Map(reply.json().reviews.map((review: { id: number }) => [review.id, review]));
}

test('two collectors train once a day between them; a review with no tag is listed with its suggestion and precision', async () => {
  expect([...(await listed()).values()].map((review) => review.suggested_tag)).toEqual(Array(39).fill(null));

  const second = await world.db.open();
  try {
    const runs = await Promise.all([train(), tagModelJob({ store: second, now: () => world.clock.now, termMinReviews: 5 })()]);
    expect(runs.sort()).toEqual([0, 1]);
  } finally {
    await second.close();
  }
  const stored = await world.db.rows<{ entity_id: string; model: string; trained_at: number | string }>(
    'SELECT entity_id, model, trained_at FROM tag_models',
  );
  expect(stored.map((row) => [row.entity_id, Number(row.trained_at)])).toEqual([['ministere-a', world.clock.now.getTime()]]);
  const model = JSON.parse(stored[0]!.model);
  // « Rare » is on 4 reviews: no class. The newest 20 % of the 37 confirmed reviews (7) are held out:
  // 4 of waiting tagged « Délais », 2 thanking (nothing suggested), and the last, of waiting, which a
  // member tagged « Rare » only: 4 right suggestions of 5.
  expect(model.classes.map((cls: { tagId: number }) => cls.tagId)).toEqual([0, delays.id]);
  expect(model.heldOut).toBe(5);
  expect(model.precision).toBe(0.8);

  world.clock.now = new Date(world.clock.now.getTime() + 60_000);
  expect(await train()).toBe(0);
  expect(Number((await world.db.rows<{ trained_at: number }>('SELECT trained_at FROM tag_models'))[0]!.trained_at)).toBe(
    world.clock.now.getTime() - 60_000,
  );

  const reviews = await listed();
  expect(reviews.get(ids.fresh)!.suggested_tag).toEqual({ id: delays.id, name: 'Délais', precision: 0.8 });
  expect(reviews.get(ids.thanks)!.suggested_tag).toBeNull();
  // Tagged already (even with another tag): nothing suggested.
  expect(reviews.get(ids.tagged)!.suggested_tag).toBeNull();

  world.clock.now = new Date(world.clock.now.getTime() + DAY);
  expect(await train()).toBe(1);
});

test('a suggestion is applied only by a member, through the triage route, audited as a manual tag', async () => {
  await train();
  expect((await world.db.rows('SELECT review_id FROM review_tags WHERE review_id = ?', ids.fresh)).length).toBe(0);
  const { cookie } = await world.session(READER_A);
  const headers = { cookie, 'x-csrf-token': await csrfTokenOf(world, cookie), 'content-type': 'application/json' };
  const applied = await world.inject({
    method: 'POST',
    url: `/api/v1/procedures/demarche-a/reviews/${ids.fresh}/triage`,
    headers,
    payload: { tag: delays.id, on: true },
  });
  expect(applied.statusCode, applied.body).toBe(200);
  expect(applied.json().tags).toEqual([{ id: delays.id, name: 'Délais' }]);
  expect((await listed()).get(ids.fresh)!.suggested_tag).toBeNull();
  const audit = await world.db.rows<{ action: string; actor: string; target: string }>(
    "SELECT action, actor, target FROM audit_log WHERE action = 'review_tagged'",
  );
  expect(audit).toEqual([{ action: 'review_tagged', actor: READER_A, target: String(ids.fresh) }]);
});

const PAGE = '/espace/demarches/demarche-a/avis';
const post = (url: string, cookie: string, form: string) =>
  world.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form });

test('the comments page shows « suggestion : Délais (précision 80 %) » and « Appliquer » sets it', async () => {
  await train();
  const { cookie } = await world.session(READER_A);
  const csrf = await csrfTokenOf(world, cookie);
  const page = await world.inject({ method: 'GET', url: `${PAGE}?marked=show`, headers: { cookie } });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('Suggestion\u00a0: Délais (précision 80\u00a0%)');
  expect(page.body).toContain(`<form method="post" action="${PAGE}/${ids.fresh}/suggestion?marked=show"`);
  expect(page.body).not.toContain(`action="${PAGE}/${ids.thanks}/suggestion`);
  const english = await world.inject({ method: 'GET', url: `${PAGE}?lang=en`, headers: { cookie } });
  expect(english.body).toContain('Suggestion: Délais (precision 80%)');

  const applied = await post(`${PAGE}/${ids.fresh}/suggestion?marked=show`, cookie, `_csrf=${csrf}&tag=${delays.id}`);
  expect(applied.statusCode, applied.body).toBe(303);
  expect(applied.headers.location).toBe(`${PAGE}?marked=show&triaged=${ids.fresh}#avis-${ids.fresh}`);
  expect(await world.db.rows('SELECT tag_id FROM review_tags WHERE review_id = ?', ids.fresh)).toEqual([{ tag_id: delays.id }]);
  const audit = await world.db.rows<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'review_%'");
  expect(audit.map((row) => row.action)).toEqual(['review_tagged']);
  const after = await world.inject({ method: 'GET', url: `${PAGE}?marked=show`, headers: { cookie } });
  expect(after.body).not.toContain(`action="${PAGE}/${ids.fresh}/suggestion`);
});

test.each([
  ['no _csrf', (id: number) => [`${PAGE}/${id}/suggestion`, 'tag=:tag'], 403, 'Ce formulaire a expiré'],
  ['a tag that is no id', (id: number) => [`${PAGE}/${id}/suggestion`, '_csrf=:csrf&tag=x'], 400, 'Ce formulaire n’est pas valable'],
  ['no tag', (id: number) => [`${PAGE}/${id}/suggestion`, '_csrf=:csrf'], 400, 'Ce formulaire n’est pas valable'],
  ['a tag of no entity', (id: number) => [`${PAGE}/${id}/suggestion`, '_csrf=:csrf&tag=999999'], 404, 'Page introuvable'],
  ['an unknown review', () => [`${PAGE}/999999/suggestion`, '_csrf=:csrf&tag=:tag'], 404, 'Page introuvable'],
])('« Appliquer » with %s is refused as a page, nothing changed', async (_name, make, status, text) => {
  const { cookie } = await world.session(READER_A);
  const csrf = await csrfTokenOf(world, cookie);
  const [url, form] = make(ids.fresh) as [string, string];
  const before = await world.db.snapshot();
  const reply = await post(url, cookie, form.replace(':csrf', csrf).replace(':tag', String(delays.id)));
  expect(reply.statusCode, reply.body).toBe(status);
  expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(reply.body).toContain(text);
  const { sessions: _s, ...after } = await world.db.snapshot();
  const { sessions: _b, ...was } = before;
  expect(after).toEqual(was);
});

test('another entity’s member cannot apply a suggestion: « Page introuvable », nothing changed', async () => {
  const { cookie } = await world.session(ADMIN_B);
  const csrf = await csrfTokenOf(world, cookie);
  const before = await world.db.snapshot();
  const reply = await post(`${PAGE}/${ids.fresh}/suggestion`, cookie, `_csrf=${csrf}&tag=${delays.id}`);
  expect(reply.statusCode).toBe(404);
  const { sessions: _s, ...after } = await world.db.snapshot();
  const { sessions: _b, ...was } = before;
  expect(after).toEqual(was);
});
